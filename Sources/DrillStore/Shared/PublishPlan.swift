import DrillCore

/// What `publish(sessions:rosters:)` writes, worked out once for every store so they cannot drift.
///
/// Published sessions are stored as given, except that a stored session keeps its lock (`finalized`)
/// and nothing published is cancelled; stored sessions missing from the list are marked cancelled,
/// never deleted, so their attendance stays; rosters are replaced only for sessions not finalized,
/// so a locked record keeps the roster it was taken against.
///
/// ```swift
/// let plan = try PublishPlan.make(sessions: published, rosters: rosters, stored: try await store.sessions())
/// ```
public struct PublishPlan: Sendable, Hashable {
    /// Sessions to insert or update by UID, in their stored form.
    public var sessions: [SessionRecord]
    /// UIDs of stored sessions no longer published that are to be marked cancelled.
    public var cancellations: [String]
    /// Rosters to store in place of the old ones, by UID, each by team then member id.
    public var rosters: [String: [RosterEntry]]

    /// Works out a publication against the sessions already stored.
    /// - Parameters:
    ///   - sessions: the published schedule.
    ///   - rosters: the roster as of each published session; a session without one gets an empty roster.
    ///   - stored: every session the store holds now.
    /// - Throws: `.invalid` for a UID published twice, a roster for a UID not published, a member twice
    ///   in one team of a roster, or a slot a store cannot hold.
    public static func make(
        sessions: [SessionRecord], rosters: [String: [RosterEntry]], stored: [SessionRecord]
    ) throws(StoreError) -> PublishPlan {
        let storedByUID = Dictionary(stored.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var published = Set<String>()
        var plan = PublishPlan(sessions: [], cancellations: [], rosters: [:])
        var checked = RecentMemo<[RosterEntry], [RosterEntry]>()
        for var session in sessions {
            guard !session.uid.isEmpty else { throw .invalid("发布的日程中有活动缺少 UID") }
            guard published.insert(session.uid).inserted else {
                throw .invalid("发布的日程中活动 UID “\(session.uid)” 出现了两次")
            }
            guard (0..<1440).contains(session.slot.startMinute),
                session.slot.endMinute >= session.slot.startMinute
            else {
                throw .invalid(
                    "活动 \(session.uid) 的时间 \(session.slot.startMinute)–\(session.slot.endMinute) 分钟无效")
            }
            // The lock belongs to the store (finalize/reopen), not to the publisher.
            session.finalized = storedByUID[session.uid]?.finalized ?? false
            session.cancelled = false
            plan.sessions.append(session)
            if !session.finalized {
                plan.rosters[session.uid] = try checked.value(for: rosters[session.uid] ?? []) {
                    (roster) throws(StoreError) in try checkedRoster(roster, of: session.uid)
                }
            }
        }
        for uid in rosters.keys.sorted() where !published.contains(uid) {
            throw .invalid("名册所属的活动 UID “\(uid)” 不在发布的日程中")
        }
        plan.cancellations = stored.filter { !published.contains($0.uid) && !$0.cancelled }.map(\.uid)
            .sorted()
        return plan
    }

    /// The same publication without what the store already holds exactly so: a session stored with
    /// the same fields is not written again, a roster equal to the stored one (both by team then
    /// member id) is not replaced. A rebuild after one member's edit then writes only the sessions
    /// and rosters that edit touched.
    /// - Parameters:
    ///   - stored: every session the store holds now (as given to ``make(sessions:rosters:stored:)``).
    ///   - storedRosters: the stored rosters by UID, each by team then member id.
    public func changes(stored: [SessionRecord], storedRosters: [String: [RosterEntry]]) -> PublishPlan {
        changes(stored: stored) { uid, roster in storedRosters[uid] ?? [] != roster }
    }

    /// The same, with the store telling whether a roster differs from the one it holds (the SQLite
    /// store compares the stored text with the text this roster would be stored as).
    /// - Parameter rosterDiffers: whether the roster given for a UID differs from the stored one.
    public func changes(
        stored: [SessionRecord], rosterDiffers: (_ uid: String, _ roster: [RosterEntry]) -> Bool
    ) -> PublishPlan {
        let storedByUID = Dictionary(stored.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var result = self
        result.sessions = sessions.filter { storedByUID[$0.uid] != $0 }
        result.rosters = rosters.filter { uid, roster in
            storedByUID[uid] == nil || rosterDiffers(uid, roster)
        }
        return result
    }

    /// The roster sorted by team then member id, or `.invalid` naming a member listed twice in one team.
    static func checkedRoster(_ roster: [RosterEntry], of uid: String) throws(StoreError) -> [RosterEntry] {
        // Sorted as a permutation of indices (the same stable order): sorting the entries themselves
        // moved every entry's strings and role list at each step (~2 % of a province build's CPU).
        let order = roster.withUnsafeBufferPointer { entries in
            Array(entries.indices).sorted { StoreOrder.roster(entries[$0], entries[$1]) }
        }
        let sorted = order.map { roster[$0] }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.teamID == b.teamID && a.memberID == b.memberID {
            throw .invalid("活动 \(uid) 的名册中队员 “\(a.memberID)”（队伍 \(a.teamID)）出现了两次")
        }
        return sorted
    }
}

/// The results for inputs equal to recent ones (up to `limit`, the oldest dropped first). A town's
/// sessions of one team share one roster array (`ScheduledSession.rosterEntries(of:roster:)`), which
/// `==` recognises by identity at once, so each team's roster is checked and packed once rather
/// than once a session (2–3 % of a province build's CPU); a roster that differs (a member away
/// that day) is compared, found different and made on its own.
struct RecentMemo<Input: Equatable, Output> {
    private var entries: [(input: Input, output: Output)] = []
    var limit = 32

    mutating func value<E: Error>(for input: Input, _ make: (Input) throws(E) -> Output) throws(E) -> Output {
        if let hit = entries.first(where: { $0.input == input }) { return hit.output }
        let output = try make(input)
        if entries.count >= limit { entries.removeFirst() }
        entries.append((input, output))
        return output
    }
}
