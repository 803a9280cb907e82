import DrillCore
import GRDB

/// The SQLite schema, as named migrations. Append new migrations at the end; never edit one that has
/// shipped, since stored databases have already run it.
///
/// The schema holds the store's invariants itself (NOT NULL, CHECK, UNIQUE, foreign keys), so a bug
/// in Swift, or a hand edit with `sqlite3`, cannot store a status, source or kind the code cannot read.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        // Published sessions. Never deleted: dropped ones are marked cancelled, so attendance stays.
        migrator.registerMigration("v1-sessions") { db in
            try db.create(table: "session") { t in
                t.primaryKey("uid", .text)
                t.column("sequence", .integer).notNull()
                t.column("rule_id", .text).notNull()
                t.column("kind", .text).notNull()
                    .check(sql: "kind IN (\(sqlList(SessionKind.allStorageKeys)))")
                t.column("teams", .jsonText).notNull().check(sql: jsonArray("teams"))
                t.column("date", .text).notNull()
                    .check(sql: "date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")
                t.column("start_minute", .integer).notNull().check(sql: "start_minute BETWEEN 0 AND 1439")
                t.column("end_minute", .integer).notNull()
                t.column("venue_id", .text)
                t.column("supervisor_id", .text)
                t.column("finalized", .boolean).notNull().defaults(to: false)
                t.column("cancelled", .boolean).notNull().defaults(to: false)
                t.check(sql: "end_minute >= start_minute")
            }
        }

        // The roster as of each session: who was expected when it was published.
        migrator.registerMigration("v1-rosters") { db in
            try db.create(table: "roster_entry", body: rosterColumns)
        }

        // Current marks, one per member and session, and the client ids already recorded.
        migrator.registerMigration("v1-attendance") { db in
            try db.create(table: "attendance") { t in
                t.column("session_uid", .text).notNull().references("session")
                t.column("member_id", .text).notNull()
                t.column("status", .text).notNull()
                    .check(sql: "status IN (\(sqlList(AttendanceStatus.allCases.map(\.rawValue))))")
                t.column("reason", .text)
                t.column("guest", .boolean).notNull()
                t.column("recorded_by", .text).notNull()
                t.column("recorded_at", .integer).notNull()
                t.column("source", .text).notNull()
                    .check(sql: "source IN (\(sqlList(MarkSource.allCases.map(\.rawValue))))")
                t.column("client_id", .text)
                t.uniqueKey(["session_uid", "member_id"])
                t.check(sql: "status <> 'excused' OR trim(coalesce(reason, '')) <> ''")
            }
            try db.create(table: "seen_client_id") { t in
                t.primaryKey("client_id", .text)
            }
        }

        // Every change, oldest first (by id).
        migrator.registerMigration("v1-audit") { db in
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_uid", .text).notNull().references("session").indexed()
                t.column("action", .text).notNull()
                    .check(sql: "action IN (\(sqlList(AuditEntry.Action.allCases.map(\.rawValue))))")
                t.column("member_id", .text)
                t.column("before", .text)
                t.column("after", .text)
                t.column("reason", .text)
                t.column("by", .text).notNull()
                t.column("at", .integer).notNull()
                t.column("source", .text).notNull()
            }
        }

        // Drill summaries (演练总结), one per session, as JSON.
        migrator.registerMigration("v1-summaries") { db in
            try db.create(table: "summary") { t in
                t.primaryKey("session_uid", .text).references("session")
                t.column("json", .jsonText).notNull().check(sql: "json_valid(json)")
            }
        }

        // Private feed tokens: only SHA-256 digests. Revoked rows stay (with revoked_at) so a
        // digest is never issued twice; at most one active token per member.
        migrator.registerMigration("v2-feed-tokens") { db in
            try db.create(table: "feed_token") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("member_id", .text).notNull().check(sql: "member_id <> ''")
                t.column("token_hash", .text).notNull().unique()
                    .check(sql: "length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'")
                t.column("issued_at", .integer).notNull()
                t.column("revoked_at", .integer)
            }
            try db.execute(
                sql: "CREATE UNIQUE INDEX feed_token_active ON feed_token(member_id) WHERE revoked_at IS NULL"
            )
        }

        // Drill-leader codes (带队签到码): only a SHA-256 hash of each code is kept. A code is never
        // deleted, only revoked, and UNIQUE keeps a revoked code from being issued again.
        migrator.registerMigration("v2-leader-codes") { db in
            try db.create(table: "leader_code") { t in
                t.column("session_uid", .text).notNull().references("session").indexed()
                t.column("code_hash", .text).notNull().unique()
                    .check(sql: "length(code_hash) = 64 AND code_hash NOT GLOB '*[^0-9a-f]*'")
                t.column("issued_by", .text).notNull()
                t.column("issued_at", .integer).notNull()
                t.column("revoked_at", .integer)
                t.check(sql: "revoked_at IS NULL OR revoked_at >= issued_at")
            }
        }

        // Leader codes became 60 bits, hashed with HMAC-SHA256 under a per-database key kept in
        // `store_key`. Old rows are unsalted SHA-256 of 40-bit codes, easy to invert from a copied
        // file and unusable under the new hash: every one still active is revoked now (the check-in
        // page tells a leader typing an old code to ask for a new one; `drillcal code issue`).
        migrator.registerMigration("v3-leader-code-hmac") { db in
            try db.create(table: "store_key") { t in
                t.primaryKey("name", .text).check(sql: "name <> ''")
                t.column("key", .blob).notNull().check(sql: "length(key) = 32")
            }
            try db.execute(
                sql: """
                    UPDATE leader_code SET revoked_at = max(issued_at, CAST(strftime('%s', 'now') AS INTEGER))
                    WHERE revoked_at IS NULL
                    """)
        }

        // Follow-up records: reporting deadlines recorded as done (a date passing proves nothing),
        // and corrective actions (整改措施) with owner, due date and status.
        migrator.registerMigration("v4-follow-up") { db in
            try db.create(table: "deadline_done") { t in
                t.primaryKey("session_uid", .text).references("session")
                t.column("note", .text).notNull()
                t.column("by", .text).notNull()
                t.column("at", .integer).notNull()
            }
            try db.create(table: "corrective_action") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_uid", .text).references("session")
                t.column("text", .text).notNull().check(sql: "trim(text) <> ''")
                t.column("owner", .text).notNull().check(sql: "trim(owner) <> ''")
                t.column("due", .text).notNull()
                    .check(sql: "due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")
                t.column("status", .text).notNull()
                    .check(sql: "status IN (\(sqlList(ActionStatus.allCases.map(\.rawValue))))")
                t.column("note", .text).notNull().defaults(to: "")
                t.column("created_by", .text).notNull()
                t.column("created_at", .integer).notNull()
                t.column("closed_at", .integer)
                t.check(sql: "status <> 'done' OR (closed_at IS NOT NULL AND trim(note) <> '')")
            }
        }

        // Corrective actions carried over from an earlier year's plan folder (上年度结转): the old
        // town, year and number (unique, so loading the carried file twice adds nothing) and the old
        // session's title; such an action has no session in this year's store.
        migrator.registerMigration("v5-carried-actions") { db in
            try db.alter(table: "corrective_action") { t in
                t.add(column: "carried_town", .text)
                t.add(column: "carried_year", .integer)
                t.add(column: "carried_id", .integer)
                t.add(column: "carried_source", .text)
            }
            try db.create(
                index: "corrective_action_carried", on: "corrective_action",
                columns: ["carried_town", "carried_year", "carried_id"], unique: true)
        }

        // Changes made by hand (move, postpone, cancel) with who, when and why, and each session's
        // short code (S017), given at first publication and kept for the year.
        migrator.registerMigration("v6-session-overrides") { db in
            try db.create(table: "session_override") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_uid", .text).notNull().references("session").indexed()
                t.column("action", .text).notNull()
                    .check(sql: "action IN (\(sqlList(SessionOverride.Action.allCases.map(\.rawValue))))")
                t.column("date", .text)
                    .check(sql: "date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'")
                t.column("start_minute", .integer).check(sql: "start_minute IS NULL OR start_minute BETWEEN 0 AND 1439")
                t.column("end_minute", .integer)
                t.column("reason", .text).notNull().check(sql: "trim(reason) <> ''")
                t.column("forced", .boolean).notNull()
                t.column("by", .text).notNull().check(sql: "trim(by) <> ''")
                t.column("at", .integer).notNull()
                t.check(sql: "(action = 'cancel') = (date IS NULL)")
            }
            try db.create(table: "session_code") { t in
                t.primaryKey("session_uid", .text).references("session")
                t.column("number", .integer).notNull().unique()
                t.column("code", .text).notNull().unique()
            }
        }

        // Members' absence notices (请假, given on their private page): the current ones, and an
        // append-only trail of every report and withdrawal (source `member`).
        migrator.registerMigration("v7-absence-notices") { db in
            try db.create(table: "absence_notice") { t in
                t.column("session_uid", .text).notNull().references("session")
                t.column("member_id", .text).notNull()
                t.column("reason", .text).notNull().check(sql: "trim(reason) <> ''")
                t.column("at", .integer).notNull()
                t.primaryKey(["session_uid", "member_id"])
            }
            try db.create(table: "absence_notice_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("session_uid", .text).notNull().references("session").indexed()
                t.column("member_id", .text).notNull()
                t.column("action", .text).notNull().check(sql: "action IN ('report', 'withdraw')")
                t.column("reason", .text)
                t.column("at", .integer).notNull()
                t.column("source", .text).notNull().check(sql: "source = 'member'")
                t.check(sql: "action <> 'report' OR trim(coalesce(reason, '')) <> ''")
            }
        }

        // State several servers over one database share: drill leaders' logins (by the digest of
        // the cookie's nonce) and the wrong guesses their throttles counted (kept a day).
        migrator.registerMigration("v8-shared-server-state") { db in
            try db.create(table: "leader_login") { t in
                t.primaryKey("nonce_digest", .text)
                t.column("session_uid", .text).notNull().references("session")
                t.column("code_hash", .text).notNull()
                t.column("expiry", .integer).notNull().indexed()
            }
            try db.create(table: "shared_guess") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("instance", .text).notNull().check(sql: "instance <> ''")
                t.column("throttle", .text).notNull().check(sql: "throttle <> ''")
                t.column("address", .text).notNull().check(sql: "address <> ''")
                t.column("target", .text)
                t.column("at", .integer).notNull().indexed()
            }
        }

        // A number that changes with every change to the session table, whoever makes it (triggers:
        // every process, every path), so a server can keep its session lists until it moves.
        migrator.registerMigration("v9-change-counter") { db in
            try db.execute(
                sql: """
                    CREATE TABLE change_counter (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                    INSERT INTO change_counter (name, value) VALUES ('session', 0);
                    CREATE TRIGGER session_counted_insert AFTER INSERT ON session
                    BEGIN UPDATE change_counter SET value = value + 1 WHERE name = 'session'; END;
                    CREATE TRIGGER session_counted_update AFTER UPDATE ON session
                    BEGIN UPDATE change_counter SET value = value + 1 WHERE name = 'session'; END;
                    CREATE TRIGGER session_counted_delete AFTER DELETE ON session
                    BEGIN UPDATE change_counter SET value = value + 1 WHERE name = 'session'; END;
                    """)
        }

        // The roster table without SQLite's hidden rowid: its rows are only ever found by their
        // primary key (session, team, member), so the rowid table beside the key's index was a
        // second B-tree every inserted row went into. A town's first build inserts ~6,000 roster
        // rows (a province's, millions); without the rowid they cost about a fifth less to insert
        // (Python's sqlite3 on one town's rows: 27.3 -> 21.1 ms; the whole store phase ~4 % less,
        // README). Same columns, constraints and rows.
        migrator.registerMigration("v10-roster-without-rowid") { db in
            try db.create(table: "roster_entry_keyed", options: [.withoutRowID], body: rosterColumns)
            try db.execute(
                sql: """
                    INSERT INTO roster_entry_keyed (session_uid, member_id, name, team_id, roles, away)
                    SELECT session_uid, member_id, name, team_id, roles, away FROM roster_entry
                    """)
            try db.drop(table: "roster_entry")
            try db.rename(table: "roster_entry_keyed", to: "roster_entry")
        }

        // Each session's roster as one JSON text (`PackedRoster`), and `roster_entry` a view listing
        // it as the rows above: a first build inserted ~6,200 roster rows a town, most of a
        // province build's store phase. The rows move as the store reads them (sorted, as every
        // store returns a roster) and are written by the one encoder publications use, so a later
        // publication of the same roster finds the same text and writes nothing.
        migrator.registerMigration("v11-packed-rosters") { db in
            try db.create(table: "session_roster", options: [.withoutRowID]) { t in
                t.primaryKey("session_uid", .text).references("session", onDelete: .cascade)
                t.column("entries", .jsonText).notNull().check(sql: jsonArray("entries"))
            }
            var rosters: [String: [RosterEntry]] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT \(RosterEntryRow.selection) FROM roster_entry")
            while let row = try rows.next() {
                let entry = RosterEntryRow(columns: row)
                rosters[entry.sessionUID, default: []].append(try entry.entry())
            }
            let insert = try db.makeStatement(sql: "INSERT INTO session_roster (session_uid, entries) VALUES (?, ?)")
            for uid in rosters.keys.sorted() {
                guard let text = PackedRoster.text(rosters[uid]!.sorted(by: StoreOrder.roster)) else { continue }
                try insert.execute(arguments: [uid, text])
            }
            try db.drop(table: "roster_entry")
            try db.execute(sql: PackedRoster.viewSQL)
        }

        // Fixed lists of values in CHECK constraints as OR chains. SQLite evaluates `x IN ('a', 'b',
        // 'c', …)` of more than two values through an index of the list that it builds again every
        // time the check runs, i.e. for every row inserted or updated: 5.5 µs a row, half the cost of
        // inserting a session (Python's sqlite3, a benchmark town's 272 sessions into the schema:
        // 3.6 ms, 2.0 ms with the chain) and a province's first build inserts 450,000. `x = 'a' OR
        // x = 'b' …` is the same constraint (false for any other value, NULL for NULL) and costs
        // nothing measurable. The tables' definitions are edited in place by SQLite's documented
        // procedure for changing a CHECK ("Making Other Kinds Of Table Schema Changes" in its ALTER
        // TABLE page: writable_schema, schema_version + 1, in the migration's transaction): no row is
        // copied and no other object changes. Existing rows satisfy the new checks, being the same.
        migrator.registerMigration("v12-check-lists") { db in
            let tables = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
            try db.execute(sql: "PRAGMA writable_schema = ON")
            for table in tables {
                let sql: String = table["sql"]
                let rewritten = orChains(sql)
                guard rewritten != sql else { continue }
                try db.execute(
                    sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                    arguments: [rewritten, table["name"] as String])
            }
            try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
            db.clearSchemaCache()
        }

        return migrator
    }

    /// The roster table's columns and key, as v1-rosters made them and v10-roster-without-rowid
    /// made them again without the rowid. Both migrations have shipped: never change this; a new
    /// column or constraint is a new migration.
    private static func rosterColumns(_ t: TableDefinition) {
        t.column("session_uid", .text).notNull().references("session", onDelete: .cascade)
        t.column("member_id", .text).notNull()
        t.column("name", .text).notNull()
        t.column("team_id", .text).notNull()
        t.column("roles", .jsonText).notNull().check(sql: jsonArray("roles"))
        t.column("away", .boolean).notNull()
        t.primaryKey(["session_uid", "team_id", "member_id"])
    }

    /// A check that `column` holds a JSON array; CASE, because `json_type` raises on malformed text
    /// where a CHECK should just be false.
    private static func jsonArray(_ column: String) -> String {
        "CASE WHEN json_valid(\(column)) THEN json_type(\(column)) = 'array' ELSE 0 END"
    }

    /// `sql` with each `name IN ('a', 'b', …)` written `(name = 'a' OR name = 'b' OR …)`; see
    /// v12-check-lists. Only lists whose values hold no quote, parenthesis or comma (every list the
    /// migrations wrote): the values are split at ", ", and any other list is left as it is.
    static func orChains(_ sql: String) -> String {
        let list = /(?<name>\w+) IN \((?<values>'[^'(),]*'(?:, '[^'(),]*')*)\)/
        return sql.replacing(list) { match in
            let values = match.output.values.split(separator: ", ")
            return "(" + values.map { "\(match.output.name) = \($0)" }.joined(separator: " OR ") + ")"
        }
    }

    /// `'a', 'b'` for an SQL `IN` list of fixed keys (none contains a quote).
    private static func sqlList(_ keys: [String]) -> String {
        keys.map { "'\($0)'" }.joined(separator: ", ")
    }
}
