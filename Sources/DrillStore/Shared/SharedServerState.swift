/// What several `drillcal serve` processes over one database share besides the records: the
/// drill leaders' logins (so a login made on one server is valid on every other) and the wrong
/// guesses their throttles counted (so spreading guesses over servers buys no more of them).
///
/// The store keeps a login only under a digest of its nonce (the cookie carries the nonce), and
/// guesses only as the throttle's keys (client address, target) for a day.

/// One drill leader's login: made when a right code is typed, found by the digest of the nonce that
/// the signed cookie carries.
public struct LeaderLoginRecord: Sendable, Hashable, Codable {
    /// SHA-256 of the cookie's nonce, lowercase hex (the nonce itself is never stored).
    public var nonceDigest: String
    /// The session the login opens.
    public var sessionUID: String
    /// The HMAC of the code used: every request re-checks it, so revoking the code ends the login.
    public var codeHash: String
    /// Seconds since 1970 when the login ends.
    public var expiry: Int

    /// Makes a record.
    public init(nonceDigest: String, sessionUID: String, codeHash: String, expiry: Int) {
        self.nonceDigest = nonceDigest
        self.sessionUID = sessionUID
        self.codeHash = codeHash
        self.expiry = expiry
    }
}

/// One wrong guess counted by a server's throttle, as shared with the others.
public struct SharedGuess: Sendable, Hashable, Codable {
    /// Which throttle counted it (leader codes, self check-in, feed tokens …).
    public var throttle: String
    /// The client address it came from.
    public var address: String
    /// What it was a guess at (a session's code, the token space), if anything.
    public var target: String?

    /// Makes a guess record.
    public init(throttle: String, address: String, target: String?) {
        self.throttle = throttle
        self.address = address
        self.target = target
    }
}

/// The answer of `AttendanceStore.shareGuesses`: the other servers' guesses since the cursor, and
/// the cursor to pass next time.
public struct SharedGuesses: Sendable, Hashable {
    /// Guesses other servers counted, oldest first.
    public var guesses: [SharedGuess]
    /// The position after the last stored guess (own ones included).
    public var cursor: Int64

    /// Makes an answer.
    public init(guesses: [SharedGuess], cursor: Int64) {
        self.guesses = guesses
        self.cursor = cursor
    }
}

/// Rules every store applies to the shared server state, so they agree.
enum SharedStateRules {
    /// Seconds a shared guess is kept: a throttle forgets a key a day after its last miss.
    static let guessMemory = 86_400

    /// `.invalid` unless the login names a nonce digest (64 hex), a session, a code hash and an expiry.
    static func check(_ login: LeaderLoginRecord) throws(StoreError) {
        func isHex64(_ s: String) -> Bool {
            s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        guard isHex64(login.nonceDigest) else {
            throw .invalid(
                "leader login: nonce digest must be 64 lowercase hex digits, found \(login.nonceDigest.utf8.count) characters"
            )
        }
        guard !login.sessionUID.isEmpty else { throw .invalid("leader login: empty session UID") }
        guard !login.codeHash.isEmpty else { throw .invalid("leader login: empty code hash") }
    }

    /// `.invalid` for an empty instance or a guess without throttle or address.
    static func check(instance: String, _ guesses: [SharedGuess]) throws(StoreError) {
        guard !instance.isEmpty else { throw .invalid("shared guesses: empty instance id") }
        for guess in guesses where guess.throttle.isEmpty || guess.address.isEmpty {
            throw .invalid("shared guesses: a guess without throttle or address")
        }
    }
}
