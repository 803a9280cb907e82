/// Lowercase hexadecimal text of bytes (digests, HMACs, random nonces).
///
/// `String(format: "%02x", byte)` per byte went through Foundation's formatter: about 4 % of a
/// check-in's CPU (a leader code's HMAC and its memory digest are hexed on every request).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `[0xde, 0xad]` → `"dead"`.
    public static func lower(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
