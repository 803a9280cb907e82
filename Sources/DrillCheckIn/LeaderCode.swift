import Crypto
import DrillStore
import DrillWeb
import Foundation
import Synchronization

/// Drill-leader codes (带队签到码): what a village drill leader types to open one session's check-in page.
///
/// A code is 12 characters from a 32-character alphabet without look-alikes (no 0/O, 1/I/l), so
/// 60 bits of entropy, shown in groups of four (`K7QX-3MPA-W9RT`); wrong attempts are throttled
/// per address and per session (`GuessThrottle`). The store keeps only an HMAC-SHA256 of the code
/// under the store's own random key (`AttendanceStore.storeKey(named:)`).
///
/// Why this is enough against a copied database: the key sits in the same file, so it only acts as
/// a per-database salt (no table computed once works for every town); the strength is the 60 bits.
/// Finding one code offline takes 2^59 HMACs on average — about 18 years at 10^9 HMAC-SHA256 a
/// second on a GPU, for a code that opens one session's check-in for a day or two. A deliberately
/// slow hash (PBKDF2, scrypt) would add little at 60 bits and would cost CPU on every login, which
/// a guesser could turn against the server. Codes of the old 8-character form (40 bits, unsalted
/// SHA-256) were revoked by the `v3-leader-code-hmac` migration; typing one says to ask for a new one.
///
/// ```swift
/// let code = LeaderCode.generate()               // "K7QX-3MPA-W9RT"
/// let key = try await store.storeKey(named: LeaderCode.keyName)
/// try await store.issueLeaderCode(session: uid, hash: LeaderCode.hash(code, key: key), by: "站长", at: now)
/// LeaderCode.normalize(" k7qx 3mpa-w9rt ")       // "K7QX3MPAW9RT"
/// ```
public enum LeaderCode {
    /// Digits 2–9 and capital letters without I and O: 32 characters, 5 bits each.
    public static let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    /// Characters in a code (60 bits).
    public static let length = 12
    /// Characters in a code issued before the `v3-leader-code-hmac` migration.
    static let oldLength = 8
    /// The name of the store key the code hashes are keyed with.
    public static let keyName = "leader-code-hmac"

    /// A new random code, drawn with `generator` (the system's CSPRNG by default), grouped by four.
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let raw = (0..<length).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }
        return stride(from: 0, to: length, by: 4).map { String(raw[$0..<min($0 + 4, length)]) }
            .joined(separator: "-")
    }

    /// A new random code from the system's cryptographic random source.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// The code as typed, in canonical form: upper case, without spaces or dashes; nil if it cannot
    /// be a code (wrong length or a character outside the alphabet).
    public static func normalize(_ typed: String) -> String? {
        guard typed.count <= 64 else { return nil }
        let kept = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard kept.count == length, kept.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return kept
    }

    /// Whether `typed` has the shape of a code from before the 12-character form, which no longer
    /// opens anything (the leader needs a new one).
    public static func isOldFormat(_ typed: String) -> Bool {
        guard typed.count <= 64 else { return false }
        let kept = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        return kept.count == oldLength && kept.allSatisfy { alphabet.contains($0) }
    }

    /// HMAC-SHA256 of the canonical code under the store's key, as 64 lowercase hex digits: what
    /// the store keeps and looks up.
    public static func hash(_ code: String, key: [UInt8]) -> String {
        let canonical = normalize(code) ?? code
        return hex(HMAC<SHA256>.authenticationCode(for: Data(canonical.utf8), using: SymmetricKey(data: key)))
    }

    /// A digest of a canonical code for one process's memory only (the throttle's "right a moment
    /// ago" set): never stored, so it needs no key.
    static func memoryDigest(_ canonical: String, uid: String) -> String {
        hex(SHA256.hash(data: Data("drillcal/leader-code-memory|\(uid)|\(canonical)".utf8)))
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Hex.lower(bytes)
    }
}

/// The store's leader-code key, read from the store on first use and kept.
final class CodeKeyCache<Store: AttendanceStore>: Sendable {
    private let store: Store
    private let cached = Mutex<[UInt8]?>(nil)

    init(store: Store) { self.store = store }

    func key() async throws(StoreError) -> [UInt8] {
        if let key = cached.withLock({ $0 }) { return key }
        let key = try await store.storeKey(named: LeaderCode.keyName)
        cached.withLock { $0 = key }
        return key
    }
}
