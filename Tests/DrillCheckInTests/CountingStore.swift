import DrillCore
import DrillStore
import Synchronization

/// An in-memory store that counts the secret checks it answers (leader-code and token lookups,
/// roster reads for self check-in), so throttle tests count what the store actually did.
final class CountingStore: AttendanceStore {
    let inner = InMemoryStore()
    let codeLookups = Atomic<Int>(0)
    let rosterReads = Atomic<Int>(0)
    let tokenLookups = Atomic<Int>(0)
    /// When set, every write fails as a locked database would, with SQL in its text.
    let failWrites = Atomic<Bool>(false)

    func publish(sessions: [SessionRecord], rosters: [String: [RosterEntry]]) async throws(StoreError) {
        try await inner.publish(sessions: sessions, rosters: rosters)
    }
    func sessions() async throws(StoreError) -> [SessionRecord] { try await inner.sessions() }
    func session(_ uid: String) async throws(StoreError) -> SessionRecord? { try await inner.session(uid) }
    func roster(of uid: String) async throws(StoreError) -> [RosterEntry] {
        rosterReads.add(1, ordering: .relaxed)
        await Task.yield()  // an await inside the check, as a real store has
        return try await inner.roster(of: uid)
    }
    func record(_ marks: [AttendanceMark]) async throws(StoreError) -> Int {
        if failWrites.load(ordering: .relaxed) {
            throw .busy("SQLite error 5: database is locked - while executing `INSERT INTO attendance ...`")
        }
        return try await inner.record(marks)
    }
    func marks(session uid: String) async throws(StoreError) -> [AttendanceMark] {
        try await inner.marks(session: uid)
    }
    func allMarks() async throws(StoreError) -> [AttendanceMark] { try await inner.allMarks() }
    func finalize(_ uid: String, by: String, at: Int) async throws(StoreError) {
        try await inner.finalize(uid, by: by, at: at)
    }
    func reopen(_ uid: String, by: String, reason: String, at: Int) async throws(StoreError) {
        try await inner.reopen(uid, by: by, reason: reason, at: at)
    }
    func audit(session uid: String?) async throws(StoreError) -> [AuditEntry] {
        try await inner.audit(session: uid)
    }
    func saveSummary(_ summary: DrillSummary, for uid: String, by: String, at: Int) async throws(StoreError) {
        try await inner.saveSummary(summary, for: uid, by: by, at: at)
    }
    func summary(for uid: String) async throws(StoreError) -> DrillSummary? {
        try await inner.summary(for: uid)
    }
    func issueToken(member: String, hash: String, at: Int) async throws(StoreError) {
        try await inner.issueToken(member: member, hash: hash, at: at)
    }
    func revokeToken(member: String, at: Int) async throws(StoreError) -> Bool {
        try await inner.revokeToken(member: member, at: at)
    }
    func member(forTokenHash hash: String) async throws(StoreError) -> String? {
        tokenLookups.add(1, ordering: .relaxed)
        await Task.yield()
        return try await inner.member(forTokenHash: hash)
    }
    func issueLeaderCode(session uid: String, hash: String, by: String, at: Int) async throws(StoreError) {
        try await inner.issueLeaderCode(session: uid, hash: hash, by: by, at: at)
    }
    func revokeLeaderCodes(session uid: String, at: Int) async throws(StoreError) -> Int {
        try await inner.revokeLeaderCodes(session: uid, at: at)
    }
    func session(forLeaderCodeHash hash: String) async throws(StoreError) -> String? {
        codeLookups.add(1, ordering: .relaxed)
        await Task.yield()
        return try await inner.session(forLeaderCodeHash: hash)
    }
    func saveOverride(_ override: SessionOverride) async throws(StoreError) -> SessionOverride {
        try await inner.saveOverride(override)
    }
    func overrides() async throws(StoreError) -> [SessionOverride] { try await inner.overrides() }
    func assignCodes(_ uids: [String]) async throws(StoreError) -> [String: String] {
        try await inner.assignCodes(uids)
    }
    func codes() async throws(StoreError) -> [String: String] { try await inner.codes() }
    func storeKey(named name: String) async throws(StoreError) -> [UInt8] {
        try await inner.storeKey(named: name)
    }
    func recordDeadlineDone(_ uid: String, note: String, by: String, at: Int) async throws(StoreError) {
        try await inner.recordDeadlineDone(uid, note: note, by: by, at: at)
    }
    func deadlineRecords() async throws(StoreError) -> [DeadlineRecord] { try await inner.deadlineRecords() }
    func addAction(sessionUID: String?, text: String, owner: String, due: CivilDate, by: String, at: Int)
        async throws(StoreError) -> CorrectiveAction
    {
        try await inner.addAction(sessionUID: sessionUID, text: text, owner: owner, due: due, by: by, at: at)
    }
    func carryAction(from origin: CarriedFrom, text: String, owner: String, due: CivilDate, by: String, at: Int)
        async throws(StoreError) -> CorrectiveAction
    {
        try await inner.carryAction(from: origin, text: text, owner: owner, due: due, by: by, at: at)
    }
    func actions() async throws(StoreError) -> [CorrectiveAction] { try await inner.actions() }
    func closeAction(_ id: Int, note: String, by: String, at: Int) async throws(StoreError) -> CorrectiveAction {
        try await inner.closeAction(id, note: note, by: by, at: at)
    }
    func reportAbsence(_ notice: AbsenceNotice) async throws(StoreError) { try await inner.reportAbsence(notice) }
    func withdrawAbsence(session uid: String, member: String, at: Int) async throws(StoreError) -> Bool {
        try await inner.withdrawAbsence(session: uid, member: member, at: at)
    }
    func absences() async throws(StoreError) -> [AbsenceNotice] { try await inner.absences() }
    func absenceLog(session uid: String?) async throws(StoreError) -> [AbsenceNoticeEvent] {
        try await inner.absenceLog(session: uid)
    }
}
