/// One person's attendance at one session, as recorded.
public struct AttendanceMark: Hashable, Sendable, Codable {
    /// The session's UID.
    public var sessionUID: String
    /// Roster member id; for a guest (not on the session's teams), a guest id such as `guest:张三`.
    public var memberID: String
    /// Status.
    public var status: AttendanceStatus
    /// Reason (required for `excused`).
    public var reason: String?
    /// Whether the person is not on any of the session's teams: reported, not counted.
    public var guest: Bool
    /// Who recorded it (an operator name, the drill leader code's owner, or `self`).
    public var recordedBy: String
    /// When, seconds since 1970 UTC.
    public var recordedAt: Int
    /// From where.
    public var source: MarkSource
    /// A client-generated id so a retried submission never counts twice (check-in page).
    public var clientID: String?

    /// Makes a mark.
    public init(
        sessionUID: String, memberID: String, status: AttendanceStatus, reason: String? = nil, guest: Bool = false,
        recordedBy: String, recordedAt: Int, source: MarkSource, clientID: String? = nil
    ) {
        self.sessionUID = sessionUID
        self.memberID = memberID
        self.status = status
        self.reason = reason
        self.guest = guest
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.source = source
        self.clientID = clientID
    }
}
