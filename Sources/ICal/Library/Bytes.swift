#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension String {
    /// Whether the UTF-8 form holds `byte`: `memchr` over the contiguous bytes. The generic
    /// `utf8.contains` walks the view one index at a time, and every event's values pass here.
    func containsByte(_ byte: UInt8) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ bytes -> Bool in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        }) {
            return found
        }
        return utf8.contains(byte)
    }
}

extension String {
    /// Whether the UTF-8 form begins with `prefix`'s and ends with `suffix`'s, compared as bytes
    /// (`hasPrefix`/`hasSuffix` compare Characters, slower, and treat CRLF as one).
    func bytesStartAndEnd(with prefix: StaticString, _ suffix: StaticString) -> Bool {
        let check = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            let p = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            let s = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
            guard bytes.count >= p.count, bytes.count >= s.count else { return false }
            return bytes.prefix(p.count).elementsEqual(p) && bytes.suffix(s.count).elementsEqual(s)
        }
        if let result = utf8.withContiguousStorageIfAvailable(check) { return result }
        return Array(utf8).withUnsafeBufferPointer(check)
    }
}
