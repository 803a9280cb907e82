import CLibical

/// Renders events and calendars to iCalendar text: calendar shells and VTIMEZONEs through libical,
/// events by a direct writer held byte for byte to libical's serialiser (``EventText``).
///
/// Render each event once with ``renderEvent(_:)`` and splice its text into every feed that holds it
/// with ``renderCalendar(_:timeZones:events:)``; re-rendering per feed costs far more.
///
/// ```swift
/// let vevent = try ICalWriter.renderEvent(event)
/// let feed = try ICalWriter.renderCalendar(header, timeZones: ["Asia/Shanghai"], events: [vevent])
/// ```
public enum ICalWriter {
    /// Renders one VEVENT (with its VALARMs) to `BEGIN:VEVENT\r\n...END:VEVENT\r\n`.
    ///
    /// - Parameter event: the event; its time zone must be known to libical.
    /// - Returns: folded text with CRLF line ends, ready for ``renderCalendar(_:timeZones:events:)``.
    /// - Throws: `.unsafeValue` for control characters in UID, addresses, URL, X-properties or the
    ///   TZID; `.invalidValue` for impossible dates, an end before the start, unknown ROLE or
    ///   PARTSTAT, negative SEQUENCE or alarm minutes, commas in categories;
    ///   `.unknownTimeZone` for a zone libical does not know.
    public static func renderEvent(_ event: ICalEvent) throws(ICalError) -> String {
        ICalLibrary.configure()
        try EventCheck.validate(event)
        _ = try TimeZoneRegistry.shared.vtimezone(event.timeZone)
        return try EventText.render(event)
    }

    /// The texts ``renderEvent(_:)`` gives for `event` and for its anonymous form, the same event
    /// without ATTENDEEs and with `anonymousDescription` as DESCRIPTION (what public feeds show when
    /// they name nobody), in one pass: the lines both share are written once.
    /// - Throws: what ``renderEvent(_:)`` throws for `event`; `.unsafeValue` for a control character
    ///   in `anonymousDescription` other than tab and line breaks.
    public static func renderEventForms(_ event: ICalEvent, anonymousDescription: String) throws(ICalError)
        -> (named: String, anonymous: String)
    {
        ICalLibrary.configure()
        try EventCheck.validate(event)
        try ValueCheck.text(anonymousDescription, property: "DESCRIPTION")
        _ = try TimeZoneRegistry.shared.vtimezone(event.timeZone)
        return try EventText.renderForms(event, anonymousDescription: anonymousDescription)
    }

    /// ``renderEvent(_:)`` with the event built as a libical tree and serialised by libical: the
    /// reference the direct writer (``EventText``) is held to, byte for byte, by `build --verify`
    /// and the tests. Same checks, same errors, same text.
    public static func renderEventThroughLibical(_ event: ICalEvent) throws(ICalError) -> String {
        ICalLibrary.configure()
        try EventCheck.validate(event)
        _ = try TimeZoneRegistry.shared.vtimezone(event.timeZone)
        return try EventBuilder.render(event)
    }

    /// Renders a whole VCALENDAR around already rendered events.
    ///
    /// The shell holds VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD:PUBLISH, X-WR-CALNAME,
    /// X-WR-TIMEZONE, X-WR-CALDESC, REFRESH-INTERVAL, X-PUBLISHED-TTL and one VTIMEZONE per distinct
    /// entry of `timeZones` (in that order), built and serialised by libical; `events` are spliced in before
    /// `END:VCALENDAR` in the given order.
    ///
    /// - Parameters:
    ///   - header: the calendar-level properties.
    ///   - timeZones: IANA names whose VTIMEZONE the feed must carry (every TZID its events use).
    ///   - events: texts from ``renderEvent(_:)``.
    /// - Throws: `.unsafeValue` for control characters in the name, description or zone names;
    ///   `.unknownTimeZone` for unknown zones; `.invalidValue` for a non-positive refresh interval
    ///   or an event text that is not one VEVENT.
    public static func renderCalendar(
        _ header: ICalCalendarHeader, timeZones: [String], events: [String]
    ) throws(ICalError) -> String {
        ICalLibrary.configure()
        try ValueCheck.verbatim(header.productID, property: "PRODID")
        try ValueCheck.verbatim(header.name, property: "X-WR-CALNAME")
        if let description = header.description {
            try ValueCheck.noControlCharacters(description, property: "X-WR-CALDESC")
        }
        try ValueCheck.timeZoneID(header.timeZone)
        _ = try TimeZoneRegistry.shared.vtimezone(header.timeZone)
        guard header.refreshMinutes > 0 else {
            throw ICalError(
                .invalidValue,
                message: "expected a refresh interval of 1 minute or more, found \(header.refreshMinutes)",
                property: "REFRESH-INTERVAL")
        }
        var zoneTexts: [String] = []
        var seenZones: Set<String> = []
        for tzid in timeZones where seenZones.insert(tzid).inserted {
            zoneTexts.append(try TimeZoneRegistry.shared.vtimezone(tzid))
        }
        for (index, text) in events.enumerated() {
            guard text.hasPrefix("BEGIN:VEVENT\r\n"), text.hasSuffix("END:VEVENT\r\n") else {
                throw ICalError(
                    .invalidValue,
                    message: "expected event text from ICalWriter.renderEvent (BEGIN:VEVENT ... END:VEVENT "
                        + "with CRLF), found '\(ValueCheck.printable(String(text.prefix(40))))' at index \(index)"
                )
            }
        }
        let shell = try CalendarBuilder.renderShell(header, zoneTexts: zoneTexts)
        let closing = "END:VCALENDAR\r\n"
        guard shell.hasSuffix(closing) else {
            throw ICalError(.libraryError, message: "expected libical's calendar to end with END:VCALENDAR")
        }
        var result = String(shell.dropLast(closing.count))
        result.reserveCapacity(shell.utf8.count + events.reduce(0) { $0 + $1.utf8.count })
        for text in events { result += text }
        result += closing
        // The shell and every event were folded by ContentLines; this scan also guards the splice.
        if let fault = ContentLines.fault(in: result) {
            throw ICalError(.libraryError, message: "expected a lexically valid calendar, found \(fault)")
        }
        return result
    }

    /// The VTIMEZONE text for an IANA zone, e.g. `Asia/Shanghai`.
    ///
    /// libical's builtin zone is cloned, truncated to the rules from 2000 on (the older history is
    /// partly wrong) and its TZID rewritten to the plain name. Results are cached.
    ///
    /// - Throws: `.unsafeValue` for names with `..`, a leading `/` or characters outside
    ///   `[A-Za-z0-9_+-/]`; `.unknownTimeZone` when libical has no such zone.
    public static func timeZoneComponent(_ tzid: String) throws(ICalError) -> String {
        try TimeZoneRegistry.shared.vtimezone(tzid)
    }
}
