/// Expands RFC 5545 recurrence rules into days. DrillCore does no C: the live implementation
/// (libical) is injected by the caller, and tests may pass a simple one.
public protocol RecurrenceExpander: Sendable {
    /// Why `rule` is not acceptable (nil when it is). Checked when the plan is read, so that the
    /// error can name the file and line.
    func problem(with rule: String) -> String?

    /// The days on which `rule` occurs, starting from `start` (the rule's DTSTART) through `end`.
    /// - Throws: when the rule cannot be expanded.
    func dates(of rule: String, from start: CivilDate, through end: CivilDate) throws -> [CivilDate]
}
