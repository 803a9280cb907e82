/// Composing feeds from already rendered pieces, so that a town's build renders each event and its
/// calendar shell through libical once and only copies bytes afterwards.
extension ICalWriter {
    /// The text ``renderEvent(_:)`` gives for the event `text` was rendered from, with SEQUENCE and
    /// DTSTAMP set to `sequence` and `stamp` instead: both are fixed-width lines near the top that
    /// libical writes without escaping or folding, so only those two lines change.
    ///
    /// A build renders each event once with neutral values to hash its content, then stamps the
    /// SEQUENCE and DTSTAMP it publishes with, instead of rendering it a second time.
    ///
    /// - Throws: `.invalidValue` for a negative sequence, an impossible stamp, or a text without
    ///   its SEQUENCE and DTSTAMP lines (not from ``renderEvent(_:)``).
    public static func restampedEvent(_ text: String, sequence: Int, stamp: ICalDateTime) throws(ICalError)
        -> String
    {
        var text = text
        try restamp(&text, sequence: sequence, stamp: stamp)
        return text
    }

    /// ``restampedEvent(_:sequence:stamp:)`` in place: the two lines are replaced inside `text`, which
    /// is not copied when the caller holds the only reference (a build restamps each event's two
    /// forms, and copying them whole through five appends was a tenth of its render phase).
    /// - Throws: as ``restampedEvent(_:sequence:stamp:)``, leaving `text` unchanged.
    public static func restamp(_ text: inout String, sequence: Int, stamp: ICalDateTime) throws(ICalError) {
        guard sequence >= 0 else {
            throw ICalError(
                .invalidValue, message: "expected 0 or more, found \(sequence)", property: "SEQUENCE")
        }
        guard stamp.isValid, stamp.second < 60, (0...9999).contains(stamp.date.year) else {
            throw ICalError(
                .invalidValue, message: "expected a real date and time, found \(stamp.isoText)",
                property: "DTSTAMP")
        }
        // Byte offsets of the two lines (CRLF excluded), found in place.
        text.makeContiguousUTF8()
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> (Range<Int>, Range<Int>)? in
            func starts(_ at: Int, _ prefix: StaticString) -> Bool {
                let n = prefix.utf8CodeUnitCount
                guard at + n <= bytes.count else { return false }
                for i in 0..<n where bytes[at + i] != prefix.utf8Start[i] { return false }
                return true
            }
            var sequenceRange: Range<Int>?
            var stampRange: Range<Int>?
            var start = 0
            while start < bytes.count {
                var end = start
                while end + 1 < bytes.count, !(bytes[end] == 0x0D && bytes[end + 1] == 0x0A) { end += 1 }
                guard end + 1 < bytes.count else { break }
                if sequenceRange == nil, starts(start, "SEQUENCE:") {
                    sequenceRange = start..<end
                } else if stampRange == nil, starts(start, "DTSTAMP:") {
                    stampRange = start..<end
                }
                if let sequenceRange, let stampRange { return (sequenceRange, stampRange) }
                start = end + 2
            }
            return nil
        }
        guard let (sequenceRange, stampRange) = found ?? nil else {
            throw ICalError(
                .invalidValue,
                message:
                    "expected event text from ICalWriter.renderEvent with SEQUENCE and DTSTAMP lines, found '"
                    + ValueCheck.printable(String(text.prefix(40))) + "'")
        }
        let sequenceLine = "SEQUENCE:\(sequence)"
        let stampLine = "DTSTAMP:" + utcText(stamp)
        // The later line first, so that the earlier one's offsets still hold. Both lines are ASCII
        // and begin and end at line boundaries, so the offsets are character boundaries.
        let (first, second) =
            sequenceRange.lowerBound < stampRange.lowerBound
            ? ((sequenceRange, sequenceLine), (stampRange, stampLine))
            : ((stampRange, stampLine), (sequenceRange, sequenceLine))
        func replace(_ range: Range<Int>, with line: String) {
            let utf8 = text.utf8
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let upper = utf8.index(lower, offsetBy: range.count)
            text.replaceSubrange(lower..<upper, with: line)
        }
        replace(second.0, with: second.1)
        replace(first.0, with: first.1)
    }

    /// `YYYYMMDDTHHMMSSZ`, as libical writes a UTC DATE-TIME.
    static func utcText(_ t: ICalDateTime) -> String {
        // Fixed width: sixteen ASCII bytes written in place (every published event passes here).
        String(unsafeUninitializedCapacity: 16) { out in
            func put(_ n: Int, _ width: Int, at: Int) {
                var n = n
                for i in stride(from: at + width - 1, through: at, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
            }
            put(t.date.year, 4, at: 0)
            put(t.date.month, 2, at: 4)
            put(t.date.day, 2, at: 6)
            out[8] = UInt8(ascii: "T")
            put(t.hour, 2, at: 9)
            put(t.minute, 2, at: 11)
            put(t.second, 2, at: 13)
            out[15] = UInt8(ascii: "Z")
            return 16
        }
    }
}

/// A VCALENDAR shell built and serialised by libical once (properties and VTIMEZONEs), into which
/// each feed's name and events are spliced: the same bytes as
/// ``ICalWriter/renderCalendar(_:timeZones:events:)`` for every name, without building libical
/// trees per feed.
///
/// ```swift
/// let shell = try ICalCalendarShell(header, timeZones: ["Asia/Shanghai"])
/// let feed = try shell.render(name: "青山镇应急培训演练日历（2027）", events: [vevent])
/// ```
public struct ICalCalendarShell: Sendable {
    /// The header and zones it was built for (a name libical would escape is rendered whole).
    let header: ICalCalendarHeader
    let timeZones: [String]
    /// Lines up to and including the CRLF before X-WR-CALNAME.
    let head: [UInt8]
    /// Lines after X-WR-CALNAME, without the closing `END:VCALENDAR`.
    let tail: [UInt8]
    /// `head` and `tail` as text, to compose feeds from.
    let headText: String
    let tailText: String
    static let placeholder = "drillcal-calendar-name-placeholder"
    static let closing = Array("END:VCALENDAR\r\n".utf8)

    /// Builds the shell for `header` (whose `name` is not used: each feed brings its own).
    /// - Throws: what ``ICalWriter/renderCalendar(_:timeZones:events:)`` throws for the header.
    public init(_ header: ICalCalendarHeader, timeZones: [String]) throws(ICalError) {
        self.header = header
        self.timeZones = timeZones
        var template = header
        template.name = Self.placeholder
        let text = Array(try ICalWriter.renderCalendar(template, timeZones: timeZones, events: []).utf8)
        let marker = Array("\r\nX-WR-CALNAME:\(Self.placeholder)\r\n".utf8)
        guard let at = Self.firstRange(of: marker, in: text),
            text.count >= at + marker.count + Self.closing.count
        else {
            throw ICalError(
                .libraryError, message: "expected libical's calendar to hold the X-WR-CALNAME line")
        }
        head = Array(text[..<(at + 2)])
        tail = Array(text[(at + marker.count)..<(text.count - Self.closing.count)])
        headText = String(decoding: head, as: UTF8.self)
        tailText = String(decoding: tail, as: UTF8.self)
    }

    /// The calendar named `name` holding `events` (texts from ``ICalWriter/renderEvent(_:)``), in order.
    /// - Throws: `.unsafeValue` for control characters in the name, `.invalidValue` for an empty name
    ///   or an event text that is not one VEVENT.
    public func render(name: String, events: [String]) throws(ICalError) -> String {
        try ValueCheck.verbatim(name, property: "X-WR-CALNAME")
        // libical writes an X-property's value as given except for a backslash, which it doubles;
        // such a (rare) name goes through libical whole, so libical alone decides its bytes.
        if name.containsByte(0x5C) {
            var named = header
            named.name = name
            return try ICalWriter.renderCalendar(named, timeZones: timeZones, events: events)
        }
        // Built as a String from Strings (valid UTF-8 already): no byte array, no second check.
        var nameLine: [UInt8] = []
        try ContentLines.fold(Array("X-WR-CALNAME:\(name)".utf8)[...], into: &nameLine)
        var output = ""
        output.reserveCapacity(
            headText.utf8.count + tailText.utf8.count + nameLine.count + 16 + events.reduce(0) { $0 + $1.utf8.count })
        output += headText
        output += String(decoding: nameLine, as: UTF8.self)
        output += tailText
        for (index, text) in events.enumerated() {
            guard text.bytesStartAndEnd(with: "BEGIN:VEVENT\r\n", "END:VEVENT\r\n")
            else {
                throw ICalError(
                    .invalidValue,
                    message: "expected event text from ICalWriter.renderEvent (BEGIN:VEVENT ... END:VEVENT "
                        + "with CRLF), found '\(ValueCheck.printable(String(text.prefix(40))))' at index \(index)"
                )
            }
            output += text
        }
        output += "END:VCALENDAR\r\n"
        return output
    }

    static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}
