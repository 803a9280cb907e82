import DrillCore
import DrillStore
import Synchronization

/// An in-memory store that counts the secret checks it answers (leader-code and token lookups,
/// roster reads for self check-in), so throttle tests count what the store actually did. Shared by
/// the check-in and feed-server tests (one forwarding store, not one per test target).
public final class CountingStore: AttendanceStore {
    public let inner: InMemoryStore
    public let codeLookups = Atomic<Int>(0)
    public let rosterReads = Atomic<Int>(0)
    public let tokenLookups = Atomic<Int>(0)
    /// Whole session lists read (`sessions()`).
    public let sessionLists = Atomic<Int>(0)
    /// When set, `sessionsVersion()` answers nil, as a store that cannot tell.
    public let untrackedVersion = Atomic<Bool>(false)
    /// When set, every write fails as a locked database would, with SQL in its text.
    public let failWrites = Atomic<Bool>(false)

    /// Wraps `inner` (a fresh store by default).
    public init(_ inner: InMemoryStore = InMemoryStore()) { self.inner = inner }

    public func publish(sessions: [SessionRecord], rosters: [String: [RosterEntry]]) async throws(StoreError)
    {
        try await inner.publish(sessions: sessions, rosters: rosters)
    }
    public func sessions() async throws(StoreError) -> [SessionRecord] {
        sessionLists.add(1, ordering: .relaxed)
        return try await inner.sessions()
    }
    public func sessionsVersion() async throws(StoreError) -> Int64? {
        untrackedVersion.load(ordering: .relaxed) ? nil : try await inner.sessionsVersion()
    }
    public func session(_ uid: String) async throws(StoreError) -> SessionRecord? {
        try await inner.session(uid)
    }
    public func roster(of uid: String) async throws(StoreError) -> [RosterEntry] {
        rosterReads.add(1, ordering: .relaxed)
        await Task.yield()  // an await inside the check, as a real store has
        return try await inner.roster(of: uid)
    }
    public func record(_ marks: [AttendanceMark]) async throws(StoreError) -> Int {
        if failWrites.load(ordering: .relaxed) {
            throw .busy("SQLite error 5: database is locked - while executing `INSERT INTO attendance ...`")
        }
        return try await inner.record(marks)
    }
    public func marks(session uid: String) async throws(StoreError) -> [AttendanceMark] {
        try await inner.marks(session: uid)
    }
    public func allMarks() async throws(StoreError) -> [AttendanceMark] { try await inner.allMarks() }
    public func finalize(_ uid: String, by: String, at: Int) async throws(StoreError) {
        try await inner.finalize(uid, by: by, at: at)
    }
    public func reopen(_ uid: String, by: String, reason: String, at: Int) async throws(StoreError) {
        try await inner.reopen(uid, by: by, reason: reason, at: at)
    }
    public func audit(session uid: String?) async throws(StoreError) -> [AuditEntry] {
        try await inner.audit(session: uid)
    }
    public func saveSummary(_ summary: DrillSummary, for uid: String, by: String, at: Int)
        async throws(StoreError)
    {
        try await inner.saveSummary(summary, for: uid, by: by, at: at)
    }
    public func summary(for uid: String) async throws(StoreError) -> DrillSummary? {
        try await inner.summary(for: uid)
    }
    public func allRosters() async throws(StoreError) -> [String: [RosterEntry]] {
        try await inner.allRosters()
    }
    public func allSummaries() async throws(StoreError) -> [String: DrillSummary] {
        try await inner.allSummaries()
    }
    public func summarizedSessions() async throws(StoreError) -> Set<String> {
        try await inner.summarizedSessions()
    }
    public func issueToken(member: String, hash: String, at: Int) async throws(StoreError) {
        try await inner.issueToken(member: member, hash: hash, at: at)
    }
    public func revokeToken(member: String, at: Int) async throws(StoreError) -> Bool {
        try await inner.revokeToken(member: member, at: at)
    }
    public func member(forTokenHash hash: String) async throws(StoreError) -> String? {
        tokenLookups.add(1, ordering: .relaxed)
        await Task.yield()
        return try await inner.member(forTokenHash: hash)
    }
    public func issueLeaderCode(session uid: String, hash: String, by: String, at: Int)
        async throws(StoreError)
    {
        try await inner.issueLeaderCode(session: uid, hash: hash, by: by, at: at)
    }
    public func revokeLeaderCodes(session uid: String, at: Int) async throws(StoreError) -> Int {
        try await inner.revokeLeaderCodes(session: uid, at: at)
    }
    public func session(forLeaderCodeHash hash: String) async throws(StoreError) -> String? {
        codeLookups.add(1, ordering: .relaxed)
        await Task.yield()
        return try await inner.session(forLeaderCodeHash: hash)
    }
    public func saveOverride(_ override: SessionOverride) async throws(StoreError) -> SessionOverride {
        try await inner.saveOverride(override)
    }
    public func overrides() async throws(StoreError) -> [SessionOverride] { try await inner.overrides() }
    public func assignCodes(_ uids: [String]) async throws(StoreError) -> [String: String] {
        try await inner.assignCodes(uids)
    }
    public func codes() async throws(StoreError) -> [String: String] { try await inner.codes() }
    public func storeKey(named name: String) async throws(StoreError) -> [UInt8] {
        try await inner.storeKey(named: name)
    }
    public func recordDeadlineDone(_ uid: String, note: String, by: String, at: Int) async throws(StoreError)
    {
        try await inner.recordDeadlineDone(uid, note: note, by: by, at: at)
    }
    public func deadlineRecords() async throws(StoreError) -> [DeadlineRecord] {
        try await inner.deadlineRecords()
    }
    public func addAction(
        sessionUID: String?, text: String, owner: String, due: CivilDate, by: String, at: Int
    )
        async throws(StoreError) -> CorrectiveAction
    {
        try await inner.addAction(sessionUID: sessionUID, text: text, owner: owner, due: due, by: by, at: at)
    }
    public func carryAction(
        from origin: CarriedFrom, text: String, owner: String, due: CivilDate, by: String, at: Int
    )
        async throws(StoreError) -> CorrectiveAction
    {
        try await inner.carryAction(from: origin, text: text, owner: owner, due: due, by: by, at: at)
    }
    public func actions() async throws(StoreError) -> [CorrectiveAction] { try await inner.actions() }
    public func closeAction(_ id: Int, note: String, by: String, at: Int) async throws(StoreError)
        -> CorrectiveAction
    {
        try await inner.closeAction(id, note: note, by: by, at: at)
    }
    public func reportAbsence(_ notice: AbsenceNotice) async throws(StoreError) {
        try await inner.reportAbsence(notice)
    }
    public func withdrawAbsence(session uid: String, member: String, at: Int) async throws(StoreError) -> Bool
    {
        try await inner.withdrawAbsence(session: uid, member: member, at: at)
    }
    public func absences() async throws(StoreError) -> [AbsenceNotice] { try await inner.absences() }
    public func absenceLog(session uid: String?) async throws(StoreError) -> [AbsenceNoticeEvent] {
        try await inner.absenceLog(session: uid)
    }
    public func saveLeaderLogin(_ login: LeaderLoginRecord, now: Int) async throws(StoreError) {
        try await inner.saveLeaderLogin(login, now: now)
    }
    public func leaderLogin(nonceDigest: String) async throws(StoreError) -> LeaderLoginRecord? {
        try await inner.leaderLogin(nonceDigest: nonceDigest)
    }
    public func shareGuesses(_ guesses: [SharedGuess], instance: String, now: Int, after cursor: Int64)
        async throws(StoreError) -> SharedGuesses
    {
        try await inner.shareGuesses(guesses, instance: instance, now: now, after: cursor)
    }
}
