/// Why a report could not be written, in words a town official can act on: which file, what failed.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// The whole message, already in the report's language.
    public var message: String

    /// Makes an error with a finished message.
    public init(message: String) { self.message = message }

    public var description: String { message }
}
