/// A calendar date (Gregorian), as written in DATE values such as `20270102`.
public struct ICalDate: Hashable, Sendable, Comparable {
    /// The year, e.g. 2027.
    public var year: Int
    /// The month, 1 (January) to 12 (December).
    public var month: Int
    /// The day of the month, 1 to 31.
    public var day: Int

    /// Creates a date; no validation happens here, writers and parsers check ranges.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Orders dates chronologically.
    public static func < (lhs: ICalDate, rhs: ICalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// True for a real Gregorian date in years 1...9999 (no month 13, no February 30).
    var isValid: Bool {
        (1...9999).contains(year) && (1...12).contains(month)
            && (1...Self.daysIn(month: month, year: year)).contains(day)
    }

    /// `2027-01-02`, for messages.
    var isoText: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
