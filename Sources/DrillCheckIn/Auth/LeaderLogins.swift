import Crypto
import DrillStore
import DrillWeb
import Foundation

/// Logged-in drill leaders: each login is a random nonce that the signed cookie carries, mapped to
/// the session and the hash of the code used.
///
/// The mapping lives in the store (under the SHA-256 of the nonce, `AttendanceStore.saveLeaderLogin`),
/// so a login made on one server is valid on every server sharing the database, and survives a
/// restart; this actor only caches what it has seen. The code's hash stays in the store, not in the
/// cookie (a cookie should carry nothing but a random nonce), and every request re-checks it, so
/// revoking a code logs its leader out at once.
actor LeaderLogins {
    /// One login.
    struct Login: Sendable {
        var sessionUID: String
        var codeHash: String
        var expiry: Int
    }

    private let store: any AttendanceStore
    private var cache: [String: Login] = [:]

    init(store: any AttendanceStore) { self.store = store }

    /// Records a login (in the store first, so other servers find it) and returns its nonce.
    func add(session uid: String, codeHash: String, expiry: Int, now: Int) async throws(StoreError) -> String {
        let nonce = Signer.randomHex(bytes: 16)
        try await store.saveLeaderLogin(
            LeaderLoginRecord(nonceDigest: Self.digest(nonce), sessionUID: uid, codeHash: codeHash, expiry: expiry),
            now: now)
        cache = cache.filter { $0.value.expiry > now }
        cache[nonce] = Login(sessionUID: uid, codeHash: codeHash, expiry: expiry)
        return nonce
    }

    /// The login of a nonce, unless it expired: from the cache, else from the store (a login made on
    /// another server, or before a restart).
    func login(_ nonce: String, now: Int) async throws(StoreError) -> Login? {
        if let login = cache[nonce] { return login.expiry > now ? login : nil }
        guard let record = try await store.leaderLogin(nonceDigest: Self.digest(nonce)), record.expiry > now else {
            return nil
        }
        let login = Login(sessionUID: record.sessionUID, codeHash: record.codeHash, expiry: record.expiry)
        cache[nonce] = login
        return login
    }

    /// SHA-256 of the nonce, lowercase hex: what the store keeps.
    static func digest(_ nonce: String) -> String {
        SHA256.hash(data: Data(nonce.utf8)).withUnsafeBytes { Hex.lower($0) }
    }
}
