/// An error from writing, parsing or expanding iCalendar data, worded so a person can fix the input.
///
/// `description` reads like `town.ics line 12, DTSTART: expected ..., found ...`.
public struct ICalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable {
        /// A value is out of range or malformed (month 13, an unknown ROLE, end before start).
        case invalidValue
        /// A value could inject lines or paths (CR, LF or other control characters, `..` in a TZID).
        case unsafeValue
        /// A time zone name libical does not know, or a TZID without a VTIMEZONE in the file.
        case unknownTimeZone
        /// The text is not an iCalendar file, is cut off, or libical reported X-LIC-ERROR.
        case parseFailed
        /// An RRULE libical cannot expand correctly.
        case invalidRecurrence
        /// libical failed in a way the input does not explain.
        case libraryError
    }

    /// What went wrong, broadly.
    public var kind: Kind
    /// The 1-based line in the source text, when the error comes from parsing.
    public var line: Int?
    /// The iCalendar property concerned, such as `DTSTART` or `ATTENDEE`.
    public var property: String?
    /// English and actionable: what was expected and what was found.
    public var message: String
    /// The name of the parsed source (file name or URL), when the error comes from parsing.
    public var source: String?

    /// Creates an error.
    /// - Parameters:
    ///   - kind: the broad category.
    ///   - message: what was expected and what was found.
    ///   - property: the property concerned, if any.
    ///   - line: the 1-based source line, if any.
    ///   - source: the source name, if any.
    public init(
        _ kind: Kind, message: String, property: String? = nil, line: Int? = nil, source: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.property = property
        self.line = line
        self.source = source
    }

    /// `source line N, PROPERTY: message`, leaving out the parts that are unknown.
    public var description: String {
        var place: [String] = []
        switch (source, line) {
        case let (source?, line?): place.append("\(source) line \(line)")
        case let (source?, nil): place.append(source)
        case let (nil, line?): place.append("line \(line)")
        case (nil, nil): break
        }
        if let property { place.append(property) }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}
