import Crypto
import Foundation

/// Drill-leader codes (带队签到码): what a village drill leader types to open one session's check-in page.
///
/// A code is 8 characters from a 32-character alphabet without look-alikes (no 0/O, 1/I/l), so
/// 40 bits of entropy; wrong attempts are rate-limited per address. Only its SHA-256 hash is stored
/// (`AttendanceStore.issueLeaderCode`), so the database never holds a working code.
///
/// ```swift
/// let code = LeaderCode.generate()               // "K7QX3MPA"
/// try await store.issueLeaderCode(session: uid, hash: LeaderCode.hash(code), by: "站长", at: now)
/// LeaderCode.normalize(" k7qx-3mpa ")            // "K7QX3MPA"
/// ```
public enum LeaderCode {
    /// Digits 2–9 and capital letters without I and O: 32 characters, 5 bits each.
    public static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    /// Characters in a code.
    public static let length = 8

    /// A new random code, drawn with `generator` (the system's CSPRNG by default).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        String((0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// A new random code from the system's cryptographic random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// The code as typed, in canonical form: upper case, without spaces or dashes; nil if it cannot
    /// be a code (wrong length or a character outside the alphabet).
    public static func normalize(_ typed: String) -> String? {
        let kept = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard kept.count == length, kept.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return kept
    }

    /// The SHA-256 of the canonical code, as 64 lowercase hex digits: what the store keeps.
    public static func hash(_ code: String) -> String {
        let canonical = normalize(code) ?? code
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
