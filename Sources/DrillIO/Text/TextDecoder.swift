import DrillCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the bytes of an input file into text: UTF-8 (with or without a byte-order mark),
/// GB18030 (the encoding Excel in China writes CSV in) or UTF-16 with a byte-order mark (Excel's
/// "Unicode 文本" / "Unicode Text", tab-separated).
public enum TextDecoder {
    static let expectedText = LocalizedText(
        zh: "UTF-8 文本（或使用 --encoding gb18030）", en: "UTF-8 text (or --encoding gb18030)")

    /// Decodes `bytes` as `encoding`.
    ///
    /// - Parameters:
    ///   - bytes: the file's bytes.
    ///   - encoding: `.auto` takes UTF-8 when valid, else GB18030.
    ///   - file: the path, for errors.
    /// - Throws: `InputError` naming the line of the first byte that cannot be decoded.
    ///
    /// ```swift
    /// let text = try TextDecoder.decode(Array(data), encoding: .auto, file: "roster.csv")
    /// ```
    public static func decode(_ bytes: [UInt8], encoding: RosterEncoding, file: String) throws(InputError) -> String {
        var body = bytes[...]
        // A UTF-16 byte-order mark cannot start UTF-8 or GB18030 text: it decides whatever was asked.
        if body.starts(with: [0xFF, 0xFE]) { return try utf16(body.dropFirst(2), bigEndian: false, file: file) }
        if body.starts(with: [0xFE, 0xFF]) { return try utf16(body.dropFirst(2), bigEndian: true, file: file) }
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        switch encoding {
        case .utf8:
            return try utf8(body, file: file)
        case .gb18030:
            return try gb18030(body, file: file)
        case .auto:
            if firstInvalidUTF8(body) == nil { return try utf8(body, file: file) }
            return try gb18030(body, file: file)
        }
    }

    /// Line (1-based) of the byte at `offset`: newlines before it, plus one.
    static func line(of offset: Int, in bytes: ArraySlice<UInt8>) -> Int {
        bytes.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }

    static func undecodable(_ bytes: ArraySlice<UInt8>, at offset: Int, file: String) -> InputError {
        let bad = bytes.dropFirst(offset).prefix(4).map { "\\x" + String($0, radix: 16, uppercase: true) }
        return InputError(
            file: file, line: line(of: offset, in: bytes), expected: expectedText, found: bad.joined())
    }

    /// Offset of the first byte that is not part of valid UTF-8, nil when all are.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    static func utf8(_ bytes: ArraySlice<UInt8>, file: String) throws(InputError) -> String {
        if let bad = firstInvalidUTF8(bytes) { throw undecodable(bytes, at: bad, file: file) }
        return dropBOM(String(decoding: bytes, as: UTF8.self))
    }

    /// UTF-16 after its byte-order mark; an odd byte count or an unpaired surrogate is an error at
    /// its line.
    static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool, file: String) throws(InputError) -> String {
        let expected = LocalizedText(
            zh: "完整的 UTF-16 文本（Unicode 文本）；或在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
            en: "whole UTF-16 text (Unicode Text), or save it from Excel as \"CSV UTF-8 (Comma delimited)\"")
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (a, b) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            index += 2
        }
        var newlines = 1
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var parser = Unicode.UTF16.ForwardParser()
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF16.decode(encoded)
                if scalar == "\n" { newlines += 1 }
                scalars.append(scalar)
            case .emptyInput:
                break loop
            case .error:
                throw InputError(
                    file: file, line: newlines, expected: expected, found: "",
                    withheld: LocalizedText(zh: "不成对的 UTF-16 代理项", en: "an unpaired UTF-16 surrogate"))
            }
        }
        if bytes.count % 2 == 1 {
            throw InputError(
                file: file, line: newlines, expected: expected, found: "",
                withheld: LocalizedText(zh: "奇数个字节（文件被截断）", en: "an odd number of bytes (a cut-off file)"))
        }
        return String(scalars)
    }

    static func dropBOM(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }

    static func gb18030(_ bytes: ArraySlice<UInt8>, file: String) throws(InputError) -> String {
        let cd = iconv_open("UTF-8", "GB18030")
        guard let cd, Int(bitPattern: cd) != -1 else {
            throw InputError(
                file: file,
                expected: LocalizedText(zh: "系统支持 GB18030 转换（iconv）", en: "GB18030 support in iconv"),
                found: "iconv_open failed")
        }
        defer { iconv_close(cd) }
        var input = Array(bytes)
        // GB18030 needs at most 4 UTF-8 bytes per 2 input bytes; 2x + 16 is always enough.
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        let total = input.count
        var badOffset: Int?
        let written: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = total
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                if total > 0 {
                    let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    if result == -1 || inLeft > 0 { badOffset = total - inLeft }
                }
                return outBuf.count - outLeft
            }
        }
        if let badOffset { throw undecodable(bytes, at: badOffset, file: file) }
        return dropBOM(String(decoding: output.prefix(written), as: UTF8.self))
    }
}
