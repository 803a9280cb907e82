/// One event to publish: becomes a VEVENT with its VALARMs.
///
/// `start` and `end` are wall-clock times in `timeZone`; `stamp` is UTC.
public struct ICalEvent: Hashable, Sendable {
    /// UID, stable across renders so clients update instead of duplicating; no control characters.
    public var uid: String
    /// SEQUENCE, raised whenever the event changes (0 or more).
    public var sequence: Int
    /// DTSTAMP in UTC, written with `Z`.
    public var stamp: ICalDateTime
    /// DTSTART, local wall time in `timeZone`.
    public var start: ICalDateTime
    /// DTEND, local wall time in `timeZone`; not before `start`.
    public var end: ICalDateTime
    /// The TZID of `start` and `end`, e.g. `Asia/Shanghai`.
    public var timeZone: String
    /// SUMMARY (any text).
    public var summary: String
    /// DESCRIPTION (any text); not written when empty.
    public var description: String
    /// LOCATION (any text), if any.
    public var location: String?
    /// CATEGORIES, one property per entry; an entry must not contain a comma.
    public var categories: [String]
    /// ORGANIZER, if any.
    public var organizer: ICalOrganizer?
    /// ATTENDEEs, in order.
    public var attendees: [ICalAttendee]
    /// STATUS, always written.
    public var status: ICalEventStatus
    /// Display reminders, each a VALARM.
    public var alarms: [ICalAlarm]
    /// URL, if any; no control characters.
    public var url: String?
    /// Extension (`X-`) properties, in order.
    public var extra: [ICalExtraProperty]

    /// Creates an event; optional parts default to empty.
    public init(
        uid: String,
        sequence: Int = 0,
        stamp: ICalDateTime,
        start: ICalDateTime,
        end: ICalDateTime,
        timeZone: String,
        summary: String,
        description: String = "",
        location: String? = nil,
        categories: [String] = [],
        organizer: ICalOrganizer? = nil,
        attendees: [ICalAttendee] = [],
        status: ICalEventStatus = .confirmed,
        alarms: [ICalAlarm] = [],
        url: String? = nil,
        extra: [ICalExtraProperty] = []
    ) {
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.summary = summary
        self.description = description
        self.location = location
        self.categories = categories
        self.organizer = organizer
        self.attendees = attendees
        self.status = status
        self.alarms = alarms
        self.url = url
        self.extra = extra
    }
}
