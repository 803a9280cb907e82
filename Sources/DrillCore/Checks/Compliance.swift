/// What the store holds about published sessions and attendance, handed to `Compliance`.
public struct AttendanceData: Sendable, Hashable {
    /// Published sessions.
    public var sessions: [SessionRecord]
    /// Roster as of each session, by UID.
    public var rosters: [String: [RosterEntry]]
    /// Every mark.
    public var marks: [AttendanceMark]
    /// Drill summaries by UID.
    public var summaries: [String: DrillSummary]
    /// Deadlines recorded as done (`drillcal done`), by UID.
    public var deadlinesDone: [String: DeadlineRecord]
    /// Corrective actions (整改措施), by id.
    public var actions: [CorrectiveAction]

    /// Makes the data.
    public init(
        sessions: [SessionRecord], rosters: [String: [RosterEntry]], marks: [AttendanceMark],
        summaries: [String: DrillSummary] = [:], deadlinesDone: [String: DeadlineRecord] = [:],
        actions: [CorrectiveAction] = []
    ) {
        self.sessions = sessions
        self.rosters = rosters
        self.marks = marks
        self.summaries = summaries
        self.deadlinesDone = deadlinesDone
        self.actions = actions
    }

    /// A schedule not yet published: its sessions and today's roster as of each, no marks.
    public static func unpublished(_ schedule: Schedule, plan: Plan, roster: Roster) -> AttendanceData {
        AttendanceData(
            sessions: schedule.sessions.map { $0.record() },
            rosters: ScheduledSession.rosterEntries(of: schedule.sessions, roster: roster),
            marks: [])
    }
}

extension ScheduledSession {
    /// The record the store keeps.
    public func record(sequence: Int = 0) -> SessionRecord {
        SessionRecord(
            uid: uid, sequence: sequence, ruleID: ruleID, kind: kind, teamIDs: teamIDs, slot: slot, venueID: venueID,
            supervisorID: supervisorID)
    }

    /// The roster of each of the session's teams as it stands, with who is expected away that day.
    public func rosterEntries(_ roster: Roster) -> [RosterEntry] {
        teamIDs.flatMap { team in
            roster.members(of: team).map {
                RosterEntry(memberID: $0.id, name: $0.name, teamID: team, roles: $0.roles, away: $0.isAway(on: slot.date))
            }
        }
    }

    /// `rosterEntries` of every session, by UID: each team's entries are made once and shared by
    /// its sessions (only a member with absences is looked at again per session). A town's ~300
    /// sessions filtered the whole roster per team and session and made every entry anew.
    public static func rosterEntries(of sessions: [ScheduledSession], roster: Roster) -> [String: [RosterEntry]] {
        struct Team {
            var entries: [RosterEntry] = []
            /// Positions in `entries` of members with absences, and the member.
            var absent: [(index: Int, member: Member)] = []
        }
        var teams: [String: Team] = [:]
        for member in roster.members {
            for team in member.teams where teams[team]?.entries.last?.memberID != member.id {
                var entry = teams[team] ?? Team()
                if !member.absences.isEmpty { entry.absent.append((entry.entries.count, member)) }
                entry.entries.append(
                    RosterEntry(memberID: member.id, name: member.name, teamID: team, roles: member.roles, away: false))
                teams[team] = entry
            }
        }
        var out: [String: [RosterEntry]] = [:]
        out.reserveCapacity(sessions.count)
        for session in sessions {
            var entries: [RosterEntry] = []
            for id in session.teamIDs {
                guard let team = teams[id] else { continue }
                var list = team.entries
                for (index, member) in team.absent where member.isAway(on: session.slot.date) {
                    list[index].away = true
                }
                if entries.isEmpty { entries = list } else { entries += list }
            }
            out[session.uid] = entries
        }
        return out
    }
}

/// Turnout of one team at one session.
public struct SessionTurnout: Hashable, Sendable, Codable {
    public var uid: String
    public var team: String
    public var date: CivilDate
    /// Members on the team's roster as of the session.
    public var rosterSize: Int
    /// Present + late members of the team.
    public var counted: Int
    public var late: Int
    public var excused: Int
    /// Absent, including members not recorded (away-as-planned members are counted as excused).
    public var absent: Int
    /// Guests at the session (not counted).
    public var guests: Int
    /// The turnout floor: the rule's `min_turnout`, else the team's, else the team minimum (never
    /// above the roster).
    public var minimum: Int
    /// Required roles with nobody counted.
    public var missingRoles: [Role]
    /// Whether attendance was recorded (any mark, or finalized).
    public var held: Bool
    public var finalized: Bool

    /// Held and below the floor (a team whose roster is below its minimum is measured against its roster).
    public var belowMinimum: Bool { held && counted < minimum }
}

/// A rule's progress for one team: sessions required by a day, held so far.
public struct RuleProgress: Hashable, Sendable, Codable {
    public var rule: String
    public var team: String
    /// Demands in the year.
    public var requiredInYear: Int
    /// Demands whose target day is on or before `asOf`.
    public var requiredByNow: Int
    /// Sessions placed in the schedule.
    public var planned: Int
    /// Sessions held (attendance recorded).
    public var held: Int
}

/// A member's attendance rate over the sessions held so far.
public struct MemberRate: Hashable, Sendable, Codable {
    public var member: String
    public var expected: Int
    public var attended: Int
    /// One status key per held session the member was on the roster of, by UID.
    public var statuses: [String: String]
    /// attended / expected.
    public var rate: Double? { expected == 0 ? nil : Double(attended) / Double(expected) }
}

/// A warning about how the rest of a half-year will go if the schedule runs as planned.
public enum ForecastItem: Hashable, Sendable, Codable {
    /// A planned session where too few of the team will be home (member ids with the day they return).
    case turnout(session: String, team: String, date: CivilDate, expected: Int, minimum: Int, away: [AwayMember])
    /// A rule whose sessions by the deadline (held + still planned) fall short of what it requires.
    case ruleShort(rule: String, team: String, deadline: CivilDate, required: Int, possible: Int)

    /// The deadline the item is about.
    public var deadline: CivilDate? {
        switch self {
        case .turnout: nil
        case .ruleShort(_, _, let d, _, _): d
        }
    }
}

/// A member away on a session day, and until when.
public struct AwayMember: Hashable, Sendable, Codable {
    public var member: String
    public var until: CivilDate
}

/// Something `drillcal check` reports beyond the roster findings.
public enum ComplianceFinding: Hashable, Sendable, Codable {
    /// A roster finding (size, mix, grids, several teams).
    case roster(Finding)
    /// A held session whose counted turnout is below the team's minimum.
    case turnoutBelowMinimum(SessionTurnout)
    /// A held session where a required source had nobody present.
    case turnoutMissingRole(SessionTurnout, Role)
    /// A past session with no attendance recorded.
    case notRecorded(session: String, date: CivilDate)
    /// A rule behind: fewer sessions held than required by now.
    case ruleBehind(RuleProgress)
    /// A member under the attendance threshold.
    case memberBelowThreshold(MemberRate, threshold: Double)
    /// A forecast warning before 30 June or 31 December.
    case forecast(ForecastItem, deadline: CivilDate)
    /// A drill held more than `Compliance.summaryDays` days ago with no summary (演练总结) recorded.
    case summaryMissing(session: String, date: CivilDate)
    /// A reporting deadline passed without being recorded as done.
    case deadlineNotDone(session: String, date: CivilDate)
    /// A corrective action still open after its due date.
    case actionOverdue(CorrectiveAction)

    /// Whether the finding needs action (exit 1).
    public var needsAction: Bool {
        if case .roster(let f) = self { return f.needsAction }
        return true
    }

    /// Short key for JSON.
    public var key: String {
        switch self {
        case .roster(let f): f.key
        case .turnoutBelowMinimum: "turnout_below_minimum"
        case .turnoutMissingRole: "turnout_missing_role"
        case .notRecorded: "not_recorded"
        case .ruleBehind: "rule_behind"
        case .memberBelowThreshold: "member_below_threshold"
        case .forecast: "forecast"
        case .summaryMissing: "summary_missing"
        case .deadlineNotDone: "deadline_not_done"
        case .actionOverdue: "action_overdue"
        }
    }
}

/// Checks a town against the plan's minimums and rules: rosters, turnout at held sessions, rule
/// progress, member attendance, and a forecast to 30 June and 31 December.
///
/// ```swift
/// let c = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: today)
/// let findings = c.findings()
/// ```
public struct Compliance: Sendable {
    public var plan: Plan
    /// The roster as it stands now (forecasts use today's known absences).
    public var roster: Roster
    /// Every demand of the plan (placed or not), for what the rules require.
    public var demands: [Demand]
    public var data: AttendanceData
    /// The day the check is made.
    public var asOf: CivilDate
    /// Attendance-rate threshold (default 60 %).
    public var threshold: Double

    let marksBySession: [String: [AttendanceMark]]
    let teamsByID: [String: Team]
    let rulesByID: [String: Rule]

    public init(
        plan: Plan, roster: Roster, demands: [Demand], data: AttendanceData, asOf: CivilDate, threshold: Double = 0.6
    ) {
        self.plan = plan
        self.roster = roster
        self.demands = demands
        self.data = data
        self.asOf = asOf
        self.threshold = threshold
        self.marksBySession = Dictionary(grouping: data.marks, by: \.sessionUID)
        self.teamsByID = Dictionary(plan.teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.rulesByID = Dictionary(plan.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Sessions that are published and not cancelled, in time order.
    var liveSessions: [SessionRecord] {
        data.sessions.filter { !$0.cancelled }.sorted { ($0.slot.absoluteStart, $0.uid) < ($1.slot.absoluteStart, $1.uid) }
    }

    /// Whether attendance was recorded for a session.
    public func isHeld(_ s: SessionRecord) -> Bool { s.finalized || !(marksBySession[s.uid] ?? []).isEmpty }

    /// Whether a deadline was recorded as done (its date passing is not enough).
    public func isDone(_ s: SessionRecord) -> Bool { s.kind == .deadline && data.deadlinesDone[s.uid] != nil }

    /// Days after a drill by which its summary (演练总结) is due.
    public static let summaryDays = 7

    /// Turnout of every team at every live session (held or not), in time order.
    public func turnouts() -> [SessionTurnout] {
        liveSessions.filter { $0.kind != .deadline }.flatMap { session -> [SessionTurnout] in
            let marks = Dictionary(
                (marksBySession[session.uid] ?? []).map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
            let entries = data.rosters[session.uid] ?? []
            let guests = marks.values.filter(\.guest).count
            let held = isHeld(session)
            return session.teamIDs.map { teamID in
                let team = teamsByID[teamID]
                let members = entries.filter { $0.teamID == teamID }
                var counted = 0, late = 0, excused = 0, absent = 0
                var rolesPresent: [Role: Int] = [:]
                for e in members {
                    switch marks[e.memberID]?.status {
                    case .present?, .late?:
                        counted += 1
                        if marks[e.memberID]?.status == .late { late += 1 }
                        for r in e.roles { rolesPresent[r, default: 0] += 1 }
                    case .excused?: excused += 1
                    case .absent?: absent += 1
                    case nil: if e.away { excused += 1 } else { absent += 1 }
                    }
                }
                let required = (team?.requiredRoles ?? [:]).filter { $0.value > 0 }.map(\.key).sorted()
                let minimum = team?.turnoutFloor(rule: rulesByID[session.ruleID], rosterSize: members.count) ?? 0
                return SessionTurnout(
                    uid: session.uid, team: teamID, date: session.slot.date, rosterSize: members.count, counted: counted,
                    late: late, excused: excused, absent: absent, guests: guests, minimum: minimum,
                    missingRoles: held ? required.filter { (rolesPresent[$0] ?? 0) == 0 } : [], held: held,
                    finalized: session.finalized)
            }
        }
    }

    /// Progress of every rule for every team it targets.
    public func ruleProgress() -> [RuleProgress] {
        var held: [String: Int] = [:]
        var planned: [String: Int] = [:]
        for s in liveSessions {
            let key = { (team: String) in "\(s.ruleID)|\(team)" }
            let teams = s.teamIDs.isEmpty ? ["station"] : s.teamIDs
            for t in teams {
                planned[key(t), default: 0] += 1
                if isHeld(s) || isDone(s) { held[key(t), default: 0] += 1 }
            }
        }
        var out: [RuleProgress] = []
        for rule in plan.rules {
            let mine = demands.filter { $0.ruleID == rule.id }
            let teams = rule.kind == .deadline ? ["station"] : plan.teams(matching: rule.teams).map(\.id)
            for t in teams {
                let forTeam = mine.filter { $0.teamIDs.contains(t) || (t == "station" && $0.teamIDs.isEmpty) }
                let key = "\(rule.id)|\(t)"
                out.append(
                    RuleProgress(
                        rule: rule.id, team: t, requiredInYear: forTeam.count,
                        requiredByNow: forTeam.filter { $0.target <= asOf }.count, planned: planned[key] ?? 0,
                        held: held[key] ?? 0))
            }
        }
        return out
    }

    /// Attendance rate of every member of today's roster over held sessions up to `asOf`.
    public func memberRates() -> [MemberRate] {
        var rates: [String: MemberRate] = [:]
        for m in roster.members { rates[m.id] = MemberRate(member: m.id, expected: 0, attended: 0, statuses: [:]) }
        for s in liveSessions where s.kind != .deadline && isHeld(s) && s.slot.date <= asOf {
            let marks = Dictionary(
                (marksBySession[s.uid] ?? []).map { ($0.memberID, $0) }, uniquingKeysWith: { a, _ in a })
            var seen = Set<String>()
            for e in data.rosters[s.uid] ?? [] where seen.insert(e.memberID).inserted {
                guard var rate = rates[e.memberID] else { continue }
                let status = marks[e.memberID]?.status ?? (e.away ? .excused : .absent)
                rate.statuses[s.uid] = status.rawValue
                if status != .excused { rate.expected += 1 }
                if status.counts { rate.attended += 1 }
                rates[e.memberID] = rate
            }
        }
        return roster.members.compactMap { rates[$0.id] }
    }

    /// The half-year deadlines still ahead of `asOf` (30 June, 31 December).
    public var deadlines: [CivilDate] {
        [CivilDate(year: plan.year, month: 6, day: 30)!, CivilDate(year: plan.year, month: 12, day: 31)!]
            .filter { $0 >= asOf }
    }

    /// Warnings before each deadline ahead: planned sessions too few will attend (today's roster and
    /// known absences), and rules that cannot reach their count even if every planned session is held.
    public func forecast() -> [(deadline: CivilDate, item: ForecastItem)] {
        var out: [(CivilDate, ForecastItem)] = []
        var previous = asOf
        let progress = ruleProgress()
        var reported = Set<String>()  // a rule already short at an earlier deadline is said once
        for deadline in deadlines {
            for s in liveSessions where s.kind != .deadline && !isHeld(s) && s.slot.date > previous && s.slot.date <= deadline {
                for teamID in s.teamIDs {
                    guard let team = teamsByID[teamID] else { continue }
                    let members = roster.members(of: teamID)
                    let away = members.compactMap { m -> AwayMember? in
                        m.absence(on: s.slot.date).map { AwayMember(member: m.id, until: $0.range.to) }
                    }
                    let expected = members.count - away.count
                    // A roster already below its minimum is a roster finding; here only absences count
                    // (the floor is never above the roster).
                    let floor = team.turnoutFloor(rule: rulesByID[s.ruleID], rosterSize: members.count)
                    if !away.isEmpty, expected < floor {
                        out.append((deadline, .turnout(
                            session: s.uid, team: teamID, date: s.slot.date, expected: expected,
                            minimum: floor, away: away)))
                    }
                }
            }
            for p in progress {
                let required = demands.filter {
                    $0.ruleID == p.rule && ($0.teamIDs.contains(p.team) || (p.team == "station" && $0.teamIDs.isEmpty))
                        && $0.target <= deadline
                }.count
                let possible = liveSessions.filter {
                    $0.ruleID == p.rule && ($0.teamIDs.contains(p.team) || (p.team == "station" && $0.teamIDs.isEmpty))
                        && $0.slot.date <= deadline && (isHeld($0) || $0.slot.date > asOf || $0.kind == .deadline)
                }.count
                if possible < required, reported.insert("\(p.rule)|\(p.team)").inserted {
                    out.append((deadline, .ruleShort(rule: p.rule, team: p.team, deadline: deadline, required: required, possible: possible)))
                }
            }
            previous = deadline
        }
        return out
    }

    /// Everything that needs attention, roster first, then turnout, rules, members and the forecast.
    public func findings() -> [ComplianceFinding] {
        var out = RosterCheck(plan: plan, roster: roster).findings().map(ComplianceFinding.roster)
        for t in turnouts() where t.held {
            if t.belowMinimum { out.append(.turnoutBelowMinimum(t)) }
            for r in t.missingRoles { out.append(.turnoutMissingRole(t, r)) }
        }
        for s in liveSessions where s.kind != .deadline && !isHeld(s) && s.slot.date < asOf {
            out.append(.notRecorded(session: s.uid, date: s.slot.date))
        }
        for p in ruleProgress() where p.held < p.requiredByNow && p.team != "station" {
            out.append(.ruleBehind(p))
        }
        for r in memberRates() where r.expected > 0 && (r.rate ?? 1) < threshold {
            out.append(.memberBelowThreshold(r, threshold: threshold))
        }
        for (d, item) in forecast() { out.append(.forecast(item, deadline: d)) }
        for s in liveSessions where isHeld(s) && s.kind.key == "drill" && data.summaries[s.uid] == nil
            && s.slot.date.adding(days: Self.summaryDays) < asOf
        {
            out.append(.summaryMissing(session: s.uid, date: s.slot.date))
        }
        for s in liveSessions where s.kind == .deadline && !isDone(s) && s.slot.date < asOf {
            out.append(.deadlineNotDone(session: s.uid, date: s.slot.date))
        }
        for a in data.actions.sorted(by: { ($0.due, $0.id) < ($1.due, $1.id) }) where a.isOverdue(on: asOf) {
            out.append(.actionOverdue(a))
        }
        return out
    }
}
