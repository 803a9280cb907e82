import Foundation

/// Logged-in drill leaders of this process: each login is a random nonce that the signed cookie
/// carries, mapped to the session and the hash of the code used.
///
/// The code's hash stays here, not in the cookie (a cookie should carry nothing but a random nonce), and
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
