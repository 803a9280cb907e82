/// JSON written by hand where `JSONEncoder`'s boxed value tree was measured too slow (the feed
/// manifest, the SQLite store's packed rosters): the pieces both need, one definition.
public enum JSONBytes {
    /// Appends `text` as a JSON string, escaped exactly as `JSONEncoder` escapes it (quote,
    /// backslash, `\b \t \n \f \r`, other C0 controls as `\u00xx`; a slash and everything else
    /// as UTF-8), so hand-written and encoded JSON agree byte for byte.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        // Over the contiguous bytes (a packed roster appends five short strings an entry, and the
        // generic UTF-8 view's scan and append were 3.7 % of a province build's CPU).
        var text = text
        text.withUTF8 { bytes in appendEscaped(bytes, to: &out) }
        out.append(0x22)
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Nearly every string (UIDs, hashes, dates, names) needs no escape: copied whole.
        var clean = true
        for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            clean = false
            break
        }
        if clean {
            out.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0x22: out.append(contentsOf: #"\""#.utf8)
            case 0x5C: out.append(contentsOf: #"\\"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether two texts are the same bytes (`==` on Strings compares canonical equivalence, which
    /// walks every scalar of a non-ASCII text).
    public static func sameBytes(_ a: String, _ b: String) -> Bool {
        compareBytes(a, b) == 0
    }

    /// Whether `a`'s UTF-8 bytes sort before `b`'s (`JSONEncoder`'s `.sortedKeys` order).
    public static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        compareBytes(a, b) < 0
    }

    /// `keys` in the order of their UTF-8 bytes (`bytesPrecede`), each key's bytes taken once:
    /// sorting a manifest's ~300 UIDs with `bytesPrecede` copied and retained both strings on each of
    /// ~2,500 comparisons (1.3 % of a province build's CPU, perf).
    public static func sortedByBytes(_ keys: some Sequence<String>) -> [String] {
        var keyed = keys.map { (key: $0, bytes: Array($0.utf8)) }
        keyed.sort { a, b in
            a.bytes.withUnsafeBufferPointer { x in b.bytes.withUnsafeBufferPointer { y in compare(x, y) < 0 } }
        }
        return keyed.map(\.key)
    }

    /// Negative, zero or positive as `a`'s UTF-8 bytes sort before, equal or after `b`'s, over the
    /// contiguous bytes (the generic comparisons over two UTF-8 views were a third of writing a
    /// town's manifest).
    private static func compareBytes(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in b.withUTF8 { y in compare(x, y) } }
    }

    /// Negative, zero or positive as the bytes `x` sort before, equal or after `y`.
    private static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        for i in 0..<min(x.count, y.count) where x[i] != y[i] { return x[i] < y[i] ? -1 : 1 }
        return x.count - y.count
    }
}
