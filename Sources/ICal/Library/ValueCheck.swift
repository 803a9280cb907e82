/// Checks applied to values before they reach libical.
///
/// libical escapes TEXT values but copies CAL-ADDRESS, URI, UID and X-property values verbatim, so a
/// CR or LF in them would inject a new line into the file (LIBICAL.md, "Writing").
enum ValueCheck {
    /// Throws `.unsafeValue` when `value` holds any control character (CR, LF, TAB, NUL, DEL, C1).
    static func noControlCharacters(_ value: String, property: String) throws(ICalError) {
        guard mayHoldControl(value, allowingLineBreaks: false) else { return }
        if let bad = value.unicodeScalars.first(where: isControl) {
            throw ICalError(
                .unsafeValue,
                message: "expected no control characters, found \(describe(bad)) in '\(printable(value))'",
                property: property)
        }
    }

    /// Throws `.unsafeValue` for an empty or control-character-bearing verbatim value.
    static func verbatim(_ value: String, property: String) throws(ICalError) {
        try noControlCharacters(value, property: property)
        if value.isEmpty {
            throw ICalError(
                .invalidValue, message: "expected a value, found an empty string", property: property)
        }
    }

    /// TEXT values may hold any text and line breaks (libical escapes them); other control
    /// characters would be copied raw into the file, which RFC 5545 forbids, and NUL cuts it short.
    static func text(_ value: String, property: String) throws(ICalError) {
        guard mayHoldControl(value, allowingLineBreaks: true) else { return }
        if let bad = value.unicodeScalars.first(where: { isControl($0) && !["\t", "\n", "\r"].contains($0) })
        {
            throw ICalError(
                .unsafeValue,
                message: "expected text with no control characters other than tab and line breaks, "
                    + "found \(describe(bad)) in '\(printable(value))'",
                property: property)
        }
    }

    /// Line breaks as LF only: libical drops a CR from TEXT (and turns it into a space in
    /// parameters), so CRLF and lone CR become LF to round-trip as the same line break.
    static func normalizedLineBreaks(_ value: String) -> String {
        guard value.containsByte(0x0D) else { return value }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            scalars.append(previousWasCR ? "\n" : scalar)
        }
        return String(scalars)
    }

    /// Accepts IANA-style zone names only: `[A-Za-z0-9_+-/]`, no `..`, no leading `/`.
    ///
    /// libical opens `zoneinfo/<TZID>` for names outside zone.tab, so a name must not walk paths.
    static func timeZoneID(_ tzid: String) throws(ICalError) {
        // Bytes, not Characters: every event checks its zone. A dot is outside the set, so `..` is too.
        let allowed = tzid.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                UInt8(ascii: "/"):
                true
            default: false
            }
        }
        guard !tzid.isEmpty, tzid.utf8.count <= 64, allowed,
            tzid.utf8.first != UInt8(ascii: "/")
        else {
            throw ICalError(
                .unsafeValue,
                message: "expected a time zone name like Asia/Shanghai (letters, digits, _ + - /), "
                    + "found '\(printable(tzid))'",
                property: "TZID")
        }
    }

    /// Accepts `X-` names of letters, digits and dashes, except libical's own `X-LIC-` names.
    static func extraPropertyName(_ name: String) throws(ICalError) {
        let upper = name.uppercased()
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "-": true
            default: false
            }
        }
        guard allowed, upper.hasPrefix("X-"), upper.count > 2, !upper.hasPrefix("X-LIC-") else {
            try noControlCharacters(name, property: "X-property name")
            throw ICalError(
                .unsafeValue,
                message: "expected an extension property name like X-DRILLCAL-TEAM (X- then letters, "
                    + "digits, dashes; not X-LIC-), found '\(printable(name))'",
                property: name)
        }
    }

    /// The fast path of every check here: one pass over the UTF-8 bytes. The control characters
    /// (general category Cc) are exactly U+0000–U+001F, U+007F and U+0080–U+009F, that is the
    /// bytes below 0x20, 0x7F, and 0xC2 followed by 0x80–0x9F; ASCII, CJK and every other text
    /// is accepted without looking up a Unicode property per character. False means no control
    /// character (other than tab, CR and LF when `allowingLineBreaks`); true sends the value to
    /// the exact scalar scan, which names the character.
    static func mayHoldControl(_ value: String, allowingLineBreaks: Bool) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard let base = bytes.baseAddress else { return false }
            return ControlScan.firstControl(base, bytes.count, allowingLineBreaks: allowingLineBreaks) != nil
        }
        if let result = value.utf8.withContiguousStorageIfAvailable(scan) { return result }
        var copy = value
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(scan) ?? true
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\r": "a carriage return (CR)"
        case "\n": "a line feed (LF)"
        case "\t": "a tab"
        default: "control character U+" + String(scalar.value, radix: 16, uppercase: true)
        }
    }

    /// The value with control characters shown as escapes, for messages.
    static func printable(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            result += isControl(scalar) ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return result.count > 80 ? String(result.prefix(77)) + "..." : result
    }
}

extension String {
    /// The string with each tab replaced by one space.
    func replacingTabs() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\t" ? " " : $0 }))
    }
}
