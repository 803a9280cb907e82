/// One VEVENT as read from a file: what was there, without defaults invented.
public struct ICalParsedEvent: Hashable, Sendable {
    /// UID (required: parsing throws without it).
    public var uid: String
    /// SEQUENCE, 0 when absent.
    public var sequence: Int
    /// SUMMARY, if present.
    public var summary: String?
    /// DESCRIPTION, if present.
    public var description: String?
    /// LOCATION, if present.
    public var location: String?
    /// DTSTART's date and time (00:00:00 for a DATE value), if present.
    public var start: ICalDateTime?
    /// DTSTART's TZID parameter; `UTC` for a time written with `Z`; nil for floating times and DATEs.
    public var startTimeZone: String?
    /// DTEND's date and time, if present.
    public var end: ICalDateTime?
    /// DTEND's TZID parameter, `UTC` for `Z`, else nil.
    public var endTimeZone: String?
    /// STATUS as written, e.g. `CONFIRMED`, if present.
    public var status: String?
    /// CATEGORIES, one entry per category in file order (comma lists are split).
    public var categories: [String]
    /// ATTENDEEs in file order; ROLE defaults to `REQ-PARTICIPANT`, CN to "".
    public var attendees: [ICalAttendee]
    /// ORGANIZER, if present.
    public var organizer: ICalOrganizer?
    /// Number of VALARM sub-components.
    public var alarmCount: Int
    /// DTSTAMP, if present (UTC).
    public var stamp: ICalDateTime?
    /// `X-` properties in file order (libical's own `X-LIC-` ones excluded).
    public var extra: [ICalExtraProperty]

    /// Creates a parsed event; every part but the UID has an empty default.
    public init(
        uid: String,
        sequence: Int = 0,
        summary: String? = nil,
        description: String? = nil,
        location: String? = nil,
        start: ICalDateTime? = nil,
        startTimeZone: String? = nil,
        end: ICalDateTime? = nil,
        endTimeZone: String? = nil,
        status: String? = nil,
        categories: [String] = [],
        attendees: [ICalAttendee] = [],
        organizer: ICalOrganizer? = nil,
        alarmCount: Int = 0,
        stamp: ICalDateTime? = nil,
        extra: [ICalExtraProperty] = []
    ) {
        self.uid = uid
        self.sequence = sequence
        self.summary = summary
        self.description = description
        self.location = location
        self.start = start
        self.startTimeZone = startTimeZone
        self.end = end
        self.endTimeZone = endTimeZone
        self.status = status
        self.categories = categories
        self.attendees = attendees
        self.organizer = organizer
        self.alarmCount = alarmCount
        self.stamp = stamp
        self.extra = extra
    }
}
