import DrillCore
import ICal

/// The live `RecurrenceExpander`: RRULEs expanded by libical, with the rules libical accepts
/// wrongly rejected first (see `RecurrenceRule.problem(with:)`).
public struct LibicalRecurrence: RecurrenceExpander {
    /// Makes the expander.
    public init() {}

    public func problem(with rule: String) -> String? { RecurrenceRule.problem(with: rule) }

    public func dates(of rule: String, from start: CivilDate, through end: CivilDate) throws -> [CivilDate] {
        try RecurrenceRule.dates(of: rule, start: start.ical, through: end.ical).map {
            CivilDate(year: $0.year, month: $0.month, day: $0.day)!
        }
    }
}

extension CivilDate {
    /// The same day as libical's value type.
    var ical: ICalDate { ICalDate(year: year, month: month, day: day) }
}
