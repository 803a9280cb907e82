/// The lexical layer of every file the writer emits (RFC 5545 §3.1): content lines end in CRLF,
/// are folded at 75 octets on UTF-8 boundaries with a single space starting each continuation, and
/// hold no control characters.
///
/// libical 3.0 folds a property *with its own CRLF still attached* (`fold_property_line` runs over
/// `NAME:value\r\n`): when the last piece of a long value is 73 octets, it breaks between the CR and
/// the LF (`…\r` `\r\n ` `\n`, a bare CR inside a line); at 74 octets it leaves an empty continuation
/// line (`\r\n \r\n`). The example's annual-report reminder hit exactly that. libical's folding only
/// ever inserts `CRLF SPACE`, so removing every such triple gives back its unfolded text losslessly;
/// the writer does that and folds again here, so one fold decides every line of every feed.
enum ContentLines {
    /// Longest physical line, in octets, excluding its CRLF (RFC 5545 §3.1).
    static let limit = 75

    /// libical's serialised text unfolded and folded again.
    /// - Throws: `.libraryError` when a content line is empty, the text does not end in CRLF, or a
    ///   control character (C0 other than the line ends, DEL, C1) sits inside a line: values are
    ///   checked before they reach libical, so this means libical wrote something unexpected.
    static func refold(_ text: String) throws(ICalError) -> String {
        // One copy in (unfolded), one out (folded); lines are slices of the unfolded bytes. Every
        // feed's events pass through here, so no per-line arrays and no per-character String work.
        let bytes = unfolded(Array(text.utf8))
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 64 * 3)
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                guard i > start, bytes[i - 1] == 0x0D else {
                    throw ICalError(.libraryError, message: "expected CRLF line ends, found a bare LF")
                }
                try fold(bytes[start..<(i - 1)], into: &output)
                start = i + 1
            }
            i += 1
        }
        guard start == bytes.count else {
            throw ICalError(.libraryError, message: "expected the text to end with CRLF")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The text with every `CR LF SPACE` removed (RFC 5545 unfolding).
    static func unfolded(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 2 < bytes.count, bytes[i + 1] == 0x0A, bytes[i + 2] == 0x20 {
                i += 3
                continue
            }
            result.append(bytes[i])
            i += 1
        }
        return result
    }

    /// Appends one content line (without its CRLF), folded, with CRLF after each physical line.
    static func fold(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) throws(ICalError) {
        guard !line.isEmpty else {
            throw ICalError(.libraryError, message: "expected no empty content line, found one")
        }
        if let bad = firstControl(line) {
            throw ICalError(
                .libraryError,
                message: "expected no control characters inside a content line, found byte 0x"
                    + String(line[line.startIndex + bad], radix: 16, uppercase: true) + " at octet \(bad + 1) of '"
                    + String(decoding: line.prefix(40), as: UTF8.self) + "'")
        }
        var start = line.startIndex
        var room = limit
        while start < line.endIndex {
            var end = min(start + room, line.endIndex)
            // Never split a UTF-8 sequence: back up while the next octet is a continuation byte.
            while end < line.endIndex, end > start, line[end] & 0xC0 == 0x80 { end -= 1 }
            if start > line.startIndex { output.append(0x20) }
            output.append(contentsOf: line[start..<end])
            output.append(0x0D)
            output.append(0x0A)
            start = end
            room = limit - 1  // the leading space counts
        }
    }

    /// Index of the first C0 control, DEL or UTF-8-encoded C1 control (U+0080–U+009F), if any.
    /// (An offset from the slice's start.)
    static func firstControl(_ line: ArraySlice<UInt8>) -> Int? {
        var i = line.startIndex
        while i < line.endIndex {
            let byte = line[i]
            if byte < 0x20 || byte == 0x7F { return i - line.startIndex }
            if byte == 0xC2, i + 1 < line.endIndex, (0x80...0x9F).contains(line[i + 1]) { return i - line.startIndex }
            i += 1
        }
        return nil
    }

    /// The first lexical fault of a whole file, or nil: every physical line ends in CRLF, holds at
    /// most 75 octets and no control character, no continuation is empty, no UTF-8 sequence is split.
    static func fault(in text: String) -> String? {
        let bytes = Array(text.utf8)
        var lineStart = 0
        var number = 1
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                guard bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A else {
                    return "line \(number): a bare \(bytes[i] == 0x0D ? "CR" : "LF")"
                }
                let line = bytes[lineStart..<i]
                if line.count > limit { return "line \(number): \(line.count) octets" }
                if line.isEmpty || line == [0x20] { return "line \(number): empty" }
                if let first = line.first, first & 0xC0 == 0x80 {
                    return "line \(number): starts inside a UTF-8 character"
                }
                if line.first == 0x20, let second = line.dropFirst().first, second & 0xC0 == 0x80 {
                    return "line \(number): continues inside a UTF-8 character"
                }
                if let bad = firstControl(line) {
                    return "line \(number): control byte at octet \(bad + 1)"
                }
                i += 2
                lineStart = i
                number += 1
                continue
            }
            i += 1
        }
        return lineStart == bytes.count ? nil : "line \(number): no CRLF at the end of the file"
    }
}
