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
        var text = text
        text.makeContiguousUTF8()
        let result: Result<String, ICalError>? = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(ICalError) -> String in try refold(bytes) }
        }
        return try (result ?? .failure(ICalError(.libraryError, message: "expected contiguous UTF-8"))).get()
    }

    /// ``refold(_:)-(String)`` over bytes as libical wrote them (its buffer, read in place).
    ///
    /// One pass, the same result as removing every `CR LF SPACE` and then splitting at LF: bytes go
    /// into the current logical line in runs (a run ends at a CR or LF), a `CR LF SPACE` is skipped,
    /// and an LF ends the line when the line ends in CR (the CR is dropped). Every event of every
    /// feed passes here, so runs are copied whole and the text is made a `String` once.
    static func refold(_ bytes: UnsafeBufferPointer<UInt8>) throws(ICalError) -> String {
        let count = bytes.count
        var output: [UInt8] = []
        output.reserveCapacity(count + count / 64 * 3)
        var line: [UInt8] = []
        line.reserveCapacity(256)
        guard let base = bytes.baseAddress else { return "" }
        var i = 0
        while i < count {
            var run = i
            while run < count, base[run] != 0x0D, base[run] != 0x0A { run += 1 }
            if line.isEmpty, run + 1 < count, base[run] == 0x0D, base[run + 1] == 0x0A,
                run + 2 == count || base[run + 2] != 0x20
            {
                // A whole logical line in one physical line (most are): folded from libical's bytes
                // in place, without the copy into `line`.
                try fold(UnsafeBufferPointer(start: base + i, count: run - i), into: &output)
                i = run + 2
                continue
            }
            if run > i { line.append(contentsOf: UnsafeBufferPointer(start: base + i, count: run - i)) }
            guard run < count else { break }
            if base[run] == 0x0D, run + 2 < count, base[run + 1] == 0x0A, base[run + 2] == 0x20 {
                i = run + 3  // a fold: the logical line goes on
            } else if base[run] == 0x0A {
                guard line.last == 0x0D else {
                    throw ICalError(.libraryError, message: "expected CRLF line ends, found a bare LF")
                }
                line.removeLast()
                try line.withUnsafeBufferPointer { line throws(ICalError) in try fold(line, into: &output) }
                line.removeAll(keepingCapacity: true)
                i = run + 1
            } else {
                line.append(0x0D)  // a CR: the line end if an LF follows (after any folds)
                i = run + 1
            }
        }
        guard line.isEmpty else {
            throw ICalError(.libraryError, message: "expected the text to end with CRLF")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends one content line (without its CRLF), folded, with CRLF after each physical line.
    static func fold(_ line: ArraySlice<UInt8>, into output: inout [UInt8]) throws(ICalError) {
        try line.withUnsafeBufferPointer { bytes throws(ICalError) in try fold(bytes, into: &output) }
    }

    /// ``fold(_:into:)-(ArraySlice<UInt8>,_)`` over bytes in place.
    static func fold(_ line: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) throws(ICalError) {
        guard let base = line.baseAddress, line.count > 0 else {
            throw ICalError(.libraryError, message: "expected no empty content line, found one")
        }
        if let bad = firstControl(line) {
            throw ICalError(
                .libraryError,
                message: "expected no control characters inside a content line, found byte 0x"
                    + String(base[bad], radix: 16, uppercase: true) + " at octet \(bad + 1) of '"
                    + String(decoding: line.prefix(40), as: UTF8.self) + "'")
        }
        let count = line.count
        var start = 0
        var room = limit
        while start < count {
            var end = min(start + room, count)
            // Never split a UTF-8 sequence: back up while the next octet is a continuation byte.
            while end < count, end > start, base[end] & 0xC0 == 0x80 { end -= 1 }
            if start > 0 { output.append(0x20) }
            output.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
            output.append(0x0D)
            output.append(0x0A)
            start = end
            room = limit - 1  // the leading space counts
        }
    }

    /// Index of the first C0 control, DEL or UTF-8-encoded C1 control (U+0080–U+009F), if any.
    /// (An offset from the slice's start.)
    static func firstControl(_ line: ArraySlice<UInt8>) -> Int? {
        line.withUnsafeBufferPointer { firstControl($0) }
    }

    /// ``firstControl(_:)-(ArraySlice<UInt8>)`` over bytes in place.
    static func firstControl(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = line.baseAddress else { return nil }
        return ControlScan.firstControl(base, line.count, allowingLineBreaks: false)
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

/// The bytes a control-character check must look at twice: C0 controls, DEL, and 0xC2 (the lead
/// byte of U+0080-U+00BF, C1 controls among them). Every line of every event is checked, and most
/// hold none, so sixteen bytes are tested at a time.
enum ControlScan {
    /// The offset of the first candidate at or after the start, or a multiple-of-16 offset from
    /// which the caller scans byte by byte (at most `count`).
    @inline(__always)
    static func firstCandidate(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int {
        let space = SIMD16<UInt8>(repeating: 0x20)
        let delete = SIMD16<UInt8>(repeating: 0x7F)
        let lead = SIMD16<UInt8>(repeating: 0xC2)
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
            if any((v .< space) .| (v .== delete) .| (v .== lead)) { return i }
            i += 16
        }
        return i
    }

    /// The offset of the first control character (C0, DEL, C1 as 0xC2 0x80-0x9F), or nil; tab, CR
    /// and LF do not count when `allowingLineBreaks`.
    static func firstControl(_ base: UnsafePointer<UInt8>, _ count: Int, allowingLineBreaks: Bool) -> Int? {
        var i = firstCandidate(base, count)
        while i < count {
            // Candidates first, in a loop with no state between bytes; only they get a second look.
            while i < count, base[i] >= 0x20, base[i] != 0x7F, base[i] != 0xC2 { i += 1 }
            guard i < count else { return nil }
            let byte = base[i]
            if byte < 0x20 {
                if !(allowingLineBreaks && (byte == 0x09 || byte == 0x0A || byte == 0x0D)) { return i }
            } else if byte == 0x7F {
                return i
            } else if i + 1 < count, base[i + 1] >= 0x80, base[i + 1] <= 0x9F {
                return i  // 0xC2 then 0x80-0x9F: a C1 control
            }
            i += 1
        }
        return nil
    }
}
