import DrillCore
import GRDB

extension SQLiteStore {
    @discardableResult
    public func saveOverride(_ override: SessionOverride) async throws(StoreError) -> SessionOverride {
        try await write { db in
            try OverrideRules.check(override, exists: try SessionRow.exists(db, key: override.sessionUID))
            try db.execute(
                sql: """
                    INSERT INTO session_override (session_uid, action, date, start_minute, end_minute, reason, forced, by, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    override.sessionUID, override.action.rawValue, override.slot?.date.description,
                    override.slot?.startMinute, override.slot?.endMinute, override.reason, override.forced,
                    override.by,
                    override.at,
                ])
            var stored = override
            stored.id = Int(db.lastInsertedRowID)
            return stored
        }
    }

    public func overrides() async throws(StoreError) -> [SessionOverride] {
        try await read { db in try Self.overrides(db) }
    }

    /// `replan(now:freezeDays:)` read synchronously in one snapshot, for callers that cannot wait
    /// (the server's feed reload).
    public func replanNow(now: Int, freezeDays: Int) throws(StoreError) -> Replan {
        do {
            return try dbWriter.read { db in
                let sessions = try SessionRow.order(Column("date"), Column("start_minute"), Column("uid"))
                    .fetchAll(db)
                    .map { try $0.record() }
                let marked = Set(try String.fetchAll(db, sql: "SELECT DISTINCT session_uid FROM attendance"))
                return Replan.make(
                    sessions: sessions, marked: marked, summarized: try Self.summarized(db),
                    overrides: try Self.overrides(db),
                    now: now, freezeDays: freezeDays)
            }
        } catch {
            throw StoreError(error)
        }
    }

    static func overrides(_ db: Database) throws -> [SessionOverride] {
        try Row.fetchAll(db, sql: "SELECT * FROM session_override ORDER BY id").map { row in
            let date: String? = row["date"]
            let slot = try date.map { text -> TimeSlot in
                guard let day = CivilDate(iso: text) else {
                    throw StoreError.database("session_override.date “\(text)”")
                }
                return TimeSlot(date: day, startMinute: row["start_minute"], endMinute: row["end_minute"])
            }
            guard let action = SessionOverride.Action(rawValue: row["action"]) else {
                throw StoreError.database("session_override.action")
            }
            return SessionOverride(
                id: row["id"], sessionUID: row["session_uid"], action: action, slot: slot,
                reason: row["reason"],
                forced: row["forced"], by: row["by"], at: row["at"])
        }
    }

    @discardableResult
    public func assignCodes(_ uids: [String]) async throws(StoreError) -> [String: String] {
        try await write { db in try Self.assignCodes(db, uids) }
    }

    static func assignCodes(_ db: Database, _ uids: [String]) throws -> [String: String] {
        // One read of the stored UIDs: a query built and compiled per session was 3 % of a build.
        let stored = Set(try String.fetchAll(db, sql: "SELECT uid FROM session"))
        if let unknown = uids.first(where: { !stored.contains($0) }) { throw StoreError.unknownSession(unknown) }
        var codes = try Self.codes(db)
        var n = try Int.fetchOne(db, sql: "SELECT coalesce(max(number), 0) FROM session_code") ?? 0
        // Prepared once, not compiled per session (a town's first build gives ~300 codes).
        let insert = try RawStatement(db, sql: "INSERT INTO session_code (session_uid, number, code) VALUES (?, ?, ?)")
        for uid in uids where codes[uid] == nil {
            n += 1
            let code = OverrideRules.code(n)
            try insert.run(.text(uid), .int(n), .text(code))
            codes[uid] = code
        }
        return codes
    }

    public func codes() async throws(StoreError) -> [String: String] {
        try await read { db in try Self.codes(db) }
    }

    private static func codes(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT session_uid, code FROM session_code") {
            out[row["session_uid"]] = row["code"]
        }
        return out
    }
}
