/// An ATTENDEE of an event: `ATTENDEE;CN=...;ROLE=...;PARTSTAT=...:address`.
///
/// An attendee that appears in many events (a town's member is on every session of its teams) can
/// be ``prepared()`` once: checked and its line written then, so that each event copies the line
/// instead of checking and writing it again (ATTENDEE lines are most of a member feed's bytes).
/// Changing any field of a prepared attendee drops the prepared line; equality and hashing look at
/// the fields only.
public struct ICalAttendee: Hashable, Sendable {
    /// The display name, written as the CN parameter (any text; libical quotes and encodes it).
    public var name: String { didSet { line = nil } }
    /// The address URI, e.g. `urn:drillcal:qingshan:member:m001`; no control characters.
    public var address: String { didSet { line = nil } }
    /// The ROLE parameter: `REQ-PARTICIPANT`, `OPT-PARTICIPANT`, `CHAIR` or `NON-PARTICIPANT`.
    public var role: String { didSet { line = nil } }
    /// The PARTSTAT parameter (`NEEDS-ACTION`, `ACCEPTED`, `DECLINED`, `TENTATIVE`, `DELEGATED`), if any.
    public var partstat: String? { didSet { line = nil } }
    /// The checked, written and folded line with its CRLF (``prepared()``), or nil.
    private(set) var line: PreparedLine?

    /// Creates an attendee.
    public init(name: String, address: String, role: String, partstat: String? = nil) {
        self.name = name
        self.address = address
        self.role = role
        self.partstat = partstat
    }

    /// This attendee with its line checked and written now, once: every event holding it then
    /// copies that line (the same bytes the writer gives an attendee that is not prepared).
    /// - Throws: `ICalError` when a field is not allowed (as rendering an event holding it would).
    public func prepared() throws(ICalError) -> ICalAttendee {
        try EventCheck.attendee(self)
        var writer = EventText.Writer(capacity: 160)  // one line, folded once or twice
        try writer.attendee(self)
        var copy = self
        copy.line = PreparedLine(bytes: writer.output)
        return copy
    }

    /// Whether ``prepared()`` wrote this attendee's line (and no field changed since).
    public var isPrepared: Bool { line != nil }

    public static func == (a: ICalAttendee, b: ICalAttendee) -> Bool {
        a.name == b.name && a.address == b.address && a.role == b.role && a.partstat == b.partstat
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(address)
        hasher.combine(role)
        hasher.combine(partstat)
    }
}

/// The bytes of a prepared ATTENDEE line, shared by every copy of the attendee (never mutated).
final class PreparedLine: Sendable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
