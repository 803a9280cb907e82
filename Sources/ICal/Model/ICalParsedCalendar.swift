/// A parsed VCALENDAR: its own properties, the zones it defines and its events.
public struct ICalParsedCalendar: Hashable, Sendable {
    /// Top-level properties by name, e.g. `PRODID`, `X-WR-CALNAME`, `METHOD` (the last one wins).
    public var properties: [String: String]
    /// The TZID of every VTIMEZONE, in file order.
    public var timeZoneIDs: [String]
    /// The VEVENTs, in file order.
    public var events: [ICalParsedEvent]

    /// Creates a parsed calendar.
    public init(properties: [String: String], timeZoneIDs: [String], events: [ICalParsedEvent]) {
        self.properties = properties
        self.timeZoneIDs = timeZoneIDs
        self.events = events
    }
}
