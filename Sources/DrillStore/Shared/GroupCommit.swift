import Foundation

/// Group commit: calls that arrive while a commit is in flight wait together and share the next
/// transaction, so N concurrent check-ins cost one commit (one fsync), not N, and every caller is
/// answered only after the transaction holding its change is durable.
///
/// The first caller with nothing in flight starts a commit of what is queued (at once: a lone
/// check-in waits for nothing). While that commit runs, later callers queue; when it ends, everything
/// queued meanwhile (up to `maxBatch` calls) goes into the next one. `commit` decides each item on its
/// own (a store runs each in a savepoint), so one refused item does not fail the others; a failed
/// transaction (disk full, lock timeout) fails every item in it, and none of them was stored.
///
/// ```swift
/// let marks = GroupCommit<[AttendanceMark], Int> { batch in /* one transaction */ }
/// let changed = try await marks.submit(someMarks)
/// ```
final class GroupCommit<Item: Sendable, Output: Sendable>: @unchecked Sendable {
    typealias Outcome = Result<Output, StoreError>
    /// Commits a batch in one transaction: one outcome per item, in order, or the transaction's failure.
    typealias Commit = @Sendable ([Item]) async -> Result<[Outcome], StoreError>

    private struct Waiter {
        var item: Item
        var continuation: CheckedContinuation<Outcome, Never>
    }

    /// Most calls in one transaction, so a burst cannot make one transaction (and its waiters) very long.
    let maxBatch: Int
    private let commit: Commit
    private let lock = NSLock()
    // Guarded by `lock`.
    private var pending: [Waiter] = []
    private var committing = false
    private var stats = Statistics()

    /// Counts for benchmarks and tests.
    typealias Statistics = GroupCommitStatistics

    init(maxBatch: Int = 256, commit: @escaping Commit) {
        self.maxBatch = maxBatch
        self.commit = commit
    }

    /// Queues `item`, waits for the transaction that holds it, and returns its own outcome.
    func submit(_ item: Item) async throws(StoreError) -> Output {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
            let lead = lock.withLock {
                pending.append(Waiter(item: item, continuation: continuation))
                if committing { return false }
                committing = true
                return true
            }
            if lead { Task { await self.drain() } }
        }
        return try outcome.get()
    }

    /// What was committed so far.
    var statistics: Statistics { lock.withLock { stats } }

    /// Calls queued and not yet in a transaction.
    var pendingCount: Int { lock.withLock { pending.count } }

    /// Commits batches until nothing is queued.
    private func drain() async {
        while true {
            let batch: [Waiter]? = lock.withLock {
                if pending.isEmpty {
                    committing = false
                    return nil
                }
                let batch = Array(pending.prefix(maxBatch))
                pending.removeFirst(batch.count)
                stats.transactions += 1
                stats.items += batch.count
                stats.largest = max(stats.largest, batch.count)
                return batch
            }
            guard let batch else { return }
            switch await commit(batch.map(\.item)) {
            case .success(let outcomes) where outcomes.count == batch.count:
                for (waiter, outcome) in zip(batch, outcomes) {
                    waiter.continuation.resume(returning: outcome)
                }
            case .success(let outcomes):
                let error = StoreError.database(
                    "group commit: \(outcomes.count) outcomes for \(batch.count) calls")
                for waiter in batch { waiter.continuation.resume(returning: .failure(error)) }
            case .failure(let error):
                for waiter in batch { waiter.continuation.resume(returning: .failure(error)) }
            }
        }
    }
}

/// How many `record` calls shared how many transactions: for the server's exit line and benchmarks.
public struct GroupCommitStatistics: Sendable, Hashable {
    /// Transactions committed (or attempted).
    public var transactions = 0
    /// Calls they held.
    public var items = 0
    /// The most calls in one transaction.
    public var largest = 0

    public init(transactions: Int = 0, items: Int = 0, largest: Int = 0) {
        self.transactions = transactions
        self.items = items
        self.largest = largest
    }
}
