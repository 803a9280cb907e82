import Synchronization
import Testing

@testable import DrillWeb

/// Two servers' throttles joined through their ledgers, as `ThrottleSync` joins them through the store.
@Suite("Throttle ledger")
struct ThrottleLedgerTests {
    /// A clock tests move by hand.
    final class TestClock: Sendable {
        let seconds = Mutex<Double>(0)
        var read: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
    }

    static func guessWrong(_ throttle: GuessThrottle, address: String, target: String?) -> Bool {
        guard case .granted(let ticket) = throttle.reserve(address: address, target: target) else {
            return false
        }
        throttle.settle(ticket, .miss)
        return true
    }

    @Test("misses on one server block the same address on the other once exchanged")
    func sharedMissesBlock() {
        let clock = TestClock()
        let policy = GuessThrottle.Policy(freeMisses: 5, targetFreeMisses: 50)
        let ledgerA = ThrottleLedger(), ledgerB = ThrottleLedger()
        let a = GuessThrottle(policy: policy, clock: clock.read, ledger: ledgerA, name: "code")
        let b = GuessThrottle(policy: policy, clock: clock.read, ledger: ledgerB, name: "code")
        // Three wrong guesses on each server: neither is blocked alone (5 free).
        for _ in 0..<3 {
            #expect(Self.guessWrong(a, address: "1.2.3.4", target: "s1"))
            #expect(Self.guessWrong(b, address: "1.2.3.4", target: "s1"))
        }
        #expect(a.retryAfter(address: "1.2.3.4") == nil && b.retryAfter(address: "1.2.3.4") == nil)
        // Exchange: each counts the other's three; six misses, past the five free ones.
        let fromA = ledgerA.drain(), fromB = ledgerB.drain()
        #expect(
            fromA == Array(repeating: .init(throttle: "code", address: "1.2.3.4", target: "s1"), count: 3))
        ledgerB.absorb(fromA)
        ledgerA.absorb(fromB)
        #expect(a.retryAfter(address: "1.2.3.4") != nil)
        #expect(b.retryAfter(address: "1.2.3.4") != nil)
        guard case .refused = b.reserve(address: "1.2.3.4", target: "s1") else {
            Issue.record("the other server's misses did not count")
            return
        }
        // Absorbed misses are not passed on again, and another address is untouched.
        #expect(ledgerA.drain().isEmpty && ledgerB.drain().isEmpty)
        #expect(Self.guessWrong(b, address: "5.6.7.8", target: "s1"))
    }

    @Test("hits and known secrets are not shared; misses of throttles the server lacks are ignored")
    func onlyMissesOfKnownThrottles() {
        let ledger = ThrottleLedger()
        let a = GuessThrottle(policy: .init(), ledger: ledger, name: "code")
        guard case .granted(let hit) = a.reserve(address: "1.1.1.1", target: nil, secret: "s") else {
            Issue.record("first guess refused")
            return
        }
        a.settle(hit, .hit)
        guard case .granted(let known) = a.reserve(address: "1.1.1.1", target: nil, secret: "s") else {
            Issue.record("known secret refused")
            return
        }
        a.settle(known, .miss)
        #expect(ledger.drain().isEmpty, "a hit, and a known secret revoked since, are not guesses to share")
        ledger.absorb([.init(throttle: "no-such", address: "1.1.1.1", target: nil)])
        #expect(a.trackedKeys == 0)
        #expect(ledger.names == ["code"])
    }

    @Test("a full ledger keeps its capacity and counts the rest as dropped; restored misses go first")
    func capacity() {
        let ledger = ThrottleLedger(capacity: 2)
        let a = GuessThrottle(
            policy: .init(freeMisses: 100, targetFreeMisses: 100), ledger: ledger, name: "t")
        for i in 0..<3 { #expect(Self.guessWrong(a, address: "10.0.0.\(i)", target: nil)) }
        #expect(ledger.dropped == 1)
        let first = ledger.drain()
        #expect(first.map(\.address) == ["10.0.0.0", "10.0.0.1"])
        #expect(Self.guessWrong(a, address: "10.0.0.9", target: nil))
        ledger.restore(first)
        #expect(ledger.drain().map(\.address) == ["10.0.0.0", "10.0.0.1"], "capacity holds after a restore")
    }
}

@Suite("Hex")
struct HexTests {
    @Test("lowercase, two digits per byte, every byte value")
    func digits() {
        #expect(Hex.lower([]) == "")
        #expect(Hex.lower([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        let all = (0...255).map { UInt8($0) }
        #expect(Hex.lower(all) == all.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined())
    }

    @Test("raw memory and sequences without contiguous storage give the same text")
    func everyInput() {
        let all = (0...255).map { UInt8($0) }
        let expected = Hex.lower(all)
        #expect(all.withUnsafeBytes { Hex.lower($0) } == expected)
        #expect(Hex.lower((0...255).lazy.map { UInt8($0) }) == expected, "a lazy sequence")
        #expect(Hex.lower(all[16...]) == String(expected.dropFirst(32)), "a slice")
    }
}
