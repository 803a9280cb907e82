import DrillCore
import Logging
import PostgresNIO

extension PostgresStore {
    /// One aggregate query (as in SQLite): no roster or mark row is decoded.
    public func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount] {
        let logger = logger
        return try await readStatement { c in
            // The session's existence in the same statement: one round trip.
            let rows = try await c.rows(
                """
                SELECT s.uid, r.team_id, count(r.member_id) AS roster,
                  count(*) FILTER (WHERE a.status IN ('present', 'late') AND NOT a.guest) AS counted
                FROM session s
                LEFT JOIN roster_entry r ON r.session_uid = s.uid
                LEFT JOIN attendance a ON a.session_uid = r.session_uid AND a.member_id = r.member_id
                WHERE s.uid = \(uid) GROUP BY s.uid, r.team_id
                """, logger)
            guard !rows.isEmpty else { throw StoreError.unknownSession(uid) }
            var out: [String: LiveTeamCount] = [:]
            for row in rows {
                guard let team = try row.value("team_id", as: String?.self) else { continue }
                out[team] = LiveTeamCount(
                    rosterSize: Int(try row.value("roster", as: Int64.self)),
                    counted: Int(try row.value("counted", as: Int64.self)))
            }
            return out
        }
    }
}
