import DrillCore
import GRDB

extension SQLiteStore {
    /// One aggregate query: no roster or mark row is decoded (every check-in answer asks it).
    public func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount] {
        try lookup { db in
            try Self.requireSession(uid, db)
            var out: [String: LiveTeamCount] = [:]
            let rows = try Row.fetchCursor(
                db.cachedStatement(
                    sql: """
                        SELECT r.team_id, count(*),
                          coalesce(sum(a.status IN ('present', 'late') AND NOT a.guest), 0)
                        FROM roster_entry r LEFT JOIN attendance a
                          ON a.session_uid = r.session_uid AND a.member_id = r.member_id
                        WHERE r.session_uid = ? GROUP BY r.team_id
                        """),
                arguments: [uid])
            while let row = try rows.next() {
                out[row[0]] = LiveTeamCount(rosterSize: row[1], counted: row[2])
            }
            return out
        }
    }
}
