import DrillCore
import Logging
import PostgresNIO

extension PostgresStore {
    /// One aggregate query (as in SQLite): no roster or mark row is decoded.
    public func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount] {
        let logger = logger
        let counts = try await readStatement { c in try await Self.turnouts([uid], c, logger) }
        // The session's existence comes from the same statement: one round trip.
        guard let counts = counts[uid] else { throw StoreError.unknownSession(uid) }
        return counts
    }

    /// The live counts of several sessions in one statement; a session never published is missing.
    static func turnouts(_ uids: [String], _ c: PostgresConnection, _ logger: Logger) async throws
        -> [String: [String: LiveTeamCount]]
    {
        let rows = try await c.rows(
            """
            SELECT s.uid, r.team_id, count(r.member_id) AS roster,
              count(*) FILTER (WHERE a.status IN ('present', 'late') AND NOT a.guest) AS counted
            FROM session s
            LEFT JOIN roster_entry r ON r.session_uid = s.uid
            LEFT JOIN attendance a ON a.session_uid = r.session_uid AND a.member_id = r.member_id
            WHERE s.uid = ANY(\(uids)) GROUP BY s.uid, r.team_id
            """, logger)
        var out: [String: [String: LiveTeamCount]] = [:]
        for row in rows {
            let uid = try row.value("uid", as: String.self)
            out[uid, default: [:]] = out[uid] ?? [:]
            guard let team = try row.value("team_id", as: String?.self) else { continue }
            out[uid]![team] = LiveTeamCount(
                rosterSize: Int(try row.value("roster", as: Int64.self)),
                counted: Int(try row.value("counted", as: Int64.self)))
        }
        return out
    }
}

/// One `record` call in a group-committed batch: its marks, and the session whose live count it
/// wants back (`recordAndCount`), nil for a plain `record`.
struct RecordCall: Sendable {
    var marks: [AttendanceMark]
    var count: String?
}

/// A call's outcome: marks changed, and the count it asked for when the batch could read it.
struct RecordAnswer: Sendable {
    var changed: Int
    var turnout: [String: LiveTeamCount]?
}
