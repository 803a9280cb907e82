import Synchronization

/// Passes wrong guesses between the `GuessThrottle`s of several servers that share one database, so
/// spreading guesses over servers buys no more of them and a restarted server remembers the day's.
///
/// Each throttle registers under a name and reports its misses here (`noteMiss`); a sync task in
/// the server (`ThrottleSync`) periodically `drain`s them into the store and `absorb`s what the
/// other servers stored. The request path never waits for the database: a guess is checked against
/// this server's throttle at once, and other servers' misses arrive within one sync interval.
///
/// ```swift
/// let ledger = ThrottleLedger()
/// let codes = GuessThrottle(policy: policy, ledger: ledger, name: "code")
/// // every second: let mine = ledger.drain(); store them; ledger.absorb(theirs)
/// ```
public final class ThrottleLedger: Sendable {
    /// One miss to share: which throttle, from which address, at which target.
    public struct Miss: Sendable, Hashable {
        public var throttle: String
        public var address: String
        public var target: String?

        /// Makes a miss.
        public init(throttle: String, address: String, target: String?) {
            self.throttle = throttle
            self.address = address
            self.target = target
        }
    }

    private struct State {
        var throttles: [String: GuessThrottle] = [:]
        var pending: [Miss] = []
        var dropped = 0
    }

    /// Misses kept for the next drain at most (a flood while the database is away must not grow
    /// memory without bound; the local throttle still counts every one).
    public let capacity: Int
    private let state = Mutex(State())

    /// Makes an empty ledger.
    public init(capacity: Int = 100_000) { self.capacity = capacity }

    /// Registers a throttle under a name (done by `GuessThrottle.init`). Names must be unique.
    func register(_ throttle: GuessThrottle, as name: String) {
        state.withLock { state in
            precondition(state.throttles[name] == nil, "two throttles registered as \(name)")
            state.throttles[name] = throttle
        }
    }

    /// Records a miss of this server's throttle, for the next drain.
    func noteMiss(throttle: String, address: String, target: String?) {
        state.withLock { state in
            guard state.pending.count < capacity else {
                state.dropped += 1
                return
            }
            state.pending.append(Miss(throttle: throttle, address: address, target: target))
        }
    }

    /// The misses noted since the last drain, oldest first; the ledger forgets them.
    public func drain() -> [Miss] {
        state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
    }

    /// Puts misses back at the front (their store write failed), to be sent with the next drain.
    public func restore(_ misses: [Miss]) {
        state.withLock { state in
            state.pending = Array((misses + state.pending).prefix(capacity))
        }
    }

    /// Counts other servers' misses in this server's throttles. Misses of a throttle this server
    /// does not run are ignored.
    public func absorb(_ misses: [Miss]) {
        let throttles = state.withLock { $0.throttles }
        for miss in misses {
            throttles[miss.throttle]?.absorbMiss(address: miss.address, target: miss.target)
        }
    }

    /// Names of the registered throttles.
    public var names: [String] { state.withLock { $0.throttles.keys.sorted() } }

    /// Misses not kept because the ledger was full.
    public var dropped: Int { state.withLock { $0.dropped } }
}
