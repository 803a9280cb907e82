import DrillCore
import Testing

@testable import DrillStore

/// What several servers over one store share: leader logins and wrong guesses, in every store.
@Suite("Shared server state conformance")
struct SharedStateConformanceTests {
    static let digestA = String(repeating: "a", count: 64)
    static let digestB = String(repeating: "b", count: 64)

    func login(_ digest: String, expiry: Int, session: String = Sample.training.uid) -> LeaderLoginRecord {
        LeaderLoginRecord(nonceDigest: digest, sessionUID: session, codeHash: "hash-1", expiry: expiry)
    }

    @Test(
        "a login is found by its nonce digest, replaced by the same digest, and ended logins are dropped",
        arguments: StoreKind.allCases)
    func logins(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.leaderLogin(nonceDigest: Self.digestA) == nil)
        try await store.saveLeaderLogin(login(Self.digestA, expiry: 1_000), now: 100)
        #expect(try await store.leaderLogin(nonceDigest: Self.digestA) == login(Self.digestA, expiry: 1_000))
        try await store.saveLeaderLogin(
            login(Self.digestA, expiry: 2_000, session: Sample.drill.uid), now: 100)
        #expect(try await store.leaderLogin(nonceDigest: Self.digestA)?.sessionUID == Sample.drill.uid)
        // A later login drops the ones that ended before it.
        try await store.saveLeaderLogin(login(Self.digestB, expiry: 9_000), now: 5_000)
        #expect(try await store.leaderLogin(nonceDigest: Self.digestA) == nil)
        #expect(try await store.leaderLogin(nonceDigest: Self.digestB)?.expiry == 9_000)
    }

    @Test(
        "a malformed login or one for an unknown session is refused and nothing is stored",
        arguments: StoreKind.allCases)
    func loginRefusals(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        await #expect(throws: StoreError.self) {
            try await store.saveLeaderLogin(login("abc", expiry: 9), now: 1)
        }
        await #expect(throws: StoreError.self) {
            try await store.saveLeaderLogin(login(String(repeating: "A", count: 64), expiry: 9), now: 1)
        }
        await #expect(throws: StoreError.unknownSession("nope")) {
            try await store.saveLeaderLogin(login(Self.digestA, expiry: 9, session: "nope"), now: 1)
        }
        #expect(try await store.leaderLogin(nonceDigest: Self.digestA) == nil)
    }

    @Test(
        "guesses pass to other instances once, never back to their own, and are forgotten after a day",
        arguments: StoreKind.allCases)
    func guesses(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        let g1 = SharedGuess(throttle: "leader-code", address: "10.0.0.1", target: "code|s1")
        let g2 = SharedGuess(throttle: "feed-token", address: "10.0.0.2", target: nil)
        // Server A counts two misses; B, starting, reads the day's guesses (cursor 0).
        let a1 = try await store.shareGuesses([g1, g2], instance: "A", now: 1_000, after: 0)
        #expect(a1.guesses.isEmpty, "A never gets its own guesses back")
        let b1 = try await store.shareGuesses([], instance: "B", now: 1_001, after: 0)
        #expect(b1.guesses == [g1, g2])
        #expect(b1.cursor >= a1.cursor)
        // Nothing new: nothing again, the cursor stays.
        let b2 = try await store.shareGuesses([], instance: "B", now: 1_002, after: b1.cursor)
        #expect(b2.guesses.isEmpty && b2.cursor == b1.cursor)
        // B's own miss goes to A, with A's cursor; A's next exchange carries only B's.
        let g3 = SharedGuess(throttle: "self-check-in", address: "10.0.0.3", target: "self|s2")
        let b3 = try await store.shareGuesses([g3], instance: "B", now: 1_003, after: b2.cursor)
        #expect(b3.guesses.isEmpty && b3.cursor > b2.cursor)
        let a2 = try await store.shareGuesses([], instance: "A", now: 1_004, after: a1.cursor)
        #expect(a2.guesses == [g3])
        // A day and more later a new server learns nothing of them.
        let c = try await store.shareGuesses(
            [g1], instance: "C", now: 1_003 + SharedStateRules.guessMemory + 1, after: 0)
        #expect(c.guesses.isEmpty)
        let d = try await store.shareGuesses(
            [], instance: "D", now: 1_003 + SharedStateRules.guessMemory + 2, after: 0)
        #expect(d.guesses == [g1], "only C's recent guess is left")
    }

    @Test(
        "a guess without instance, throttle or address is refused and nothing is stored",
        arguments: StoreKind.allCases)
    func guessRefusals(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        let good = SharedGuess(throttle: "t", address: "a", target: nil)
        await #expect(throws: StoreError.self) {
            try await store.shareGuesses([good], instance: "", now: 1, after: 0)
        }
        await #expect(throws: StoreError.self) {
            try await store.shareGuesses(
                [good, SharedGuess(throttle: "t", address: "", target: nil)], instance: "A", now: 1, after: 0)
        }
        #expect(try await store.shareGuesses([], instance: "B", now: 2, after: 0).guesses.isEmpty)
    }
}
