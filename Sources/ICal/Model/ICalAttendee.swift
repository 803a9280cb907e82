/// An ATTENDEE of an event: `ATTENDEE;CN=...;ROLE=...;PARTSTAT=...:address`.
public struct ICalAttendee: Hashable, Sendable {
    /// The display name, written as the CN parameter (any text; libical quotes and encodes it).
    public var name: String
    /// The address URI, e.g. `urn:drillcal:qingshan:member:m001`; no control characters.
    public var address: String
    /// The ROLE parameter: `REQ-PARTICIPANT`, `OPT-PARTICIPANT`, `CHAIR` or `NON-PARTICIPANT`.
    public var role: String
    /// The PARTSTAT parameter (`NEEDS-ACTION`, `ACCEPTED`, `DECLINED`, `TENTATIVE`, `DELEGATED`), if any.
    public var partstat: String?

    /// Creates an attendee.
    public init(name: String, address: String, role: String, partstat: String? = nil) {
        self.name = name
        self.address = address
        self.role = role
        self.partstat = partstat
    }
}
