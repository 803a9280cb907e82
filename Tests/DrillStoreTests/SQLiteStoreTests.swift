import DrillCore
import Foundation
import GRDB
import Synchronization
import Testing

@testable import DrillStore

/// What only the SQLite store promises: a file that persists, WAL, foreign keys, and a schema that
/// refuses bad rows by itself.
@Suite("SQLiteStore")
struct SQLiteStoreTests {
    @Test("closing and reopening the file keeps everything")
    func persistence() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path

        let first = try SQLiteStore(path: path)
        try await first.publish(sessions: Sample.all, rosters: Sample.rosters)
        try await first.record([
            Sample.mark("m1", .present, clientID: "c1"), Sample.mark("m2", .excused, reason: "病假"),
        ])
        try await first.finalize(Sample.training.uid, by: "站长", at: 10)
        try await first.saveSummary(Sample.summary, for: Sample.drill.uid, by: "站长", at: 11)
        let sessions = try await first.sessions()
        let marks = try await first.allMarks()
        let audit = try await first.audit(session: nil)
        try first.close()
        await #expect(throws: StoreError.self) { try await first.sessions() }

        let second = try SQLiteStore(path: path)
        #expect(try await second.sessions() == sessions)
        #expect(try await second.roster(of: Sample.drill.uid).count == 3)
        #expect(try await second.allMarks() == marks)
        #expect(try await second.audit(session: nil) == audit)
        #expect(try await second.summary(for: Sample.drill.uid) == Sample.summary)
        #expect(try await second.session(Sample.training.uid)?.finalized == true)
        try await second.reopen(Sample.training.uid, by: "站长", reason: "补录", at: 12)
        #expect(
            try await second.record([Sample.mark("m1", .present, clientID: "c1")]) == 0, "client ids persist")
        #expect(
            try await second.appliedMigrations() == [
                "v1-sessions", "v1-rosters", "v1-attendance", "v1-audit", "v1-summaries", "v2-feed-tokens",
                "v2-leader-codes", "v3-leader-code-hmac", "v4-follow-up", "v5-carried-actions", "v6-session-overrides", "v7-absence-notices",
                "v8-shared-server-state", "v9-change-counter", "v10-roster-without-rowid",
                "v11-packed-rosters", "v12-check-lists",
            ])
        try second.close()
    }

    @Test("a database failure halfway through a recording rolls the whole call back")
    func rollbackOnFailure() async throws {
        let fixture = try await StoreKind.sqliteFile.make()
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? SQLiteStore)
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        try await store.record([Sample.mark("m1", .present)])
        // A trigger makes the third write fail after two marks and their audit rows went in.
        try await store.execute(
            sql: """
                CREATE TRIGGER fail_boom BEFORE INSERT ON attendance WHEN NEW.member_id = 'guest:boom'
                BEGIN SELECT RAISE(ABORT, 'boom'); END
                """)
        let batch = [
            Sample.mark("m1", .late, clientID: "c1"),
            Sample.mark("m2", .present),
            Sample.mark("guest:boom", .present, guest: true),
        ]
        await #expect {
            try await store.record(batch)
        } throws: { error in
            guard case .database(let text) = error as? StoreError else { return false }
            return text.contains("boom")
        }
        #expect(try await store.allMarks() == [Sample.mark("m1", .present)])
        #expect(try await store.audit(session: nil).count == 1)
        try await store.execute(sql: "DROP TRIGGER fail_boom")
        #expect(try await store.record(batch) == 3, "the client id of the failed call was not kept")
    }

    @Test("publishing again writes only the sessions and rosters that changed")
    func publishWritesOnlyChanges() async throws {
        let fixture = try await StoreKind.sqliteFile.make()
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? SQLiteStore)
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        // From here on any write to a session or to the training's roster fails the publication.
        for (table, event) in [("session", "INSERT"), ("session", "UPDATE"), ("session", "DELETE"),
            ("session_roster", "INSERT"), ("session_roster", "DELETE"), ("session_roster", "UPDATE")]
        {
            let when = table == "session_roster" ? "WHEN \(event == "INSERT" ? "NEW" : "OLD").session_uid = '\(Sample.training.uid)'" : ""
            try await store.execute(
                sql: "CREATE TRIGGER no_\(table)_\(event.lowercased()) BEFORE \(event) ON \(table) \(when) BEGIN SELECT RAISE(ABORT, 'written'); END")
        }
        // The same publication (rosters given in another order): nothing to write.
        var shuffled = Sample.rosters
        shuffled[Sample.training.uid]?.reverse()
        try await store.publish(sessions: Sample.all, rosters: shuffled)
        // Only the drill's roster changed: its text is replaced, nothing else is touched.
        var changed = Sample.rosters
        changed[Sample.drill.uid]?.removeLast()
        try await store.publish(sessions: Sample.all, rosters: changed)
        #expect(try await store.roster(of: Sample.drill.uid).count == 2)
        // A change to the training's roster does reach the (refusing) table: the triggers are live.
        var trainingChanged = Sample.rosters
        trainingChanged[Sample.training.uid]?.removeLast()
        await #expect(throws: StoreError.self) {
            try await store.publish(sessions: Sample.all, rosters: trainingChanged)
        }
        #expect(try await store.roster(of: Sample.training.uid).count == 2)
    }

    @Test("a roster refused halfway through a publication rolls the whole publication back")
    func publishRollsBackOnARefusedRosterRow() async throws {
        let fixture = try await StoreKind.sqliteFile.make()
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? SQLiteStore)
        try await store.publish(sessions: [Sample.training], rosters: [Sample.training.uid: Sample.rosters[Sample.training.uid]!])
        let before = (try await store.sessions(), try await store.roster(of: Sample.training.uid))
        // The drill's roster goes in after the session rows, through SQLite's C API (`RawStatement`),
        // and is refused.
        try await store.execute(
            sql: """
                CREATE TRIGGER fail_boom BEFORE INSERT ON session_roster
                WHEN NEW.session_uid = '\(Sample.drill.uid)' AND NEW.entries LIKE '%"m3"%'
                BEGIN SELECT RAISE(ABORT, 'boom'); END
                """)
        await #expect {
            try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        } throws: { error in
            guard case .database(let text) = error as? StoreError else { return false }
            return text.contains("boom")
        }
        #expect(try await store.sessions() == before.0, "no session of the failed publication is kept")
        #expect(try await store.roster(of: Sample.training.uid) == before.1)
        try await store.execute(sql: "DROP TRIGGER fail_boom")
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        #expect(try await store.roster(of: Sample.drill.uid).map(\.memberID).sorted() == ["m1", "m2", "m3"])
        #expect(try await store.roster(of: Sample.drill.uid).first { $0.memberID == "m2" }?.away == true)
    }

    @Test("point lookups and async reads from many tasks at once never deadlock (lookups have their own connections)")
    func lookupsBesideAsyncReads() async throws {
        let fixture = try await Sample.published(.sqliteFile)
        defer { fixture.cleanUp() }
        let store = fixture.store
        // A deadlock blocks every cooperative thread, this test's too: a plain thread ends the
        // process with a message instead of letting the run hang until CI's time limit. It watches
        // progress, not total time: in the full suite other tests' synchronous child processes can
        // hold both cooperative threads for minutes (slow, not stuck; the first CI run of this test
        // with a 120 s total limit was ended that way while the store was fine).
        let watch = Watch()
        let watchdog = Thread {
            var last = -1
            var still = 0
            while !watch.done.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 5)
                let now = watch.progress.load(ordering: .relaxed)
                still = now == last ? still + 5 : 0
                last = now
                if still >= 900 {
                    FileHandle.standardError.write(
                        Data("SQLiteStoreTests: point lookups and async reads deadlocked (no progress in 900 s)\n".utf8))
                    exit(70)
                }
            }
        }
        watchdog.start()
        defer { watch.done.store(true, ordering: .relaxed) }
        let rounds = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<64 {
                group.addTask {
                    var seen = 0
                    for _ in 0..<20 {
                        // A synchronous point lookup, then reads that take a pooled reader asynchronously.
                        if try await store.session(Sample.drill.uid) != nil { seen += 1 }
                        _ = try await store.sessionsVersion()
                        seen += try await store.sessions().isEmpty ? 0 : 1
                        _ = try await store.roster(of: i % 2 == 0 ? Sample.drill.uid : Sample.training.uid)
                        _ = try await store.turnout(session: Sample.drill.uid)
                        watch.progress.add(1, ordering: .relaxed)
                    }
                    return seen
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(rounds == 64 * 20 * 2)
    }

    @Test("the file store runs in WAL mode with foreign keys on")
    func fileStorePragmas() async throws {
        let fixture = try await StoreKind.sqliteFile.make()
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? SQLiteStore)
        #expect(try await store.pragma("journal_mode") == "wal")
        #expect(try await store.pragma("foreign_keys") == "1")
        // FULL (2): the WAL is fsynced at every commit, so an acknowledged write survives a power cut.
        #expect(try await store.writerPragma("synchronous") == "2")
        #expect(try await store.writerPragma("busy_timeout") == "\(Int(SQLiteStore.busyTimeout * 1000))")
    }

    @Test("token lookups on their own connections: another connection's issue and revocation seen at the next lookup, no snapshot kept, errors named")
    func tokenLookupConnections() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let writer = try SQLiteStore(path: path)
        // The server's store, as another process would hold it.
        let server = try SQLiteStore(path: path)
        #expect(server.tokenLookup != nil, "a file store answers tokens through PointLookup")
        let first = String(repeating: "a", count: 64)
        let second = String(repeating: "b", count: 64)
        #expect(try server.memberNow(forTokenHash: first) == nil)
        try await writer.issueToken(member: "m1", hash: first, at: 1)
        #expect(try server.memberNow(forTokenHash: first) == "m1")
        #expect(try await writer.revokeToken(member: "m1", at: 2))
        #expect(try server.memberNow(forTokenHash: first) == nil, "a revocation counts at the next request")
        try await writer.issueToken(member: "m1", hash: second, at: 3)
        #expect(try server.memberNow(forTokenHash: second) == "m1")

        // Many callers at once, as on every event loop: each gets its own connection's answer.
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let expected: String? = i.isMultiple(of: 2) ? "m1" : nil
            if (try? server.memberNow(forTokenHash: i.isMultiple(of: 2) ? second : first)) != expected {
                wrong.add(1, ordering: .relaxed)
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)

        // No lookup connection keeps a read snapshot: the WAL can be checkpointed to nothing.
        let checkpoint = try await writer.checkpointTruncate()
        #expect(checkpoint.busy == 0 && checkpoint.walFrames == 0)

        // SQLite's errors come back as store errors with SQLite's message.
        let broken = PointLookup(path: path, sql: "SELECT member_id FROM no_such_table WHERE k = ?", busyTimeout: 1)
        #expect {
            _ = try broken.text(for: "x")
        } throws: { error in
            StoreError(error) == .database("SQLite error 1: no such table: no_such_table")
        }
        let missing = PointLookup(path: folder.appendingPathComponent("absent.sqlite").path, sql: "SELECT 1", busyTimeout: 1)
        #expect(throws: PointLookup.Failure.self) { try missing.text(for: "x") }
        try server.close()
        try writer.close()
    }

    @Test("a writer waits for another process's write transaction instead of failing")
    func waitsForOtherWriter() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        // Another connection (as another process would) holds the write lock for 1.5 s.
        let other = try SQLiteStore(path: path)
        // Wait until the lock is really held (a loaded machine may start the holder late), noting
        // when it was taken: the write can only finish after the holder lets go, 1.5 s later, however
        // late this task wakes up.
        let (lockedStream, lockedSignal) = AsyncStream<ContinuousClock.Instant>.makeStream()
        let holding = Task {
            try await other.holdWriteLock(seconds: 1.5, locked: { lockedSignal.yield(ContinuousClock.now) })
        }
        var lockedAt = ContinuousClock.now
        for await instant in lockedStream {
            lockedAt = instant
            break
        }
        #expect(try await store.record([Sample.mark("m1", .present, clientID: "wait-1")]) == 1)
        #expect(ContinuousClock.now - lockedAt >= .milliseconds(1500), "it waited for the lock")
        try await holding.value
        #expect(try await other.allMarks().count == 1)
    }

    @Test("opening an old database revokes its unsalted 8-character leader codes")
    func leaderCodeMigration() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let old = try SQLiteStore(path: path, migrateUpTo: "v2-leader-codes")
        try await Self.publishAsRows(Sample.all, rosters: Sample.rosters, into: old)
        let hash = String(repeating: "ab", count: 32)
        try await old.issueLeaderCode(session: Sample.drill.uid, hash: hash, by: "站长", at: 1_700_000_000)
        #expect(try await old.session(forLeaderCodeHash: hash) == Sample.drill.uid)
        try old.close()

        let upgraded = try SQLiteStore(path: path)
        #expect(try await upgraded.appliedMigrations().contains("v3-leader-code-hmac"))
        #expect(try await upgraded.session(forLeaderCodeHash: hash) == nil)
        // A code issued after the upgrade works.
        let fresh = String(repeating: "cd", count: 32)
        try await upgraded.issueLeaderCode(
            session: Sample.drill.uid, hash: fresh, by: "站长", at: 1_800_000_000)
        #expect(try await upgraded.session(forLeaderCodeHash: fresh) == Sample.drill.uid)
    }

    @Test("opening an older database moves every roster row into the table without rowids")
    func rosterWithoutRowidMigration() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let old = try SQLiteStore(path: path, migrateUpTo: "v9-change-counter")
        try await Self.publishAsRows(Sample.all, rosters: Sample.rosters, into: old)
        var before: [String: [RosterEntry]] = [:]
        for session in Sample.all { before[session.uid] = try await old.roster(of: session.uid) }
        #expect(before.values.map(\.count).reduce(0, +) > 0)
        try old.close()

        let upgraded = try SQLiteStore(path: path, migrateUpTo: "v10-roster-without-rowid")
        defer { try? upgraded.close() }
        let tableSQL = try await upgraded.dbWriter.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'roster_entry'")
        }
        #expect(tableSQL?.hasSuffix("WITHOUT ROWID") == true)
        for session in Sample.all { #expect(try await upgraded.roster(of: session.uid) == before[session.uid]) }
        // Still keyed and still checked: a duplicate row and a roles value that is not a list are refused.
        await #expect(throws: (any Error).self) {
            try await upgraded.dbWriter.write { db in
                try db.execute(
                    sql: "INSERT INTO roster_entry SELECT * FROM roster_entry LIMIT 1")
            }
        }
        await #expect(throws: (any Error).self) {
            try await upgraded.dbWriter.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO roster_entry (session_uid, member_id, name, team_id, roles, away)
                        SELECT session_uid, 'new', 'n', team_id, '{}', 0 FROM roster_entry LIMIT 1
                        """)
            }
        }
    }

    @Test("opening a database of roster rows packs each session's roster into one text, listed by the view as before")
    func packedRosterMigration() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        // A roster written in another order than the store's, with text JSON must escape.
        var rosters = Sample.rosters
        rosters[Sample.drill.uid]?.reverse()
        rosters[Sample.drill.uid]?[0].name = "王\"五\\ \u{1}\n"
        let old = try SQLiteStore(path: path, migrateUpTo: "v10-roster-without-rowid")
        try await Self.publishAsRows(Sample.all, rosters: rosters, into: old)
        let rowsSQL = "SELECT session_uid, member_id, name, team_id, roles, away FROM roster_entry ORDER BY 1, 2, 4"
        // Values as stored, storage class included (`away` an integer, `roles` text).
        func rows(_ store: SQLiteStore) async throws -> [[DatabaseValue]] {
            try await store.dbWriter.read { db in
                try Row.fetchAll(db, sql: rowsSQL).map { row in (0..<6).map { row[$0] as DatabaseValue } }
            }
        }
        let rowsBefore = try await rows(old)
        #expect(rowsBefore.count == rosters.values.map(\.count).reduce(0, +))
        var before: [String: [RosterEntry]] = [:]
        for session in Sample.all { before[session.uid] = try await old.roster(of: session.uid) }
        try old.close()

        let upgraded = try SQLiteStore(path: path)
        defer { try? upgraded.close() }
        #expect(try await upgraded.appliedMigrations().contains("v11-packed-rosters"))
        let kind = try await upgraded.dbWriter.read { db in
            try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'roster_entry'")
        }
        #expect(kind == "view")
        // The view lists the same rows, value for value; each roster reads back as it was.
        #expect(try await rows(upgraded) == rowsBefore)
        for session in Sample.all { #expect(try await upgraded.roster(of: session.uid) == before[session.uid]) }
        // Each text is the one a publication would write, so publishing the same rosters writes nothing.
        let texts = try await upgraded.dbWriter.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT session_uid, entries FROM session_roster")
                .map { ($0[0] as String, $0[1] as String) })
        }
        #expect(texts.count == rosters.values.filter { !$0.isEmpty }.count)
        for (uid, text) in texts {
            #expect(text == PackedRoster.text(rosters[uid]!.sorted(by: StoreOrder.roster)))
        }
        try await upgraded.execute(
            sql: "CREATE TRIGGER no_write BEFORE UPDATE ON session_roster BEGIN SELECT RAISE(ABORT, 'written'); END")
        try await upgraded.publish(sessions: Sample.all, rosters: rosters)
        try await upgraded.execute(sql: "DROP TRIGGER no_write")
        // A changed roster is rewritten; an emptied one leaves no row and no view rows.
        var changed = rosters
        changed[Sample.drill.uid]?.removeLast()
        changed[Sample.training.uid] = []
        try await upgraded.publish(sessions: Sample.all, rosters: changed)
        #expect(try await upgraded.roster(of: Sample.drill.uid).count == (rosters[Sample.drill.uid]?.count ?? 0) - 1)
        #expect(try await upgraded.roster(of: Sample.training.uid).isEmpty)
        #expect(try await upgraded.turnout(session: Sample.training.uid).isEmpty)
        // The packed column is checked: not a list, or a session that does not exist, is refused.
        for sql in [
            "UPDATE session_roster SET entries = '{\"m1\": 1}'",
            "INSERT INTO session_roster (session_uid, entries) VALUES ('ghost', '[]')",
        ] {
            await #expect(throws: (any Error).self) { try await upgraded.execute(sql: sql) }
        }
    }

    @Test("opening a database of v11 rewrites its CHECK lists as OR chains: same rows, same constraints, a sound file")
    func checkListMigration() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let old = try SQLiteStore(path: path, migrateUpTo: "v11-packed-rosters")
        try await old.publish(sessions: Sample.all, rosters: Sample.rosters)
        try await old.record([Sample.mark("m1", .present), Sample.mark("m2", .late)])
        let tables = ["session", "session_roster", "attendance", "audit", "change_counter"]
        func rows(_ store: SQLiteStore) async throws -> [String: [[DatabaseValue]]] {
            try await store.dbWriter.read { db in
                var all: [String: [[DatabaseValue]]] = [:]
                for table in tables {
                    all[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2")
                        .map { row in row.databaseValues.map { $0 } }
                }
                return all
            }
        }
        func definitions(_ store: SQLiteStore) async throws -> [String: String] {
            try await store.dbWriter.read { db in
                try Dictionary(
                    uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
                        .map { ($0[0] as String, $0[1] as String) })
            }
        }
        let before = try await rows(old)
        let oldDefinitions = try await definitions(old)
        #expect(oldDefinitions["session"]?.contains("kind IN ('training', ") == true)
        try old.close()

        let upgraded = try SQLiteStore(path: path)
        defer { try? upgraded.close() }
        #expect(try await upgraded.appliedMigrations().last == "v12-check-lists")
        #expect(try await upgraded.pragma("integrity_check") == "ok")
        #expect(try await rows(upgraded) == before)
        let newDefinitions = try await definitions(upgraded)
        #expect(Set(newDefinitions.keys) == Set(oldDefinitions.keys))
        for (name, sql) in newDefinitions {
            #expect(!sql.contains(" IN ("), "\(name): \(sql)")
            #expect(sql == StoreSchema.orChains(oldDefinitions[name]!), "\(name) changed only in its lists")
        }
        #expect(newDefinitions["session"] != oldDefinitions["session"])
        #expect(newDefinitions["attendance"]?.contains("(status = 'present' OR status = 'late' OR ") == true)
        // The same constraints: every known value is taken, any other refused.
        for (n, kind) in SessionKind.allStorageKeys.enumerated() {
            try await upgraded.execute(sql: Self.session(uid: "'k\(n)'", kind: "'\(kind)'"))
        }
        for status in AttendanceStatus.allCases where status != .excused {
            try await upgraded.execute(sql: Self.attendance(session: "'k0'", status: "'\(status.rawValue)'") + " ON CONFLICT DO NOTHING")
        }
        for sql in [
            Self.session(kind: "'drill:live'"), Self.session(kind: "'Training'"), Self.attendance(status: "'maybe'"),
            Self.attendance(source: "'email'"),
            "INSERT INTO absence_notice_log (session_uid, member_id, action, reason, at, source) VALUES ('k0', 'm1', 'delete', 'r', 1, 'member')",
        ] {
            await #expect(throws: (any Error).self, "\(sql)") { try await upgraded.execute(sql: sql) }
        }
        // A later opening changes nothing more.
        try upgraded.close()
        let again = try SQLiteStore(path: path)
        defer { try? again.close() }
        #expect(try await definitions(again) == newDefinitions)
    }

    @Test("CHECK lists become OR chains, nothing else in the SQL changes")
    func orChainText() {
        #expect(
            StoreSchema.orChains(#"CREATE TABLE t ("a" TEXT CHECK (a IN ('x', 'y:z', 'w')), b CHECK (b IN ('only')), c CHECK (c BETWEEN 0 AND 9))"#)
                == #"CREATE TABLE t ("a" TEXT CHECK ((a = 'x' OR a = 'y:z' OR a = 'w')), b CHECK ((b = 'only')), c CHECK (c BETWEEN 0 AND 9))"#)
        let plain = #"CREATE TABLE u (x TEXT CHECK (x GLOB '[0-9]'), y TEXT CHECK (json_valid(y)))"#
        #expect(StoreSchema.orChains(plain) == plain)
        // A value the split at ", " would cut is left in its IN list.
        let comma = #"CREATE TABLE v (x TEXT CHECK (x IN ('a, b', 'c')))"#
        #expect(StoreSchema.orChains(comma) == comma)
    }

    /// Writes sessions and rosters as stores before v11-packed-rosters did (one row per member and
    /// team), into a database migrated only that far.
    static func publishAsRows(
        _ sessions: [SessionRecord], rosters: [String: [RosterEntry]], into store: SQLiteStore
    ) async throws {
        try await store.dbWriter.write { db in
            for session in sessions { try SessionRow(session).insert(db) }
            for (uid, roster) in rosters {
                for entry in roster { try RosterEntryRow(entry, session: uid).insert(db) }
            }
        }
    }

    @Test("the in-memory SQLite store has foreign keys on")
    func memoryStorePragmas() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.pragma("foreign_keys") == "1")
    }

    @Test("a folder that does not exist is a database error")
    func badPath() {
        #expect {
            _ = try SQLiteStore(path: "/nonexistent-drillstore/x/attendance.sqlite")
        } throws: { error in
            guard case .database = error as? StoreError else { return false }
            return true
        }
    }

    /// Raw rows the schema must refuse on its own, with the SQLite message expected.
    static let badRows: [(sql: String, message: String)] = [
        (attendance(status: "'maybe'"), "CHECK constraint failed"),
        (attendance(source: "'email'"), "CHECK constraint failed"),
        (attendance(status: "'excused'"), "CHECK constraint failed"),  // no reason
        (attendance(recordedBy: "NULL"), "NOT NULL constraint failed: attendance.recorded_by"),
        (attendance(session: "'ghost'"), "FOREIGN KEY constraint failed"),
        (
            attendance() + ";" + attendance(),
            "UNIQUE constraint failed: attendance.session_uid, attendance.member_id"
        ),
        (session(kind: "'drill:live'"), "CHECK constraint failed"),
        (session(teams: "'t1'"), "CHECK constraint failed"),
        (session(teams: "'{\"t\": 1}'"), "CHECK constraint failed"),
        (session(date: "'12/05/2027'"), "CHECK constraint failed"),
        (session(uid: "NULL"), "NOT NULL constraint failed: session.uid"),
        (session(uid: "'s1-training'"), "UNIQUE constraint failed: session.uid"),
        (
            "INSERT INTO session_roster (session_uid, entries) VALUES ('s1-training', '[]')",
            "UNIQUE constraint failed: session_roster.session_uid"
        ),
        ("INSERT INTO session_roster (session_uid, entries) VALUES ('ghost', '[]')", "FOREIGN KEY constraint failed"),
        ("UPDATE session_roster SET entries = '[1,' WHERE session_uid = 's1-training'", "CHECK constraint failed"),
        ("INSERT INTO roster_entry (session_uid) VALUES ('s1-training')", "cannot modify roster_entry because it is a view"),
        (
            "INSERT INTO seen_client_id (client_id) VALUES ('c'), ('c')",
            "UNIQUE constraint failed: seen_client_id.client_id"
        ),
        (
            "INSERT INTO summary (session_uid, json) VALUES ('s1-training', '{not json')",
            "CHECK constraint failed"
        ),
        (
            "INSERT INTO audit (session_uid, action, by, at, source) VALUES ('s1-training', 'delete', 'x', 1, 'cli')",
            "CHECK constraint failed"
        ),
        ("DELETE FROM session WHERE uid = 's2-drill'", "FOREIGN KEY constraint failed"),  // it has attendance
        (feedToken(hash: "'not-a-digest'"), "CHECK constraint failed"),
        (feedToken(hash: "'" + String(repeating: "A", count: 64) + "'"), "CHECK constraint failed"),
        (feedToken(member: "''"), "CHECK constraint failed"),
        (feedToken() + ";" + feedToken(member: "'m2'"), "UNIQUE constraint failed: feed_token.token_hash"),
        (
            feedToken() + ";" + feedToken(hash: "'" + String(repeating: "b", count: 64) + "'"),
            "UNIQUE constraint failed: feed_token.member_id"  // two active tokens for one member
        ),
    ]

    @Test("the schema itself refuses bad rows", arguments: 0..<badRows.count)
    func schemaConstraints(index: Int) async throws {
        let store = try SQLiteStore.inMemory()
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        try await store.record([Sample.mark("m1", .present, session: Sample.drill.uid)])
        let (sql, message) = Self.badRows[index]
        await #expect {
            try await store.execute(sql: sql)
        } throws: { error in
            guard case .database(let text) = error as? StoreError else { return false }
            return text.contains(message)
        }
        // The refused statement left nothing behind.
        #expect(try await store.allMarks().count == 1)
        #expect(try await store.sessions().count == 3)
    }

    @Test("a good raw row passes the same checks, so the bad ones fail for the right reason")
    func schemaAcceptsGoodRows() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        try await store.execute(sql: Self.attendance())
        try await store.execute(sql: Self.session(uid: "'s9'"))
        try await store.execute(
            sql: #"INSERT INTO session_roster (session_uid, entries) VALUES ('s9', '[["m7","赵七","t1",["medical"],1]]')"#)
        #expect(try await store.marks(session: Sample.training.uid).map(\.memberID) == ["m1"])
        #expect(try await store.session("s9")?.kind == .drill(.tabletop, .single))
        #expect(
            try await store.roster(of: "s9")
                == [RosterEntry(memberID: "m7", name: "赵七", teamID: "t1", roles: [.medical], away: true)])
    }

    static func attendance(
        session: String = "'s1-training'", status: String = "'present'", source: String = "'cli'",
        recordedBy: String = "'x'"
    ) -> String {
        "INSERT INTO attendance (session_uid, member_id, status, guest, recorded_by, recorded_at, source) "
            + "VALUES (\(session), 'm1', \(status), 0, \(recordedBy), 1, \(source))"
    }

    static func feedToken(
        member: String = "'m1'", hash: String = "'" + String(repeating: "a", count: 64) + "'"
    )
        -> String
    {
        "INSERT INTO feed_token (member_id, token_hash, issued_at) VALUES (\(member), \(hash), 1)"
    }

    static func session(
        uid: String = "'s9'", kind: String = "'drill:tabletop:single'", teams: String = "'[\"t1\"]'",
        date: String = "'2027-05-12'"
    ) -> String {
        "INSERT INTO session (uid, sequence, rule_id, kind, teams, date, start_minute, end_minute) "
            + "VALUES (\(uid), 0, 'r', \(kind), \(teams), \(date), 540, 600)"
    }
}

@Suite("Shared store rules")
struct SharedRulesTests {
    @Test("every session kind round-trips through its storage key")
    func kindKeys() {
        for key in SessionKind.allStorageKeys {
            #expect(SessionKind(storageKey: key)?.storageKey == key)
        }
        #expect(SessionKind.drill(.live, .comprehensive).storageKey == "drill:live:comprehensive")
        #expect(SessionKind(storageKey: "drill:live") == nil)
        #expect(SessionKind(storageKey: "drill:live:everything") == nil)
    }
}

/// Progress of the deadlock test, shared with its watchdog thread.
private final class Watch: Sendable {
    let progress = Atomic<Int>(0)
    let done = Atomic<Bool>(false)
}
