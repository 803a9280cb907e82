import DrillCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// An `AttendanceStore` in PostgreSQL (postgres-nio), for a county deployment where several
/// `drillcal serve` processes share one database. Same protocol, same rules (`PublishPlan`,
/// `RecordingPlan`, …), same migrations (`PostgresSchema`) and the same conformance suite as
/// `SQLiteStore`.
///
/// Every write runs in one transaction that first takes a transaction-scoped advisory lock, so writes
/// from every process are serialised as SQLite's are (a check decided inside the transaction still
/// holds at its commit) and the audit trail's ids follow commit order. `record` is group-committed
/// (`GroupCommit`): concurrent calls share one transaction (one WAL flush), each in its own savepoint.
/// PostgreSQL's defaults (`fsync`, `synchronous_commit = on`) make each commit durable before it returns.
///
/// ```swift
/// let store = try await PostgresStore(url: "postgres://drillcal@127.0.0.1:5432/county")
/// try await store.record(marks)
/// ```
public struct PostgresStore: AttendanceStore {
    let client: PostgresClient
    let logger: Logger
    /// Runs the client's connection pool for the store's lifetime.
    private let runner: Task<Void, Never>
    let recorder: GroupCommit<RecordCall, RecordAnswer>
    /// How the batches were written (all at once, or call by call after a refusal).
    let paths = RecordPaths()
    /// The URL without its password: what error messages name.
    public let location: String
    /// Point reads kept in memory while `startReadCache()`'s listener is connected.
    let readCache: PostgresReadCache
    /// For the read cache's own listening connection.
    let listenConfiguration: PostgresConnection.Configuration

    /// Key of the advisory lock every write transaction takes (see the type's documentation).
    static let writeLock = 0x6472_696C_6C77_7269  // "drillwri"

    /// Opens the database at `url` (`postgres://user[:password]@host[:port]/database`, optionally
    /// `?search_path=schema`), checks it can be reached and brings its schema up to date.
    /// - Throws: `.invalid` for a URL that is not one; `.database` naming the URL (never its
    ///   password) when the server cannot be reached or refuses the login.
    public init(url: String) async throws(StoreError) {
        let target = try PostgresURL(url)
        try await self.init(target: target, upTo: nil)
    }

    init(target: PostgresURL, upTo last: String?) async throws(StoreError) {
        let logger = Self.quietLogger
        self.logger = logger
        location = target.redacted
        listenConfiguration = target.connectionConfiguration
        readCache = PostgresReadCache(schema: target.searchPath)
        // One direct connection first: a clear error now (not a pool retrying in the background),
        // and the migrations.
        do {
            let connection = try await PostgresConnection.connect(
                configuration: target.connectionConfiguration, id: 0, logger: logger)
            do {
                if let schema = target.searchPath {
                    try await connection.exec(
                        PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""), logger)
                }
                try await PostgresSchema.migrate(connection, logger: logger, upTo: last)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch {
            throw StoreError.database("\(target.redacted): \(Self.describe(error))")
        }
        let client = PostgresClient(configuration: target.clientConfiguration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
        let writeLock = Self.writeLock
        let paths = paths
        let prepared = LockedSnapshotFunction()
        let recordOnce = {
            @Sendable (calls: [RecordCall]) async -> Result<[Result<RecordAnswer, StoreError>], StoreError> in
            let outcomes: [Result<Int, StoreError>]
            do {
                do {
                    outcomes = try await Self.transaction(
                        client, logger, lock: nil, prepare: { c in await prepared.prepare(c, logger) }
                    ) { c in
                        // The lock and the snapshot in one round trip where the function could be
                        // made (any database user may create temporary objects unless an
                        // administrator revoked TEMP); otherwise one after the other.
                        let inOne = prepared.isReady(c)
                        if inOne {
                            paths.lockedInOne.add(1, ordering: .relaxed)
                        } else {
                            try await Self.lock(writeLock, c, logger)
                        }
                        return try await Self.record(
                            calls.map(\.marks), c, logger, paths, atOnce: true, lock: inOne ? writeLock : nil)
                    }
                } catch is BatchRefused {
                    // The all-at-once insert failed and took the transaction with it (rolled back):
                    // again in a fresh one, call by call, so only the failing call fails.
                    outcomes = try await Self.transaction(client, logger, lock: writeLock) { c in
                        try await Self.record(calls.map(\.marks), c, logger, paths, atOnce: false)
                    }
                }
            } catch {
                return .failure(StoreError(postgres: error))
            }
            // The live counts the check-ins of this batch answer with: one query for every session
            // asked about, after the commit, instead of one per check-in (a missing one is read by
            // its caller: `recordAndCount`).
            let asked = Set(zip(calls, outcomes).compactMap { call, outcome in
                (try? outcome.get()) == nil ? nil : call.count
            })
            var counts: [String: [String: LiveTeamCount]] = [:]
            if !asked.isEmpty {
                paths.countReads.add(1, ordering: .relaxed)
                counts =
                    (try? await client.withConnection { c in try await Self.turnouts(Array(asked), c, logger) }) ?? [:]
            }
            return .success(
                zip(calls, outcomes).map { call, outcome in
                    outcome.map { RecordAnswer(changed: $0, turnout: call.count.flatMap { counts[$0] }) }
                })
        }
        recorder = GroupCommit(commit: recordOnce)
    }

    /// postgres-nio's own logging, kept to what is critical (its errors reach callers as `StoreError`s).
    static var quietLogger: Logger {
        var logger = Logger(label: "drillcal.postgres")
        logger.logLevel = .critical
        return logger
    }

    /// Whether `text` names a PostgreSQL database (`postgres://` or `postgresql://`) rather than a file.
    public static func isURL(_ text: String) -> Bool { PostgresURL.isURL(text) }

    /// `url` as messages show it: without its password.
    public static func redacted(_ url: String) -> String {
        (try? PostgresURL(url).redacted) ?? PostgresURL.redact(url)
    }

    /// `replan(now:freezeDays:)` for callers that cannot wait (the server's feed reload): runs it on
    /// the pool and blocks this thread until it is answered.
    public func replanNow(now: Int, freezeDays: Int) throws(StoreError) -> Replan {
        try blocking { () async throws(StoreError) -> Replan in try await self.replan(now: now, freezeDays: freezeDays) }
    }

    /// `noticeDays()` for callers that cannot wait (the server's feed reload), like `replanNow`.
    public func noticeDaysNow() throws(StoreError) -> NoticeDays {
        try blocking { () async throws(StoreError) -> NoticeDays in try await self.noticeDays() }
    }

    /// Runs `operation` on the pool and blocks this thread until it is answered.
    private func blocking<T: Sendable>(_ operation: @escaping @Sendable () async throws(StoreError) -> T)
        throws(StoreError) -> T
    {
        let box = BlockingBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do throws(StoreError) {
                box.result = .success(try await operation())
            } catch {
                box.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try box.result.get()
    }

    /// Names of the migrations applied, in the order they were registered.
    func appliedMigrations() async throws(StoreError) -> [String] {
        let logger = logger
        let applied = try await read { c in
            Set(
                try await c.rows("SELECT name FROM drillcal_migrations", logger).map {
                    try $0.value("name", as: String.self)
                })
        }
        return PostgresSchema.migrations.map(\.name).filter(applied.contains)
    }

    /// Stops the connection pool; later calls fail.
    public func close() {
        readCache.stop()
        runner.cancel()
    }

    /// For a long-running server: keeps the session and leader-code lookups of check-ins in memory,
    /// emptied by every change any process commits (`PostgresReadCache`: LISTEN/NOTIFY on a connection
    /// of its own). Until that connection is listening, and whenever it is lost, reads go to the database.
    public func startReadCache() {
        readCache.start(configuration: listenConfiguration, logger: logger)
    }

    /// Whether the read cache is keeping answers (its listener is connected).
    public var readCacheIsLive: Bool { readCache.isLive }

    /// Lookups answered from memory, lookups read from the database, and times the cache was emptied.
    public var readCacheStatistics: (hits: Int, misses: Int, invalidations: Int) { readCache.statistics }

    // MARK: - Plumbing

    /// Takes the transaction-scoped advisory lock `key` (released by COMMIT or ROLLBACK).
    static func lock(_ key: Int, _ c: PostgresConnection, _ logger: Logger) async throws {
        try await c.exec("SELECT pg_advisory_xact_lock(\(key))", logger)
    }

    /// Runs `body` in one transaction on a pooled connection: `BEGIN`, the write lock (if `lock`),
    /// `body`, `COMMIT`; `ROLLBACK` on any error.
    ///
    /// With `notify` (a channel), the commit also sends a NOTIFY on it (delivered only if it
    /// commits), which empties the read cache of every server (`PostgresReadCache`).
    static func transaction<T: Sendable>(
        _ client: PostgresClient, _ logger: Logger, lock: Int?, readOnly: Bool = false, notify: String? = nil,
        prepare: (@Sendable (PostgresConnection) async throws -> Void)? = nil,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await client.withConnection { c in
            if let prepare { try await prepare(c) }
            try await c.exec(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", logger)
            do {
                if let lock { try await Self.lock(lock, c, logger) }
                let value = try await body(c)
                if let notify { try await c.exec("NOTIFY \(unescaped: notify)", logger) }
                try await c.exec("COMMIT", logger)
                return value
            } catch {
                try? await c.exec("ROLLBACK", logger)
                throw error
            }
        }
    }

    /// A write transaction, errors as `StoreError`. Unless `notify` is false (writes that change no
    /// session row and no leader code: logins, shared throttle counts, store keys), its commit empties the read
    /// cache of every server, this one's at once.
    func write<T: Sendable>(notify: Bool = true, _ body: @Sendable (PostgresConnection) async throws -> T)
        async throws(StoreError) -> T
    {
        do {
            let value = try await Self.transaction(
                client, logger, lock: Self.writeLock, notify: notify ? readCache.channel : nil, body)
            if notify { readCache.invalidate() }
            return value
        } catch {
            // A failed COMMIT may still have committed: forget what was kept.
            if notify { readCache.invalidate() }
            throw StoreError(postgres: error)
        }
    }

    /// A read of one statement, which is its own snapshot: no BEGIN and COMMIT around it (two
    /// round trips saved on every check-in's lookups).
    func readStatement<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T)
        async throws(StoreError) -> T
    {
        do {
            return try await client.withConnection { c in try await body(c) }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    /// A read on one consistent snapshot, errors as `StoreError`.
    func read<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws(StoreError)
        -> T
    {
        do {
            return try await Self.transaction(client, logger, lock: nil, readOnly: true, body)
        } catch {
            throw StoreError(postgres: error)
        }
    }

    /// The server's message for a PostgreSQL error, the error's description otherwise.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return [error.serverInfo?[.sqlState], message].compactMap { $0 }.joined(separator: " ")
            }
            if let underlying = error.underlying { return String(describing: underlying) }
            return String(describing: error.code)
        }
        return String(describing: error)
    }

    func requireSession(_ uid: String, _ c: PostgresConnection) async throws {
        guard try await Self.session(uid, c) != nil else { throw StoreError.unknownSession(uid) }
    }

    // MARK: - Rows

    static let sessionColumns =
        "uid, sequence, rule_id, kind, teams, date, start_minute, end_minute, venue_id, supervisor_id, finalized, cancelled"

    static func sessionRecord(_ row: PostgresRandomAccessRow) throws -> SessionRecord {
        let uid = try row.value("uid", as: String.self)
        let kindKey = try row.value("kind", as: String.self)
        guard let kind = SessionKind(storageKey: kindKey) else {
            throw StoreError.database("session \(uid): unknown kind \"\(kindKey)\"")
        }
        let date = try row.value("date", as: String.self)
        guard let day = CivilDate(iso: date) else {
            throw StoreError.database("session \(uid): bad date \"\(date)\"")
        }
        return SessionRecord(
            uid: uid, sequence: try row.value("sequence"), ruleID: try row.value("rule_id"), kind: kind,
            teamIDs: try JSONText.teams.decode(try row.value("teams", as: String.self)),
            slot: TimeSlot(
                date: day, startMinute: try row.value("start_minute"), endMinute: try row.value("end_minute")),
            venueID: try row.value("venue_id"), supervisorID: try row.value("supervisor_id"),
            finalized: try row.value("finalized"), cancelled: try row.value("cancelled"))
    }

    static func session(_ uid: String, _ c: PostgresConnection, _ logger: Logger = quietLogger)
        async throws -> SessionRecord?
    {
        try await c.rows(
            "SELECT \(unescaped: sessionColumns) FROM session WHERE uid = \(uid)", logger
        ).first.map(sessionRecord)
    }

    static func rosterEntry(_ row: PostgresRandomAccessRow) throws -> RosterEntry {
        RosterEntry(
            memberID: try row.value("member_id"), name: try row.value("name"),
            teamID: try row.value("team_id"),
            roles: try JSONText.roles.decode(try row.value("roles", as: String.self)), away: try row.value("away"))
    }

    static func mark(_ row: PostgresRandomAccessRow) throws -> AttendanceMark {
        let uid = try row.value("session_uid", as: String.self),
            member = try row.value("member_id", as: String.self)
        guard let status = AttendanceStatus(rawValue: try row.value("status")),
            let source = MarkSource(rawValue: try row.value("source"))
        else { throw StoreError.database("attendance \(uid)/\(member): bad status or source") }
        return AttendanceMark(
            sessionUID: uid, memberID: member, status: status, reason: try row.value("reason"),
            guest: try row.value("guest"), recordedBy: try row.value("recorded_by"),
            recordedAt: try row.value("recorded_at"), source: source, clientID: try row.value("client_id"))
    }

    static func insertAudit(_ entry: AuditEntry, _ c: PostgresConnection, _ logger: Logger) async throws {
        try await c.exec(
            """
            INSERT INTO audit (session_uid, action, member_id, "before", "after", reason, "by", "at", source)
            VALUES (\(entry.sessionUID), \(entry.action), \(entry.memberID), \(entry.before), \(entry.after),
                    \(entry.reason), \(entry.by), \(entry.at), \(entry.source))
            """, logger)
    }

    static func action(_ row: PostgresRandomAccessRow) throws -> CorrectiveAction {
        try ActionRow(
            id: try row.value("id"), sessionUID: try row.value("session_uid"), text: try row.value("text"),
            owner: try row.value("owner"), due: try row.value("due"), status: try row.value("status"),
            note: try row.value("note"), createdBy: try row.value("created_by"),
            createdAt: try row.value("created_at"),
            closedAt: try row.value("closed_at"), carriedTown: try row.value("carried_town"),
            carriedYear: try row.value("carried_year"), carriedID: try row.value("carried_id"),
            carriedSource: try row.value("carried_source")
        ).action()
    }

    // MARK: - Recording (group commit)

    /// What `RecordingPlan` asks, answered from rows read once for the whole batch at the start of its
    /// transaction (under the write lock, so nothing else changes them) and updated as calls succeed.
    struct Snapshot: RecordingContext {
        var sessions: [String: SessionRecord] = [:]
        var onRoster: Set<[String]> = []
        var current: [[String]: AttendanceMark] = [:]
        var seen: Set<String> = []

        func session(_ uid: String) throws -> SessionRecord? { sessions[uid] }
        func isOnRoster(session uid: String, member: String) throws -> Bool {
            onRoster.contains([uid, member])
        }
        func currentMark(session uid: String, member: String) throws -> AttendanceMark? {
            current[[uid, member]]
        }
        func hasSeen(clientID: String) throws -> Bool { seen.contains(clientID) }

        /// Every row the batch's plans ask about, in one statement (one round trip instead of four: the
        /// write lock is held meanwhile, and on a busy server each round trip waits to be scheduled,
        /// 1-5 ms in the logs of a two-server benchmark). The rows come as JSON arrays, decoded with
        /// the SQLite rows' Codable forms (their keys are the column names).
        static func read(
            uids: [String], members: [String], clientIDs: [String], lock: Int? = nil, _ c: PostgresConnection,
            _ logger: Logger
        ) async throws -> Snapshot {
            let row: PostgresRandomAccessRow?
            if let lock {
                row = try await c.rows(
                    "SELECT * FROM pg_temp.drillcal_lock_snapshot(\(lock), \(uids), \(members), \(clientIDs))",
                    logger
                ).first
            } else {
                row = try await c.rows(
                    """
                    SELECT
                      (SELECT coalesce(json_agg(s), '[]')::text FROM
                        (SELECT \(unescaped: sessionColumns) FROM session WHERE uid = ANY(\(uids))) s) AS sessions,
                      (SELECT coalesce(json_agg(json_build_array(session_uid, member_id)), '[]')::text
                        FROM roster_entry WHERE session_uid = ANY(\(uids)) AND member_id = ANY(\(members))) AS roster,
                      (SELECT coalesce(json_agg(a), '[]')::text FROM
                        (SELECT session_uid, member_id, status, reason, guest, recorded_by, recorded_at, source, client_id
                         FROM attendance WHERE session_uid = ANY(\(uids)) AND member_id = ANY(\(members))) a) AS marks,
                      (SELECT coalesce(json_agg(client_id), '[]')::text
                        FROM seen_client_id WHERE client_id = ANY(\(clientIDs))) AS seen
                    """, logger
                ).first
            }
            guard let row else { throw StoreError.database("the batch's snapshot query returned no row") }
            var snapshot = Snapshot()
            let sessions: [SessionRow] = try JSONText.decode(try row.value("sessions", as: String.self))
            let roster: [[String]] = try JSONText.decode(try row.value("roster", as: String.self))
            let marks: [AttendanceRow] = try JSONText.decode(try row.value("marks", as: String.self))
            for session in sessions {
                snapshot.sessions[session.uid] = try session.record()
            }
            snapshot.onRoster = Set(roster)
            for stored in marks {
                let mark = try stored.mark()
                snapshot.current[[mark.sessionUID, mark.memberID]] = mark
            }
            snapshot.seen = Set(try JSONText.decode(try row.value("seen", as: String.self)) as [String])
            return snapshot
        }

        mutating func apply(_ plan: RecordingPlan) {
            for change in plan.changes {
                current[[change.mark.sessionUID, change.mark.memberID]] = change.mark
            }
            seen.formUnion(plan.newClientIDs)
        }
    }

    /// Decides and writes each call of a batch inside the open transaction; one outcome per call.
    /// With `atOnce`, the whole batch is first tried in one statement (`recordAtOnce`); when the database
    /// refuses it, `BatchRefused` is thrown and the caller runs the batch again with `atOnce` false.
    static func record(
        _ calls: [[AttendanceMark]], _ c: PostgresConnection, _ logger: Logger, _ paths: RecordPaths,
        atOnce: Bool = true, lock: Int? = nil
    ) async throws -> [Result<Int, StoreError>] {
        let marks = calls.flatMap { $0 }
        let uids = Array(Set(marks.map(\.sessionUID)))
        let members = Array(Set(marks.map(\.memberID)))
        let clientIDs = Array(Set(marks.compactMap(\.clientID)))
        var snapshot = try await Snapshot.read(
            uids: uids, members: members, clientIDs: clientIDs, lock: lock, c, logger)
        if atOnce, let outcomes = try await recordAtOnce(calls, snapshot, c, logger) {
            paths.atOnce.add(1, ordering: .relaxed)
            return outcomes
        }
        paths.callByCall.add(1, ordering: .relaxed)
        var outcomes: [Result<Int, StoreError>] = []
        for call in calls {
            let plan: RecordingPlan
            do {
                plan = try RecordingPlan.make(for: call, in: snapshot)
            } catch {
                outcomes.append(.failure(StoreError(error)))
                continue
            }
            if plan.changes.isEmpty && plan.newClientIDs.isEmpty {
                outcomes.append(.success(0))
                continue
            }
            // A savepoint per call: a row the schema refuses undoes this call only.
            try await c.exec("SAVEPOINT record_call", logger)
            do {
                for change in plan.changes {
                    let m = change.mark
                    try await c.exec(
                        """
                        INSERT INTO attendance (session_uid, member_id, status, reason, guest, recorded_by,
                                                recorded_at, source, client_id)
                        VALUES (\(m.sessionUID), \(m.memberID), \(m.status.rawValue), \(m.reason), \(m.guest),
                                \(m.recordedBy), \(m.recordedAt), \(m.source.rawValue), \(m.clientID))
                        ON CONFLICT (session_uid, member_id) DO UPDATE SET
                          status = EXCLUDED.status, reason = EXCLUDED.reason, guest = EXCLUDED.guest,
                          recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at,
                          source = EXCLUDED.source, client_id = EXCLUDED.client_id
                        """, logger)
                    try await insertAudit(change.auditEntry, c, logger)
                }
                for id in plan.newClientIDs {
                    try await c.exec("INSERT INTO seen_client_id (client_id) VALUES (\(id))", logger)
                }
                try await c.exec("RELEASE SAVEPOINT record_call", logger)
                snapshot.apply(plan)
                outcomes.append(.success(plan.changes.count))
            } catch {
                try await c.exec("ROLLBACK TO SAVEPOINT record_call", logger)
                outcomes.append(.failure(StoreError(postgres: error)))
            }
        }
        return outcomes
    }

    /// The batch in one statement, whatever its size: every call planned against the snapshot,
    /// then all marks, audit rows and client ids inserted at once (rows passed as one JSON array
    /// each). A round trip per row made a 30-call batch cost ~150 round trips, and with the store's
    /// write lock held that bounded check-ins to a few hundred a second. Nil when a plan refuses a call
    /// (nothing written yet: the caller goes on call by call in the same transaction). When the
    /// database refuses a row, throws `BatchRefused`: the transaction is rolled back and the batch
    /// runs again call by call in a new one, which isolates the failing call. No savepoint guards the
    /// statement: a SAVEPOINT is one more round trip under the write lock on every batch, for a
    /// failure the plans are there to prevent.
    static func recordAtOnce(
        _ calls: [[AttendanceMark]], _ snapshot: Snapshot, _ c: PostgresConnection, _ logger: Logger
    ) async throws -> [Result<Int, StoreError>]? {
        var snapshot = snapshot
        var plans: [RecordingPlan] = []
        for call in calls {
            guard let plan = try? RecordingPlan.make(for: call, in: snapshot) else { return nil }
            snapshot.apply(plan)
            plans.append(plan)
        }
        // The last change per member wins (a later call in the batch may change the same record).
        var latest: [[String]: AttendanceMark] = [:]
        var order: [[String]] = []
        var audits: [AuditEntry] = []
        var clientIDs: [String] = []
        for plan in plans {
            for change in plan.changes {
                let key = [change.mark.sessionUID, change.mark.memberID]
                if latest.updateValue(change.mark, forKey: key) == nil { order.append(key) }
                audits.append(change.auditEntry)
            }
            clientIDs += plan.newClientIDs
        }
        if order.isEmpty && clientIDs.isEmpty { return plans.map { .success($0.changes.count) } }
        // The SQLite rows' Codable keys are the column names: the same JSON serves here. An audit
        // row's `id` carries its position in the batch (the identity column numbers them in order).
        let marks = try JSONText.encode(order.map { AttendanceRow(latest[$0]!) })
        let entries = try JSONText.encode(
            audits.enumerated().map { item in
                var row = AuditRow(item.element)
                row.id = Int64(item.offset)
                return row
            })
        do {
            // One statement for the three inserts (data-modifying WITH clauses): one round trip
            // under the write lock instead of three. Empty arrays insert nothing.
            try await c.exec(
                """
                WITH marked AS (
                  INSERT INTO attendance (session_uid, member_id, status, reason, guest, recorded_by,
                                          recorded_at, source, client_id)
                  SELECT session_uid, member_id, status, reason, guest, recorded_by, recorded_at, source, client_id
                  FROM jsonb_to_recordset(\(marks)::jsonb) AS x(session_uid text, member_id text, status text,
                    reason text, guest boolean, recorded_by text, recorded_at bigint, source text, client_id text)
                  ON CONFLICT (session_uid, member_id) DO UPDATE SET
                    status = EXCLUDED.status, reason = EXCLUDED.reason, guest = EXCLUDED.guest,
                    recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at,
                    source = EXCLUDED.source, client_id = EXCLUDED.client_id
                  RETURNING 1
                ), audited AS (
                  INSERT INTO audit (session_uid, action, member_id, "before", "after", reason, "by", "at", source)
                  SELECT session_uid, action, member_id, before, after, reason, by, at, source
                  FROM jsonb_to_recordset(\(entries)::jsonb) AS x(id bigint, session_uid text, action text,
                    member_id text, before text, after text, reason text, by text, at bigint, source text)
                  ORDER BY id
                  RETURNING 1
                ), remembered AS (
                  INSERT INTO seen_client_id (client_id) SELECT unnest(\(clientIDs)::text[])
                  RETURNING 1
                )
                SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM audited), (SELECT count(*) FROM remembered)
                """, logger)
        } catch {
            throw BatchRefused(underlying: error)
        }
        return plans.map { .success($0.changes.count) }
    }

    // MARK: - AttendanceStore

    public func publish(sessions: [SessionRecord], rosters: [String: [RosterEntry]]) async throws(StoreError)
    {
        let logger = logger
        try await write { c in
            let stored = try await c.rows("SELECT \(unescaped: Self.sessionColumns) FROM session", logger)
                .map(Self.sessionRecord)
            var storedRosters: [String: [RosterEntry]] = [:]
            for row in try await c.rows("SELECT * FROM roster_entry", logger) {
                storedRosters[try row.value("session_uid", as: String.self), default: []].append(
                    try Self.rosterEntry(row))
            }
            for uid in storedRosters.keys { storedRosters[uid]!.sort(by: StoreOrder.roster) }
            let plan = try PublishPlan.make(sessions: sessions, rosters: rosters, stored: stored)
                .changes(stored: stored, storedRosters: storedRosters)
            for session in plan.sessions {
                let r = try SessionRow(session)
                try await c.exec(
                    """
                    INSERT INTO session (\(unescaped: Self.sessionColumns))
                    VALUES (\(r.uid), \(r.sequence), \(r.ruleID), \(r.kind), \(r.teams), \(r.date), \(r.startMinute),
                            \(r.endMinute), \(r.venueID), \(r.supervisorID), \(r.finalized), \(r.cancelled))
                    ON CONFLICT (uid) DO UPDATE SET
                      sequence = EXCLUDED.sequence, rule_id = EXCLUDED.rule_id, kind = EXCLUDED.kind,
                      teams = EXCLUDED.teams, date = EXCLUDED.date, start_minute = EXCLUDED.start_minute,
                      end_minute = EXCLUDED.end_minute, venue_id = EXCLUDED.venue_id,
                      supervisor_id = EXCLUDED.supervisor_id, finalized = EXCLUDED.finalized,
                      cancelled = EXCLUDED.cancelled
                    """, logger)
            }
            if !plan.cancellations.isEmpty {
                try await c.exec(
                    "UPDATE session SET cancelled = true WHERE uid = ANY(\(plan.cancellations))", logger)
            }
            for (uid, roster) in plan.rosters {
                try await c.exec("DELETE FROM roster_entry WHERE session_uid = \(uid)", logger)
                if roster.isEmpty { continue }
                let rows = try roster.map { try RosterEntryRow($0, session: uid) }
                // One statement per roster, its rows as parallel arrays.
                try await c.exec(
                    """
                    INSERT INTO roster_entry (session_uid, member_id, name, team_id, roles, away)
                    SELECT * FROM unnest(\(rows.map(\.sessionUID))::text[], \(rows.map(\.memberID))::text[],
                                         \(rows.map(\.name))::text[], \(rows.map(\.teamID))::text[],
                                         \(rows.map(\.roles))::text[], \(rows.map(\.away))::boolean[])
                    """, logger)
            }
        }
    }

    public func sessions() async throws(StoreError) -> [SessionRecord] {
        let logger = logger
        return try await read { c in
            try await c.rows(
                """
                SELECT \(unescaped: Self.sessionColumns) FROM session
                ORDER BY date COLLATE "C", start_minute, uid COLLATE "C"
                """, logger
            ).map(Self.sessionRecord)
        }
    }

    /// The trigger-kept counter of v9-change-counter: one statement.
    public func sessionsVersion() async throws(StoreError) -> Int64? {
        let logger = logger
        return try await readStatement { c in
            try await c.rows("SELECT value FROM change_counter WHERE name = 'session'", logger).first?.value(
                "value", as: Int64.self)
        }
    }

    public func session(_ uid: String) async throws(StoreError) -> SessionRecord? {
        let logger = logger
        return try await readCache.session(uid) { () async throws(StoreError) -> SessionRecord? in
            try await readStatement { c in try await Self.session(uid, c, logger) }
        }
    }

    public func roster(of uid: String) async throws(StoreError) -> [RosterEntry] {
        let logger = logger
        return try await read { c in
            guard try await Self.session(uid, c, logger) != nil else { throw StoreError.unknownSession(uid) }
            return try await c.rows(
                """
                SELECT * FROM roster_entry WHERE session_uid = \(uid)
                ORDER BY team_id COLLATE "C", member_id COLLATE "C"
                """, logger
            ).map(Self.rosterEntry)
        }
    }

    public func allRosters() async throws(StoreError) -> [String: [RosterEntry]] {
        let logger = logger
        return try await read { c in
            var out: [String: [RosterEntry]] = [:]
            for row in try await c.rows(
                """
                SELECT * FROM roster_entry
                ORDER BY session_uid COLLATE "C", team_id COLLATE "C", member_id COLLATE "C"
                """, logger)
            {
                out[try row.value("session_uid", as: String.self), default: []].append(try Self.rosterEntry(row))
            }
            return out
        }
    }

    /// How many `record` calls shared how many transactions since the store was opened.
    public var recordStatistics: GroupCommitStatistics { recorder.statistics }

    /// Batches written in three statements, and batches written call by call (one had a refused
    /// call or row): a healthy server shows almost only the first.
    public var recordPaths: (atOnce: Int, callByCall: Int) {
        (paths.atOnce.load(ordering: .relaxed), paths.callByCall.load(ordering: .relaxed))
    }

    /// Batches that took the write lock and read their snapshot in one round trip (all of them,
    /// unless the database user may not create temporary functions).
    public var batchesLockedInOne: Int { paths.lockedInOne.load(ordering: .relaxed) }

    /// Live-count queries `recordAndCount` made for whole batches (fewer than its calls when they
    /// share transactions).
    public var batchCountReads: Int { paths.countReads.load(ordering: .relaxed) }

    /// Group-committed, as `SQLiteStore.record`.
    @discardableResult
    public func record(_ marks: [AttendanceMark]) async throws(StoreError) -> Int {
        try await recorder.submit(RecordCall(marks: marks, count: nil)).changed
    }

    /// Group-committed with the live count read once per session for the whole batch.
    public func recordAndCount(_ marks: [AttendanceMark], session uid: String) async throws(StoreError)
        -> RecordedCount
    {
        let answer = try await recorder.submit(RecordCall(marks: marks, count: uid))
        guard let turnout = answer.turnout else {
            return RecordedCount(changed: answer.changed, turnout: try await turnout(session: uid))
        }
        return RecordedCount(changed: answer.changed, turnout: turnout)
    }

    public func marks(session uid: String) async throws(StoreError) -> [AttendanceMark] {
        let logger = logger
        return try await read { c in
            guard try await Self.session(uid, c, logger) != nil else { throw StoreError.unknownSession(uid) }
            return try await c.rows(
                "SELECT * FROM attendance WHERE session_uid = \(uid) ORDER BY member_id COLLATE \"C\"", logger
            ).map(Self.mark)
        }
    }

    public func allMarks() async throws(StoreError) -> [AttendanceMark] {
        let logger = logger
        return try await read { c in
            try await c.rows(
                "SELECT * FROM attendance ORDER BY session_uid COLLATE \"C\", member_id COLLATE \"C\"", logger
            ).map(Self.mark)
        }
    }

    public func finalize(_ uid: String, by: String, at: Int) async throws(StoreError) {
        let logger = logger
        try await write { c in
            _ = try LockRules.checkFinalize(try await Self.session(uid, c, logger), uid: uid)
            try await c.exec("UPDATE session SET finalized = true WHERE uid = \(uid)", logger)
            try await Self.insertAudit(.finalized(uid, by: by, at: at), c, logger)
        }
    }

    public func reopen(_ uid: String, by: String, reason: String, at: Int) async throws(StoreError) {
        let logger = logger
        try await write { c in
            _ = try LockRules.checkReopen(try await Self.session(uid, c, logger), uid: uid, reason: reason)
            try await c.exec("UPDATE session SET finalized = false WHERE uid = \(uid)", logger)
            try await Self.insertAudit(.reopened(uid, by: by, reason: reason, at: at), c, logger)
        }
    }

    public func audit(session uid: String?) async throws(StoreError) -> [AuditEntry] {
        let logger = logger
        return try await read { c in
            if let uid, try await Self.session(uid, c, logger) == nil { throw StoreError.unknownSession(uid) }
            return try await c.rows(
                """
                SELECT session_uid, action, member_id, "before", "after", reason, "by", "at", source FROM audit
                WHERE \(uid)::text IS NULL OR session_uid = \(uid) ORDER BY id
                """, logger
            ).map { row in
                AuditEntry(
                    sessionUID: try row.value("session_uid"), action: try row.value("action"),
                    memberID: try row.value("member_id"), before: try row.value("before"),
                    after: try row.value("after"), reason: try row.value("reason"), by: try row.value("by"),
                    at: try row.value("at"), source: try row.value("source"))
            }
        }
    }

    public func saveSummary(_ summary: DrillSummary, for uid: String, by: String, at: Int)
        async throws(StoreError)
    {
        let logger = logger
        try await write { c in
            _ = try LockRules.checkSummary(try await Self.session(uid, c, logger), uid: uid)
            let json = try JSONText.encode(summary)
            try await c.exec(
                """
                INSERT INTO summary (session_uid, json) VALUES (\(uid), \(json))
                ON CONFLICT (session_uid) DO UPDATE SET json = EXCLUDED.json
                """, logger)
            try await Self.insertAudit(.summarySaved(uid, by: by, at: at), c, logger)
        }
    }

    public func summary(for uid: String) async throws(StoreError) -> DrillSummary? {
        let logger = logger
        return try await read { c in
            guard try await Self.session(uid, c, logger) != nil else { throw StoreError.unknownSession(uid) }
            guard
                let row = try await c.rows("SELECT json FROM summary WHERE session_uid = \(uid)", logger)
                    .first
            else { return nil }
            return try JSONText.decode(try row.value("json", as: String.self))
        }
    }

    public func allSummaries() async throws(StoreError) -> [String: DrillSummary] {
        let logger = logger
        return try await read { c in
            var out: [String: DrillSummary] = [:]
            for row in try await c.rows("SELECT session_uid, json FROM summary", logger) {
                out[try row.value("session_uid", as: String.self)] = try JSONText.decode(try row.value("json", as: String.self))
            }
            return out
        }
    }

    public func summarizedSessions() async throws(StoreError) -> Set<String> {
        let logger = logger
        return try await read { c in
            Set(try await c.rows("SELECT session_uid FROM summary", logger).map { try $0.value("session_uid", as: String.self) })
        }
    }

    // MARK: Tokens and codes

    public func issueToken(member: String, hash: String, at: Int) async throws(StoreError) {
        try FeedTokenRules.check(member: member, hash: hash)
        let logger = logger
        try await write { c in
            if try await !c.rows("SELECT 1 FROM feed_token WHERE token_hash = \(hash)", logger).isEmpty {
                throw FeedTokenRules.reused
            }
            try await c.exec(
                "UPDATE feed_token SET revoked_at = \(at) WHERE member_id = \(member) AND revoked_at IS NULL",
                logger)
            try await c.exec(
                "INSERT INTO feed_token (member_id, token_hash, issued_at) VALUES (\(member), \(hash), \(at))",
                logger)
        }
    }

    @discardableResult
    public func revokeToken(member: String, at: Int) async throws(StoreError) -> Bool {
        let logger = logger
        return try await write { c in
            try await !c.rows(
                """
                UPDATE feed_token SET revoked_at = \(at) WHERE member_id = \(member) AND revoked_at IS NULL
                RETURNING 1
                """, logger
            ).isEmpty
        }
    }

    public func member(forTokenHash hash: String) async throws(StoreError) -> String? {
        let logger = logger
        return try await read { c in
            try await c.rows(
                "SELECT member_id FROM feed_token WHERE token_hash = \(hash) AND revoked_at IS NULL", logger
            ).first?.value("member_id")
        }
    }

    public func issueLeaderCode(session uid: String, hash: String, by: String, at: Int)
        async throws(StoreError)
    {
        let logger = logger
        try await write { c in
            guard try await Self.session(uid, c, logger) != nil else { throw StoreError.unknownSession(uid) }
            let hash = try LeaderCodeRules.checkHash(hash)
            try LeaderCodeRules.checkUnused(
                hash,
                alreadyStored: try await !c.rows(
                    "SELECT 1 FROM leader_code WHERE code_hash = \(hash)", logger
                ).isEmpty)
            try await c.exec(
                "UPDATE leader_code SET revoked_at = \(at) WHERE session_uid = \(uid) AND revoked_at IS NULL",
                logger)
            try await c.exec(
                """
                INSERT INTO leader_code (session_uid, code_hash, issued_by, issued_at)
                VALUES (\(uid), \(hash), \(by), \(at))
                """, logger)
        }
    }

    @discardableResult
    public func revokeLeaderCodes(session uid: String, at: Int) async throws(StoreError) -> Int {
        let logger = logger
        return try await write { c in
            guard try await Self.session(uid, c, logger) != nil else { throw StoreError.unknownSession(uid) }
            return try await c.rows(
                """
                UPDATE leader_code SET revoked_at = \(at) WHERE session_uid = \(uid) AND revoked_at IS NULL
                RETURNING 1
                """, logger
            ).count
        }
    }

    public func session(forLeaderCodeHash hash: String) async throws(StoreError) -> String? {
        let logger = logger
        return try await readCache.session(forCode: hash) { () async throws(StoreError) -> String? in
            try await readStatement { c in
                try await c.rows(
                    "SELECT session_uid FROM leader_code WHERE code_hash = \(hash) AND revoked_at IS NULL", logger
                ).first?.value("session_uid")
            }
        }
    }

    public func storeKey(named name: String) async throws(StoreError) -> [UInt8] {
        guard !name.isEmpty else { throw .invalid("store key: empty name") }
        let fresh = Data(newStoreKey())
        let logger = logger
        // A key changes no cached row: no notification (every server asks once at its start).
        return try await write(notify: false) { c in
            // Another process may have made it first: keep theirs.
            try await c.exec(
                "INSERT INTO store_key (name, key) VALUES (\(name), \(fresh)) ON CONFLICT (name) DO NOTHING",
                logger)
            guard let row = try await c.rows("SELECT key FROM store_key WHERE name = \(name)", logger).first
            else {
                throw StoreError.database("store key \(name) missing after insert")
            }
            return [UInt8](try row.value("key", as: Data.self))
        }
    }

    // MARK: Follow-up

    public func recordDeadlineDone(_ uid: String, note: String, by: String, at: Int) async throws(StoreError)
    {
        let logger = logger
        try await write { c in
            try FollowUpRules.checkDeadline(
                try await Self.session(uid, c, logger), uid: uid,
                alreadyDone: try await !c.rows(
                    "SELECT 1 FROM deadline_done WHERE session_uid = \(uid)", logger
                ).isEmpty)
            try await c.exec(
                "INSERT INTO deadline_done (session_uid, note, \"by\", \"at\") VALUES (\(uid), \(note), \(by), \(at))",
                logger)
        }
    }

    public func deadlineRecords() async throws(StoreError) -> [DeadlineRecord] {
        let logger = logger
        return try await read { c in
            try await c.rows(
                "SELECT session_uid, note, \"by\", \"at\" FROM deadline_done ORDER BY session_uid COLLATE \"C\"",
                logger
            ).map {
                DeadlineRecord(
                    sessionUID: try $0.value("session_uid"), note: try $0.value("note"),
                    by: try $0.value("by"),
                    at: try $0.value("at"))
            }
        }
    }

    @discardableResult
    public func addAction(
        sessionUID: String?, text: String, owner: String, due: CivilDate, by: String, at: Int
    )
        async throws(StoreError) -> CorrectiveAction
    {
        let logger = logger
        return try await write { c in
            var exists: Bool? = nil
            if let sessionUID { exists = try await Self.session(sessionUID, c, logger) != nil }
            try FollowUpRules.checkNewAction(text: text, owner: owner, sessionExists: exists)
            if let same = try await c.rows(
                """
                SELECT * FROM corrective_action
                WHERE session_uid IS NOT DISTINCT FROM \(sessionUID) AND text = \(text) ORDER BY id LIMIT 1
                """, logger
            ).first {
                return try Self.action(same)
            }
            let row = try await c.rows(
                """
                INSERT INTO corrective_action (session_uid, text, owner, due, status, note, created_by, created_at)
                VALUES (\(sessionUID), \(text), \(owner), \(due.description), 'open', '', \(by), \(at))
                RETURNING *
                """, logger)
            return try Self.action(row[0])
        }
    }

    @discardableResult
    public func carryAction(
        from origin: CarriedFrom, text: String, owner: String, due: CivilDate, by: String, at: Int
    ) async throws(StoreError) -> CorrectiveAction {
        let logger = logger
        return try await write { c in
            try FollowUpRules.checkNewAction(text: text, owner: owner, sessionExists: nil)
            if let same = try await c.rows(
                """
                SELECT * FROM corrective_action
                WHERE carried_town = \(origin.town) AND carried_year = \(origin.year) AND carried_id = \(origin.id)
                """, logger
            ).first {
                return try Self.action(same)
            }
            let row = try await c.rows(
                """
                INSERT INTO corrective_action (session_uid, text, owner, due, status, note, created_by, created_at,
                                               carried_town, carried_year, carried_id, carried_source)
                VALUES (NULL, \(text), \(owner), \(due.description), 'open', '', \(by), \(at),
                        \(origin.town), \(origin.year), \(origin.id), \(origin.source))
                RETURNING *
                """, logger)
            return try Self.action(row[0])
        }
    }

    public func actions() async throws(StoreError) -> [CorrectiveAction] {
        let logger = logger
        return try await read { c in
            try await c.rows("SELECT * FROM corrective_action ORDER BY due COLLATE \"C\", id", logger).map(
                Self.action)
        }
    }

    @discardableResult
    public func closeAction(_ id: Int, note: String, by: String, at: Int) async throws(StoreError)
        -> CorrectiveAction
    {
        let logger = logger
        return try await write { c in
            let current = try await c.rows("SELECT * FROM corrective_action WHERE id = \(id)", logger).first
                .map(Self.action)
            try FollowUpRules.checkClose(current, id: id, note: note)
            let row = try await c.rows(
                """
                UPDATE corrective_action SET status = 'done', note = \(note), closed_at = \(at) WHERE id = \(id)
                RETURNING *
                """, logger)
            return try Self.action(row[0])
        }
    }

    // MARK: Overrides and codes

    @discardableResult
    public func saveOverride(_ override: SessionOverride) async throws(StoreError) -> SessionOverride {
        let logger = logger
        return try await write { c in
            try OverrideRules.check(
                override, exists: try await Self.session(override.sessionUID, c, logger) != nil)
            let row = try await c.rows(
                """
                INSERT INTO session_override (session_uid, action, date, start_minute, end_minute, reason, forced,
                                              "by", "at")
                VALUES (\(override.sessionUID), \(override.action.rawValue), \(override.slot?.date.description),
                        \(override.slot?.startMinute), \(override.slot?.endMinute), \(override.reason),
                        \(override.forced), \(override.by), \(override.at))
                RETURNING id
                """, logger)
            var stored = override
            stored.id = try row[0].value("id", as: Int.self)
            return stored
        }
    }

    public func overrides() async throws(StoreError) -> [SessionOverride] {
        let logger = logger
        return try await read { c in
            try await c.rows("SELECT * FROM session_override ORDER BY id", logger).map { row in
                let date = try row.value("date", as: String?.self)
                let slot = try date.map { text -> TimeSlot in
                    guard let day = CivilDate(iso: text) else {
                        throw StoreError.database("session_override.date “\(text)”")
                    }
                    return TimeSlot(
                        date: day, startMinute: try row.value("start_minute"),
                        endMinute: try row.value("end_minute"))
                }
                guard let action = SessionOverride.Action(rawValue: try row.value("action")) else {
                    throw StoreError.database("session_override.action")
                }
                return SessionOverride(
                    id: try row.value("id"), sessionUID: try row.value("session_uid"), action: action,
                    slot: slot,
                    reason: try row.value("reason"), forced: try row.value("forced"), by: try row.value("by"),
                    at: try row.value("at"))
            }
        }
    }

    @discardableResult
    public func assignCodes(_ uids: [String]) async throws(StoreError) -> [String: String] {
        let logger = logger
        return try await write { c in
            // One read of the stored UIDs, not a round trip per session.
            let stored = Set(try await c.rows("SELECT uid FROM session", logger).map { try $0.value("uid", as: String.self) })
            if let unknown = uids.first(where: { !stored.contains($0) }) { throw StoreError.unknownSession(unknown) }
            var codes = try await Self.codes(c, logger)
            var n = try await c.rows("SELECT coalesce(max(number), 0) AS n FROM session_code", logger)[0]
                .value("n", as: Int.self)
            for uid in uids where codes[uid] == nil {
                n += 1
                let code = OverrideRules.code(n)
                try await c.exec(
                    "INSERT INTO session_code (session_uid, number, code) VALUES (\(uid), \(n), \(code))",
                    logger)
                codes[uid] = code
            }
            return codes
        }
    }

    public func codes() async throws(StoreError) -> [String: String] {
        let logger = logger
        return try await read { c in try await Self.codes(c, logger) }
    }

    private static func codes(_ c: PostgresConnection, _ logger: Logger) async throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try await c.rows("SELECT session_uid, code FROM session_code", logger) {
            out[try row.value("session_uid")] = try row.value("code")
        }
        return out
    }

    // MARK: Absence notices

    public func reportAbsence(_ notice: AbsenceNotice) async throws(StoreError) {
        let logger = logger
        try await write { c in
            let onRoster = try await !c.rows(
                """
                SELECT 1 FROM roster_entry WHERE session_uid = \(notice.sessionUID) AND member_id = \(notice.memberID)
                """, logger
            ).isEmpty
            try AbsenceRules.checkReport(
                notice, session: try await Self.session(notice.sessionUID, c, logger), onRoster: onRoster)
            let reason = notice.reason.trimmedSpace
            try await c.exec(
                """
                INSERT INTO absence_notice (session_uid, member_id, reason, "at")
                VALUES (\(notice.sessionUID), \(notice.memberID), \(reason), \(notice.at))
                ON CONFLICT (session_uid, member_id) DO UPDATE SET reason = EXCLUDED.reason, "at" = EXCLUDED."at"
                """, logger)
            try await c.exec(
                """
                INSERT INTO absence_notice_log (session_uid, member_id, action, reason, "at", source)
                VALUES (\(notice.sessionUID), \(notice.memberID), 'report', \(reason), \(notice.at), 'member')
                """, logger)
        }
    }

    @discardableResult
    public func withdrawAbsence(session uid: String, member: String, at: Int) async throws(StoreError) -> Bool
    {
        let logger = logger
        return try await write { c in
            try AbsenceRules.checkWithdraw(uid, session: try await Self.session(uid, c, logger))
            let deleted = try await c.rows(
                "DELETE FROM absence_notice WHERE session_uid = \(uid) AND member_id = \(member) RETURNING 1",
                logger)
            guard !deleted.isEmpty else { return false }
            try await c.exec(
                """
                INSERT INTO absence_notice_log (session_uid, member_id, action, reason, "at", source)
                VALUES (\(uid), \(member), 'withdraw', NULL, \(at), 'member')
                """, logger)
            return true
        }
    }

    public func absences() async throws(StoreError) -> [AbsenceNotice] {
        let logger = logger
        return try await read { c in
            try await c.rows(
                """
                SELECT session_uid, member_id, reason, "at" FROM absence_notice
                ORDER BY session_uid COLLATE "C", member_id COLLATE "C"
                """, logger
            ).map {
                AbsenceNotice(
                    sessionUID: try $0.value("session_uid"), memberID: try $0.value("member_id"),
                    reason: try $0.value("reason"), at: try $0.value("at"))
            }
        }
    }

    public func absenceLog(session uid: String?) async throws(StoreError) -> [AbsenceNoticeEvent] {
        let logger = logger
        return try await read { c in
            try await c.rows(
                """
                SELECT action, session_uid, member_id, reason, "at", source FROM absence_notice_log
                WHERE \(uid)::text IS NULL OR session_uid = \(uid) ORDER BY id
                """, logger
            ).map {
                AbsenceNoticeEvent(
                    action: try $0.value("action"), sessionUID: try $0.value("session_uid"),
                    memberID: try $0.value("member_id"), reason: try $0.value("reason"),
                    at: try $0.value("at"),
                    source: try $0.value("source"))
            }
        }
    }
}

extension StoreError {
    /// Any error from a PostgreSQL transaction, as a `StoreError`: store errors pass through, a lock
    /// or serialisation timeout is `.busy`, everything else `.database` with the server's message.
    init(postgres error: any Error) {
        switch error {
        case let error as StoreError: self = error
        case let error as PSQLError
        where ["55P03", "40001", "40P01"].contains(error.serverInfo?[.sqlState] ?? ""):
            self = .busy(PostgresStore.describe(error))
        default: self = .database(PostgresStore.describe(error))
        }
    }
}

/// A `postgres://` URL taken apart: `postgres://user[:password]@host[:port]/database[?search_path=s]`.
/// The password never appears in `redacted`, which is what messages print.
struct PostgresURL: Sendable, Hashable {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    /// The schema tables live in (`search_path` at connection start), or nil for the server's default.
    var searchPath: String?

    /// Whether `text` names a PostgreSQL database rather than a file.
    static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    init(
        host: String, port: Int, user: String, password: String? = nil, database: String,
        searchPath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.searchPath = searchPath
    }

    init(_ text: String) throws(StoreError) {
        guard Self.isURL(text), let parts = URLComponents(string: text), let host = parts.host, !host.isEmpty,
            let user = parts.user, !user.isEmpty
        else {
            throw .invalid(
                "数据库地址应为 postgres://用户[:密码]@主机[:端口]/数据库，实际为 “\(Self.redact(text))” / "
                    + "expected postgres://user[:password]@host[:port]/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        let searchPath = parts.queryItems?.first(where: { $0.name == "search_path" })?.value
        if let searchPath,
            searchPath.isEmpty
                || !searchPath.utf8.allSatisfy({
                    $0 == 95 || (48...57).contains($0) || (97...122).contains($0)
                })
        {
            throw .invalid("search_path 应为小写字母、数字与下划线 / search_path must be lowercase letters, digits and _")
        }
        guard !database.isEmpty else {
            throw .invalid("数据库地址缺少数据库名：“\(Self.redact(text))” / the URL names no database")
        }
        self.init(
            host: host, port: parts.port ?? 5432, user: user.removingPercentEncoding ?? user,
            password: parts.password.map { $0.removingPercentEncoding ?? $0 }, database: database,
            searchPath: searchPath)
    }

    /// The URL as shown to people: never with the password.
    var redacted: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
            + (searchPath.map { "?search_path=\($0)" } ?? "")
    }

    /// `text` with anything between `://user:` and `@` hidden.
    static func redact(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@")
        else {
            return text
        }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }

    private var startup: [(String, String)] {
        searchPath.map { [("search_path", $0)] } ?? []
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        var config = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        config.options.additionalStartupParameters = startup
        return config
    }

    var clientConfiguration: PostgresClient.Configuration {
        var config = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        config.options.additionalStartupParameters = startup
        // Every check-in makes a few short reads besides the group-committed write: 64 phones at
        // once should not queue for connections (PostgreSQL allows 100; two servers take 64).
        config.options.maximumConnections = 32
        return config
    }
}

/// The write lock and the batch's snapshot in one round trip: a VOLATILE SQL function in the
/// connection's temporary schema that takes the lock, then reads (a volatile function's each query
/// gets a fresh snapshot, so the read sees everything committed before the lock was granted).
/// Created once per pooled connection, outside any transaction; no migration, so the SQLite and
/// PostgreSQL schemas stay the same. Where it cannot be created (TEMP revoked), batches take the
/// lock and read in two round trips, as before, and the failure is logged once.
final class LockedSnapshotFunction: Sendable {
    private let ready = Mutex<Set<PostgresConnection.ID>>([])
    private let unavailable = Atomic<Bool>(false)

    /// Whether `c` has the function.
    func isReady(_ c: PostgresConnection) -> Bool {
        ready.withLock { $0.contains(c.id) }
    }

    func prepare(_ c: PostgresConnection, _ logger: Logger) async {
        if unavailable.load(ordering: .relaxed) || isReady(c) { return }
        do {
            try await c.exec(
                """
                CREATE OR REPLACE FUNCTION pg_temp.drillcal_lock_snapshot(k bigint, uids text[], members text[], ids text[])
                RETURNS TABLE (sessions text, roster text, marks text, seen text) LANGUAGE sql VOLATILE AS $f$
                  SELECT pg_advisory_xact_lock(k);
                  SELECT
                    (SELECT coalesce(json_agg(s), '[]')::text FROM
                      (SELECT \(unescaped: PostgresStore.sessionColumns) FROM session WHERE uid = ANY(uids)) s),
                    (SELECT coalesce(json_agg(json_build_array(session_uid, member_id)), '[]')::text
                      FROM roster_entry WHERE session_uid = ANY(uids) AND member_id = ANY(members)),
                    (SELECT coalesce(json_agg(a), '[]')::text FROM
                      (SELECT session_uid, member_id, status, reason, guest, recorded_by, recorded_at, source, client_id
                       FROM attendance WHERE session_uid = ANY(uids) AND member_id = ANY(members)) a),
                    (SELECT coalesce(json_agg(client_id), '[]')::text FROM seen_client_id WHERE client_id = ANY(ids))
                $f$
                """, logger)
            ready.withLock { _ = $0.insert(c.id) }
        } catch {
            if !unavailable.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "pg_temp.drillcal_lock_snapshot could not be created; check-in batches lock and read in two round trips",
                    metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}

/// The database refused a batch written at once (`PostgresStore.recordAtOnce`): its transaction is
/// aborted and the batch is written again call by call.
struct BatchRefused: Error {
    var underlying: any Error
}

/// The answer of `PostgresStore.blocking`, written by the task before it signals and read after the
/// wait, so the semaphore orders every access.
private final class BlockingBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, StoreError> = .failure(.database("no answer"))
}
