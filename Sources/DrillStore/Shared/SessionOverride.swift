import DrillCore

/// A change a person made to one published session by hand (`drillcal move`, `postpone`, `cancel`),
/// with who, when and why. Every later build respects the latest one of each session.
public struct SessionOverride: Hashable, Sendable, Codable {
    /// What was done.
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        /// Moved to another slot (`drillcal move`).
        case move
        /// Postponed to a later slot (`drillcal postpone`).
        case postpone
        /// Cancelled (`drillcal cancel`).
        case cancel
    }

    /// Number in the store (1, 2, …), oldest first; 0 before it is stored.
    public var id: Int
    /// The session.
    public var sessionUID: String
    /// What was done.
    public var action: Action
    /// The new slot (move and postpone); nil for a cancellation.
    public var slot: TimeSlot?
    /// Why (required).
    public var reason: String
    /// Whether it was forced past a hard rule (`--force`).
    public var forced: Bool
    /// Who.
    public var by: String
    /// When, seconds since 1970 UTC.
    public var at: Int

    /// Makes an override.
    public init(
        id: Int = 0, sessionUID: String, action: Action, slot: TimeSlot?, reason: String,
        forced: Bool = false,
        by: String, at: Int
    ) {
        self.id = id
        self.sessionUID = sessionUID
        self.action = action
        self.slot = slot
        self.reason = reason
        self.forced = forced
        self.by = by
        self.at = at
    }
}

/// The checks every store applies to an override, and the short session codes.
public enum OverrideRules {
    /// `.invalid` for an empty reason or who, a move without a slot or a cancellation with one, or a
    /// slot a store cannot hold; `.unknownSession` when `exists` is false.
    public static func check(_ o: SessionOverride, exists: Bool) throws(StoreError) {
        guard exists else { throw .unknownSession(o.sessionUID) }
        guard !o.reason.allSatisfy(\.isWhitespace) else {
            throw .invalid("改期或取消活动 \(o.sessionUID) 须说明原因")
        }
        guard !o.by.allSatisfy(\.isWhitespace) else { throw .invalid("须注明操作人") }
        switch (o.action, o.slot) {
        case (.cancel, nil): break
        case (.move, let s?), (.postpone, let s?):
            guard (0..<1440).contains(s.startMinute), s.endMinute >= s.startMinute else {
                throw .invalid("活动 \(o.sessionUID) 的新时间 \(s.startMinute)–\(s.endMinute) 分钟无效")
            }
        default:
            throw .invalid("活动 \(o.sessionUID)：改期须给出新时间，取消则不应给出")
        }
    }

    /// The short code of the n-th session to get one: S001, S002, … (more digits past 999).
    public static func code(_ n: Int) -> String {
        n < 1000 ? "S" + String(String(n + 1000).dropFirst()) : "S\(n)"
    }

    /// The latest override of each session, by UID.
    public static func latest(_ all: [SessionOverride]) -> [String: SessionOverride] {
        var out: [String: SessionOverride] = [:]
        for o in all.sorted(by: { $0.id < $1.id }) { out[o.sessionUID] = o }
        return out
    }
}
