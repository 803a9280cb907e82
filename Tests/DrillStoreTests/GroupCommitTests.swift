import DrillCore
import Foundation
import Synchronization
import Testing

@testable import DrillStore

/// Group commit (`GroupCommit`, used by `record` in the SQLite and PostgreSQL stores): calls arriving
/// while a commit is in flight share the next transaction, each call keeps its own outcome.
@Suite("Group commit")
struct GroupCommitTests {
    /// A gate the first commit waits at, so the test decides when it ends.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
        func wait() async {
            await withCheckedContinuation { c in
                let open = state.withLock { s -> Bool in
                    if !s.open { s.waiters.append(c) }
                    return s.open
                }
                if open { c.resume() }
            }
        }
        func open() {
            for c in state.withLock({ s -> [CheckedContinuation<Void, Never>] in
                s.open = true
                defer { s.waiters = [] }
                return s.waiters
            }) { c.resume() }
        }
    }

    @Test("calls queued behind a commit in flight share one transaction; each gets its own outcome")
    func batchesWhileCommitting() async throws {
        let gate = Gate()
        let batches = Mutex<[[Int]]>([])
        let commit = GroupCommit<Int, Int> { items in
            batches.withLock { $0.append(items) }
            if items == [0] { await gate.wait() }
            // Odd items are refused on their own; the rest succeed.
            return .success(items.map { $0 % 2 == 1 ? .failure(.invalid("odd \($0)")) : .success($0 * 10) })
        }
        let first = Task { try await commit.submit(0) }
        while batches.withLock({ $0.count }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        // The first commit is in flight: these ten queue behind it.
        let rest = (1...10).map { i in
            Task { () -> Result<Int, StoreError> in
                do { return .success(try await commit.submit(i)) } catch {
                    return .failure(error as! StoreError)
                }
            }
        }
        while commit.pendingCount < 10 { try await Task.sleep(for: .milliseconds(5)) }
        gate.open()
        #expect(try await first.value == 0)
        for (i, task) in zip(1...10, rest) {
            switch await task.value {
            case .success(let value): #expect(i % 2 == 0 && value == i * 10)
            case .failure(let error): #expect(i % 2 == 1 && error == .invalid("odd \(i)"))
            }
        }
        #expect(
            batches.withLock { $0.count } == 2, "one commit for the first call, one for the ten behind it")
        #expect(Set(batches.withLock { $0[1] }) == Set(1...10))
        #expect(commit.statistics == .init(transactions: 2, items: 11, largest: 10))
    }

    @Test("a failed transaction fails every call in it, and the next calls commit again")
    func failedTransaction() async throws {
        let fail = Mutex(true)
        let commit = GroupCommit<Int, Int> { items in
            if fail.withLock({ $0 }) { return .failure(.busy("locked")) }
            return .success(items.map { .success($0) })
        }
        await #expect(throws: StoreError.busy("locked")) { try await commit.submit(1) }
        fail.withLock { $0 = false }
        #expect(try await commit.submit(2) == 2)
    }

    @Test(
        "concurrent record calls: a refused call fails alone, the others land once",
        arguments: StoreKind.allCases)
    func refusedCallFailsAlone(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let outcomes = await withTaskGroup(of: (Int, Result<Int, StoreError>).self) { group in
            for i in 0..<30 {
                group.addTask {
                    // Every third call names a member who is not on the roster.
                    let member = i % 3 == 0 ? "nobody-\(i)" : (i % 3 == 1 ? "m1" : "m2")
                    do {
                        return (
                            i,
                            .success(
                                try await store.record([
                                    Sample.mark(member, .present, source: .page, clientID: "c-\(i)")
                                ]))
                        )
                    } catch {
                        return (i, .failure(error as! StoreError))
                    }
                }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (i, outcome) in outcomes {
            switch outcome {
            case .success: #expect(i % 3 != 0)
            case .failure(let error):
                #expect(
                    i % 3 == 0 && error == .unknownMember(session: Sample.training.uid, member: "nobody-\(i)")
                )
            }
        }
        #expect(outcomes.values.filter { (try? $0.get()) == 1 }.count == 2, "m1 and m2 each changed once")
        #expect(try await store.marks(session: Sample.training.uid).map(\.memberID) == ["m1", "m2"])
        #expect(try await store.audit(session: nil).count == 2)
        // Every accepted client id was remembered; a refused one was not.
        for i in 0..<30 where i % 3 != 0 {
            #expect(try await store.record([Sample.mark("m1", .late, clientID: "c-\(i)")]) == 0)
        }
        await #expect(throws: StoreError.unknownMember(session: Sample.training.uid, member: "nobody-0")) {
            try await store.record([Sample.mark("nobody-0", .present, clientID: "c-0")])
        }
    }

    @Test("SQLite: check-ins that arrive while the writer is busy share one transaction")
    func sqliteSharesTransactions() async throws {
        let fixture = try await Sample.published(.sqliteFile)
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? SQLiteStore)
        let locked = Mutex(false)
        let holder = Task { try await store.holdWriteLock(seconds: 1.5) { locked.withLock { $0 = true } } }
        while !locked.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        let before = store.recorder.statistics
        let changed = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<20 {
                group.addTask {
                    try await store.record([
                        Sample.mark(
                            i.isMultiple(of: 2) ? "m1" : "m2", .present, source: .page, clientID: "s-\(i)")
                    ])
                }
            }
            return try await group.reduce(0, +)
        }
        try await holder.value
        let after = store.recorder.statistics
        #expect(changed == 2)
        #expect(after.items - before.items == 20)
        #expect(
            after.transactions - before.transactions <= 2,
            "20 calls waiting on one busy writer: at most 2 transactions, saw \(after.transactions - before.transactions)"
        )
    }
}
