import DrillCore

/// An `AttendanceStore` kept in memory: for tests and dry runs. Nothing survives the process.
///
/// Each method works out what to change before changing anything (with the same `PublishPlan`,
/// `RecordingPlan` and lock rules as `SQLiteStore`), so a refused call leaves the store as it was.
///
/// ```swift
/// let store = InMemoryStore()
/// try await store.publish(sessions: sessions, rosters: rosters)
/// try await store.record([mark])
/// ```
public actor InMemoryStore: AttendanceStore {
    private var sessionsByUID: [String: SessionRecord] = [:] {
        didSet { sessionChanges += 1 }
    }
    /// Changes to `sessionsByUID` so far (`sessionsVersion()`).
    private var sessionChanges: Int64 = 0
    private var rosters: [String: [RosterEntry]] = [:]
    /// Current marks, by session UID then member id.
    private var marksBySession: [String: [String: AttendanceMark]] = [:]
    private var seenClientIDs: Set<String> = []
    private var auditTrail: [AuditEntry] = []
    private var summaries: [String: DrillSummary] = [:]
    /// Every token ever issued, oldest first; revoked ones keep `revokedAt`.
    private var tokens: [(member: String, hash: String, issuedAt: Int, revokedAt: Int?)] = []
    private var leaderCodes: [LeaderCodeRecord] = []
    private var keys: [String: [UInt8]] = [:]
    private var deadlinesDone: [String: DeadlineRecord] = [:]
    private var correctiveActions: [CorrectiveAction] = []
    private var sessionOverrides: [SessionOverride] = []
    private var sessionCodes: [String: String] = [:]
    /// Current absence notices by session UID then member id, and their trail.
    private var notices: [String: [String: AbsenceNotice]] = [:]
    private var noticeLog: [AbsenceNoticeEvent] = []
    private var logins: [String: LeaderLoginRecord] = [:]
    private var guesses: [(id: Int64, instance: String, at: Int, guess: SharedGuess)] = []
    private var lastGuessID: Int64 = 0

    /// Makes an empty store.
    public init() {}

    public func publish(sessions: [SessionRecord], rosters: [String: [RosterEntry]]) throws(StoreError) {
        let plan = try PublishPlan.make(
            sessions: sessions, rosters: rosters, stored: Array(sessionsByUID.values)
        ).changes(stored: Array(sessionsByUID.values), storedRosters: self.rosters)
        for session in plan.sessions { sessionsByUID[session.uid] = session }
        for uid in plan.cancellations { sessionsByUID[uid]?.cancelled = true }
        for (uid, roster) in plan.rosters { self.rosters[uid] = roster }
    }

    // The protocol's exact signature: a synchronous one would lose to the extension's default (nil).
    public func sessionsVersion() async throws(StoreError) -> Int64? { sessionChanges }

    public func sessions() -> [SessionRecord] {
        sessionsByUID.values.sorted(by: StoreOrder.sessions)
    }

    public func session(_ uid: String) -> SessionRecord? { sessionsByUID[uid] }

    public func roster(of uid: String) throws(StoreError) -> [RosterEntry] {
        _ = try existing(uid)
        return rosters[uid] ?? []
    }

    @discardableResult
    public func record(_ marks: [AttendanceMark]) throws(StoreError) -> Int {
        let plan: RecordingPlan
        do {
            plan = try RecordingPlan.make(for: marks, in: Snapshot(store: self))
        } catch {
            throw StoreError(error)
        }
        for change in plan.changes {
            marksBySession[change.mark.sessionUID, default: [:]][change.mark.memberID] = change.mark
            auditTrail.append(change.auditEntry)
        }
        seenClientIDs.formUnion(plan.newClientIDs)
        return plan.changes.count
    }

    public func marks(session uid: String) throws(StoreError) -> [AttendanceMark] {
        _ = try existing(uid)
        return (marksBySession[uid] ?? [:]).values.sorted(by: StoreOrder.marks)
    }

    public func allMarks() -> [AttendanceMark] {
        marksBySession.values.flatMap(\.values).sorted(by: StoreOrder.marks)
    }

    public func finalize(_ uid: String, by: String, at: Int) throws(StoreError) {
        _ = try LockRules.checkFinalize(sessionsByUID[uid], uid: uid)
        sessionsByUID[uid]?.finalized = true
        auditTrail.append(.finalized(uid, by: by, at: at))
    }

    public func reopen(_ uid: String, by: String, reason: String, at: Int) throws(StoreError) {
        _ = try LockRules.checkReopen(sessionsByUID[uid], uid: uid, reason: reason)
        sessionsByUID[uid]?.finalized = false
        auditTrail.append(.reopened(uid, by: by, reason: reason, at: at))
    }

    public func audit(session uid: String?) throws(StoreError) -> [AuditEntry] {
        guard let uid else { return auditTrail }
        _ = try existing(uid)
        return auditTrail.filter { $0.sessionUID == uid }
    }

    public func saveSummary(_ summary: DrillSummary, for uid: String, by: String, at: Int) throws(StoreError)
    {
        _ = try LockRules.checkSummary(sessionsByUID[uid], uid: uid)
        summaries[uid] = summary
        auditTrail.append(.summarySaved(uid, by: by, at: at))
    }

    public func summary(for uid: String) throws(StoreError) -> DrillSummary? {
        _ = try existing(uid)
        return summaries[uid]
    }

    public func summarizedSessions() -> Set<String> { Set(summaries.keys) }

    public func issueToken(member: String, hash: String, at: Int) throws(StoreError) {
        try FeedTokenRules.check(member: member, hash: hash)
        if tokens.contains(where: { $0.hash == hash }) { throw FeedTokenRules.reused }
        revokeToken(member: member, at: at)
        tokens.append((member, hash, at, nil))
    }

    @discardableResult
    public func revokeToken(member: String, at: Int) -> Bool {
        guard let i = tokens.firstIndex(where: { $0.member == member && $0.revokedAt == nil }) else {
            return false
        }
        tokens[i].revokedAt = at
        return true
    }

    public func member(forTokenHash hash: String) -> String? {
        tokens.first { $0.hash == hash && $0.revokedAt == nil }?.member
    }

    public func issueLeaderCode(session uid: String, hash: String, by: String, at: Int) throws(StoreError) {
        _ = try existing(uid)
        let hash = try LeaderCodeRules.checkHash(hash)
        try LeaderCodeRules.checkUnused(hash, alreadyStored: leaderCodes.contains { $0.hash == hash })
        revokeLeaderCodes(of: uid, at: at)
        leaderCodes.append(LeaderCodeRecord(sessionUID: uid, hash: hash, issuedBy: by, issuedAt: at))
    }

    @discardableResult
    public func revokeLeaderCodes(session uid: String, at: Int) throws(StoreError) -> Int {
        _ = try existing(uid)
        return revokeLeaderCodes(of: uid, at: at)
    }

    public func storeKey(named name: String) throws(StoreError) -> [UInt8] {
        guard !name.isEmpty else { throw .invalid("store key: empty name") }
        if let key = keys[name] { return key }
        let key = newStoreKey()
        keys[name] = key
        return key
    }

    public func session(forLeaderCodeHash hash: String) -> String? {
        leaderCodes.first { $0.hash == hash && $0.revokedAt == nil }?.sessionUID
    }

    private func revokeLeaderCodes(of uid: String, at: Int) -> Int {
        var count = 0
        for i in leaderCodes.indices where leaderCodes[i].sessionUID == uid && leaderCodes[i].revokedAt == nil
        {
            leaderCodes[i].revokedAt = at
            count += 1
        }
        return count
    }

    public func recordDeadlineDone(_ uid: String, note: String, by: String, at: Int) throws(StoreError) {
        try FollowUpRules.checkDeadline(sessionsByUID[uid], uid: uid, alreadyDone: deadlinesDone[uid] != nil)
        deadlinesDone[uid] = DeadlineRecord(sessionUID: uid, note: note, by: by, at: at)
    }

    public func deadlineRecords() -> [DeadlineRecord] {
        deadlinesDone.values.sorted { $0.sessionUID < $1.sessionUID }
    }

    @discardableResult
    public func addAction(sessionUID: String?, text: String, owner: String, due: CivilDate, by: String, at: Int)
        throws(StoreError) -> CorrectiveAction
    {
        try FollowUpRules.checkNewAction(
            text: text, owner: owner, sessionExists: sessionUID.map { sessionsByUID[$0] != nil })
        if let same = correctiveActions.first(where: { $0.sessionUID == sessionUID && $0.text == text }) { return same }
        let action = CorrectiveAction(
            id: (correctiveActions.map(\.id).max() ?? 0) + 1, sessionUID: sessionUID, text: text, owner: owner, due: due,
            createdBy: by, createdAt: at)
        correctiveActions.append(action)
        return action
    }

    @discardableResult
    public func carryAction(
        from origin: CarriedFrom, text: String, owner: String, due: CivilDate, by: String, at: Int
    ) throws(StoreError) -> CorrectiveAction {
        try FollowUpRules.checkNewAction(text: text, owner: owner, sessionExists: nil)
        if let same = correctiveActions.first(where: { FollowUpRules.sameOrigin($0.carriedFrom, origin) }) {
            return same
        }
        let action = CorrectiveAction(
            id: (correctiveActions.map(\.id).max() ?? 0) + 1, sessionUID: nil, text: text, owner: owner, due: due,
            createdBy: by, createdAt: at, carriedFrom: origin)
        correctiveActions.append(action)
        return action
    }

    public func actions() -> [CorrectiveAction] { correctiveActions.sorted(by: FollowUpRules.order) }

    @discardableResult
    public func closeAction(_ id: Int, note: String, by: String, at: Int) throws(StoreError) -> CorrectiveAction {
        let index = correctiveActions.firstIndex { $0.id == id }
        try FollowUpRules.checkClose(index.map { correctiveActions[$0] }, id: id, note: note)
        correctiveActions[index!].status = .done
        correctiveActions[index!].note = note
        correctiveActions[index!].closedAt = at
        return correctiveActions[index!]
    }

    @discardableResult
    public func saveOverride(_ override: SessionOverride) throws(StoreError) -> SessionOverride {
        try OverrideRules.check(override, exists: sessionsByUID[override.sessionUID] != nil)
        var stored = override
        stored.id = (sessionOverrides.last?.id ?? 0) + 1
        sessionOverrides.append(stored)
        return stored
    }

    public func overrides() -> [SessionOverride] { sessionOverrides }

    @discardableResult
    public func assignCodes(_ uids: [String]) throws(StoreError) -> [String: String] {
        for uid in uids where sessionsByUID[uid] == nil { throw .unknownSession(uid) }
        var n = sessionCodes.count
        for uid in uids where sessionCodes[uid] == nil {
            n += 1
            sessionCodes[uid] = OverrideRules.code(n)
        }
        return sessionCodes
    }

    public func codes() -> [String: String] { sessionCodes }

    public func reportAbsence(_ notice: AbsenceNotice) throws(StoreError) {
        let onRoster = (rosters[notice.sessionUID] ?? []).contains { $0.memberID == notice.memberID }
        try AbsenceRules.checkReport(notice, session: sessionsByUID[notice.sessionUID], onRoster: onRoster)
        var stored = notice
        stored.reason = notice.reason.trimmedSpace
        notices[notice.sessionUID, default: [:]][notice.memberID] = stored
        noticeLog.append(
            AbsenceNoticeEvent(
                action: "report", sessionUID: stored.sessionUID, memberID: stored.memberID, reason: stored.reason,
                at: stored.at))
    }

    @discardableResult
    public func withdrawAbsence(session uid: String, member: String, at: Int) throws(StoreError) -> Bool {
        try AbsenceRules.checkWithdraw(uid, session: sessionsByUID[uid])
        guard notices[uid]?.removeValue(forKey: member) != nil else { return false }
        noticeLog.append(AbsenceNoticeEvent(action: "withdraw", sessionUID: uid, memberID: member, reason: nil, at: at))
        return true
    }

    public func absences() -> [AbsenceNotice] {
        notices.values.flatMap(\.values).sorted(by: AbsenceRules.order)
    }

    public func absenceLog(session uid: String?) -> [AbsenceNoticeEvent] {
        noticeLog.filter { uid == nil || $0.sessionUID == uid }
    }

    // MARK: Shared server state

    public func saveLeaderLogin(_ login: LeaderLoginRecord, now: Int) throws(StoreError) {
        try SharedStateRules.check(login)
        _ = try existing(login.sessionUID)
        logins = logins.filter { $0.value.expiry >= now }
        logins[login.nonceDigest] = login
    }

    public func leaderLogin(nonceDigest: String) -> LeaderLoginRecord? { logins[nonceDigest] }

    public func shareGuesses(_ new: [SharedGuess], instance: String, now: Int, after cursor: Int64)
        throws(StoreError) -> SharedGuesses
    {
        try SharedStateRules.check(instance: instance, new)
        for guess in new {
            lastGuessID += 1
            guesses.append((lastGuessID, instance, now, guess))
        }
        guesses.removeAll { $0.at < now - SharedStateRules.guessMemory }
        return SharedGuesses(
            guesses: guesses.filter { $0.id > cursor && $0.instance != instance }.map(\.guess),
            cursor: lastGuessID)
    }

    private func existing(_ uid: String) throws(StoreError) -> SessionRecord {
        guard let session = sessionsByUID[uid] else { throw .unknownSession(uid) }
        return session
    }

    /// The store's state as `RecordingPlan` reads it; taken inside the actor, so nothing moves meanwhile.
    private struct Snapshot: RecordingContext {
        let sessions: [String: SessionRecord]
        let rosters: [String: [RosterEntry]]
        let marks: [String: [String: AttendanceMark]]
        let seen: Set<String>

        init(store: isolated InMemoryStore) {
            sessions = store.sessionsByUID
            rosters = store.rosters
            marks = store.marksBySession
            seen = store.seenClientIDs
        }

        func session(_ uid: String) -> SessionRecord? { sessions[uid] }
        func isOnRoster(session uid: String, member: String) -> Bool {
            rosters[uid]?.contains { $0.memberID == member } ?? false
        }
        func currentMark(session uid: String, member: String) -> AttendanceMark? { marks[uid]?[member] }
        func hasSeen(clientID: String) -> Bool { seen.contains(clientID) }
    }
}
