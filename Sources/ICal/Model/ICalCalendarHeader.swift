/// The calendar-level properties of a published feed.
public struct ICalCalendarHeader: Hashable, Sendable {
    /// PRODID, e.g. `-//drillcal//drillcal 1.0//ZH`.
    public var productID: String
    /// X-WR-CALNAME, the name clients show (Chinese); no control characters.
    public var name: String
    /// X-WR-CALDESC, if any; no control characters.
    public var description: String?
    /// X-WR-TIMEZONE, an IANA zone name such as `Asia/Shanghai`.
    public var timeZone: String
    /// How often clients should refresh, in minutes (REFRESH-INTERVAL and X-PUBLISHED-TTL, e.g. PT12H).
    public var refreshMinutes: Int

    /// Creates a header.
    public init(productID: String, name: String, description: String?, timeZone: String, refreshMinutes: Int)
    {
        self.productID = productID
        self.name = name
        self.description = description
        self.timeZone = timeZone
        self.refreshMinutes = refreshMinutes
    }
}
