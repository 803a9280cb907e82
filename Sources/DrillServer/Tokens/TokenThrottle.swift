import Synchronization

/// Slows down token guessing: after `freeMisses` unknown tokens from one address, each further
/// miss blocks that address for a delay that doubles (up to `maxDelay`); while blocked, every
/// private-feed request from it is answered 429 without looking at the token. An address whose
/// last miss is older than `window` starts afresh. The table is bounded: when full, stale
/// addresses go first, then the longest quiet ones.
public final class TokenThrottle: Sendable {
    /// The limits.
    public struct Policy: Sendable {
        /// Misses allowed before delays start.
        public var freeMisses: Int = 5
        /// Seconds without a miss after which an address is forgiven.
        public var window: Double = 60
        /// First delay, seconds.
        public var baseDelay: Double = 1
        /// Longest delay, seconds.
        public var maxDelay: Double = 300
        /// Addresses remembered at most.
        public var maxAddresses: Int = 10_000

        /// The defaults: 5 misses a minute, then 1 s, 2 s, 4 s … up to 5 minutes.
        public init() {}
    }

    private struct Entry {
        var misses = 0
        var lastMiss: Double = 0
        var delay: Double = 0
        var blockedUntil: Double = 0
    }

    /// The limits in force.
    public let policy: Policy
    private let clock: @Sendable () -> Double
    private let table = Mutex<[String: Entry]>([:])

    /// Makes a throttle.
    /// - Parameters:
    ///   - policy: the limits.
    ///   - clock: monotonic seconds; tests pass their own.
    public init(policy: Policy = Policy(), clock: (@Sendable () -> Double)? = nil) {
        self.policy = policy
        if let clock {
            self.clock = clock
        } else {
            let origin = ContinuousClock.now
            self.clock = {
                let d = ContinuousClock.now - origin
                return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            }
        }
    }

    /// Seconds the address must still wait, or nil when it may try a token now.
    public func retryAfter(_ address: String) -> Double? {
        let now = clock()
        return table.withLock { table in
            guard let entry = table[address], entry.blockedUntil > now else { return nil }
            return entry.blockedUntil - now
        }
    }

    /// Counts an unknown or revoked token from `address`.
    public func recordMiss(_ address: String) {
        let now = clock()
        let policy = self.policy
        table.withLock { table in
            if table[address] == nil && table.count >= policy.maxAddresses {
                Self.evict(&table, now: now, policy: policy)
            }
            var entry = table[address] ?? Entry()
            if entry.misses > 0 && now - entry.lastMiss > policy.window { entry = Entry() }
            entry.misses += 1
            entry.lastMiss = now
            if entry.misses > policy.freeMisses {
                entry.delay = entry.delay == 0 ? policy.baseDelay : min(entry.delay * 2, policy.maxDelay)
                entry.blockedUntil = now + entry.delay
            }
            table[address] = entry
        }
    }

    /// Addresses currently remembered (for tests and diagnostics).
    public var trackedAddresses: Int { table.withLock { $0.count } }

    private static func evict(_ table: inout [String: Entry], now: Double, policy: Policy) {
        table = table.filter { now - $0.value.lastMiss <= policy.window || $0.value.blockedUntil > now }
        guard table.count >= policy.maxAddresses else { return }
        // Still full of active addresses: forget the quieter half rather than grow.
        let keep = table.sorted { $0.value.lastMiss > $1.value.lastMiss }.prefix(policy.maxAddresses / 2)
        table = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
