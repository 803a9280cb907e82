import DrillCore
import Foundation
import Synchronization

/// Rows of a group-committed batch as JSON arrays, for `jsonb_to_recordset` (one statement per
/// table instead of one per row). Keys are the column names; nil values are left out (NULL).
enum BatchJSON {
    struct Mark: Encodable {
        var session_uid, member_id, status: String
        var reason: String?
        var guest: Bool
        var recorded_by: String
        var recorded_at: Int
        var source: String
        var client_id: String?

        init(_ m: AttendanceMark) {
            session_uid = m.sessionUID
            member_id = m.memberID
            status = m.status.rawValue
            reason = m.reason
            guest = m.guest
            recorded_by = m.recordedBy
            recorded_at = m.recordedAt
            source = m.source.rawValue
            client_id = m.clientID
        }
    }

    struct Audit: Encodable {
        var session_uid, action: String
        var member_id, before, after, reason: String?
        var by: String
        var at: Int
        var source: String
        /// Position in the batch: audit ids follow it.
        var n: Int

        init(_ e: AuditEntry, n: Int) {
            self.n = n
            session_uid = e.sessionUID
            action = e.action
            member_id = e.memberID
            before = e.before
            after = e.after
            reason = e.reason
            by = e.by
            at = e.at
            source = e.source
        }
    }

    static func text(_ rows: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
    }
}

/// Counters of `PostgresStore`'s two ways of writing a batch.
final class RecordPaths: Sendable {
    let atOnce = Atomic<Int>(0)
    let callByCall = Atomic<Int>(0)
}
