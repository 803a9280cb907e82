/// Writes a VEVENT's text directly: the same bytes libical's serialiser gives for the tree
/// ``EventBuilder`` builds, after ``ContentLines/refold(_:)-(String)``, without building the tree.
///
/// Why not libical here: every event of a province passes this step, and libical's serialiser alone
/// (a property list, a parameter list and an allocation per value, then folding) renders ~12,000
/// events a second on this machine; the render target (`scripts/bench-render.sh`) is twice that.
/// libical stays the reference for every byte: ``EventBuilder`` is kept, `build --verify` renders
/// every event through both and refuses any difference, the tests compare both on thousands of
/// random events holding every character the escaping rules name, and feeds are still parsed
/// back by libical in the tests and in `build --verify`. The rules below are libical 3.0.16's,
/// probed here (README, "Writing events"):
/// - TEXT values (UID, SUMMARY, DESCRIPTION, LOCATION): `\` `;` `,` escaped with a backslash, a line
///   break written `\n`; the writer hands libical line breaks as LF and tabs as spaces.
/// - CATEGORIES and X-properties: only `\` doubled (a category holds no `\`, checked before).
/// - CN parameters: quoted when the value holds `;` `:` or `,`; a line break written `^n`, `"` as
///   `^'` (RFC 6868), `^` doubled by the writer itself (libical leaves it).
/// - CAL-ADDRESS and URI values: verbatim (control characters are refused before).
/// - TRIGGER: `-P<w>W` when the minutes make whole weeks, else `-P<d>D` and `T<h>H<m>M` parts, zero
///   as `PT0S`.
enum EventText {
    /// The text of an event that ``EventCheck`` accepted.
    static func render(_ event: ICalEvent) throws(ICalError) -> String {
        var w = Writer()
        try write(event, into: &w)
        return string(w.output)
    }

    /// The text of bytes this writer made, not validated again (String(decoding:) spent a quarter of
    /// the writer's time on it): they are valid UTF-8 by construction. Values are copied from
    /// Swift strings in runs cut only at ASCII bytes, everything added is ASCII, and a fold never
    /// falls inside a character (``ContentLines/fold(_:into:)-(UnsafeBufferPointer<UInt8>,_)``). Debug
    /// builds, which the tests run, validate anyway.
    static func string(_ bytes: [UInt8]) -> String {
        assert(String(validating: bytes, as: UTF8.self) != nil, "the event writer made invalid UTF-8")
        return String(copying: UTF8Span(unchecked: bytes.span))
    }

    /// The text of `event` and of its anonymous form: the same event without ATTENDEEs and with
    /// `anonymousDescription` as DESCRIPTION. Every other line is the same bytes in both, so the
    /// anonymous text is copied from the named one around its one new line.
    static func renderForms(_ event: ICalEvent, anonymousDescription: String) throws(ICalError)
        -> (named: String, anonymous: String)
    {
        var w = Writer()
        try write(event, into: &w)
        var d = Writer()
        if !anonymousDescription.isEmpty {
            d.start("DESCRIPTION:")
            d.text(anonymousDescription)
            try d.end()
        }
        let named = w.output
        var anonymous: [UInt8] = []
        anonymous.reserveCapacity(named.count)
        anonymous += named[..<w.description.lowerBound]
        anonymous += d.output
        anonymous += named[w.description.upperBound..<w.attendees.lowerBound]
        anonymous += named[w.attendees.upperBound...]
        return (string(named), string(anonymous))
    }

    /// Writes the event, noting where its DESCRIPTION and ATTENDEE lines are.
    private static func write(_ event: ICalEvent, into w: inout Writer) throws(ICalError) {
        try w.line("BEGIN:VEVENT")
        w.start("UID:")
        w.text(event.uid)
        try w.end()
        w.start("SEQUENCE:")
        w.number(Int(Int32(clamping: event.sequence)), width: 1)
        try w.end()
        w.start("DTSTAMP:")
        w.dateTime(event.stamp)
        w.byte(UInt8(ascii: "Z"))
        try w.end()
        w.start("DTSTART;TZID=")
        w.raw(event.timeZone)
        w.byte(UInt8(ascii: ":"))
        w.dateTime(event.start)
        try w.end()
        w.start("DTEND;TZID=")
        w.raw(event.timeZone)
        w.byte(UInt8(ascii: ":"))
        w.dateTime(event.end)
        try w.end()
        w.start("SUMMARY:")
        w.text(event.summary)
        try w.end()
        let descriptionStart = w.output.count
        if !event.description.isEmpty {
            w.start("DESCRIPTION:")
            w.text(event.description)
            try w.end()
        }
        w.description = descriptionStart..<w.output.count
        if let location = event.location {
            w.start("LOCATION:")
            w.text(location)
            try w.end()
        }
        for category in event.categories {
            w.start("CATEGORIES:")
            w.doublingBackslashes(category)
            try w.end()
        }
        if let organizer = event.organizer {
            w.start("ORGANIZER")
            if !organizer.name.isEmpty { w.commonName(organizer.name) }
            w.byte(UInt8(ascii: ":"))
            w.raw(organizer.address)
            try w.end()
        }
        let attendeesStart = w.output.count
        for attendee in event.attendees { try w.attendee(attendee) }
        w.attendees = attendeesStart..<w.output.count
        switch event.status {
        case .confirmed: try w.line("STATUS:CONFIRMED")
        case .tentative: try w.line("STATUS:TENTATIVE")
        case .cancelled: try w.line("STATUS:CANCELLED")
        }
        if let url = event.url {
            w.start("URL:")
            w.raw(url)
            try w.end()
        }
        for extra in event.extra {
            w.raw(extra.name)
            w.byte(UInt8(ascii: ":"))
            w.doublingBackslashes(extra.value)
            try w.end()
        }
        for alarm in event.alarms {
            try w.line("BEGIN:VALARM")
            try w.line("ACTION:DISPLAY")
            w.start("DESCRIPTION:")
            w.text(alarm.description)
            try w.end()
            w.start("TRIGGER:")
            w.trigger(minutesBefore: alarm.minutesBefore)
            try w.end()
            try w.line("END:VALARM")
        }
        try w.line("END:VEVENT")
    }

    /// Writes each logical line straight into the output and folds it there when it is longer than
    /// a physical line (most lines are not); values are copied in runs between the bytes an escaping
    /// rule changes.
    struct Writer {
        var output: [UInt8] = []
        /// Where the logical line being written starts in `output`.
        var lineStart = 0
        /// A long line's bytes while it is folded back into `output`.
        var scratch: [UInt8] = []
        /// Where the DESCRIPTION line is (empty when there is none) and the ATTENDEE lines are.
        var description = 0..<0
        var attendees = 0..<0

        init(capacity: Int = 4096) {
            output.reserveCapacity(capacity)
        }

        mutating func start(_ name: StaticString) {
            output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        }

        mutating func line(_ whole: StaticString) throws(ICalError) {
            start(whole)
            try end()
        }

        /// Ends the logical line: CRLF after it, folded at 75 octets (ContentLines also refuses
        /// control bytes, which no checked value can hold).
        mutating func end() throws(ICalError) {
            let count = output.count - lineStart
            let control = output.withUnsafeBufferPointer {
                ContentLines.firstControl(UnsafeBufferPointer(rebasing: $0[lineStart...]))
            }
            if count <= ContentLines.limit, control == nil, count > 0 {
                output.append(0x0D)
                output.append(0x0A)
            } else {
                scratch.removeAll(keepingCapacity: true)
                scratch.append(contentsOf: output[lineStart...])
                output.removeSubrange(lineStart...)
                try scratch.withUnsafeBufferPointer { line throws(ICalError) in
                    try ContentLines.fold(line, into: &output)
                }
            }
            lineStart = output.count
        }

        mutating func byte(_ b: UInt8) { output.append(b) }

        /// One ATTENDEE line: copied whole when the attendee is prepared (its line starts a line of
        /// its own, so its folding does not depend on what comes before it), else written.
        mutating func attendee(_ attendee: ICalAttendee) throws(ICalError) {
            if let line = attendee.line {
                output.append(contentsOf: line.bytes)
                lineStart = output.count
                return
            }
            start("ATTENDEE")
            if !attendee.name.isEmpty { commonName(attendee.name) }
            raw(";ROLE=")
            raw(attendee.role)
            if let partstat = attendee.partstat {
                raw(";PARTSTAT=")
                raw(partstat)
            }
            byte(UInt8(ascii: ":"))
            raw(attendee.address)
            try end()
        }

        mutating func raw(_ value: String) {
            var value = value
            value.withUTF8 { output.append(contentsOf: $0) }
        }

        /// Copies `value`'s bytes, passing each byte `special` marks to `escape` (with the byte before
        /// it) and the runs between as they are.
        @inline(__always)
        mutating func escaped(
            _ value: String, special: (UInt8) -> Bool, escape: (inout [UInt8], UInt8, UInt8) -> Void
        ) {
            var value = value
            value.withUTF8 { bytes in
                guard let base = bytes.baseAddress else { return }
                var run = 0
                for i in 0..<bytes.count where special(base[i]) {
                    if i > run { output.append(contentsOf: UnsafeBufferPointer(start: base + run, count: i - run)) }
                    escape(&output, base[i], i > 0 ? base[i - 1] : 0)
                    run = i + 1
                }
                if bytes.count > run {
                    output.append(contentsOf: UnsafeBufferPointer(start: base + run, count: bytes.count - run))
                }
            }
        }

        /// A TEXT value: line breaks (CRLF, CR, LF) as `\n`, tabs as spaces, `\` `;` `,` escaped.
        mutating func text(_ value: String) {
            escaped(
                value,
                special: { $0 == 0x5C || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") || $0 < 0x20 },
                escape: { out, b, previous in
                    switch b {
                    case 0x0D:
                        out.append(0x5C)
                        out.append(UInt8(ascii: "n"))
                    case 0x0A:
                        if previous != 0x0D {
                            out.append(0x5C)
                            out.append(UInt8(ascii: "n"))
                        }
                    case 0x09: out.append(0x20)
                    case 0x5C, UInt8(ascii: ";"), UInt8(ascii: ","):
                        out.append(0x5C)
                        out.append(b)
                    default: out.append(b)  // refused before; ContentLines names it
                    }
                })
        }

        /// CATEGORIES and X-property values: verbatim but for `\` written `\\`.
        mutating func doublingBackslashes(_ value: String) {
            escaped(value, special: { $0 == 0x5C }, escape: { out, b, _ in out.append(b); out.append(b) })
        }

        /// `;CN=value`, quoted when it holds `;` `:` `,`; line breaks `^n`, `"` `^'`, `^` `^^`, tabs spaces.
        mutating func commonName(_ value: String) {
            var copy = value
            let quoted = copy.withUTF8 { bytes in
                bytes.contains { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",") }
            }
            output.append(contentsOf: ";CN=".utf8)
            if quoted { output.append(UInt8(ascii: "\"")) }
            escaped(
                copy,
                special: { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "\"") || $0 < 0x20 },
                escape: { out, b, previous in
                    switch b {
                    case 0x0D:
                        out.append(UInt8(ascii: "^"))
                        out.append(UInt8(ascii: "n"))
                    case 0x0A:
                        if previous != 0x0D {
                            out.append(UInt8(ascii: "^"))
                            out.append(UInt8(ascii: "n"))
                        }
                    case 0x09: out.append(0x20)
                    case UInt8(ascii: "^"):
                        out.append(b)
                        out.append(b)
                    case UInt8(ascii: "\""):
                        out.append(UInt8(ascii: "^"))
                        out.append(UInt8(ascii: "'"))
                    default: out.append(b)
                    }
                })
            if quoted { output.append(UInt8(ascii: "\"")) }
        }

        /// `n` in decimal, zero-padded to `width` digits (`n` is 0 or more).
        mutating func number(_ n: Int, width: Int) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            var rest = n
            withUnsafeMutableBytes(of: &digits) { buffer in
                repeat {
                    buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                    count += 1
                } while rest > 0 && count < 12
                for _ in count..<max(count, width) { output.append(UInt8(ascii: "0")) }
                for i in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[i]) }
            }
        }

        /// `YYYYMMDDTHHMMSS`, as libical writes a DATE-TIME (without the `Z` of UTC).
        mutating func dateTime(_ t: ICalDateTime) {
            number(t.date.year, width: 4)
            number(t.date.month, width: 2)
            number(t.date.day, width: 2)
            byte(UInt8(ascii: "T"))
            number(t.hour, width: 2)
            number(t.minute, width: 2)
            number(t.second, width: 2)
        }

        /// libical's `icaldurationtype_from_int(-minutes * 60)` as text.
        mutating func trigger(minutesBefore: Int) {
            var seconds = minutesBefore * 60
            guard seconds != 0 else {
                raw("PT0S")
                return
            }
            if seconds < 0 {
                seconds = -seconds
            } else {
                byte(UInt8(ascii: "-"))
            }
            byte(UInt8(ascii: "P"))
            let week = 7 * 86400
            if seconds % week == 0 {
                number(seconds / week, width: 1)
                byte(UInt8(ascii: "W"))
                return
            }
            let days = seconds / 86400
            let hours = seconds % 86400 / 3600
            let minutes = seconds % 3600 / 60
            let rest = seconds % 60
            if days != 0 {
                number(days, width: 1)
                byte(UInt8(ascii: "D"))
            }
            if hours != 0 || minutes != 0 || rest != 0 {
                byte(UInt8(ascii: "T"))
                if hours != 0 {
                    number(hours, width: 1)
                    byte(UInt8(ascii: "H"))
                }
                if minutes != 0 {
                    number(minutes, width: 1)
                    byte(UInt8(ascii: "M"))
                }
                if rest != 0 {
                    number(rest, width: 1)
                    byte(UInt8(ascii: "S"))
                }
            }
        }
    }
}
