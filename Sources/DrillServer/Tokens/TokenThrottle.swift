import DrillWeb

/// The private-feed token throttle: a `GuessThrottle` keyed per client address and on the whole
/// token space as one target. A wrong token is a guess like a wrong leader code, so it escalates
/// the same way (5 free misses, then 1 s, 2 s … 5 min, remembered for a day).
public typealias TokenThrottle = GuessThrottle

extension GuessThrottle {
    /// The target every token guess is counted against: one guess is a try at every member's link.
    static let tokenSpace = "feed-tokens"
}
