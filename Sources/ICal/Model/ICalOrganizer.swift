/// The ORGANIZER of an event: `ORGANIZER;CN=...:address`.
public struct ICalOrganizer: Hashable, Sendable {
    /// The display name, written as the CN parameter.
    public var name: String
    /// The address URI; no control characters.
    public var address: String

    /// Creates an organizer.
    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}
