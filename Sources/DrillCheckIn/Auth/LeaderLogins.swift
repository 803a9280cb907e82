import Foundation

/// Logged-in drill leaders of this process: each login is a random nonce that the signed cookie
/// carries, mapped to the session and the hash of the code used.
///
/// The code's hash stays here, not in the cookie (a hash of a 40-bit code is easy to invert), and
/// every request re-checks it against the store, so revoking a code logs its leader out at once.
actor LeaderLogins {
    /// One login.
    struct Login: Sendable {
        var sessionUID: String
        var codeHash: String
        var expiry: Int
    }

    private var logins: [String: Login] = [:]

    /// Records a login and returns its nonce.
    func add(session uid: String, codeHash: String, expiry: Int, now: Int) -> String {
        logins = logins.filter { $0.value.expiry > now }
        let nonce = Signer.randomHex(bytes: 16)
        logins[nonce] = Login(sessionUID: uid, codeHash: codeHash, expiry: expiry)
        return nonce
    }

    /// The login of a nonce, unless it expired.
    func login(_ nonce: String, now: Int) -> Login? {
        guard let login = logins[nonce], login.expiry > now else { return nil }
        return login
    }
}

/// Counts wrong attempts per key (an address, or an address and a session) in a sliding window.
actor AttemptLimiter {
    private var failures: [String: [Int]] = [:]
    private let limit: Int
    private let window: Int

    init(limit: Int, window: Int) {
        self.limit = limit
        self.window = window
    }

    /// Whether `key` may try again now.
    func allows(_ key: String, now: Int) -> Bool {
        (failures[key] ?? []).filter { $0 > now - window }.count < limit
    }

    /// Records a wrong attempt.
    func fail(_ key: String, now: Int) {
        var recent = (failures[key] ?? []).filter { $0 > now - window }
        recent.append(now)
        failures[key] = recent
        if failures.count > 10_000 { failures = failures.filter { $0.value.contains { $0 > now - window } } }
    }
}
