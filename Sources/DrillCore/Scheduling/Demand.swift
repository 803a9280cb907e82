/// One session a rule asks for, before it has a date: the unit the scheduler places.
public struct Demand: Hashable, Sendable, Codable {
    /// The rule.
    public var ruleID: String
    /// Teams that attend together (one for an ordinary session, several for a joint one, none for a deadline).
    public var teamIDs: [String]
    /// 1-based position of this demand among the rule's demands for the same team (or joint group).
    public var ordinal: Int
    /// The stable UID of the session this demand becomes.
    public var uid: String
    /// The days the session may fall on, in order.
    public var allowed: [DateRange]
    /// The day it should ideally fall on.
    public var target: CivilDate

    /// First to last allowed day.
    public var envelope: DateRange { DateRange(from: allowed.first!.from, to: allowed.last!.to) }

    /// Number of allowed days.
    public var allowedDayCount: Int { allowed.reduce(0) { $0 + $1.dayCount } }

    /// The UID of a session: town, year, rule, team (or `joint`, `station`) and ordinal, never the date,
    /// so that a moved session stays the same event for subscribers.
    public static func uid(town: String, year: Int, rule: String, teamKey: String, ordinal: Int) -> String {
        let n = ordinal < 10 ? "0\(ordinal)" : "\(ordinal)"
        return "\(town)-\(year)-\(rule)-\(teamKey)-\(n)@drillcal"
    }
}
