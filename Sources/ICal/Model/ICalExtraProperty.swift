/// An extension (`X-`) property, such as `X-DRILLCAL-TEAM:militia-1`.
public struct ICalExtraProperty: Hashable, Sendable {
    /// The name, starting with `X-`; letters, digits and dashes; not `X-LIC-`.
    public var name: String
    /// The value; no control characters (libical copies it nearly verbatim).
    public var value: String

    /// Creates an extension property.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
