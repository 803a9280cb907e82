import DrillCore

/// The checks of the follow-up records (deadlines done, corrective actions), written once for every
/// store so they cannot drift.
enum FollowUpRules {
    /// A deadline can be recorded done once; only a published deadline session qualifies.
    static func checkDeadline(_ session: SessionRecord?, uid: String, alreadyDone: Bool) throws(StoreError) {
        guard let session else { throw .unknownSession(uid) }
        guard session.kind == .deadline else {
            throw .invalid("活动 \(uid) 不是上报截止事项（kind: deadline），不能登记为已完成")
        }
        if alreadyDone { throw .invalid("截止事项 \(uid) 已登记完成，不重复登记") }
    }

    /// An action needs text and an owner; a session, when given, must be published.
    static func checkNewAction(text: String, owner: String, sessionExists: Bool?) throws(StoreError) {
        if text.trimmedSpace.isEmpty { throw .invalid("整改措施内容不能为空") }
        if owner.trimmedSpace.isEmpty { throw .invalid("整改措施 “\(text)” 缺少责任单位或责任人（--owner）") }
        if sessionExists == false { throw .invalid("整改措施所属活动不存在") }
    }

    /// Closing needs an open action and a note saying what was done.
    static func checkClose(_ action: CorrectiveAction?, id: Int, note: String) throws(StoreError) {
        guard let action else { throw .invalid("没有编号为 \(id) 的整改措施") }
        if action.status == .done { throw .invalid("整改措施 #\(id) 已于此前完成，不重复登记") }
        if note.trimmedSpace.isEmpty { throw .invalid("完成整改措施 #\(id) 须写明完成情况（--note）") }
    }

    /// Whether a stored action came from `origin` (town, year and number; the title may differ).
    static func sameOrigin(_ stored: CarriedFrom?, _ origin: CarriedFrom) -> Bool {
        guard let stored else { return false }
        return (stored.town, stored.year, stored.id) == (origin.town, origin.year, origin.id)
    }

    /// Store order: due date, then id.
    static func order(_ a: CorrectiveAction, _ b: CorrectiveAction) -> Bool { (a.due, a.id) < (b.due, b.id) }
}
