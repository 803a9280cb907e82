/// A day of the week, named as RFC 5545 names them (MO…SU).
public enum Weekday: String, CaseIterable, Sendable, Codable, Hashable {
    case monday = "MO", tuesday = "TU", wednesday = "WE", thursday = "TH", friday = "FR"
    case saturday = "SA", sunday = "SU"

    /// Monday is 0, Sunday is 6.
    public init(mondayBasedIndex: Int) { self = Weekday.allCases[mondayBasedIndex] }

    /// Monday is 0, Sunday is 6.
    public var mondayBasedIndex: Int { Weekday.allCases.firstIndex(of: self)! }

    /// Saturday or Sunday.
    public var isWeekend: Bool { self == .saturday || self == .sunday }
}
