/// What was published before, given to the scheduler as a value so that a rebuild disturbs the
/// published year as little as it can (issue 8): the past is fixed, published future sessions keep
/// their slots unless they became infeasible, and what a person changed by hand stays.
///
/// The caller (the CLI or the server) works it out from the store; DrillCore reads no clock and no
/// store. An empty `Replan` (the first build of a year) schedules the whole year afresh.
///
/// ```swift
/// var replan = Replan()
/// replan.published[uid] = .init(slot: old, venueID: "shangcun-hall", supervisorID: "liu", pinned: [.attendance])
/// let schedule = try Scheduler(plan: plan, roster: roster, holidays: holidays, recurrence: libical,
///                              replan: replan).schedule()
/// ```
public struct Replan: Hashable, Sendable, Codable {
    /// Why a published session may not move.
    public enum PinReason: String, Hashable, Sendable, Codable, CaseIterable {
        /// It started before the build time.
        case started
        /// Attendance was recorded for it.
        case attendance
        /// Its record is locked.
        case finalized
        /// A drill summary was stored for it.
        case summary
        /// Somebody moved or postponed it by hand (`drillcal move` / `postpone`).
        case movedByHand = "moved_by_hand"
    }

    /// One session as last published (or as placed by hand).
    public struct Published: Hashable, Sendable, Codable {
        /// Its slot.
        public var slot: TimeSlot
        /// Its venue.
        public var venueID: String?
        /// Its supervisor, kept when the slot is kept.
        public var supervisorID: String?
        /// Why it may not move (empty: it may, at a cost).
        public var pinned: [PinReason]

        /// Makes an entry.
        public init(slot: TimeSlot, venueID: String?, supervisorID: String?, pinned: [PinReason] = []) {
            self.slot = slot
            self.venueID = venueID
            self.supervisorID = supervisorID
            self.pinned = pinned
        }

        /// Whether the session is pinned.
        public var isPinned: Bool { !pinned.isEmpty }
    }

    /// A change made by hand (`drillcal move`, `postpone`, `cancel`) that the feeds do not carry
    /// yet: where the session was published and what a person made of it. The build that
    /// publishes it lists it among the moved sessions; later builds no longer do.
    public struct HandChange: Hashable, Sendable, Codable {
        /// `move`, `postpone` or `cancel`.
        public var action: String
        /// The slot last published.
        public var from: TimeSlot
        /// The slot given by hand; nil for a cancellation.
        public var to: TimeSlot?
        /// Why, as given.
        public var reason: String
        /// Who.
        public var by: String
        /// Whether it was forced past a hard rule.
        public var forced: Bool

        /// Makes a change.
        public init(action: String, from: TimeSlot, to: TimeSlot?, reason: String, by: String, forced: Bool) {
            self.action = action
            self.from = from
            self.to = to
            self.reason = reason
            self.by = by
            self.forced = forced
        }
    }

    /// Published sessions by UID.
    public var published: [String: Published] = [:]
    /// Changes by hand not published yet, by UID.
    public var changedByHand: [String: HandChange] = [:]
    /// Sessions cancelled by hand, by UID, with the reason: not scheduled, so the feeds carry them as cancelled.
    public var cancelled: [String: String] = [:]
    /// Published sessions that start before this day move only when they became infeasible (`freeze_days`).
    public var freezeUntil: CivilDate?
    /// New and moved sessions start no earlier than this (the build time, in minutes since the
    /// epoch day count × 1440, like `TimeSlot.absoluteStart`); nil places anywhere in the year.
    public var earliestStart: Int?

    /// An empty replan: the whole year is scheduled afresh.
    public init() {}

    /// Whether there is nothing to respect.
    public var isEmpty: Bool { published.isEmpty && cancelled.isEmpty }

    /// Whether the published session `uid` lies inside the freeze horizon.
    func isFrozen(_ uid: String) -> Bool {
        guard let p = published[uid], let until = freezeUntil else { return false }
        return p.slot.date < until
    }
}

/// A published session that moved in a rebuild: where from, where to and why.
public struct SessionMove: Hashable, Sendable, Codable {
    /// The session.
    public var uid: String
    /// Its published slot.
    public var from: TimeSlot
    /// Its new slot; nil when it could not be placed again.
    public var to: TimeSlot?
    /// Why the published slot no longer works; nil when it is outside the rule's window now
    /// (`outsideWindow`) or moved because that lowered the score by more than `move_published`.
    public var reason: Constraint?
    /// Whether the published day is outside the rule's window now (the plan changed).
    public var outsideWindow = false
    /// Whether it was inside the freeze horizon (told loudly).
    public var frozen: Bool

    /// Makes a move.
    public init(uid: String, from: TimeSlot, to: TimeSlot?, reason: Constraint?, frozen: Bool) {
        self.uid = uid
        self.from = from
        self.to = to
        self.reason = reason
        self.frozen = frozen
    }
}

/// A pinned session that new inputs conflict with: it stays where it is, and the conflict is a finding.
public struct PinnedConflict: Hashable, Sendable, Codable {
    /// The session.
    public var uid: String
    /// Where it stays.
    public var slot: TimeSlot
    /// Why it is pinned.
    public var pinned: [Replan.PinReason]
    /// The hard rule the new inputs break there; nil when the plan no longer asks for the session.
    public var constraint: Constraint?

    /// Makes a conflict.
    public init(uid: String, slot: TimeSlot, pinned: [Replan.PinReason], constraint: Constraint?) {
        self.uid = uid
        self.slot = slot
        self.pinned = pinned
        self.constraint = constraint
    }
}

extension Scheduler {
    /// Points for placing published session `uid` anywhere but its published slot (`move_published`).
    func moveCost(_ uid: String, _ slot: TimeSlot) -> Int {
        moveCost(replan.published[uid], slot)
    }

    /// `moveCost` for a session whose published record (if any) was looked up already.
    func moveCost(_ published: Replan.Published?, _ slot: TimeSlot) -> Int {
        guard let p = published, p.slot != slot else { return 0 }
        return plan.weights.movePublished
    }

    /// Whether a slot may take a new or moved session (not before the build time).
    func isOpen(_ slot: TimeSlot) -> Bool {
        guard let earliest = replan.earliestStart else { return true }
        return slot.absoluteStart >= earliest
    }

    /// Books the published sessions first: each pinned one where it is (a conflict with new inputs is
    /// kept and reported), each other one on its published slot when that is still feasible. Pinned
    /// and frozen sessions become fixed (the optimiser sees only their slot); the others may move at
    /// `move_published` points. Published sessions whose slot became infeasible are left for the
    /// greedy constructor, aiming at their old day, with the reason noted.
    func prebook(_ all: [Demand], _ state: inout State) {
        state.demands = Dictionary(uniqueKeysWithValues: all.map { ($0.uid, $0) })
        // Pinned first, then by start, then UID; the keys made once (the comparator looked both
        // UIDs up each time: 1.4 % of a province rebuild's CPU).
        let order = replan.published.map { uid, p in (p.isPinned ? 0 : 1, p.slot.absoluteStart, uid) }
            .sorted { $0 < $1 }.map(\.2)
        for uid in order {
            let p = replan.published[uid]!
            guard let demand = state.demands[uid], let rule = rulesByID[demand.ruleID] else {
                // The plan no longer asks for it: a pinned one stays (as a finding), others go.
                if p.isPinned, let session = orphan(uid, p) {
                    book(&state, session, p.venueID.flatMap { venuesByID[$0]?.village })
                    state.fixed[uid] = p.slot
                    state.conflicts.append(
                        PinnedConflict(uid: uid, slot: p.slot, pinned: p.pinned, constraint: nil))
                }
                continue
            }
            // A slot outside the rule's window (the plan's season or period changed) no longer works,
            // nor one at a start time the rule no longer lists (the plan's time changed).
            let inWindow =
                demand.allowed.contains { $0.contains(p.slot.date) }
                && (rule.times.isEmpty || rule.times.contains { $0.minutes == p.slot.startMinute % 1440 })
            if !inWindow && !p.isPinned {
                state.outsideWindow.insert(uid)
                state.demands[uid]!.target = p.slot.date
                continue
            }
            switch evaluate(demand, rule, p.slot, state.ledger) {
            case .success(let placed) where inWindow:
                book(&state, placed.0, placed.1)
                if p.isPinned || replan.isFrozen(uid) { state.fixed[uid] = p.slot }
            case .success:
                // Pinned outside its window: it stays, told as no longer asked for there.
                let session = forced(demand, rule, p)
                book(&state, session, p.venueID.flatMap { venuesByID[$0]?.village })
                state.fixed[uid] = p.slot
                state.conflicts.append(PinnedConflict(uid: uid, slot: p.slot, pinned: p.pinned, constraint: nil))
            case .failure(let constraint):
                if p.isPinned {
                    let session = forced(demand, rule, p)
                    book(&state, session, p.venueID.flatMap { venuesByID[$0]?.village })
                    state.fixed[uid] = p.slot
                    state.conflicts.append(
                        PinnedConflict(uid: uid, slot: p.slot, pinned: p.pinned, constraint: constraint))
                } else {
                    state.moveReasons[uid] = constraint
                    state.demands[uid]!.target = p.slot.date
                }
            }
        }
    }

    /// A pinned session placed where it is whatever the hard rules say now: everyone on its teams
    /// not away that day, its published venue and supervisor.
    func forced(_ demand: Demand, _ rule: Rule, _ p: Replan.Published) -> ScheduledSession {
        let (members, turnout) = expectedTurnout(demand.teamIDs, rule, p.slot.date)
        return ScheduledSession(
            uid: demand.uid, ruleID: rule.id, teamIDs: demand.teamIDs, ordinal: demand.ordinal,
            kind: rule.kind,
            slot: p.slot, venueID: p.venueID, supervisorID: p.supervisorID, memberIDs: members,
            turnout: turnout,
            target: demand.target)
    }

    /// A pinned session whose demand the plan no longer makes (a rule's count or teams changed): kept
    /// when its rule still exists, read back from its UID (`<town>-<year>-<rule>-<team>-<nn>@drillcal`).
    func orphan(_ uid: String, _ p: Replan.Published) -> ScheduledSession? {
        let prefix = "\(plan.town.id)-\(plan.year)-"
        guard uid.hasPrefix(prefix), uid.hasSuffix("@drillcal") else { return nil }
        let body = uid.dropFirst(prefix.count).dropLast("@drillcal".count)
        guard let dash = body.lastIndex(of: "-"), let ordinal = Int(body[body.index(after: dash)...]) else {
            return nil
        }
        let head = String(body[..<dash])
        // The longest rule id followed by "-<team key>".
        guard
            let rule = plan.rules.filter({ head.hasPrefix($0.id + "-") }).max(by: {
                $0.id.count < $1.id.count
            })
        else { return nil }
        let key = String(head.dropFirst(rule.id.count + 1))
        let teams: [String] = teamsByID[key] != nil ? [key] : []
        let (members, turnout) = expectedTurnout(teams, rule, p.slot.date)
        return ScheduledSession(
            uid: uid, ruleID: rule.id, teamIDs: teams, ordinal: ordinal, kind: rule.kind, slot: p.slot,
            venueID: p.venueID, supervisorID: p.supervisorID, memberIDs: members, turnout: turnout,
            target: p.slot.date)
    }

    func expectedTurnout(_ teamIDs: [String], _ rule: Rule, _ day: CivilDate) -> ([String], [TeamTurnout]) {
        var members: [String] = []
        var seen = Set<String>()
        var turnout: [TeamTurnout] = []
        for team in teamIDs.compactMap({ teamsByID[$0] }) {
            let all = membersByTeam[team.id] ?? []
            let away = all.filter { $0.isAway(on: day) }.map(\.id)
            turnout.append(
                TeamTurnout(
                    team: team.id, rosterSize: all.count, expected: all.count - away.count,
                    minimum: team.minimumMembers, away: away,
                    floor: turnoutFloor(rule, team, rosterSize: all.count)))
            for m in all where !away.contains(m.id) && seen.insert(m.id).inserted { members.append(m.id) }
        }
        return (members, turnout)
    }

    /// The published sessions that moved, in order of their published start.
    func moves(_ state: State) -> [SessionMove] {
        var out: [SessionMove] = []
        for (uid, p) in replan.published where !p.isPinned && replan.cancelled[uid] == nil {
            guard state.demands[uid] != nil else { continue }
            let now = state.placed[uid]?.slot
            if now == p.slot { continue }
            var move = SessionMove(
                uid: uid, from: p.slot, to: now, reason: state.moveReasons[uid], frozen: replan.isFrozen(uid))
            move.outsideWindow = state.outsideWindow.contains(uid)
            out.append(move)
        }
        return out.sorted { ($0.from.absoluteStart, $0.uid) < ($1.from.absoluteStart, $1.uid) }
    }
}

extension Scheduler {
    /// The supervisor a published session keeps when it stays on its published slot.
    func keptSupervisor(_ uid: String, _ slot: TimeSlot) -> String? {
        guard let p = replan.published[uid], p.slot == slot else { return nil }
        return p.supervisorID
    }
}
