import DrillCore

/// Where published sessions, rosters as of each session, attendance, summaries and the audit trail
/// live. SQLite (GRDB) is the default; an in-memory store sits beside it for tests, and a
/// PostgreSQL store must pass the same conformance suite (Tests/DrillStoreTests).
///
/// Every method is one transaction: it either changes everything it was given or nothing.
public protocol AttendanceStore: Sendable {
    /// Records the published schedule: inserts or updates sessions by UID (a finalized session keeps
    /// its attendance and lock), marks stored sessions that are no longer published as cancelled,
    /// and stores the roster as of each session (`rosters[uid]`, replaced for sessions not finalized).
    ///
    /// The store owns the flags: a published session is never cancelled, keeps the stored `finalized`
    /// (false when new), and one published without a roster gets an empty one. A cancelled session
    /// that is published again is no longer cancelled. `.invalid` for a UID given twice, a roster for
    /// a UID not published, a member twice in one team's roster, or a start outside 0..<1440 or an end
    /// before the start. See `PublishPlan`, which every store uses.
    func publish(sessions: [SessionRecord], rosters: [String: [RosterEntry]]) async throws(StoreError)

    /// Every stored session, by start time then UID.
    func sessions() async throws(StoreError) -> [SessionRecord]

    /// A number that is different after any change to the published sessions (publish, finalize,
    /// reopen, a move or cancellation), by this process or any other sharing the store; nil when the
    /// store cannot tell, and a caller must not keep `sessions()` answers. Read it before `sessions()`:
    /// a list read after a version is at least as new as that version.
    func sessionsVersion() async throws(StoreError) -> Int64?

    /// One session, or nil.
    func session(_ uid: String) async throws(StoreError) -> SessionRecord?

    /// The roster of a session as stored when it was published, by team then member id.
    /// `.unknownSession` for a UID never published.
    func roster(of uid: String) async throws(StoreError) -> [RosterEntry]

    /// Every session's roster by UID, each in `roster(of:)`'s order, in one read (`check`, `report`
    /// and `attend` read them all; one call per session was a third of a town check's time). A
    /// session whose roster is empty is absent.
    func allRosters() async throws(StoreError) -> [String: [RosterEntry]]

    /// Records marks, all or nothing. Rejects: an unknown session (`.unknownSession`), a finalized
    /// one (`.finalized`), a member not on the session's roster unless the mark is a guest
    /// (`.unknownMember`), the same member twice in one call (`.duplicateMark`), `excused` without a
    /// reason (`.invalid`). A mark equal to the stored one (same status and reason), or whose
    /// `clientID` was already recorded, changes nothing. Each change appends an audit entry.
    ///
    /// Already-recorded client ids are skipped before any check, so a retried check-in is a quiet
    /// no-op even after the record was locked. See `RecordingPlan`, which every store uses.
    /// - Returns: how many marks changed.
    @discardableResult
    func record(_ marks: [AttendanceMark]) async throws(StoreError) -> Int

    /// Current marks of one session, by member id. `.unknownSession` for a UID never published.
    func marks(session uid: String) async throws(StoreError) -> [AttendanceMark]

    /// Current marks of every session, by session UID then member id.
    func allMarks() async throws(StoreError) -> [AttendanceMark]

    /// Locks a session's record. `.finalized` if already locked. Audited as `finalize`, source `cli`.
    func finalize(_ uid: String, by: String, at: Int) async throws(StoreError)

    /// Unlocks a finalized session; the reason goes into the audit trail. `.notFinalized` if it is not locked.
    /// `.invalid` without a reason. Audited as `reopen`, source `cli`.
    func reopen(_ uid: String, by: String, reason: String, at: Int) async throws(StoreError)

    /// The audit trail, oldest first (in the order the changes were made); one session's or all.
    /// `.unknownSession` for a UID never published.
    func audit(session uid: String?) async throws(StoreError) -> [AuditEntry]

    /// Stores (replaces) a drill's summary record; audited as `summary`, source `cli`.
    func saveSummary(_ summary: DrillSummary, for uid: String, by: String, at: Int) async throws(StoreError)

    /// A drill's summary record, or nil. `.unknownSession` for a UID never published.
    func summary(for uid: String) async throws(StoreError) -> DrillSummary?

    /// Every drill summary record by session UID, in one read.
    func allSummaries() async throws(StoreError) -> [String: DrillSummary]

    /// The UIDs of the sessions that have a summary record, in one read (a rebuild pins them).
    func summarizedSessions() async throws(StoreError) -> Set<String>

    // MARK: Private feed tokens (私人日历链接)

    /// Issues a member's private feed token, revoking the one they held before (as of `at`).
    /// Only the token's SHA-256 digest is given and kept, so a copied database reveals no link.
    /// `.invalid` for an empty member id, a hash that is not 64 lowercase hex digits, or a hash
    /// already issued (to anyone, revoked or not). See `FeedTokenRules`, which every store uses.
    func issueToken(member: String, hash: String, at: Int) async throws(StoreError)

    /// Revokes a member's active token as of `at`. Returns whether there was one to revoke.
    @discardableResult
    func revokeToken(member: String, at: Int) async throws(StoreError) -> Bool

    /// The member whose active token has this SHA-256 hash; nil for an unknown or revoked token
    /// alike, so a caller cannot tell the two apart.
    func member(forTokenHash hash: String) async throws(StoreError) -> String?

    // MARK: Drill-leader codes (带队签到码)

    /// Stores a new drill-leader code for a session, by its hash only (the code itself is shown once
    /// to whoever issued it); every older code of that session is revoked at `at`, so one session has
    /// at most one code that opens it.
    ///
    /// `.unknownSession` for a UID never published; `.invalid` for a hash that is not 64 lowercase hex
    /// digits (SHA-256) or that was stored before (codes are never reused, even revoked ones).
    /// See `LeaderCodeRules`, which every store uses.
    func issueLeaderCode(session uid: String, hash: String, by: String, at: Int) async throws(StoreError)

    /// Revokes the session's code, if it has one, at `at`; returns how many codes were revoked (0 or 1).
    /// `.unknownSession` for a UID never published.
    @discardableResult
    func revokeLeaderCodes(session uid: String, at: Int) async throws(StoreError) -> Int

    /// The UID of the session that the code with this hash opens, or nil for an unknown or revoked code.
    func session(forLeaderCodeHash hash: String) async throws(StoreError) -> String?

    // MARK: Follow-up: deadlines done and corrective actions (整改措施)

    /// Records a reporting deadline as done. `.unknownSession` for a UID never published; `.invalid`
    /// for a session that is not a deadline or a deadline already recorded. See `FollowUpRules`.
    func recordDeadlineDone(_ uid: String, note: String, by: String, at: Int) async throws(StoreError)

    /// Every deadline recorded as done, by session UID.
    func deadlineRecords() async throws(StoreError) -> [DeadlineRecord]

    /// Adds an open corrective action and returns it with its number (1, 2, …). An action with the
    /// same session and text already stored is returned as it is, so re-saving a summary adds nothing.
    /// `.invalid` for empty text or owner, or a session UID that was never published.
    @discardableResult
    func addAction(sessionUID: String?, text: String, owner: String, due: CivilDate, by: String, at: Int)
        async throws(StoreError) -> CorrectiveAction

    /// Adds an open action carried over from an earlier year's plan folder (上年度结转), keeping its
    /// text, owner and due date. An action from the same origin (town, year, number) already stored is
    /// returned as it is, so loading the carried file again adds nothing. `.invalid` for empty text or owner.
    @discardableResult
    func carryAction(
        from origin: CarriedFrom, text: String, owner: String, due: CivilDate, by: String, at: Int
    ) async throws(StoreError) -> CorrectiveAction

    /// Every corrective action, by due date then number.
    func actions() async throws(StoreError) -> [CorrectiveAction]

    /// Closes an open action with what was done. `.invalid` for an unknown number, an action already
    /// done, or an empty note.
    @discardableResult
    func closeAction(_ id: Int, note: String, by: String, at: Int) async throws(StoreError) -> CorrectiveAction

    // MARK: Changes by hand and session codes (issue 8)

    /// Stores a move, postpone or cancellation made by hand and returns it with its number.
    /// `.unknownSession` for a UID never published; `.invalid` per `OverrideRules.check`.
    @discardableResult
    func saveOverride(_ override: SessionOverride) async throws(StoreError) -> SessionOverride

    /// Every override, oldest first.
    func overrides() async throws(StoreError) -> [SessionOverride]

    /// Gives each of `uids` that has no short code the next one (S001, S002, … in the order given)
    /// and returns every code by UID. A code, once given, stays with its session.
    /// `.unknownSession` for a UID never published.
    @discardableResult
    func assignCodes(_ uids: [String]) async throws(StoreError) -> [String: String]

    /// `publish(sessions:rosters:)` then `assignCodes` for the published sessions in their order,
    /// in one transaction where the store can (a build's one commit); the same result either way.
    @discardableResult
    func publishAssigningCodes(sessions: [SessionRecord], rosters: [String: [RosterEntry]])
        async throws(StoreError) -> [String: String]

    /// Every short code, by UID.
    func codes() async throws(StoreError) -> [String: String]

    // MARK: Absence notices (请假: a member's own “我不能参加”)

    /// Records (or, given again, replaces the reason of) a member's notice that they cannot attend a
    /// session: an excused pre-mark until the leader records the session. Appends a `report` event
    /// (source `member`) to the notices' trail. `.unknownSession` for a UID never published;
    /// `.invalid` for a cancelled session, an empty or over-long reason; `.unknownMember` for a
    /// member not on the session's roster; `.finalized` for a locked record. Whether the session
    /// has started is the caller's check (the store has no clock). See `AbsenceRules`.
    func reportAbsence(_ notice: AbsenceNotice) async throws(StoreError)

    /// Withdraws a member's notice for a session (a `withdraw` event); returns whether there was one.
    /// `.unknownSession` for a UID never published; `.finalized` for a locked record.
    @discardableResult
    func withdrawAbsence(session uid: String, member: String, at: Int) async throws(StoreError) -> Bool

    /// Current notices, by session UID then member id.
    func absences() async throws(StoreError) -> [AbsenceNotice]

    /// The notices' trail, oldest first; one session's or all.
    func absenceLog(session uid: String?) async throws(StoreError) -> [AbsenceNoticeEvent]

    // MARK: Keys

    /// The store's random 32-byte key of this name, made (from the system's CSPRNG) and kept on first
    /// use, the same for every process and server sharing the store. Leader-code hashes are keyed
    /// with one (`LeaderCode.keyName`), so a table computed for one database is useless for another.
    /// `.invalid` for an empty name.
    func storeKey(named name: String) async throws(StoreError) -> [UInt8]

    /// Each team's roster size and counted members at a session (`LiveTeamCount.counts` of the roster
    /// and marks; a default implementation computes exactly that). `.unknownSession` for a UID never
    /// published. The check-in API answers every mark with it.
    func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount]

    /// `record(marks)` followed by `turnout(session:)`: what a check-in answers. A default
    /// implementation makes exactly those two calls; a store whose `record` is group-committed may
    /// read the counts once for every call of a batch on the same session, after its commit (so the
    /// counts include the caller's marks, as the two calls would).
    func recordAndCount(_ marks: [AttendanceMark], session uid: String) async throws(StoreError) -> RecordedCount

    // MARK: State shared by several servers (SharedServerState.swift)

    /// Keeps a drill leader's login (replacing one with the same nonce digest) and drops logins
    /// that ended before `now`. `.invalid` for a malformed record; `.unknownSession` for a UID never
    /// published.
    func saveLeaderLogin(_ login: LeaderLoginRecord, now: Int) async throws(StoreError)

    /// The login with this nonce digest, ended or not (the caller checks `expiry`), or nil.
    func leaderLogin(nonceDigest: String) async throws(StoreError) -> LeaderLoginRecord?

    /// One exchange of wrong guesses between servers: stores `guesses` (counted by `instance` at
    /// `now`), forgets guesses older than a day, and returns the guesses of every *other* instance
    /// stored after `cursor` (0: all those kept), oldest first, with the next cursor.
    /// `.invalid` for an empty instance id or a guess without throttle or address.
    func shareGuesses(_ guesses: [SharedGuess], instance: String, now: Int, after cursor: Int64)
        async throws(StoreError) -> SharedGuesses
}

/// 32 bytes from the system's cryptographic random source, for `storeKey(named:)`.
func newStoreKey() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<4).flatMap { _ -> [UInt8] in
        let word = generator.next()
        return (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) }
    }
}

/// Why the store refused something. Messages in Chinese or English, naming what was wrong.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No session with this UID.
    case unknownSession(String)
    /// The member is not on the session's roster (and was not recorded as a guest).
    case unknownMember(session: String, member: String)
    /// The same member appears twice in one recording.
    case duplicateMark(session: String, member: String)
    /// The session's record is locked.
    case finalized(String)
    /// Reopen of a session that is not locked.
    case notFinalized(String)
    /// Anything else wrong with the input.
    case invalid(String)
    /// The database failed. The text is for the operator (console, log); it may hold SQL, so a
    /// server never puts it in a response body.
    case database(String)
    /// Another process kept the database locked for longer than the busy timeout
    /// (`SQLiteStore.busyTimeout`); nothing was changed and the call may simply be retried.
    case busy(String)

    /// The message in `language`.
    public func message(_ language: Language) -> String {
        switch self {
        case .unknownSession(let uid):
            return language.pick("未找到活动 UID “\(uid)”", "no session with UID \"\(uid)\"")
        case .unknownMember(let uid, let m):
            return language.pick(
                "队员编号 “\(m)” 不在活动 \(uid) 的名册中（非队员请登记为来宾）",
                "member \"\(m)\" is not on the roster of \(uid) (record non-members as guests)")
        case .duplicateMark(let uid, let m):
            return language.pick(
                "队员 “\(m)” 在活动 \(uid) 中被重复登记", "member \"\(m)\" is recorded twice for \(uid)")
        case .finalized(let uid):
            return language.pick(
                "活动 \(uid) 的出勤记录已锁定；如需修改请先用 --reopen 并说明原因",
                "the record of \(uid) is finalized; use --reopen with a reason to change it")
        case .notFinalized(let uid):
            return language.pick("活动 \(uid) 的出勤记录未锁定", "the record of \(uid) is not finalized")
        case .invalid(let text):
            return text
        case .database(let text):
            return language.pick("数据库错误：\(text)", "database error: \(text)")
        case .busy:
            return language.pick(
                "数据库正忙：另一个程序（服务或命令）一直在写入，等待后仍未轮到；未做任何修改，请稍后重试",
                "the database is busy: another program kept writing past the wait; nothing was changed, try again"
            )
        }
    }

    public var description: String { message(.en) }

    /// Whether the failure is the database's (`.database`, `.busy`) rather than the input's.
    public var isDatabaseFailure: Bool {
        switch self {
        case .database, .busy: true
        default: false
        }
    }
}

/// A store that answers a feed token's lookup at once, on the calling thread: one indexed row read
/// in microseconds (SQLite). The feed server's event loop asks it for members' feeds
/// (`FeedFastPath`); a store without it (PostgreSQL, which is a network round trip) is asked
/// through the router with `member(forTokenHash:)`.
public protocol ImmediateTokenLookup: Sendable {
    /// The member whose active (unrevoked) token has this digest, or nil; the same answer as
    /// `AttendanceStore.member(forTokenHash:)`.
    func memberNow(forTokenHash hash: String) throws(StoreError) -> String?
}

extension AttendanceStore {
    /// One `roster(of:)` per session (a store without a cheaper way).
    public func allRosters() async throws(StoreError) -> [String: [RosterEntry]] {
        var out: [String: [RosterEntry]] = [:]
        for session in try await sessions() {
            let roster = try await roster(of: session.uid)
            if !roster.isEmpty { out[session.uid] = roster }
        }
        return out
    }

    /// One `summary(for:)` per summarized session (a store without a cheaper way).
    public func allSummaries() async throws(StoreError) -> [String: DrillSummary] {
        var out: [String: DrillSummary] = [:]
        for uid in try await summarizedSessions() {
            if let summary = try await summary(for: uid) { out[uid] = summary }
        }
        return out
    }

    /// The two calls one after the other (a store without a cheaper way).
    @discardableResult
    public func publishAssigningCodes(sessions: [SessionRecord], rosters: [String: [RosterEntry]])
        async throws(StoreError) -> [String: String]
    {
        try await publish(sessions: sessions, rosters: rosters)
        return try await assignCodes(sessions.map(\.uid))
    }
}
