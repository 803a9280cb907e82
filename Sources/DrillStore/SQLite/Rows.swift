import DrillCore
import Foundation
import GRDB
import Synchronization

// One plain Codable record per table, with the columns spelled as in the schema
// (`StoreSchema`). Each converts to and from the DrillCore value it stores.

/// A row of `session`.
struct SessionRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "session"

    var uid: String
    var sequence: Int
    var ruleID: String
    var kind: String
    /// JSON array of team ids.
    var teams: String
    /// `YYYY-MM-DD`.
    var date: String
    var startMinute: Int
    var endMinute: Int
    var venueID: String?
    var supervisorID: String?
    var finalized: Bool
    var cancelled: Bool

    enum CodingKeys: String, CodingKey {
        case uid, sequence, kind, teams, date, finalized, cancelled
        case ruleID = "rule_id"
        case startMinute = "start_minute"
        case endMinute = "end_minute"
        case venueID = "venue_id"
        case supervisorID = "supervisor_id"
    }

    enum Columns {
        static let uid = Column(CodingKeys.uid)
        static let date = Column(CodingKeys.date)
        static let startMinute = Column(CodingKeys.startMinute)
        static let finalized = Column(CodingKeys.finalized)
        static let cancelled = Column(CodingKeys.cancelled)
    }

    init(_ session: SessionRecord) throws {
        uid = session.uid
        sequence = session.sequence
        ruleID = session.ruleID
        kind = session.kind.storageKey
        teams = try JSONText.encode(session.teamIDs)
        date = session.slot.date.description
        startMinute = session.slot.startMinute
        endMinute = session.slot.endMinute
        venueID = session.venueID
        supervisorID = session.supervisorID
        finalized = session.finalized
        cancelled = session.cancelled
    }

    /// Inserts a session or replaces every field of the stored one (what GRDB's `upsert` does, as one
    /// cached statement); the change counter's triggers fire as for `upsert`.
    static let upsertSQL = """
        INSERT INTO session (uid, sequence, rule_id, kind, teams, date, start_minute, end_minute,
            venue_id, supervisor_id, finalized, cancelled)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(uid) DO UPDATE SET sequence = excluded.sequence, rule_id = excluded.rule_id,
            kind = excluded.kind, teams = excluded.teams, date = excluded.date,
            start_minute = excluded.start_minute, end_minute = excluded.end_minute,
            venue_id = excluded.venue_id, supervisor_id = excluded.supervisor_id,
            finalized = excluded.finalized, cancelled = excluded.cancelled
        """

    /// Runs `upsert` (prepared from `upsertSQL`) for a session whose team list is already encoded
    /// as `teams`.
    static func upsert(_ session: SessionRecord, teams: String, with upsert: borrowing RawStatement) throws {
        try upsert.run(
            .text(session.uid), .int(session.sequence), .text(session.ruleID), .text(session.kind.storageKey),
            .text(teams), .text(session.slot.date.description), .int(session.slot.startMinute),
            .int(session.slot.endMinute), .text(session.venueID), .text(session.supervisorID),
            .bool(session.finalized), .bool(session.cancelled))
    }

    /// Read by column name, without the Codable decoder (a check-in reads sessions on every request).
    init(row: Row) throws {
        uid = row["uid"]
        sequence = row["sequence"]
        ruleID = row["rule_id"]
        kind = row["kind"]
        teams = row["teams"]
        date = row["date"]
        startMinute = row["start_minute"]
        endMinute = row["end_minute"]
        venueID = row["venue_id"]
        supervisorID = row["supervisor_id"]
        finalized = row["finalized"]
        cancelled = row["cancelled"]
    }

    func record() throws -> SessionRecord {
        guard let kind = SessionKind(storageKey: kind) else {
            throw StoreError.database("session \(uid): unknown kind \"\(kind)\"")
        }
        guard let day = CivilDate(iso: date) else {
            throw StoreError.database("session \(uid): bad date \"\(date)\"")
        }
        return SessionRecord(
            uid: uid, sequence: sequence, ruleID: ruleID, kind: kind, teamIDs: try JSONText.teams.decode(teams),
            slot: TimeSlot(date: day, startMinute: startMinute, endMinute: endMinute),
            venueID: venueID, supervisorID: supervisorID, finalized: finalized, cancelled: cancelled)
    }
}

/// A row of `roster_entry`.
struct RosterEntryRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "roster_entry"

    var sessionUID: String
    var memberID: String
    var name: String
    var teamID: String
    /// JSON array of role keys.
    var roles: String
    var away: Bool

    enum CodingKeys: String, CodingKey {
        case name, roles, away
        case sessionUID = "session_uid"
        case memberID = "member_id"
        case teamID = "team_id"
    }

    enum Columns {
        static let sessionUID = Column(CodingKeys.sessionUID)
        static let memberID = Column(CodingKeys.memberID)
        static let teamID = Column(CodingKeys.teamID)
    }

    init(_ entry: RosterEntry, session uid: String) throws {
        sessionUID = uid
        memberID = entry.memberID
        name = entry.name
        teamID = entry.teamID
        roles = try JSONText.encode(entry.roles)
        away = entry.away
    }

    /// The columns in the order `init(columns:)` reads them.
    static let selection = "session_uid, member_id, name, team_id, roles, away"

    /// Read by position from a statement selecting `selection` (the hot check-in reads).
    init(columns row: Row) {
        sessionUID = row[0]
        memberID = row[1]
        name = row[2]
        teamID = row[3]
        roles = row[4]
        away = row[5]
    }

    func entry() throws -> RosterEntry {
        RosterEntry(
            memberID: memberID, name: name, teamID: teamID, roles: try JSONText.roles.decode(roles), away: away)
    }
}

/// A row of `attendance`: the current mark of one member at one session.
struct AttendanceRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "attendance"

    var sessionUID: String
    var memberID: String
    var status: String
    var reason: String?
    var guest: Bool
    var recordedBy: String
    var recordedAt: Int
    var source: String
    var clientID: String?

    enum CodingKeys: String, CodingKey {
        case status, reason, guest, source
        case sessionUID = "session_uid"
        case memberID = "member_id"
        case recordedBy = "recorded_by"
        case recordedAt = "recorded_at"
        case clientID = "client_id"
    }

    enum Columns {
        static let sessionUID = Column(CodingKeys.sessionUID)
        static let memberID = Column(CodingKeys.memberID)
    }

    init(_ mark: AttendanceMark) {
        sessionUID = mark.sessionUID
        memberID = mark.memberID
        status = mark.status.rawValue
        reason = mark.reason
        guest = mark.guest
        recordedBy = mark.recordedBy
        recordedAt = mark.recordedAt
        source = mark.source.rawValue
        clientID = mark.clientID
    }

    /// The columns in the order `init(columns:)` reads them.
    static let selection =
        "session_uid, member_id, status, reason, guest, recorded_by, recorded_at, source, client_id"

    /// Read by position from a statement selecting `selection` (the hot check-in reads).
    init(columns row: Row) {
        sessionUID = row[0]
        memberID = row[1]
        status = row[2]
        reason = row[3]
        guest = row[4]
        recordedBy = row[5]
        recordedAt = row[6]
        source = row[7]
        clientID = row[8]
    }

    /// Inserts or replaces the member's mark, through a cached statement (one per mark of a group
    /// commit; GRDB's `upsert` builds its SQL on every call).
    func save(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO attendance (\(Self.selection)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (session_uid, member_id) DO UPDATE SET status = excluded.status,
                  reason = excluded.reason, guest = excluded.guest, recorded_by = excluded.recorded_by,
                  recorded_at = excluded.recorded_at, source = excluded.source, client_id = excluded.client_id
                """
        ).execute(arguments: [
            sessionUID, memberID, status, reason, guest, recordedBy, recordedAt, source, clientID,
        ])
    }

    func mark() throws -> AttendanceMark {
        guard let status = AttendanceStatus(rawValue: status), let source = MarkSource(rawValue: source)
        else {
            throw StoreError.database("attendance \(sessionUID)/\(memberID): bad status or source")
        }
        return AttendanceMark(
            sessionUID: sessionUID, memberID: memberID, status: status, reason: reason, guest: guest,
            recordedBy: recordedBy, recordedAt: recordedAt, source: source, clientID: clientID)
    }
}

/// A row of `seen_client_id`: a check-in submission already recorded.
struct SeenClientIDRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "seen_client_id"

    var clientID: String

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
    }
}

/// A row of `feed_token`: one issued private feed token, by its SHA-256 digest.
struct FeedTokenRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "feed_token"

    var id: Int64?
    var memberID: String
    var tokenHash: String
    var issuedAt: Int
    var revokedAt: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case memberID = "member_id"
        case tokenHash = "token_hash"
        case issuedAt = "issued_at"
        case revokedAt = "revoked_at"
    }

    enum Columns {
        static let memberID = Column(CodingKeys.memberID)
        static let tokenHash = Column(CodingKeys.tokenHash)
        static let revokedAt = Column(CodingKeys.revokedAt)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `audit`.
struct AuditRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit"

    var id: Int64?
    var sessionUID: String
    var action: String
    var memberID: String?
    var before: String?
    var after: String?
    var reason: String?
    var by: String
    var at: Int
    var source: String

    enum CodingKeys: String, CodingKey {
        case id, action, before, after, reason, by, at, source
        case sessionUID = "session_uid"
        case memberID = "member_id"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let sessionUID = Column(CodingKeys.sessionUID)
    }

    init(_ entry: AuditEntry) {
        id = nil
        sessionUID = entry.sessionUID
        action = entry.action
        memberID = entry.memberID
        before = entry.before
        after = entry.after
        reason = entry.reason
        by = entry.by
        at = entry.at
        source = entry.source
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var entry: AuditEntry {
        AuditEntry(
            sessionUID: sessionUID, action: action, memberID: memberID, before: before, after: after,
            reason: reason, by: by, at: at, source: source)
    }
}

/// A row of `summary`: a drill's summary record as JSON.
struct SummaryRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "summary"

    var sessionUID: String
    var json: String

    enum CodingKeys: String, CodingKey {
        case json
        case sessionUID = "session_uid"
    }

    init(_ summary: DrillSummary, session uid: String) throws {
        sessionUID = uid
        json = try JSONText.encode(summary)
    }

    func summary() throws -> DrillSummary { try JSONText.decode(json) }
}

/// A row of `leader_code`: one drill-leader code, by its hash.
struct LeaderCodeRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "leader_code"

    var sessionUID: String
    var codeHash: String
    var issuedBy: String
    var issuedAt: Int
    var revokedAt: Int?

    enum CodingKeys: String, CodingKey {
        case sessionUID = "session_uid"
        case codeHash = "code_hash"
        case issuedBy = "issued_by"
        case issuedAt = "issued_at"
        case revokedAt = "revoked_at"
    }

    enum Columns {
        static let sessionUID = Column(CodingKeys.sessionUID)
        static let codeHash = Column(CodingKeys.codeHash)
        static let revokedAt = Column(CodingKeys.revokedAt)
    }
}

/// JSON columns as text, with sorted keys so equal values store equal text.
enum JSONText {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Encoded values by value, for one write: a town has few distinct team and role lists, and a
    /// publish writes one per session and roster row.
    struct EncodeMemo<T: Encodable & Hashable> {
        private var texts: [T: String] = [:]

        mutating func text(_ value: T) throws -> String {
            if let known = texts[value] { return known }
            let text = try JSONText.encode(value)
            texts[value] = text
            return text
        }
    }

    static func decode<T: Decodable>(_ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Decoded team lists and role lists, by their text: a town has few distinct ones, and a
    /// roster read decodes one per row (with a fresh JSONDecoder it was most of a check-in's reads).
    static let teams = Memo<[String]>()
    static let roles = Memo<[Role]>()

    /// Decoded values of one type by their JSON text, at most `limit` kept (then started afresh).
    final class Memo<T: Decodable & Sendable>: Sendable {
        private let values = Mutex<[String: T]>([:])
        private let limit = 4_096

        func decode(_ text: String) throws -> T {
            if let known = values.withLock({ $0[text] }) { return known }
            let value: T = try JSONText.decode(text)
            values.withLock { values in
                if values.count >= limit { values = [:] }
                values[text] = value
            }
            return value
        }
    }
}

/// A row of `deadline_done`.
struct DeadlineDoneRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "deadline_done"
    var sessionUID: String
    var note: String
    var by: String
    var at: Int

    enum CodingKeys: String, CodingKey {
        case note, by, at
        case sessionUID = "session_uid"
    }
}

/// A row of `corrective_action`.
struct ActionRow: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "corrective_action"
    var id: Int?
    var sessionUID: String?
    var text: String
    var owner: String
    var due: String
    var status: String
    var note: String
    var createdBy: String
    var createdAt: Int
    var closedAt: Int?
    /// Origin of an action carried over from an earlier year (migration v5-carried-actions).
    var carriedTown: String? = nil
    var carriedYear: Int? = nil
    var carriedID: Int? = nil
    var carriedSource: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, text, owner, due, status, note
        case sessionUID = "session_uid"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case closedAt = "closed_at"
        case carriedTown = "carried_town"
        case carriedYear = "carried_year"
        case carriedID = "carried_id"
        case carriedSource = "carried_source"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = Int(inserted.rowID) }

    func action() throws -> CorrectiveAction {
        guard let id, let due = CivilDate(iso: due), let status = ActionStatus(rawValue: status) else {
            throw StoreError.database("corrective_action row \(id.map(String.init) ?? "?") cannot be read")
        }
        return CorrectiveAction(
            id: id, sessionUID: sessionUID, text: text, owner: owner, due: due, status: status, note: note,
            createdBy: createdBy, createdAt: createdAt, closedAt: closedAt,
            carriedFrom: carriedTown.flatMap { town in
                carriedYear.flatMap { year in
                    carriedID.map { CarriedFrom(town: town, year: year, id: $0, source: carriedSource ?? "") }
                }
            })
    }
}
