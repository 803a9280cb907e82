import DrillCore

/// What a store must answer, inside its transaction, for `RecordingPlan` to decide a recording.
///
/// Methods may throw the store's own errors (a database failure); the store maps them.
public protocol RecordingContext {
    /// The stored session, or nil.
    func session(_ uid: String) throws -> SessionRecord?
    /// Whether the member is on the session's stored roster (any team).
    func isOnRoster(session uid: String, member: String) throws -> Bool
    /// The member's current mark for the session, or nil.
    func currentMark(session uid: String, member: String) throws -> AttendanceMark?
    /// Whether a mark with this client id was already recorded.
    func hasSeen(clientID: String) throws -> Bool
}

/// One mark that `record(_:)` will store, with the mark it replaces.
public struct MarkChange: Sendable, Hashable {
    /// The new mark.
    public var mark: AttendanceMark
    /// The stored mark it replaces, or nil.
    public var before: AttendanceMark?
    /// The audit entry that records the change.
    public var auditEntry: AuditEntry { .marked(mark, before: before) }
}

/// What `record(_:)` writes, decided once for every store so their validation cannot drift.
///
/// Marks whose `clientID` was already recorded (before, or earlier in the same call) are skipped
/// before anything else, so a retried check-in succeeds with no change even after the record was
/// locked. The others are checked in order, the first fault ends the whole call: unknown session,
/// locked session, same member twice, member not on the roster (unless a guest), `excused` without
/// a reason. A mark with the stored status and reason changes nothing.
///
/// ```swift
/// let plan = try RecordingPlan.make(for: marks, in: context)
/// // store plan.changes (mark + plan.changes[i].auditEntry) and plan.newClientIDs, then:
/// return plan.changes.count
/// ```
public struct RecordingPlan: Sendable, Hashable {
    /// Marks to store, in the order given.
    public var changes: [MarkChange]
    /// Client ids to remember, so a retry of any of these marks is skipped.
    public var newClientIDs: [String]

    /// Decides a recording.
    /// - Throws: a `StoreError` naming the first faulty mark, or whatever `context` throws.
    public static func make(for marks: [AttendanceMark], in context: some RecordingContext) throws
        -> RecordingPlan
    {
        var plan = RecordingPlan(changes: [], newClientIDs: [])
        var batchClientIDs = Set<String>()
        var members = Set<[String]>()
        for mark in marks {
            if let clientID = mark.clientID {
                if batchClientIDs.contains(clientID) { continue }
                if try context.hasSeen(clientID: clientID) { continue }
                batchClientIDs.insert(clientID)
                plan.newClientIDs.append(clientID)
            }
            let uid = mark.sessionUID, member = mark.memberID
            guard let session = try context.session(uid) else { throw StoreError.unknownSession(uid) }
            guard !session.finalized else { throw StoreError.finalized(uid) }
            guard !member.trimmedSpace.isEmpty else {
                throw StoreError.invalid("活动 \(uid) 的出勤登记缺少队员编号")
            }
            guard members.insert([uid, member]).inserted else {
                throw StoreError.duplicateMark(session: uid, member: member)
            }
            guard try mark.guest || context.isOnRoster(session: uid, member: member) else {
                throw StoreError.unknownMember(session: uid, member: member)
            }
            if mark.status == .excused, (mark.reason ?? "").trimmedSpace.isEmpty {
                throw StoreError.invalid("队员 “\(member)” 在活动 \(uid) 登记为请假，但没有填写请假原因")
            }
            let before = try context.currentMark(session: uid, member: member)
            if let before, before.status == mark.status, before.reason == mark.reason { continue }
            plan.changes.append(MarkChange(mark: mark, before: before))
        }
        return plan
    }
}
