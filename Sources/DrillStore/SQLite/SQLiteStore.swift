import CSQLiteConfig
import DrillCore
import Foundation
import GRDB

/// The default `AttendanceStore`: one SQLite file, through GRDB.
///
/// The file is opened as a `DatabasePool` in WAL mode (readers never wait for the writer) with
/// foreign keys on, and migrated to the current schema (`StoreSchema`) on open. Every method runs
/// in one write transaction, so a refused call, a failure or a killed process leaves the file as it was.
///
/// ```swift
/// let store = try SQLiteStore(path: "attendance.sqlite")
/// try await store.publish(sessions: sessions, rosters: rosters)
/// let changed = try await store.record(marks)
/// ```
public struct SQLiteStore: AttendanceStore, ImmediateTokenLookup {
    /// The connection every method goes through (a pool for files, a queue in memory).
    let dbWriter: any DatabaseWriter
    /// Where point lookups (`lookup`, `memberNow`) run: for a file, read-only connections of their
    /// own, only ever used synchronously. They must not share `dbWriter`'s reader pool: an async
    /// read keeps its pooled reader until its task resumes on a cooperative thread, so lookups
    /// blocking every cooperative thread while waiting for a pooled reader deadlocked the server
    /// (seen with 16 concurrent `GET /api/sessions` on two cores). A holder here never suspends.
    let lookupReader: any DatabaseReader
    /// The token lookup every member's feed request makes, on connections of its own through
    /// SQLite's C API (see `PointLookup` for why and what it measured); nil in memory, where
    /// `lookupReader` answers.
    let tokenLookup: PointLookup?
    /// The leader-code lookup every check-in makes, the same way (nil in memory).
    let leaderLookup: PointLookup?
    /// Microseconds to pause after each mark inside `record`'s transaction. Only the
    /// kill-during-import test sets it (through DRILLCAL_TEST_MARK_DELAY_US), to be sure the kill
    /// lands while the transaction is open.
    let markDelayMicroseconds: UInt32
    /// Where `record` calls wait to share a transaction (see `GroupCommit`): concurrent check-ins
    /// cost one commit and one fsync between them, and each is answered after its commit.
    let recorder: GroupCommit<[AttendanceMark], Int>
    /// Packed rosters parsed for the check-in reads (`isOnRoster`, `turnout`), see `PackedRoster.Cache`.
    let rosterCache = PackedRoster.Cache()

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    /// - Parameters:
    ///   - path: the SQLite file; its folder must exist.
    ///   - markDelayMicroseconds: test hook, see the property; 0 in production.
    /// - Throws: `.database` when the file cannot be opened or migrated.
    public init(path: String, markDelayMicroseconds: UInt32 = 0) throws(StoreError) {
        Self.configureSQLite()
        // A new file starts as a copy of the migrated template (SQLiteStore+Template.swift).
        Self.createFromTemplate(path)
        do {
            // The writer first: it puts a new file in WAL mode, which read-only connections need.
            let writer = try DatabasePool(path: path, configuration: Self.configuration)
            var lookups = Self.configuration
            lookups.readonly = true
            lookups.label = "drillcal.lookups"
            try self.init(
                writer: writer, lookupReader: DatabasePool(path: path, configuration: lookups),
                tokenLookup: PointLookup(path: path, sql: Self.memberByTokenSQL, busyTimeout: Self.busyTimeout),
                leaderLookup: PointLookup(path: path, sql: Self.sessionByLeaderCodeSQL, busyTimeout: Self.busyTimeout),
                markDelayMicroseconds: markDelayMicroseconds)
        } catch {
            throw StoreError(error)
        }
    }

    /// A fresh store in memory, with the same schema: for tests.
    public static func inMemory() throws(StoreError) -> SQLiteStore {
        configureSQLite()
        do {
            return try SQLiteStore(writer: DatabaseQueue(configuration: configuration))
        } catch {
            throw StoreError(error)
        }
    }

    /// Process-wide SQLite settings, applied before the process's first connection opens.
    ///
    /// Memory statistics off (`SQLITE_CONFIG_MEMSTATUS`): Debian's SQLite counts every allocation
    /// under one process-wide mutex, and a region build's inserts (every roster row binds and frees
    /// its text) spent about 3 % of their CPU locking and unlocking it (perf, a 100-town province).
    /// Nothing here reads those statistics (`sqlite3_memory_used`, heap limits). Once a connection
    /// has opened (SQLite initialised), SQLite refuses the setting and nothing changes.
    public static func configureSQLite() {
        _ = sqliteConfigured
    }

    private static let sqliteConfigured: Int32 = drillcal_sqlite3_config_memstatus(0)

    init(
        writer: any DatabaseWriter, lookupReader: (any DatabaseReader)? = nil, tokenLookup: PointLookup? = nil,
        leaderLookup: PointLookup? = nil, markDelayMicroseconds: UInt32 = 0, migrate: Bool = true
    ) throws {
        dbWriter = writer
        self.tokenLookup = tokenLookup
        self.leaderLookup = leaderLookup
        // A queue (in memory) holds its one connection only while a block runs: lookups can share it.
        self.lookupReader = lookupReader ?? writer
        self.markDelayMicroseconds = markDelayMicroseconds
        let rosterCache = rosterCache
        recorder = GroupCommit { calls in
            do {
                return .success(
                    try await writer.write { db in
                        calls.map { marks -> Result<Int, StoreError> in
                            // Each call in its own savepoint: a refused call leaves no trace and
                            // does not fail the calls sharing its transaction.
                            do {
                                var changed = 0
                                try db.inSavepoint {
                                    changed = try Self.record(marks, db, rosters: rosterCache, delay: markDelayMicroseconds)
                                    return .commit
                                }
                                return .success(changed)
                            } catch {
                                return .failure(StoreError(error))
                            }
                        }
                    })
            } catch {
                return .failure(StoreError(error))
            }
        }
        // GRDB sets `synchronous = NORMAL` on a pool's writer after `prepareDatabase`: set FULL on
        // the writer connection itself (every write goes through it), see `configuration`.
        //
        // Migrations run with `NORMAL`: each is its own transaction, and a new town's database
        // (a province makes 1,500) spent most of its opening waiting on one WAL fsync per
        // migration. In WAL mode `NORMAL` cannot corrupt the file; a power cut can only lose the
        // last migrations, which the next open runs again. The first write after them, with `FULL`,
        // syncs the WAL file and with it every migration before it.
        if migrate {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            try StoreSchema.migrator.migrate(writer)
        }
        try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    }

    /// How long a writer waits for another process's write transaction (a CLI import beside the
    /// server, two servers, two CLIs) before giving up with `.busy`. Inside one process GRDB's
    /// writer queue already serialises every write, so only other processes make anyone wait.
    public static let busyTimeout: Double = 30

    static var configuration: Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.label = "drillcal.store"
        // Another process holding the write lock: wait (SQLite's busy handler retries) instead of
        // failing at once with SQLITE_BUSY.
        config.busyMode = .timeout(busyTimeout)
        config.prepareDatabase { db in
            // Every acknowledged write must survive a power cut: in WAL mode `FULL` fsyncs the WAL
            // at each commit (GRDB's default `NORMAL` only at checkpoints). Throughput comes from
            // putting many marks in one transaction, never from skipping this.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return config
    }

    /// Closes the database; later calls fail with `.database`. Optional: the file is also closed
    /// when the last copy of the store goes away.
    public func close() throws(StoreError) {
        do {
            tokenLookup?.close()
            leaderLookup?.close()
            if lookupReader !== dbWriter { try lookupReader.close() }
            try dbWriter.close()
        } catch { throw StoreError(error) }
    }

    // MARK: - AttendanceStore

    public func publish(sessions: [SessionRecord], rosters: [String: [RosterEntry]]) async throws(StoreError)
    {
        try await write { db in try Self.publish(db, sessions: sessions, rosters: rosters) }
    }

    /// A build's publication and its sessions' codes in one transaction: one commit (one WAL sync),
    /// where the two calls made two.
    public func publishAssigningCodes(sessions: [SessionRecord], rosters: [String: [RosterEntry]])
        async throws(StoreError) -> [String: String]
    {
        try await write { db in
            try Self.publish(db, sessions: sessions, rosters: rosters)
            return try Self.assignCodes(db, sessions.map(\.uid))
        }
    }

    static func publish(_ db: Database, sessions: [SessionRecord], rosters: [String: [RosterEntry]]) throws {
        // A town's first build writes every session and every session's roster (one text each,
        // `PackedRoster`): statements with positional arguments and each distinct team list
        // encoded once (GRDB's Codable records built an encoder, a container and the SQL per
        // row: a quarter of a whole greedy build's CPU).
        let stored = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM session"))
            .map { try SessionRow(row: $0).record() }
        var storedTexts: [String: String] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT session_uid, entries FROM session_roster"))
        while let row = try rows.next() { storedTexts[row[0]] = row[1] as String }
        // Only what changed is written: an unchanged session or roster keeps its row as it is.
        // Rosters are compared as the texts they are stored as (one encoder writes them all).
        let made = try PublishPlan.make(sessions: sessions, rosters: rosters, stored: stored)
        var packed = RecentMemo<[RosterEntry], String?>()
        let texts = made.rosters.mapValues { roster in packed.value(for: roster, PackedRoster.text) }
        let plan = made.changes(stored: stored) { uid, _ in texts[uid] ?? nil != storedTexts[uid] }
        var teamTexts = JSONText.EncodeMemo<[String]>()
        let upsert = try RawStatement(db, sql: SessionRow.upsertSQL)
        for session in plan.sessions {
            try SessionRow.upsert(session, teams: teamTexts.text(session.teamIDs), with: upsert)
        }
        if !plan.cancellations.isEmpty {
            try SessionRow.filter(keys: plan.cancellations).updateAll(
                db, SessionRow.Columns.cancelled.set(to: true))
        }
        let delete = try RawStatement(db, sql: "DELETE FROM session_roster WHERE session_uid = ?")
        let store = try RawStatement(
            db,
            sql: """
                INSERT INTO session_roster (session_uid, entries) VALUES (?, ?)
                ON CONFLICT (session_uid) DO UPDATE SET entries = excluded.entries
                """)
        for uid in plan.rosters.keys {
            if let text = texts[uid] ?? nil {
                try store.run(.text(uid), .text(text))
            } else {
                try delete.run(.text(uid))
            }
        }
    }

    public func sessions() async throws(StoreError) -> [SessionRecord] {
        try await read { db in
            try SessionRow
                .order(SessionRow.Columns.date, SessionRow.Columns.startMinute, SessionRow.Columns.uid)
                .fetchAll(db).map { try $0.record() }
        }
    }

    /// The trigger-kept counter of v9-change-counter: one point read.
    public func sessionsVersion() async throws(StoreError) -> Int64? {
        try lookup { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM change_counter WHERE name = 'session'"))
        }
    }

    public func session(_ uid: String) async throws(StoreError) -> SessionRecord? {
        // Hot paths (every check-in) use cached prepared statements: no SQL built or compiled per call.
        // One statement, so no read transaction around it (GRDB's BEGIN and COMMIT are two more
        // statements, parsed each time).
        do {
            return try Self.readOneStatement(lookupReader) { db in
                try SessionRow.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM session WHERE uid = ?"), arguments: [uid]
                )?.record()
            }
        } catch { throw StoreError(error) }
    }

    public func roster(of uid: String) async throws(StoreError) -> [RosterEntry] {
        try await read { db in
            try Self.requireSession(uid, db)
            return try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(RosterEntryRow.selection) FROM roster_entry WHERE session_uid = ?
                        ORDER BY team_id, member_id
                        """),
                arguments: [uid]
            ).map { try RosterEntryRow(columns: $0).entry() }
        }
    }

    public func allRosters() async throws(StoreError) -> [String: [RosterEntry]] {
        try await read { db in
            var out: [String: [RosterEntry]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT \(RosterEntryRow.selection) FROM roster_entry ORDER BY session_uid, team_id, member_id")
            while let row = try rows.next() {
                let entry = RosterEntryRow(columns: row)
                out[entry.sessionUID, default: []].append(try entry.entry())
            }
            return out
        }
    }

    /// How many `record` calls shared how many transactions since the store was opened.
    public var recordStatistics: GroupCommitStatistics { recorder.statistics }

    /// Group-committed: calls made while another is committing share its successor's transaction
    /// (each in its own savepoint), and each returns after that transaction is on disk.
    @discardableResult
    public func record(_ marks: [AttendanceMark]) async throws(StoreError) -> Int {
        try await recorder.submit(marks)
    }

    /// One `record` call inside the batch's transaction.
    private static func record(
        _ marks: [AttendanceMark], _ db: Database, rosters: PackedRoster.Cache, delay: UInt32
    ) throws -> Int {
        let plan = try RecordingPlan.make(for: marks, in: Context(db: db, rosters: rosters))
        for change in plan.changes {
            try AttendanceRow(change.mark).save(db)
            var audit = AuditRow(change.auditEntry)
            try audit.insert(db)
            if delay > 0 { usleep(delay) }
        }
        for clientID in plan.newClientIDs { try SeenClientIDRow(clientID: clientID).insert(db) }
        return plan.changes.count
    }

    public func marks(session uid: String) async throws(StoreError) -> [AttendanceMark] {
        try await read { db in
            try Self.requireSession(uid, db)
            return try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT \(AttendanceRow.selection) FROM attendance WHERE session_uid = ? ORDER BY member_id"),
                arguments: [uid]
            ).map { try AttendanceRow(columns: $0).mark() }
        }
    }

    public func allMarks() async throws(StoreError) -> [AttendanceMark] {
        try await read { db in
            try AttendanceRow
                .order(AttendanceRow.Columns.sessionUID, AttendanceRow.Columns.memberID)
                .fetchAll(db).map { try $0.mark() }
        }
    }

    public func finalize(_ uid: String, by: String, at: Int) async throws(StoreError) {
        try await write { db in
            var row = try SessionRow(
                LockRules.checkFinalize(SessionRow.fetchOne(db, key: uid)?.record(), uid: uid))
            row.finalized = true
            try row.update(db)
            var audit = AuditRow(.finalized(uid, by: by, at: at))
            try audit.insert(db)
        }
    }

    public func reopen(_ uid: String, by: String, reason: String, at: Int) async throws(StoreError) {
        try await write { db in
            var row = try SessionRow(
                LockRules.checkReopen(SessionRow.fetchOne(db, key: uid)?.record(), uid: uid, reason: reason))
            row.finalized = false
            try row.update(db)
            var audit = AuditRow(.reopened(uid, by: by, reason: reason, at: at))
            try audit.insert(db)
        }
    }

    public func audit(session uid: String?) async throws(StoreError) -> [AuditEntry] {
        try await read { db in
            var request = AuditRow.order(AuditRow.Columns.id)
            if let uid {
                try Self.requireSession(uid, db)
                request = request.filter(AuditRow.Columns.sessionUID == uid)
            }
            return try request.fetchAll(db).map(\.entry)
        }
    }

    public func saveSummary(_ summary: DrillSummary, for uid: String, by: String, at: Int)
        async throws(StoreError)
    {
        try await write { db in
            _ = try LockRules.checkSummary(SessionRow.fetchOne(db, key: uid)?.record(), uid: uid)
            try SummaryRow(summary, session: uid).upsert(db)
            var audit = AuditRow(.summarySaved(uid, by: by, at: at))
            try audit.insert(db)
        }
    }

    public func summary(for uid: String) async throws(StoreError) -> DrillSummary? {
        try await read { db in
            try Self.requireSession(uid, db)
            return try SummaryRow.fetchOne(db, key: uid)?.summary()
        }
    }

    public func summarizedSessions() async throws(StoreError) -> Set<String> {
        try await read { db in try Self.summarized(db) }
    }

    public func allSummaries() async throws(StoreError) -> [String: DrillSummary] {
        try await read { db in
            var out: [String: DrillSummary] = [:]
            for row in try SummaryRow.fetchAll(db) { out[row.sessionUID] = try row.summary() }
            return out
        }
    }

    static func summarized(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT session_uid FROM summary"))
    }

    public func issueToken(member: String, hash: String, at: Int) async throws(StoreError) {
        try FeedTokenRules.check(member: member, hash: hash)
        try await write { db in
            if try FeedTokenRow.filter(FeedTokenRow.Columns.tokenHash == hash).isEmpty(db) == false {
                throw FeedTokenRules.reused
            }
            try Self.revokeActive(member, at: at, db)
            var row = FeedTokenRow(id: nil, memberID: member, tokenHash: hash, issuedAt: at, revokedAt: nil)
            try row.insert(db)
        }
    }

    public func issueLeaderCode(session uid: String, hash: String, by: String, at: Int)
        async throws(StoreError)
    {
        try await write { db in
            try Self.requireSession(uid, db)
            let hash = try LeaderCodeRules.checkHash(hash)
            try LeaderCodeRules.checkUnused(
                hash, alreadyStored: !LeaderCodeRow.filter(LeaderCodeRow.Columns.codeHash == hash).isEmpty(db)
            )
            _ = try Self.revokeLeaderCodes(of: uid, at: at, db)
            try LeaderCodeRow(
                sessionUID: uid, codeHash: hash, issuedBy: by, issuedAt: at, revokedAt: nil
            ).insert(db)
        }
    }

    @discardableResult
    public func revokeToken(member: String, at: Int) async throws(StoreError) -> Bool {
        try await write { db in try Self.revokeActive(member, at: at, db) > 0 }
    }

    /// A point lookup on the token-hash index, on the calling thread (every private feed request asks it).
    public func member(forTokenHash hash: String) async throws(StoreError) -> String? {
        try memberNow(forTokenHash: hash)
    }

    /// One SELECT is atomic in SQLite by itself, so it runs without a read transaction around it:
    /// for a file on `tokenLookup`'s own connections, in memory through GRDB without BEGIN/COMMIT
    /// (`unsafeRead`).
    public func memberNow(forTokenHash hash: String) throws(StoreError) -> String? {
        do {
            if let tokenLookup { return try tokenLookup.text(for: hash) }
            return try Self.readOneStatement(lookupReader) { db in
                try String.fetchOne(db.cachedStatement(sql: Self.memberByTokenSQL), arguments: [hash])
            }
        } catch { throw StoreError(error) }
    }

    static let memberByTokenSQL = "SELECT member_id FROM feed_token WHERE token_hash = ? AND revoked_at IS NULL"

    /// GRDB's synchronous read without a transaction: only for a single statement.
    static func readOneStatement<T>(_ reader: any DatabaseReader, _ value: (Database) throws -> T) throws -> T {
        try reader.unsafeRead(value)
    }

    /// Marks the member's active token revoked; returns how many rows changed (0 or 1).
    @discardableResult
    private static func revokeActive(_ member: String, at: Int, _ db: Database) throws -> Int {
        try FeedTokenRow
            .filter(FeedTokenRow.Columns.memberID == member && FeedTokenRow.Columns.revokedAt == nil)
            .updateAll(db, FeedTokenRow.Columns.revokedAt.set(to: at))
    }

    public func revokeLeaderCodes(session uid: String, at: Int) async throws(StoreError) -> Int {
        try await write { db in
            try Self.requireSession(uid, db)
            return try Self.revokeLeaderCodes(of: uid, at: at, db)
        }
    }

    /// Every check-in with a code asks it: on `leaderLookup`'s own connections (see `memberNow`).
    public func session(forLeaderCodeHash hash: String) async throws(StoreError) -> String? {
        do {
            if let leaderLookup { return try leaderLookup.text(for: hash) }
            return try Self.readOneStatement(lookupReader) { db in
                try String.fetchOne(db.cachedStatement(sql: Self.sessionByLeaderCodeSQL), arguments: [hash])
            }
        } catch { throw StoreError(error) }
    }

    static let sessionByLeaderCodeSQL =
        "SELECT session_uid FROM leader_code WHERE code_hash = ? AND revoked_at IS NULL LIMIT 1"

    public func storeKey(named name: String) async throws(StoreError) -> [UInt8] {
        guard !name.isEmpty else { throw .invalid("store key: empty name") }
        let fresh = newStoreKey()
        return try await write { db in
            // Another process may have made it first: keep theirs.
            try db.execute(
                sql: "INSERT OR IGNORE INTO store_key (name, key) VALUES (?, ?)",
                arguments: [name, Data(fresh)])
            guard
                let key = try Data.fetchOne(
                    db, sql: "SELECT key FROM store_key WHERE name = ?", arguments: [name])
            else { throw StoreError.database("store key \(name) missing after insert") }
            return [UInt8](key)
        }
    }

    private static func revokeLeaderCodes(of uid: String, at: Int, _ db: Database) throws -> Int {
        try LeaderCodeRow
            .filter(LeaderCodeRow.Columns.sessionUID == uid && LeaderCodeRow.Columns.revokedAt == nil)
            .updateAll(db, LeaderCodeRow.Columns.revokedAt.set(to: at))
    }

    // MARK: - Follow-up

    public func recordDeadlineDone(_ uid: String, note: String, by: String, at: Int) async throws(StoreError) {
        try await write { db in
            try FollowUpRules.checkDeadline(
                SessionRow.fetchOne(db, key: uid)?.record(), uid: uid,
                alreadyDone: DeadlineDoneRow.exists(db, key: uid))
            try DeadlineDoneRow(sessionUID: uid, note: note, by: by, at: at).insert(db)
        }
    }

    public func deadlineRecords() async throws(StoreError) -> [DeadlineRecord] {
        try await read { db in
            try DeadlineDoneRow.order(Column("session_uid")).fetchAll(db).map {
                DeadlineRecord(sessionUID: $0.sessionUID, note: $0.note, by: $0.by, at: $0.at)
            }
        }
    }

    @discardableResult
    public func addAction(sessionUID: String?, text: String, owner: String, due: CivilDate, by: String, at: Int)
        async throws(StoreError) -> CorrectiveAction
    {
        try await write { db in
            try FollowUpRules.checkNewAction(
                text: text, owner: owner, sessionExists: try sessionUID.map { try SessionRow.exists(db, key: $0) })
            let same = try ActionRow.filter(Column("session_uid") == sessionUID && Column("text") == text).fetchOne(db)
            if let same { return try same.action() }
            var row = ActionRow(
                id: nil, sessionUID: sessionUID, text: text, owner: owner, due: due.description, status: "open",
                note: "", createdBy: by, createdAt: at, closedAt: nil)
            try row.insert(db)
            return try row.action()
        }
    }

    @discardableResult
    public func carryAction(
        from origin: CarriedFrom, text: String, owner: String, due: CivilDate, by: String, at: Int
    ) async throws(StoreError) -> CorrectiveAction {
        try await write { db in
            try FollowUpRules.checkNewAction(text: text, owner: owner, sessionExists: nil)
            let same = try ActionRow.filter(
                Column("carried_town") == origin.town && Column("carried_year") == origin.year
                    && Column("carried_id") == origin.id
            ).fetchOne(db)
            if let same { return try same.action() }
            var row = ActionRow(
                id: nil, sessionUID: nil, text: text, owner: owner, due: due.description, status: "open",
                note: "", createdBy: by, createdAt: at, closedAt: nil, carriedTown: origin.town,
                carriedYear: origin.year, carriedID: origin.id, carriedSource: origin.source)
            try row.insert(db)
            return try row.action()
        }
    }

    public func actions() async throws(StoreError) -> [CorrectiveAction] {
        try await read { db in try ActionRow.order(Column("due"), Column("id")).fetchAll(db).map { try $0.action() } }
    }

    @discardableResult
    public func closeAction(_ id: Int, note: String, by: String, at: Int) async throws(StoreError)
        -> CorrectiveAction
    {
        try await write { db in
            var row = try ActionRow.fetchOne(db, key: id)
            try FollowUpRules.checkClose(try row?.action(), id: id, note: note)
            row!.status = "done"
            row!.note = note
            row!.closedAt = at
            try row!.update(db)
            return try row!.action()
        }
    }

    // MARK: - Absence notices

    public func reportAbsence(_ notice: AbsenceNotice) async throws(StoreError) {
        try await write { db in
            let onRoster = try RosterEntryRow
                .filter(RosterEntryRow.Columns.sessionUID == notice.sessionUID
                    && RosterEntryRow.Columns.memberID == notice.memberID)
                .isEmpty(db) == false
            try AbsenceRules.checkReport(
                notice, session: try SessionRow.fetchOne(db, key: notice.sessionUID)?.record(), onRoster: onRoster)
            let reason = notice.reason.trimmedSpace
            try db.execute(
                sql: """
                    INSERT INTO absence_notice (session_uid, member_id, reason, at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (session_uid, member_id) DO UPDATE SET reason = excluded.reason, at = excluded.at
                    """, arguments: [notice.sessionUID, notice.memberID, reason, notice.at])
            try db.execute(
                sql: """
                    INSERT INTO absence_notice_log (session_uid, member_id, action, reason, at, source)
                    VALUES (?, ?, 'report', ?, ?, 'member')
                    """, arguments: [notice.sessionUID, notice.memberID, reason, notice.at])
        }
    }

    @discardableResult
    public func withdrawAbsence(session uid: String, member: String, at: Int) async throws(StoreError) -> Bool {
        try await write { db in
            try AbsenceRules.checkWithdraw(uid, session: try SessionRow.fetchOne(db, key: uid)?.record())
            try db.execute(
                sql: "DELETE FROM absence_notice WHERE session_uid = ? AND member_id = ?", arguments: [uid, member])
            guard db.changesCount > 0 else { return false }
            try db.execute(
                sql: """
                    INSERT INTO absence_notice_log (session_uid, member_id, action, reason, at, source)
                    VALUES (?, ?, 'withdraw', NULL, ?, 'member')
                    """, arguments: [uid, member, at])
            return true
        }
    }

    public func absences() async throws(StoreError) -> [AbsenceNotice] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT session_uid, member_id, reason, at FROM absence_notice ORDER BY session_uid, member_id"
            ).map { AbsenceNotice(sessionUID: $0[0], memberID: $0[1], reason: $0[2], at: $0[3]) }
        }
    }

    public func absenceLog(session uid: String?) async throws(StoreError) -> [AbsenceNoticeEvent] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT action, session_uid, member_id, reason, at, source FROM absence_notice_log
                    WHERE ?1 IS NULL OR session_uid = ?1 ORDER BY id
                    """, arguments: [uid]
            ).map {
                AbsenceNoticeEvent(
                    action: $0[0], sessionUID: $0[1], memberID: $0[2], reason: $0[3], at: $0[4], source: $0[5])
            }
        }
    }

    // MARK: - Plumbing

    /// Runs `updates` in one write transaction, mapping every error to a `StoreError`.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T)
        async throws(StoreError)
        -> T
    {
        do { return try await dbWriter.write(updates) } catch { throw StoreError(error) }
    }

    /// Runs `value` on a consistent snapshot, mapping every error to a `StoreError`.
    func read<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T)
        async throws(StoreError) -> T
    {
        do { return try await dbWriter.read(value) } catch { throw StoreError(error) }
    }

    /// A point lookup (one indexed row or one small aggregate), synchronously on the calling thread:
    /// it takes microseconds, and GRDB's async read hops to a dispatch queue and back — two thread
    /// switches that cost more than the read on two cores. Only for reads bounded that way: a long
    /// read would hold one of the few cooperative threads every request needs (use `read`).
    func lookup<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try Self.readHere(lookupReader, value) } catch { throw StoreError(error) }
    }

    /// GRDB's synchronous read (from a synchronous function, so the async overload is not chosen).
    private static func readHere<T>(_ reader: any DatabaseReader, _ value: (Database) throws -> T) throws -> T {
        try reader.read(value)
    }

    static func requireSession(_ uid: String, _ db: Database) throws {
        guard try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM session WHERE uid = ?"), arguments: [uid]) != nil
        else { throw StoreError.unknownSession(uid) }
    }

    /// What `RecordingPlan` asks, answered inside the write transaction.
    private struct Context: RecordingContext {
        let db: Database
        let rosters: PackedRoster.Cache

        // Cached prepared statements: a group commit asks these once per mark.
        func session(_ uid: String) throws -> SessionRecord? {
            try SessionRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM session WHERE uid = ?"), arguments: [uid])?
                .record()
        }

        func isOnRoster(session uid: String, member: String) throws -> Bool {
            guard
                let text = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT entries FROM session_roster WHERE session_uid = ?"), arguments: [uid])
            else { return false }
            return try rosters.members(of: uid, text: text).memberIDs.contains(member)
        }

        func currentMark(session uid: String, member: String) throws -> AttendanceMark? {
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT \(AttendanceRow.selection) FROM attendance WHERE session_uid = ? AND member_id = ?"),
                arguments: [uid, member]
            ).map { try AttendanceRow(columns: $0).mark() }
        }

        func hasSeen(clientID: String) throws -> Bool {
            try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM seen_client_id WHERE client_id = ?"), arguments: [clientID])
                != nil
        }
    }
}
