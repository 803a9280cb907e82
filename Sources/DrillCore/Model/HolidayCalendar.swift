/// Statutory holidays and swapped working days (调休) for one or more years, as the State Council
/// announces them. They cannot be computed, so they are data (calendars/holidays/YYYY.yaml).
public struct HolidayCalendar: Hashable, Sendable, Codable {
    /// A holiday period.
    public struct Holiday: Hashable, Sendable, Codable {
        /// Chinese name (春节).
        public var name: String
        /// Days off, inclusive.
        public var range: DateRange

        /// Makes a holiday.
        public init(name: String, range: DateRange) {
            self.name = name
            self.range = range
        }
    }

    /// Holiday periods.
    public var holidays: [Holiday]
    /// Weekend days that are working days because of a swap (调休上班).
    public var swappedWorkdays: Set<CivilDate>
    /// Years the data covers; a plan for another year is an input error.
    public var years: Set<Int>

    /// Makes a holiday calendar.
    public init(holidays: [Holiday] = [], swappedWorkdays: Set<CivilDate> = [], years: Set<Int> = []) {
        self.holidays = holidays
        self.swappedWorkdays = swappedWorkdays
        self.years = years
    }

    /// The holiday covering `date`, if any.
    public func holiday(on date: CivilDate) -> Holiday? {
        holidays.first { $0.range.contains(date) }
    }

    /// Whether `date` is a working day: a weekday that is no holiday, or a swapped working day.
    public func isWorkingDay(_ date: CivilDate) -> Bool {
        if swappedWorkdays.contains(date) { return true }
        if holiday(on: date) != nil { return false }
        return !date.weekday.isWeekend
    }
}
