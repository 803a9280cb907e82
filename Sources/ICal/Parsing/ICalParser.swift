import CLibical

/// Parses iCalendar text through libical and checks what libical lets through.
///
/// libical does not fail on bad values: it drops the property and inserts X-LIC-ERROR, and it
/// accepts month 13, hour 99 and TZIDs without a VTIMEZONE. This parser turns all of those into
/// ``ICalError``s that name the line and property.
public enum ICalParser {
    /// Parses a whole calendar.
    ///
    /// - Parameters:
    ///   - text: the iCalendar text (CRLF or LF line ends, folded or not).
    ///   - source: a name for messages, e.g. the file name `holidays-2027.ics`.
    /// - Returns: the calendar's properties, VTIMEZONE ids and events.
    /// - Throws: `.parseFailed` for text that is not one VCALENDAR (garbage, empty, cut off) or holds
    ///   X-LIC-ERROR lines; `.invalidValue` for impossible dates or a VEVENT without UID;
    ///   `.unknownTimeZone` for a TZID with no VTIMEZONE in the file.
    ///
    /// ```swift
    /// let calendar = try ICalParser.parse(text, source: "qingshan.ics")
    /// print(calendar.properties["X-WR-CALNAME"] ?? "", calendar.events.count)
    /// ```
    public static func parse(_ text: String, source: String) throws(ICalError) -> ICalParsedCalendar {
        ICalLibrary.configure()
        let lines = SourceLines(text)
        if text.unicodeScalars.contains("\0") {
            throw ICalError(
                .parseFailed, message: "expected iCalendar text, found a NUL character (binary file?)",
                source: source)
        }
        guard let calendar = OwnedComponent(icalparser_parse_string(text)) else {
            throw notACalendar(lines, source: source)
        }
        let root = calendar.pointer
        guard icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT else {
            let found = lines.firstEntry?.content ?? ""
            throw ICalError(
                .parseFailed,
                message: "expected exactly one BEGIN:VCALENDAR ... END:VCALENDAR, found "
                    + (found.uppercased() == "BEGIN:VCALENDAR"
                        ? "several calendars or text after END:VCALENDAR"
                        : "'\(ValueCheck.printable(found))'"),
                line: lines.firstEntry?.line, source: source)
        }
        var reader = CalendarReader(lines: lines, source: source)
        return try reader.read(root)
    }

    /// Explains why libical returned NULL: nothing, not iCalendar, or cut off.
    private static func notACalendar(_ lines: SourceLines, source: String) -> ICalError {
        guard let first = lines.firstEntry else {
            return ICalError(
                .parseFailed, message: "expected BEGIN:VCALENDAR, found an empty file", line: 1,
                source: source)
        }
        guard first.content.uppercased() == "BEGIN:VCALENDAR" else {
            return ICalError(
                .parseFailed,
                message: "expected BEGIN:VCALENDAR, found '\(ValueCheck.printable(first.content))'",
                line: first.line, source: source)
        }
        guard lines.entries.contains(where: { $0.content.uppercased() == "END:VCALENDAR" }) else {
            return ICalError(
                .parseFailed,
                message: "expected END:VCALENDAR before the end of the text, found none (file cut off?)",
                line: lines.entries.last?.line, source: source)
        }
        return ICalError(.parseFailed, message: "libical could not parse the calendar", source: source)
    }
}
