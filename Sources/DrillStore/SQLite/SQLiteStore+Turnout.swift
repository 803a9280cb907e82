import DrillCore
import GRDB

extension SQLiteStore {
    /// One statement, no read transaction around it: the session's packed roster (parsed once while
    /// its text is unchanged, `PackedRoster.Cache`) and the members marked present or late, not as
    /// guests; counted per team here. The session is its first table, so an unknown session gives no
    /// row, and a session without a roster one row without a text.
    public func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount] {
        let found: (text: String?, counted: Set<String>)?
        do {
            found = try Self.readOneStatement(lookupReader) { db in
                let rows = try Row.fetchCursor(
                    db.cachedStatement(
                        sql: """
                            SELECT r.entries, a.member_id
                            FROM session s
                            LEFT JOIN session_roster r ON r.session_uid = s.uid
                            LEFT JOIN attendance a ON a.session_uid = s.uid
                              AND a.status IN ('present', 'late') AND NOT a.guest
                            WHERE s.uid = ?
                            """),
                    arguments: [uid])
                var found: (text: String?, counted: Set<String>)?
                while let row = try rows.next() {
                    if found == nil { found = (row[0], []) }
                    if let member: String = row[1] { found!.counted.insert(member) }
                }
                return found
            }
        } catch { throw StoreError(error) }
        guard let found else { throw StoreError.unknownSession(uid) }
        guard let text = found.text else { return [:] }
        var out: [String: LiveTeamCount] = [:]
        for entry in try rosterCache.members(of: uid, text: text).entries {
            out[entry.team, default: LiveTeamCount(rosterSize: 0, counted: 0)].rosterSize += 1
            if found.counted.contains(entry.member) { out[entry.team]!.counted += 1 }
        }
        return out
    }
}
