/// A day on the civil (Gregorian) calendar, with no time zone: the unit every plan rule speaks in.
///
/// Arithmetic runs on a day number (days since 1970-01-01) so that the scheduler never touches
/// `Foundation.Calendar` in its inner loops.
///
/// ```swift
/// let day = CivilDate(year: 2027, month: 5, day: 12)!
/// day.weekday      // .wednesday
/// day.adding(days: 7).description  // "2027-05-19"
/// ```
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dayNumber: Int

    /// Makes a date from a day number (days since 1970-01-01).
    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// Makes a date from its parts; nil when the parts do not name a real day (2027-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else {
            return nil
        }
        self.dayNumber = CivilDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(iso text: Substring) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(iso text: String) { self.init(iso: Substring(text)) }

    /// Year, month and day.
    public var parts: (year: Int, month: Int, day: Int) { CivilDate.civil(fromDays: dayNumber) }
    /// The year.
    public var year: Int { parts.year }
    /// The month, 1-12.
    public var month: Int { parts.month }
    /// The day of the month.
    public var day: Int { parts.day }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday(mondayBasedIndex: ((dayNumber % 7) + 7 + 3) % 7)
    }

    /// This date moved by `days` (negative moves back).
    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Whole days from this date to `other` (positive when `other` is later).
    public func days(to other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// `YYYY-MM-DD`.
    public var description: String {
        let p = parts
        return "\(p.year)-\(CivilDate.pad(p.month))-\(CivilDate.pad(p.day))"
    }

    /// `YYYYMMDD`, the iCalendar DATE form.
    public var compact: String {
        let p = parts
        return "\(p.year)\(CivilDate.pad(p.month))\(CivilDate.pad(p.day))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CivilDate(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM-DD, found \(text)"))
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
