import DrillCore

/// The checks on members' absence notices, written once for every store so they cannot drift.
enum AbsenceRules {
    /// Longest reason kept, in characters.
    static let maxReason = 200

    /// A notice needs a published, live, unlocked session with the member on its roster, and a reason.
    static func checkReport(_ notice: AbsenceNotice, session: SessionRecord?, onRoster: Bool) throws(StoreError) {
        guard let session else { throw .unknownSession(notice.sessionUID) }
        if session.cancelled { throw .invalid("活动 \(notice.sessionUID) 已取消，无需请假") }
        if session.finalized { throw .finalized(notice.sessionUID) }
        guard onRoster else { throw .unknownMember(session: notice.sessionUID, member: notice.memberID) }
        let reason = notice.reason.trimmedSpace
        if reason.isEmpty { throw .invalid("请填写不能参加的原因") }
        if reason.count > maxReason { throw .invalid("原因最多 \(maxReason) 个字") }
    }

    /// A withdrawal needs a published, unlocked session.
    static func checkWithdraw(_ uid: String, session: SessionRecord?) throws(StoreError) {
        guard let session else { throw .unknownSession(uid) }
        if session.finalized { throw .finalized(uid) }
    }

    /// Store order of notices: session UID, then member id.
    static func order(_ a: AbsenceNotice, _ b: AbsenceNotice) -> Bool {
        (a.sessionUID, a.memberID) < (b.sessionUID, b.memberID)
    }
}
