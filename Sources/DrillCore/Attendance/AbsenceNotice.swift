/// A member's own notice, given in advance on their private page, that they cannot attend a
/// session (请假 / 我不能参加): an excused pre-mark until the leader records what happened.
public struct AbsenceNotice: Hashable, Sendable, Codable {
    /// The session's UID.
    public var sessionUID: String
    /// The member's id.
    public var memberID: String
    /// Why (personal: shown to the member and the session's leader, never in feeds or logs).
    public var reason: String
    /// When it was given, seconds since 1970 UTC.
    public var at: Int

    /// Makes a notice.
    public init(sessionUID: String, memberID: String, reason: String, at: Int) {
        self.sessionUID = sessionUID
        self.memberID = memberID
        self.reason = reason
        self.at = at
    }
}

/// One change to a notice, as the store keeps it (the notices' audit trail, source `member`).
public struct AbsenceNoticeEvent: Hashable, Sendable, Codable {
    /// `report` (given or its reason changed) or `withdraw`.
    public var action: String
    /// The session's UID.
    public var sessionUID: String
    /// The member's id.
    public var memberID: String
    /// The reason given (nil for a withdrawal).
    public var reason: String?
    /// When, seconds since 1970 UTC.
    public var at: Int
    /// Always `member`: only the member's own page gives or withdraws a notice.
    public var source: String

    /// Makes an event.
    public init(action: String, sessionUID: String, memberID: String, reason: String?, at: Int, source: String = "member") {
        self.action = action
        self.sessionUID = sessionUID
        self.memberID = memberID
        self.reason = reason
        self.at = at
        self.source = source
    }
}

extension Roster {
    /// The roster with each notice as a one-day absence on its session's date, so everything that
    /// counts expected turnout (the scheduler, the published roster of each session, the forecast)
    /// counts the member as away that day. The reason stays out: the absence says only 本人请假.
    /// - Parameter dates: each session's date, by UID (notices for unknown sessions are skipped).
    public func addingNotices(_ notices: [AbsenceNotice], dates: [String: CivilDate]) -> Roster {
        guard !notices.isEmpty else { return self }
        var byMember: [String: [CivilDate]] = [:]
        for n in notices {
            if let date = dates[n.sessionUID] { byMember[n.memberID, default: []].append(date) }
        }
        return Roster(
            members: members.map { member in
                var m = member
                for date in (byMember[m.id] ?? []).sorted() where !m.isAway(on: date) {
                    m.absences.append(Absence(range: DateRange(from: date, to: date), reason: "本人请假"))
                }
                return m
            })
    }
}

/// The members' absence notices with the day each one's session is held, as the next build
/// publishes it: what the scheduler, the published rosters and the forecast count a member away on.
///
/// A notice is for a session, not for a day: when the session is moved or postponed (by hand, or
/// by a rebuild that publishes a new day), the notice goes with it and the member is expected away
/// on the new day, until they withdraw it on their page (which shows the new day).
public struct NoticeDays: Hashable, Sendable {
    /// The notices, in store order.
    public var notices: [AbsenceNotice]
    /// Each session's day, by UID.
    public var days: [String: CivilDate]

    /// Makes the pair.
    public init(notices: [AbsenceNotice] = [], days: [String: CivilDate] = [:]) {
        self.notices = notices
        self.days = days
    }

    /// The days of the sessions that have notices only (so an unrelated session's move is no change).
    public var relevant: NoticeDays {
        let uids = Set(notices.map(\.sessionUID))
        return NoticeDays(notices: notices, days: days.filter { uids.contains($0.key) })
    }
}

extension Roster {
    /// `addingNotices(_:dates:)` for a `NoticeDays`.
    public func addingNotices(_ n: NoticeDays) -> Roster { addingNotices(n.notices, dates: n.days) }
}
