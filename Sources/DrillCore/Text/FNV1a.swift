/// FNV-1a, 64 bit: a stable content hash (Swift's Hasher is seeded per process, so unusable here).
public enum FNV1a {
    /// The hash of `first` then `second` (the same as of their concatenation, without making it).
    public static func hex(_ first: String, _ second: String = "") -> String {
        var h = offset
        for text in [first, second] where !text.isEmpty {
            h = continuing(h, over: text)
        }
        return text(h)
    }

    /// The hash `h` continued over `bytes` (FNV-1a's state is the hash so far).
    public static func continuing(_ h: UInt64, over bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = h
        for b in bytes {
            h ^= UInt64(b)
            h &*= prime
        }
        return h
    }

    /// The hash `h` continued over `text`'s UTF-8 (in place when contiguous: every rendered event is).
    public static func continuing(_ h: UInt64, over text: String) -> UInt64 {
        withBytes(text) { continuing(h, over: UnsafeRawBufferPointer($0)) }
    }

    /// `hex(first, second)` of each pair, the same values: four inputs at a time, their bytes
    /// interleaved so four multiply chains run at once (one chain waits on each multiply's latency),
    /// then each one's remaining bytes alone. The firsts are hashed, then the seconds from where the
    /// firsts left off (FNV-1a's state is the hash so far), so no pair is ever concatenated.
    public static func hexes(_ pairs: [(String, String)]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(pairs.count)
        var i = 0
        while i + 4 <= pairs.count {
            var h: (UInt64, UInt64, UInt64, UInt64) = (offset, offset, offset, offset)
            lanes(pairs[i].0, pairs[i + 1].0, pairs[i + 2].0, pairs[i + 3].0, &h)
            lanes(pairs[i].1, pairs[i + 1].1, pairs[i + 2].1, pairs[i + 3].1, &h)
            out += [text(h.0), text(h.1), text(h.2), text(h.3)]
            i += 4
        }
        for pair in pairs[i...] { out.append(hex(pair.0, pair.1)) }
        return out
    }

    /// Continues four hashes over four texts' UTF-8, side by side.
    private static func lanes(
        _ a: String, _ b: String, _ c: String, _ d: String, _ h: inout (UInt64, UInt64, UInt64, UInt64)
    ) {
        if a.isEmpty && b.isEmpty && c.isEmpty && d.isEmpty { return }
        withBytes(a) { a in
            withBytes(b) { b in
                withBytes(c) { c in
                    withBytes(d) { d in
                        let n = min(a.count, b.count, c.count, d.count)
                        for k in 0..<n {
                            h.0 = (h.0 ^ UInt64(a[k])) &* prime
                            h.1 = (h.1 ^ UInt64(b[k])) &* prime
                            h.2 = (h.2 ^ UInt64(c[k])) &* prime
                            h.3 = (h.3 ^ UInt64(d[k])) &* prime
                        }
                        for k in n..<a.count { h.0 = (h.0 ^ UInt64(a[k])) &* prime }
                        for k in n..<b.count { h.1 = (h.1 ^ UInt64(b[k])) &* prime }
                        for k in n..<c.count { h.2 = (h.2 ^ UInt64(c[k])) &* prime }
                        for k in n..<d.count { h.3 = (h.3 ^ UInt64(d[k])) &* prime }
                    }
                }
            }
        }
    }

    /// A text's UTF-8 in place when contiguous (native strings are), else copied.
    private static func withBytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    public static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x100_0000_01b3

    /// Sixteen lower-case hex digits.
    public static func text(_ h: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for k in 0..<16 { buffer[k] = digits.utf8Start[Int((h >> (60 - 4 * UInt64(k))) & 0xf)] }
            return 16
        }
    }
}
