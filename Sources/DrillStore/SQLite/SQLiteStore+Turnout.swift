import DrillCore
import GRDB

extension SQLiteStore {
    /// One aggregate statement: no roster or mark row is decoded (every check-in answer asks it), and
    /// no read transaction around it. It reads the packed roster itself (`PackedRoster`), not the
    /// `roster_entry` view: SQLite does not flatten a join view on the right of a LEFT JOIN, and would
    /// list every roster of the town first. The session is its first table, so an unknown session gives
    /// no row, and a session without a roster one row without a team.
    public func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount] {
        let rows: [(team: String?, size: Int, counted: Int)]
        do {
            rows = try Self.readOneStatement(lookupReader) { db in
                try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT e.value ->> 2, count(e.value),
                              coalesce(sum(a.status IN ('present', 'late') AND NOT a.guest), 0)
                            FROM session s
                            LEFT JOIN session_roster r ON r.session_uid = s.uid
                            LEFT JOIN json_each(r.entries) e
                            LEFT JOIN attendance a ON a.session_uid = s.uid AND a.member_id = e.value ->> 0
                            WHERE s.uid = ? GROUP BY 1
                            """),
                    arguments: [uid]
                ).map { (team: $0[0], size: $0[1], counted: $0[2]) }
            }
        } catch { throw StoreError(error) }
        guard !rows.isEmpty else { throw StoreError.unknownSession(uid) }
        var out: [String: LiveTeamCount] = [:]
        for row in rows {
            if let team = row.team { out[team] = LiveTeamCount(rosterSize: row.size, counted: row.counted) }
        }
        return out
    }
}
