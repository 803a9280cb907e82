import DrillCore
import Logging
import PostgresNIO

extension PostgresStore {
    public func saveLeaderLogin(_ login: LeaderLoginRecord, now: Int) async throws(StoreError) {
        try SharedStateRules.check(login)
        let logger = logger
        try await write(notify: false) { c in
            try await requireSession(login.sessionUID, c)
            try await c.exec("DELETE FROM leader_login WHERE expiry < \(now)", logger)
            try await c.exec(
                """
                INSERT INTO leader_login (nonce_digest, session_uid, code_hash, expiry)
                VALUES (\(login.nonceDigest), \(login.sessionUID), \(login.codeHash), \(login.expiry))
                ON CONFLICT (nonce_digest) DO UPDATE SET session_uid = EXCLUDED.session_uid,
                  code_hash = EXCLUDED.code_hash, expiry = EXCLUDED.expiry
                """, logger)
        }
    }

    public func leaderLogin(nonceDigest: String) async throws(StoreError) -> LeaderLoginRecord? {
        let logger = logger
        return try await read { c in
            try await c.rows(
                "SELECT session_uid, code_hash, expiry FROM leader_login WHERE nonce_digest = \(nonceDigest)",
                logger
            ).first.map {
                LeaderLoginRecord(
                    nonceDigest: nonceDigest, sessionUID: try $0.value("session_uid"),
                    codeHash: try $0.value("code_hash"), expiry: Int(try $0.value("expiry", as: Int64.self)))
            }
        }
    }

    public func shareGuesses(_ guesses: [SharedGuess], instance: String, now: Int, after cursor: Int64)
        async throws(StoreError) -> SharedGuesses
    {
        try SharedStateRules.check(instance: instance, guesses)
        let logger = logger
        @Sendable func others(_ c: PostgresConnection) async throws -> SharedGuesses {
            var others: [SharedGuess] = []
            var last = cursor
            for row in try await c.rows(
                "SELECT id, instance, throttle, address, target FROM shared_guess WHERE id > \(cursor) ORDER BY id",
                logger)
            {
                last = max(last, try row.value("id", as: Int64.self))
                guard try row.value("instance", as: String.self) != instance else { continue }
                others.append(
                    SharedGuess(
                        throttle: try row.value("throttle"), address: try row.value("address"),
                        target: try row.value("target", as: String?.self)))
            }
            return SharedGuesses(guesses: others, cursor: last)
        }
        // Guesses are inserted under the store's write lock, so ids commit in order and whatever a
        // reader sees is a prefix of the ids: a cursor never skips a row committed later. With
        // nothing to add (most exchanges), one read and no lock.
        guard !guesses.isEmpty else { return try await read(others) }
        return try await write(notify: false) { c in
            for guess in guesses {
                try await c.exec(
                    """
                    INSERT INTO shared_guess (instance, throttle, address, target, "at")
                    VALUES (\(instance), \(guess.throttle), \(guess.address), \(guess.target), \(now))
                    """, logger)
            }
            try await c.exec(
                "DELETE FROM shared_guess WHERE \"at\" < \(now - SharedStateRules.guessMemory)", logger)
            return try await others(c)
        }
    }
}
