import DrillCore

/// The checks of `finalize`, `reopen` and `saveSummary`, written once for every store.
enum LockRules {
    /// The session, if it can be locked.
    static func checkFinalize(_ session: SessionRecord?, uid: String) throws(StoreError) -> SessionRecord {
        guard let session else { throw .unknownSession(uid) }
        guard !session.finalized else { throw .finalized(uid) }
        return session
    }

    /// The session, if it can be unlocked with this reason.
    static func checkReopen(_ session: SessionRecord?, uid: String, reason: String) throws(StoreError)
        -> SessionRecord
    {
        guard let session else { throw .unknownSession(uid) }
        guard session.finalized else { throw .notFinalized(uid) }
        guard !reason.trimmedSpace.isEmpty else {
            throw .invalid("重新开放活动 \(uid) 的出勤记录必须说明原因")
        }
        return session
    }

    /// The session, if a summary can be stored for it.
    static func checkSummary(_ session: SessionRecord?, uid: String) throws(StoreError) -> SessionRecord {
        guard let session else { throw .unknownSession(uid) }
        return session
    }
}
