import Crypto
import DrillWeb

/// The secret in a member's private feed URL (`/feeds/<token>.ics`): 256 random bits as
/// base64url. The server and the store only ever see its SHA-256 digest after the request.
///
/// ```swift
/// let token = FeedToken.generate()
/// try await store.issueToken(member: "m001", hash: FeedToken.digest(token), at: now)
/// ```
public enum FeedToken {
    /// Random bytes per token (256 bits; 128 would do, the URL is still short).
    static let byteCount = 32
    /// Characters of a token: 32 bytes as unpadded base64url.
    static let length = 43

    /// A fresh token from the system's cryptographic generator.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// A token from `generator` (tests pass a seeded one; production must not).
    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for _ in 0..<(byteCount / 8) {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> shift))
            }
        }
        return base64url(bytes)
    }

    /// SHA-256 of the token's UTF-8, as 64 lowercase hex digits: what the store keeps.
    public static func digest(_ token: some StringProtocol) -> String {
        SHA256.hash(data: Array(token.utf8)).withUnsafeBytes { Hex.lower($0) }
    }

    /// Whether `text` has a token's shape (43 base64url characters). Anything else is answered
    /// 404 without a store lookup; the shape says nothing about which tokens exist.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == length
            && text.utf8.allSatisfy { c in
                (65...90).contains(c) || (97...122).contains(c) || (48...57).contains(c) || c == 45 || c == 95
            }
    }

    /// Unpadded base64url (RFC 4648 §5).
    static func base64url(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            var chunk = UInt32(bytes[i]) << 16
            if n > 1 { chunk |= UInt32(bytes[i + 1]) << 8 }
            if n > 2 { chunk |= UInt32(bytes[i + 2]) }
            for k in 0...n { out.append(alphabet[Int((chunk >> (18 - 6 * UInt32(k))) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
