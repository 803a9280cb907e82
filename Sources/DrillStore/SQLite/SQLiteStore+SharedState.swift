import DrillCore
import GRDB

extension SQLiteStore {
    public func saveLeaderLogin(_ login: LeaderLoginRecord, now: Int) async throws(StoreError) {
        try SharedStateRules.check(login)
        try await write { db in
            try Self.requireSession(login.sessionUID, db)
            try db.execute(sql: "DELETE FROM leader_login WHERE expiry < ?", arguments: [now])
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO leader_login (nonce_digest, session_uid, code_hash, expiry)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [login.nonceDigest, login.sessionUID, login.codeHash, login.expiry])
        }
    }

    public func leaderLogin(nonceDigest: String) async throws(StoreError) -> LeaderLoginRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT session_uid, code_hash, expiry FROM leader_login WHERE nonce_digest = ?",
                arguments: [nonceDigest]
            ).map {
                LeaderLoginRecord(nonceDigest: nonceDigest, sessionUID: $0[0], codeHash: $0[1], expiry: $0[2])
            }
        }
    }

    public func shareGuesses(_ guesses: [SharedGuess], instance: String, now: Int, after cursor: Int64)
        async throws(StoreError) -> SharedGuesses
    {
        try SharedStateRules.check(instance: instance, guesses)
        @Sendable func others(_ db: Database) throws -> SharedGuesses {
            var others: [SharedGuess] = []
            var last = cursor
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT id, instance, throttle, address, target FROM shared_guess WHERE id > ? ORDER BY id",
                arguments: [cursor])
            {
                last = max(last, row[0])
                guard (row[1] as String) != instance else { continue }
                others.append(SharedGuess(throttle: row[2], address: row[3], target: row[4]))
            }
            return SharedGuesses(guesses: others, cursor: last)
        }
        // Writers are serialized, so ids commit in order and a reader sees a prefix of them: a
        // cursor never skips a row. With nothing to add (most exchanges), a read and no fsync.
        guard !guesses.isEmpty else { return try await read(others) }
        return try await write { db in
            for guess in guesses {
                try db.execute(
                    sql:
                        "INSERT INTO shared_guess (instance, throttle, address, target, at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [instance, guess.throttle, guess.address, guess.target, now])
            }
            try db.execute(
                sql: "DELETE FROM shared_guess WHERE at < ?", arguments: [now - SharedStateRules.guessMemory])
            return try others(db)
        }
    }
}
