/// An inclusive range of civil dates, `from` through `to`.
public struct DateRange: Hashable, Sendable, Codable, CustomStringConvertible {
    /// First day.
    public var from: CivilDate
    /// Last day (inclusive).
    public var to: CivilDate

    /// Makes a range; `from` must not be after `to`.
    public init(from: CivilDate, to: CivilDate) {
        precondition(from <= to, "DateRange from \(from) is after to \(to)")
        self.from = from
        self.to = to
    }

    /// Whether `date` lies in the range.
    public func contains(_ date: CivilDate) -> Bool { from <= date && date <= to }

    /// Number of days in the range.
    public var dayCount: Int { from.days(to: to) + 1 }

    /// The overlap of two ranges, nil when they do not meet.
    public func clamped(to other: DateRange) -> DateRange? {
        let lo = max(from, other.from)
        let hi = min(to, other.to)
        return lo <= hi ? DateRange(from: lo, to: hi) : nil
    }

    /// Every day of the range in order.
    public var days: [CivilDate] { (from.dayNumber...to.dayNumber).map(CivilDate.init(dayNumber:)) }

    public var description: String { from == to ? from.description : "\(from)..\(to)" }
}

/// A day of the year without a year (`MM-DD`), for seasons and anchors that recur every year.
public struct MonthDay: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Month, 1-12.
    public var month: Int
    /// Day of month.
    public var day: Int

    /// Makes a month-day; nil if no year has such a day (02-30). 02-29 is allowed.
    public init?(month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: 2000) else {
            return nil
        }
        self.month = month
        self.day = day
    }

    /// Parses `MM-DD`.
    public init?(text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let m = Int(parts[0]), let d = Int(parts[1])
        else { return nil }
        self.init(month: m, day: d)
    }

    /// This month-day in `year` (02-29 falls back to 02-28 in common years).
    public func date(in year: Int) -> CivilDate {
        CivilDate(year: year, month: month, day: min(day, CivilDate.daysIn(month: month, year: year)))!
    }

    public var description: String { "\(CivilDate.pad(month))-\(CivilDate.pad(day))" }
}

/// A period of the year given as month-days (`from` may be later than `to`: it wraps over New Year).
public struct AnnualPeriod: Hashable, Sendable, Codable {
    /// First day.
    public var from: MonthDay
    /// Last day (inclusive).
    public var to: MonthDay

    /// Makes a period.
    public init(from: MonthDay, to: MonthDay) {
        self.from = from
        self.to = to
    }

    /// The parts of this period that fall in `year`, in date order (one, or two when it wraps).
    public func ranges(in year: Int) -> [DateRange] {
        let start = from.date(in: year)
        let end = to.date(in: year)
        if start <= end { return [DateRange(from: start, to: end)] }
        let jan1 = CivilDate(year: year, month: 1, day: 1)!
        let dec31 = CivilDate(year: year, month: 12, day: 31)!
        return [DateRange(from: jan1, to: end), DateRange(from: start, to: dec31)]
    }
}
