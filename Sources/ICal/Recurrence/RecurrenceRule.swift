import CLibical

/// Checks and expands RRULE values (RFC 5545 §3.3.10) with libical's recurrence iterator.
///
/// ```swift
/// let firstSaturdays = try RecurrenceRule.dates(
///     of: "FREQ=MONTHLY;BYDAY=1SA",
///     start: ICalDate(year: 2027, month: 1, day: 1), through: ICalDate(year: 2027, month: 12, day: 31))
/// ```
public enum RecurrenceRule {
    /// Why a rule cannot be used, or nil when it is acceptable.
    ///
    /// Rejected: text libical cannot parse, control characters, an ordinal BYDAY such as `2MO`
    /// outside FREQ=MONTHLY/YEARLY (libical accepts it and yields wrong dates), and rules libical
    /// parses but cannot iterate (`FREQ=DAILY;BYWEEKNO=3`), and sub-daily FREQ (HOURLY, MINUTELY,
    /// SECONDLY), since drills fall on dates.
    /// - Parameter rule: the RRULE value without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=SA`.
    /// - Returns: a one-line English reason, or nil.
    public static func problem(with rule: String) -> String? {
        switch parse(rule, start: ICalDate(year: 2027, month: 1, day: 1)) {
        case .success: nil
        case .failure(let error): error.message
        }
    }

    /// The dates on which `rule` occurs, from DTSTART `start` (a DATE) through `end` inclusive, in order.
    ///
    /// - Parameters:
    ///   - rule: the RRULE value, e.g. `FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=12`.
    ///   - start: DTSTART; the rule's pattern is anchored here.
    ///   - end: the last date to include.
    ///   - limit: the most dates to return.
    /// - Throws: `.invalidRecurrence` for a rule ``problem(with:)`` rejects; `.invalidValue` for
    ///   impossible dates or more than `limit` occurrences.
    public static func dates(
        of rule: String, start: ICalDate, through end: ICalDate, limit: Int = 5000
    ) throws(ICalError) -> [ICalDate] {
        for (date, name) in [(start, "start"), (end, "end")] where !date.isValid {
            throw ICalError(.invalidValue, message: "expected a real \(name) date, found \(date.isoText)")
        }
        let iteration = try parse(rule, start: start).get()
        var result: [ICalDate] = []
        var stalled = 0
        while true {
            let next = icalrecur_iterator_next(iteration.iterator)
            if icaltime_is_null_time(next) != 0 { break }
            let date = ICalDate(year: Int(next.year), month: Int(next.month), day: Int(next.day))
            if date > end { break }
            // Several occurrences can fall on one day (BYHOUR); keep the list strictly increasing,
            // but stop if libical stops advancing (it repeats one date forever in some cases).
            if date < start || (result.last.map { date <= $0 } ?? false) {
                stalled += 1
                if stalled > 100_000 {
                    throw ICalError(
                        .libraryError, message: "libical stopped advancing at \(date.isoText) for '\(rule)'",
                        property: "RRULE")
                }
                continue
            }
            stalled = 0
            if result.count == limit {
                throw ICalError(
                    .invalidValue,
                    message: "expected at most \(limit) dates from \(start.isoText) to \(end.isoText), "
                        + "found more for '\(rule)'",
                    property: "RRULE")
            }
            result.append(date)
        }
        return result
    }

    private static let dateFrequencies: [icalrecurrencetype_frequency] = [
        ICAL_DAILY_RECURRENCE, ICAL_WEEKLY_RECURRENCE, ICAL_MONTHLY_RECURRENCE, ICAL_YEARLY_RECURRENCE,
    ]

    /// Parses and checks `rule`, returning a ready iterator from `start`.
    private static func parse(_ rule: String, start: ICalDate) -> Result<RuleIteration, ICalError> {
        func failure(_ message: String) -> Result<RuleIteration, ICalError> {
            .failure(ICalError(.invalidRecurrence, message: message, property: "RRULE"))
        }
        ICalLibrary.configure()
        if rule.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return failure(
                "expected a rule on one line, found control characters in '\(ValueCheck.printable(rule))'")
        }
        let shown = ValueCheck.printable(rule)
        // The parse mallocs rscale; the iteration owns and frees it from here on.
        let iteration = RuleIteration(rule: icalrecurrencetype_from_string(rule))
        guard iteration.rule.freq != ICAL_NO_RECURRENCE else {
            return failure("expected a rule such as FREQ=WEEKLY;BYDAY=SA, found '\(shown)'")
        }
        if drillcal_recur_has_ordinal_byday(&iteration.rule) != 0,
            iteration.rule.freq != ICAL_MONTHLY_RECURRENCE, iteration.rule.freq != ICAL_YEARLY_RECURRENCE
        {
            return failure(
                "expected BYDAY with a number (like 2MO) only with FREQ=MONTHLY or FREQ=YEARLY, found '\(shown)'"
            )
        }
        guard dateFrequencies.contains(iteration.rule.freq) else {
            return failure(
                "expected FREQ=DAILY, WEEKLY, MONTHLY or YEARLY (drills fall on dates), found '\(shown)'")
        }
        guard iteration.start(at: start) else {
            return failure("libical cannot expand '\(shown)' (e.g. BYWEEKNO is only valid with FREQ=YEARLY)")
        }
        return .success(iteration)
    }
}

/// Owns a parsed rule's malloc'd `rscale` and its iterator; frees the iterator first, since it
/// copied the rule (and so the `rscale` pointer).
private final class RuleIteration {
    var rule: icalrecurrencetype
    private(set) var iterator: OpaquePointer?

    init(rule: icalrecurrencetype) {
        self.rule = rule
    }

    /// Creates the iterator; false when libical cannot iterate the rule.
    ///
    /// Starts from midnight as a DATE-TIME: with a DATE start, libical 3.0.16 returns the start
    /// date forever for FREQ=DAILY. A DATE UNTIL then becomes the end of that day, so it stays
    /// inclusive as RFC 5545 says.
    func start(at date: ICalDate) -> Bool {
        if rule.until.is_date != 0 {
            rule.until.is_date = 0
            rule.until.hour = 23
            rule.until.minute = 59
            rule.until.second = 59
        }
        iterator = icalrecur_iterator_new(
            rule, LibicalTime.floating(ICalDateTime(date: date, hour: 0, minute: 0, second: 0)))
        return iterator != nil
    }

    deinit {
        if let iterator { icalrecur_iterator_free(iterator) }
        drillcal_recur_free_rscale(&rule)
    }
}
