import DrillCore
import GRDB

extension SQLiteStore {
    /// `noticeDays()` read synchronously in one snapshot, for callers that cannot wait (the
    /// server's feed reload, like `replanNow`).
    public func noticeDaysNow() throws(StoreError) -> NoticeDays {
        do {
            return try dbWriter.read { db in
                let notices = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT session_uid, member_id, reason, at FROM absence_notice ORDER BY session_uid, member_id"
                ).map { AbsenceNotice(sessionUID: $0[0], memberID: $0[1], reason: $0[2], at: $0[3]) }
                guard !notices.isEmpty else { return NoticeDays() }
                let sessions = try SessionRow.fetchAll(db).map { try $0.record() }
                return NoticeDays.make(
                    notices: notices, sessions: sessions, overrides: try Self.overrides(db))
            }
        } catch {
            throw StoreError(error)
        }
    }
}
