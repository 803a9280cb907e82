import Synchronization

/// Holds guessers of secrets (feed tokens, drill-leader codes, phone digits) to a few guesses and
/// then, block after escalating block, to about one guess per `maxDelay`, per address **and** per
/// target, however many requests they send at once.
///
/// Every guess is reserved before anything is awaited (`reserve` is synchronous, under one lock) and
/// settled afterwards: `settle(.miss)` counts it, `settle(.hit)` refunds it. While guesses are in
/// flight they count against the allowance, so 256 parallel wrong guesses from one address get at
/// most `freeMisses` checked; the rest are refused without touching the store.
///
/// Escalation (per key): the first `freeMisses` misses are free; every further miss blocks the key
/// for `baseDelay` · 2^n seconds (1 s, 2 s, 4 s … capped at `maxDelay`, 5 minutes), and after the
/// first block only one guess at a time is let through. Nothing resets while the key is
/// remembered: a key is forgotten only `memory` seconds (a day) after its last miss, so a serial
/// prober converges to one guess per 5 minutes (≈ 300 a day) instead of getting fresh guesses
/// whenever a block ends.
///
/// Targets (the token space, a session's leader code, a session's self check-in) have their own
/// escalation with a larger allowance. A blocked target refuses only addresses that already missed:
/// one guesser (or a few) cannot lock every member or leader out, yet spreading guesses over
/// targets or hiding behind a shared target does not buy more of them, since the address key
/// counts every guess whatever its target.
///
/// ```swift
/// let throttle = GuessThrottle()
/// switch throttle.reserve(address: ip, target: "code|\(uid)") {
/// case .refused(let wait): return tooMany(retryAfter: wait)
/// case .granted(let ticket):
///     let ok = try await store.check(code)          // the await comes after the reservation
///     throttle.settle(ticket, ok ? .hit : .miss)
/// }
/// ```
public final class GuessThrottle: Sendable {
    /// Limits of one kind of key.
    public struct Limits: Sendable, Hashable {
        /// Misses allowed before the first block.
        public var freeMisses: Int
        /// First block, seconds.
        public var baseDelay: Double
        /// Longest block, seconds.
        public var maxDelay: Double

        /// Makes limits.
        public init(freeMisses: Int, baseDelay: Double = 1, maxDelay: Double = 300) {
            self.freeMisses = freeMisses
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }
    }

    /// The limits.
    public struct Policy: Sendable, Hashable {
        /// Per client address (all targets together).
        public var address = Limits(freeMisses: 5)
        /// Per target (every address together).
        public var target = Limits(freeMisses: 50)
        /// Seconds after its last miss that a key is forgotten (its escalation included).
        public var memory: Double = 86_400
        /// Keys remembered at most; when full, forgotten keys go first, then the longest quiet.
        public var maxKeys: Int = 20_000
        /// Seconds a secret that was right stays known: repeating it (a calendar app polling its
        /// feed, an app sending the leader code with every request) is not a guess and passes
        /// without a reservation, so legitimate parallel requests are not refused.
        public var knownFor: Double = 3_600

        /// The defaults: 5 misses per address and 50 per target, then 1 s, 2 s … 5 min, for a day.
        public init() {}

        /// Policy with `freeMisses` per address and `targetFreeMisses` per target.
        public init(freeMisses: Int, targetFreeMisses: Int) {
            address.freeMisses = freeMisses
            target.freeMisses = targetFreeMisses
        }
    }

    /// A reserved guess, to settle once its answer is known.
    public struct Ticket: Sendable {
        let address: String
        let target: String?
        /// The digest of the secret tried, remembered as right after a hit.
        let secret: String?
        /// Whether the secret was known right, so nothing was reserved.
        let known: Bool
    }

    /// What `reserve` decided.
    public enum Decision: Sendable {
        /// Check the guess, then `settle` the ticket.
        case granted(Ticket)
        /// Do not check it; tell the client to wait this many seconds.
        case refused(retryAfter: Double)
    }

    /// How a guess turned out.
    public enum Outcome: Sendable {
        /// Right: the reservation is refunded.
        case hit
        /// Wrong: counted, and may start a block.
        case miss
        /// Not decided (the store failed): refunded without counting either way.
        case undecided
    }

    private struct Entry {
        var misses = 0
        var inFlight = 0
        var blocks = 0
        var blockedUntil: Double = 0
        var lastMiss: Double = -.infinity

        func blockWait(_ now: Double) -> Double? { blockedUntil > now ? blockedUntil - now : nil }
        var hasMissed: Bool { misses > 0 }

        /// Counts a miss: past the free ones, each starts a block twice as long as the last.
        mutating func miss(limits: Limits, now: Double) {
            misses += 1
            lastMiss = now
            if misses >= limits.freeMisses {
                let delay = min(limits.baseDelay * Double(1 << min(blocks, 30)), limits.maxDelay)
                blockedUntil = max(blockedUntil, now + delay)
                blocks += 1
            }
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Digests of secrets that were right lately, with when: not guesses, so not throttled.
        var known: [String: Double] = [:]
        /// Guesses the store actually checked (granted and settled hit or miss): for tests.
        var checked = 0
    }

    /// The limits in force.
    public let policy: Policy
    private let clock: @Sendable () -> Double
    private let state = Mutex(State())
    /// Where misses go to be shared with other servers, and this throttle's name there.
    private let shared: (ledger: ThrottleLedger, name: String)?

    /// Makes a throttle.
    /// - Parameters:
    ///   - policy: the limits.
    ///   - clock: monotonic seconds; tests pass a simulated one.
    ///   - ledger: when several servers share a store, the ledger that passes this throttle's misses
    ///     to the others and theirs to it (`ThrottleLedger`); registered there under `name`.
    public init(
        policy: Policy = Policy(), clock: (@Sendable () -> Double)? = nil, ledger: ThrottleLedger? = nil,
        name: String = ""
    ) {
        self.policy = policy
        self.clock = clock ?? Self.monotonicSeconds()
        shared = ledger.map { ($0, name) }
        ledger?.register(self, as: name)
    }

    /// Seconds since an arbitrary start, from the monotonic clock.
    public static func monotonicSeconds() -> @Sendable () -> Double {
        let origin = ContinuousClock.now
        return {
            let d = ContinuousClock.now - origin
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
    }

    /// Reserves one guess from `address` at `target` (nil: the address alone), or refuses it.
    /// Synchronous: call it before any `await` of the request that checks the guess.
    /// - Parameter secret: a digest of the secret tried (never the secret): one that was right in
    ///   the last `knownFor` seconds is let through without counting.
    public func reserve(address: String, target: String?, secret: String? = nil) -> Decision {
        let now = clock()
        let policy = self.policy
        return state.withLock { state in
            let addressKey = "a|" + address
            let targetKey = target.map { "t|" + $0 }
            if let secret, let since = state.known[secret], now - since <= policy.knownFor {
                return .granted(Ticket(address: addressKey, target: targetKey, secret: secret, known: true))
            }
            if state.entries.count >= policy.maxKeys { Self.evict(&state.entries, now: now, policy: policy) }
            var a = Self.live(state.entries[addressKey], now: now, policy: policy)
            if let wait = a.blockWait(now) { return .refused(retryAfter: wait) }
            // Guesses in flight count against the allowance; after the first block, one at a time.
            let allowance = a.blocks == 0 ? policy.address.freeMisses : a.misses + 1
            if a.misses + a.inFlight >= allowance { return .refused(retryAfter: policy.address.baseDelay) }
            if let targetKey {
                let t = Self.live(state.entries[targetKey], now: now, policy: policy)
                if let wait = t.blockWait(now), a.hasMissed { return .refused(retryAfter: wait) }
                var reserved = t
                reserved.inFlight += 1
                state.entries[targetKey] = reserved
            }
            a.inFlight += 1
            state.entries[addressKey] = a
            return .granted(Ticket(address: addressKey, target: targetKey, secret: secret, known: false))
        }
    }

    /// Settles a reserved guess.
    public func settle(_ ticket: Ticket, _ outcome: Outcome) {
        let now = clock()
        let policy = self.policy
        state.withLock { state in
            if outcome != .undecided { state.checked += 1 }
            if let secret = ticket.secret {
                switch outcome {
                case .hit:
                    if state.known.count >= policy.maxKeys {
                        state.known = state.known.filter { now - $0.value <= policy.knownFor }
                        if state.known.count >= policy.maxKeys { state.known = [:] }
                    }
                    if !ticket.known { state.known[secret] = now }
                case .miss: state.known[secret] = nil  // revoked since
                case .undecided: break
                }
            }
            if ticket.known { return }
            Self.settle(&state.entries, key: ticket.address, outcome, limits: policy.address, now: now)
            if let target = ticket.target {
                Self.settle(&state.entries, key: target, outcome, limits: policy.target, now: now)
            }
        }
        if outcome == .miss, !ticket.known, let shared {
            shared.ledger.noteMiss(
                throttle: shared.name, address: String(ticket.address.dropFirst(2)),
                target: ticket.target.map { String($0.dropFirst(2)) })
        }
    }

    /// Counts a miss another server saw (from `ThrottleLedger.absorb`), as if it had been settled
    /// here: it escalates the address and the target the same way, so a guesser gains nothing by
    /// spreading guesses over servers.
    public func absorbMiss(address: String, target: String?) {
        let now = clock()
        let policy = self.policy
        state.withLock { state in
            Self.countMiss(&state.entries, key: "a|" + address, limits: policy.address, now: now, policy: policy)
            if let target {
                Self.countMiss(&state.entries, key: "t|" + target, limits: policy.target, now: now, policy: policy)
            }
        }
    }

    private static func countMiss(
        _ entries: inout [String: Entry], key: String, limits: Limits, now: Double, policy: Policy
    ) {
        if entries[key] == nil, entries.count >= policy.maxKeys { evict(&entries, now: now, policy: policy) }
        var entry = live(entries[key], now: now, policy: policy)
        entry.miss(limits: limits, now: now)
        entries[key] = entry
    }

    /// Seconds `address` must still wait before any guess, or nil.
    public func retryAfter(address: String) -> Double? {
        let now = clock()
        return state.withLock { $0.entries["a|" + address]?.blockWait(now) }
    }

    /// Guesses settled as hit or miss so far: how many the store was asked to check.
    public var checkedGuesses: Int { state.withLock { $0.checked } }

    /// Keys currently remembered (addresses and targets).
    public var trackedKeys: Int { state.withLock { $0.entries.count } }

    private static func settle(
        _ entries: inout [String: Entry], key: String, _ outcome: Outcome, limits: Limits, now: Double
    ) {
        guard var entry = entries[key] else { return }
        entry.inFlight = max(0, entry.inFlight - 1)
        if outcome == .miss { entry.miss(limits: limits, now: now) }
        // A key that never missed keeps nothing worth remembering.
        if entry.inFlight == 0, entry.misses == 0, entry.blocks == 0 {
            entries[key] = nil
        } else {
            entries[key] = entry
        }
    }

    /// The entry, or a fresh one when it was forgotten (a day after its last miss, not blocked).
    private static func live(_ entry: Entry?, now: Double, policy: Policy) -> Entry {
        guard let entry else { return Entry() }
        if entry.inFlight == 0, entry.blockedUntil <= now, now - entry.lastMiss > policy.memory {
            return Entry()
        }
        return entry
    }

    private static func evict(_ entries: inout [String: Entry], now: Double, policy: Policy) {
        entries = entries.filter {
            $0.value.inFlight > 0 || $0.value.blockedUntil > now || now - $0.value.lastMiss <= policy.memory
        }
        guard entries.count >= policy.maxKeys else { return }
        // Still full of remembered keys: forget the quieter half rather than grow without bound.
        let keep = entries.sorted {
            ($0.value.inFlight, $0.value.lastMiss) > ($1.value.inFlight, $1.value.lastMiss)
        }
        .prefix(policy.maxKeys / 2)
        entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
