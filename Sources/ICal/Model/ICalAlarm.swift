/// A display reminder (VALARM with ACTION:DISPLAY) some minutes before the event starts.
public struct ICalAlarm: Hashable, Sendable {
    /// How long before DTSTART the reminder fires, in minutes (0 or more); written as `-P1D`, `-PT2H`.
    public var minutesBefore: Int
    /// The reminder text (DESCRIPTION).
    public var description: String

    /// Creates an alarm.
    public init(minutesBefore: Int, description: String) {
        self.minutesBefore = minutesBefore
        self.description = description
    }
}
