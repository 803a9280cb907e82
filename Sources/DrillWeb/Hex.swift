/// Lowercase hexadecimal text of bytes (digests, HMACs, random nonces).
///
/// `String(format: "%02x", byte)` per byte went through Foundation's formatter: about 4 % of a
/// check-in's CPU (a leader code's HMAC and its memory digest are hexed on every request).
public enum Hex {
    /// `[0xde, 0xad]` → `"dead"`.
    public static func lower(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ lower(UnsafeRawBufferPointer($0)) }) {
            return text
        }
        return Array(bytes).withUnsafeBytes { lower($0) }
    }

    /// The bytes of a digest or any other contiguous memory (`digest.withUnsafeBytes(Hex.lower)`):
    /// written straight into the string's storage. A digest walked as a `Sequence` went through
    /// its iterator byte by byte into an array and then a string: 3 % of the CPU of answering a
    /// member's feed, whose token is hashed and hexed on every request.
    public static func lower(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for byte in bytes {
                out[i] = digit(byte >> 4)
                out[i + 1] = digit(byte & 0x0f)
                i += 2
            }
            return i
        }
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // "0"..."9", "a"..."f"
    }
}
