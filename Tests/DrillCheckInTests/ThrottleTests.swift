import DrillCheckIn
import DrillCore
import DrillStore
import DrillWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import StoreDoubles
import Synchronization
import Testing

/// The guess throttles hold under concurrency and over time: counted before any await, escalating
/// without reset, per address and per session. Clocks are simulated; nothing sleeps.
@Suite("Guess throttles")
struct ThrottleTests {
    typealias F = CheckInFixture

    static func countingStore() async throws -> CountingStore {
        let store = CountingStore()
        try await store.publish(sessions: [F.session], rosters: [F.uid: F.roster])
        try await store.issueLeaderCode(
            session: F.uid, hash: try await F.codeHash(F.code, store), by: "站长", at: 1)
        return store
    }

    @Test("256 parallel wrong leader codes from one address: at most the limit reach the store")
    func parallelCodes() async throws {
        let store = try await Self.countingStore()
        let frozen: @Sendable () -> Double = { 1_000 }
        try await F.app(store: store, options: { $0.throttleClock = frozen }).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<256 {
                    group.addTask {
                        let guess = String(format: "%04d", i).map { $0 == "0" ? "2" : $0 == "1" ? "3" : $0 }
                        return try await client.execute(
                            uri: F.apiPath + "/marks", method: .post,
                            headers: [
                                .authorization: "Bearer ABCD-EFGH-\(String(guess))",
                                .contentType: "application/json",
                            ],
                            body: marksBody([("m1", "present", "p-\(i)")])
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            let limit = CheckInOptions().maxFailedAttempts * 2
            #expect(store.codeLookups.load(ordering: .relaxed) <= limit)
            #expect(statuses.filter { $0 == .unauthorized }.count <= limit)
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 256 - limit)
        }
        #expect(try await store.allMarks().isEmpty)
    }

    @Test("256 parallel wrong phone digits from one address: at most the limit checked")
    func parallelSelfCheckIn() async throws {
        let store = try await Self.countingStore()
        let frozen: @Sendable () -> Double = { 1_000 }
        let app = F.app(store: store, options: { $0.throttleClock = frozen })
        let token = try await F.app(store: store).test(.router) { client in
            try await SelfCheckInTests.token(client)
        }
        store.rosterReads.store(0, ordering: .relaxed)  // the leader's page read it; count the guesses only
        try await app.test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<256 {
                    group.addTask {
                        _ = try await SelfCheckInTests.checkIn(
                            client, token: token, member: "m1", digits: String(format: "%04d", 2000 + i))
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(store.rosterReads.load(ordering: .relaxed) <= CheckInOptions().maxFailedAttempts)
        #expect(try await store.allMarks().isEmpty)
    }

    @Test("a serial prober over 24 simulated hours gets about 300 checked guesses, not thousands")
    func serialProber() async throws {
        let store = try await Self.countingStore()
        let now = Mutex<Double>(0)
        let clock: @Sendable () -> Double = { now.withLock { $0 } }
        try await F.app(store: store, options: { $0.throttleClock = clock }).test(.router) { client in
            var requests = 0
            while clock() < 86_400 {
                let response = try await client.execute(
                    uri: F.apiPath + "/marks", method: .post,
                    headers: [.authorization: "Bearer ABCD-EFGH-2345", .contentType: "application/json"],
                    body: marksBody([("m1", "present", "s-\(requests)")]))
                requests += 1
                // Back off exactly as told (or a second after a checked miss): the fastest legal prober.
                let wait = Double(response.headers[.retryAfter] ?? "") ?? 1
                #expect(response.status == .unauthorized || response.status == .tooManyRequests)
                now.withLock { $0 += max(wait, 1) }
            }
        }
        let checked = store.codeLookups.load(ordering: .relaxed)
        // 10 free, then 1 s, 2 s … 256 s (9 guesses in 511 s), then one per 300 s: ≈ 306.
        #expect(checked <= 310, "checked \(checked)")
        #expect(checked >= 250, "the prober is slowed, not locked out for good: \(checked)")
    }

    @Test("blocks escalate 1, 2, 4 … 300 s and are not forgotten within a day")
    func escalation() {
        let now = Mutex<Double>(0)
        let throttle = GuessThrottle(
            policy: GuessThrottle.Policy(freeMisses: 3, targetFreeMisses: 1_000),
            clock: { now.withLock { $0 } })
        var waits: [Double] = []
        for _ in 0..<14 {
            guard case .granted(let ticket) = throttle.reserve(address: "a", target: "s") else {
                Issue.record("refused while not blocked")
                return
            }
            throttle.settle(ticket, .miss)
            let wait = throttle.retryAfter(address: "a") ?? 0
            waits.append(wait)
            now.withLock { $0 += wait + 61 }  // more than the old 60 s "forgiving" window
        }
        #expect(waits == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300])
        now.withLock { $0 += 86_401 }
        guard case .granted(let ticket) = throttle.reserve(address: "a", target: "s") else {
            Issue.record("a day later the address starts afresh")
            return
        }
        throttle.settle(ticket, .miss)
        #expect(throttle.retryAfter(address: "a") == nil)
    }

    @Test("a right guess is refunded; a secret known right passes while guesses are in flight")
    func refunds() {
        let throttle = GuessThrottle(
            policy: GuessThrottle.Policy(freeMisses: 2, targetFreeMisses: 100), clock: { 5 })
        for _ in 0..<10 {
            guard case .granted(let ticket) = throttle.reserve(address: "a", target: "t", secret: "good")
            else {
                Issue.record("a right secret was refused")
                return
            }
            throttle.settle(ticket, .hit)
        }
        // Two wrong guesses in flight fill the allowance; the known-right secret still passes.
        guard case .granted(let w1) = throttle.reserve(address: "a", target: "t", secret: "x"),
            case .granted(let w2) = throttle.reserve(address: "a", target: "t", secret: "y")
        else {
            Issue.record("free guesses refused")
            return
        }
        if case .granted = throttle.reserve(address: "a", target: "t", secret: "z") {
            Issue.record("a third guess passed while two were in flight")
        }
        guard case .granted(let known) = throttle.reserve(address: "a", target: "t", secret: "good") else {
            Issue.record("the known secret was refused")
            return
        }
        throttle.settle(known, .hit)
        throttle.settle(w1, .miss)
        throttle.settle(w2, .miss)
        #expect(throttle.retryAfter(address: "a") != nil)
        #expect(throttle.checkedGuesses == 13)
    }

    @Test("behind a trusted proxy one guesser is blocked alone; a leader elsewhere still logs in")
    func perAddressBehindProxy() async throws {
        let store = try await Self.countingStore()
        let frozen: @Sendable () -> Double = { 1_000 }
        // Router tests have no socket: the peer is "unknown", trusted here as the proxy.
        let app = F.app(
            store: store,
            options: {
                $0.throttleClock = frozen
                $0.trustedProxies = ["unknown"]
            })
        try await app.test(.router) { client in
            func login(_ code: String, from address: String) async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: F.path + "/login", method: .post,
                    headers: [
                        .origin: F.origin, .contentType: "application/x-www-form-urlencoded",
                        HTTPFields.Element.Name("X-Forwarded-For")!: "\(address), 10.9.9.9",
                    ],
                    body: ByteBuffer(string: "code=\(code)")
                ).status
            }
            // "10.9.9.9" is not trusted, so it is the client; the left entry is the client's own claim.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<40 {
                statuses.append(try await login("ABCD-EFGH-2345", from: "203.0.113.\(statuses.count)"))
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 10, "a forged left entry buys nothing")
            let other = try await client.execute(
                uri: F.path + "/login", method: .post,
                headers: [
                    .origin: F.origin, .contentType: "application/x-www-form-urlencoded",
                    HTTPFields.Element.Name("X-Forwarded-For")!: "10.8.8.8",
                ],
                body: ByteBuffer(string: "code=\(F.code)"))
            #expect(other.status == .seeOther, "another client behind the same proxy is not locked out")
        }
        #expect(store.codeLookups.load(ordering: .relaxed) == 11)
    }

    @Test("X-Forwarded-For counts only from a trusted peer")
    func forwardedFor() {
        #expect(
            ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "203.0.113.7", trusted: ["127.0.0.1"])
                == "203.0.113.7")
        #expect(
            ClientAddress.resolve(peer: "198.51.100.2", forwardedFor: "203.0.113.7", trusted: ["127.0.0.1"])
                == "198.51.100.2")
        #expect(
            ClientAddress.resolve(
                peer: "127.0.0.1", forwardedFor: "1.1.1.1, 203.0.113.7:5555, 127.0.0.1",
                trusted: ["127.0.0.1"])
                == "203.0.113.7")
        #expect(
            ClientAddress.resolve(peer: "::1", forwardedFor: "[2001:db8::1]", trusted: ["::1"])
                == "2001:db8::1")
        #expect(
            ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: nil, trusted: ["127.0.0.1"]) == "127.0.0.1"
        )
    }
}
