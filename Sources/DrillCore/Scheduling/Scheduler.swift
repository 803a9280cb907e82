/// Builds a year of sessions from plan rules and rosters, with no collisions.
///
/// Greedy and deterministic: demands are placed most-constrained first (fewest allowed days, then
/// target day, then UID); each demand takes the cheapest candidate (distance from the target,
/// preferred weekday and time) that breaks no hard constraint. Hard constraints: window, holidays,
/// blackouts, minimum gap, expected turnout, member collisions, venue capacity and booking,
/// supervisor availability with travel time. A demand with no feasible candidate is reported in
/// `Schedule.unmet` with counts of what blocked it, never dropped.
///
/// ```swift
/// let schedule = try Scheduler(plan: plan, roster: roster, holidays: holidays, recurrence: libical).schedule()
/// ```
public struct Scheduler: Sendable {
    /// The plan.
    public var plan: Plan
    /// The roster.
    public var roster: Roster
    /// Holidays for the plan's year.
    public var holidays: HolidayCalendar
    /// RRULE expansion (libical in production).
    public var recurrence: any RecurrenceExpander
    /// What was published before (pinned, frozen, moved or cancelled by hand); empty for a fresh year.
    public var replan: Replan

    /// Slots of pinned and frozen sessions in the current run: the optimiser sees only these for them.
    var fixedSlots: [String: TimeSlot] = [:]

    let teamsByID: [String: Team]
    let rulesByID: [String: Rule]
    let membersByTeam: [String: [Member]]
    /// Per team, its members' IDs in roster order (what `evaluate` needs of every member), and the
    /// members with any absence at all (the only ones it must look at for the day): `evaluate` runs
    /// for every candidate slot tried, and copying each `Member` there was a tenth of scheduling.
    let memberIDsByTeam: [String: [String]]
    let absenteesByTeam: [String: [Member]]
    /// Teams that list a member twice (only a roster built by hand can): `evaluate` deduplicates them.
    let teamsRepeatingMembers: Set<String>
    let venuesByID: [String: Venue]
    /// Each blackout of the plan with its days this year (`evaluate` asked for them per candidate).
    let blackoutRanges: [(blackout: Blackout, ranges: [DateRange])]
    /// Each village's first venue in plan order (what `venue: own-village` takes).
    let venueByVillage: [String: Venue]

    /// Makes a scheduler.
    public init(
        plan: Plan, roster: Roster, holidays: HolidayCalendar, recurrence: any RecurrenceExpander,
        replan: Replan = Replan()
    ) {
        self.replan = replan
        self.plan = plan
        self.roster = roster
        self.holidays = holidays
        self.recurrence = recurrence
        self.teamsByID = Dictionary(plan.teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.rulesByID = Dictionary(plan.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.venuesByID = Dictionary(plan.venues.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.blackoutRanges = plan.blackouts.map { ($0, $0.period.ranges(in: plan.year)) }
        self.venueByVillage = Dictionary(
            plan.venues.compactMap { v in v.village.map { ($0, v) } }, uniquingKeysWith: { a, _ in a })
        var byTeam: [String: [Member]] = [:]
        for m in roster.members { for t in m.teams { byTeam[t, default: []].append(m) } }
        self.membersByTeam = byTeam
        self.memberIDsByTeam = byTeam.mapValues { $0.map(\.id) }
        self.absenteesByTeam = byTeam.mapValues { $0.filter { !$0.absences.isEmpty } }
        self.teamsRepeatingMembers = Set(memberIDsByTeam.filter { Set($0.value).count != $0.value.count }.keys)
    }

    /// Places every demand: the greedy constructor, then the optimiser (`SearchOptions`).
    /// - Parameters:
    ///   - recordRejections: keep, for each session, the better candidates that were ruled
    ///     out and why (for `drillcal explain`).
    ///   - search: the optimiser's budget and seed; `SearchOptions.greedyOnly` skips it.
    /// - Throws: `SchedulingError` when the plan refers to something that does not exist.
    public func schedule(recordRejections: Bool = false, search: SearchOptions = SearchOptions()) throws(SchedulingError)
        -> Schedule
    {
        let all = try demands().filter { replan.cancelled[$0.uid] == nil }
        var start = State()
        if !replan.isEmpty { prebook(all, &start) }
        var me = self
        me.fixedSlots = start.fixed
        return me.run(all, start, recordRejections: recordRejections, search: search)
    }

    private func run(_ all: [Demand], _ start: State, recordRejections: Bool, search: SearchOptions) -> Schedule {
        var state = greedy(all, from: start)
        var greedyScore: ScoreBreakdown?
        // One candidate table for the bound and the optimiser (it depends on each demand's UID, rule,
        // teams and window, which neither changes; prebook only moves targets).
        let table = staticCandidates(all)
        let bound = lowerBound(all, table)
        if search.moveBudget > 0 {
            greedyScore = score(state)
            optimise(&state, bound: bound.total, options: search, table: table)
        }
        return finish(state, demands: all, bound: bound, greedyScore: greedyScore, recordRejections: recordRejections)
    }

    /// What the scheduler holds while it places and improves: bookings, placed sessions, unmet demands.
    struct State {
        var ledger = BookingLedger()
        var placed: [String: ScheduledSession] = [:]
        var villages: [String: String?] = [:]
        var unmet: [String: UnmetDemand] = [:]
        var demands: [String: Demand] = [:]
        var order: [Demand] = []
        var evaluated = 0
        /// Pinned and frozen sessions: never moved.
        var fixed: [String: TimeSlot] = [:]
        /// Pinned sessions the new inputs conflict with.
        var conflicts: [PinnedConflict] = []
        /// Why a published session's slot no longer works.
        var moveReasons: [String: Constraint] = [:]
        /// Published sessions whose day is outside their rule's window now.
        var outsideWindow = Set<String>()
        /// Each demand's `demandFacts`, made when the optimiser first tries it (`tryPlace`).
        var facts: [String: DemandFacts] = [:]
    }

    /// Places demands most-constrained first, each on its cheapest feasible candidate, with one level of repair.
    func greedy(_ all: [Demand], from start: State = State()) -> State {
        var state = start
        if state.demands.isEmpty { state.demands = Dictionary(uniqueKeysWithValues: all.map { ($0.uid, $0) }) }
        state.order = all.map { state.demands[$0.uid] ?? $0 }.sorted {
            ($0.allowedDayCount, $0.target, $0.uid) < ($1.allowedDayCount, $1.target, $1.uid)
        }
        for demand in state.order where state.placed[demand.uid] == nil {
            let rule = rulesByID[demand.ruleID]!
            let first = attempt(demand, rule, state.ledger, record: false)
            if let (session, village) = first.placed {
                book(&state, session, village)
                continue
            }
            // Repair: move the one session that blocks a good candidate, if it can go elsewhere,
            // or give a supervised session in the way another supervisor.
            if let moved = repair(demand, rule, &state.ledger, state.placed, state.demands, record: false)
                ?? reassignSupervisors(demand, rule, &state)
            {
                for (session, village, _) in moved {
                    state.placed[session.uid] = session
                    state.villages[session.uid] = village
                }
                continue
            }
            let blockers = first.counts.map { BlockerCount(key: $0.key, count: $0.value) }
                .sorted { ($1.count, $0.key) < ($0.count, $1.key) }
            state.unmet[demand.uid] = UnmetDemand(
                demand: demand, blockers: blockers, example: blockers.first.flatMap { first.firstOfKind[$0.key] })
        }
        return state
    }

    func book(_ state: inout State, _ session: ScheduledSession, _ village: String?) {
        state.ledger.book(session, village: village, gaps: gaps(session.ruleID, session.teamIDs))
        state.placed[session.uid] = session
        state.villages[session.uid] = village
    }

    func unbook(_ state: inout State, _ uid: String) {
        guard let s = state.placed.removeValue(forKey: uid) else { return }
        state.villages.removeValue(forKey: uid)
        state.ledger.unbook(s)
    }

    /// The least gap a rule asks for around its sessions, per team: the rule's own, else the
    /// team's, else the plan default.
    func gaps(_ ruleID: String, _ teams: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        let rule = rulesByID[ruleID]
        for t in teams { out[t] = ruleGap(rule, t) }
        return out
    }

    func ruleGap(_ rule: Rule?, _ team: String) -> Int {
        rule?.minGapDays ?? teamsByID[team]?.minGapDays ?? plan.defaults.minGapDays
    }

    /// The gap two sessions of `team` must keep: the larger of their rules' gaps and the team's own,
    /// so that it does not depend on which was placed first.
    func requiredGap(_ team: String, _ a: Int, _ b: Int) -> Int {
        max(a, b, teamsByID[team]?.minGapDays ?? 0)
    }

    /// The final schedule: sessions in time order, unmet demands with capacity diagnoses, score and rejections.
    func finish(
        _ state: State, demands: [Demand], bound: ScoreBreakdown, greedyScore: ScoreBreakdown?, recordRejections: Bool
    ) -> Schedule {
        var sessions = Array(state.placed.values)
        sessions.sort { ($0.slot.absoluteStart, $0.uid) < ($1.slot.absoluteStart, $1.uid) }
        var unmet = Array(state.unmet.values)
        unmet.sort { ($0.demand.target, $0.demand.uid) < ($1.demand.target, $1.demand.uid) }
        var rejections: [String: [Rejection]] = [:]
        if recordRejections {
            var s = state
            for session in sessions {
                guard let demand = s.demands[session.uid], let rule = rulesByID[demand.ruleID] else { continue }
                let village = s.villages[session.uid] ?? nil
                unbook(&s, session.uid)
                var tried: [Rejection] = []
                for c in candidates(demand, rule) {
                    if c == session.slot { break }
                    if case .failure(let k) = evaluate(demand, rule, c, s.ledger) {
                        tried.append(Rejection(slot: c, constraint: k))
                    }
                }
                book(&s, session, village)
                rejections[session.uid] = tried
            }
        }
        var schedule = Schedule(sessions: sessions, unmet: unmet, shortfalls: shortfalls(), rejections: rejections)
        let found = score(state)
        schedule.score = ScoreReport(
            score: found, lowerBound: bound, greedy: greedyScore ?? found, evaluatedMoves: state.evaluated)
        schedule.diagnoses = diagnose(state)
        if !unmet.isEmpty { schedule.score?.minimumUnmet = minimumUnmet(demands) }
        schedule.moves = moves(state)
        schedule.pinnedConflicts = state.conflicts.sorted { ($0.slot.absoluteStart, $0.uid) < ($1.slot.absoluteStart, $1.uid) }
        schedule.cancelledByHand = replan.cancelled.keys.sorted()
        return schedule
    }

    /// The result of trying every candidate of one demand against the current bookings.
    struct Attempt {
        var placed: (ScheduledSession, String?)?
        var tried: [Rejection] = []
        /// Per kind of constraint (`Constraint.kindIndex`): the candidates it ruled out and the first
        /// of them; empty until one is. Counted in arrays: a demand's failed candidates each hashed
        /// the kind's key twice into two dictionaries, and nearly every attempt throws them away.
        private var kindCounts: [Int] = []
        private var kindFirst: [Constraint?] = []

        mutating func ruledOut(_ constraint: Constraint) {
            if kindCounts.isEmpty {
                kindCounts = [Int](repeating: 0, count: Constraint.keys.count)
                kindFirst = [Constraint?](repeating: nil, count: Constraint.keys.count)
            }
            let k = constraint.kindIndex
            kindCounts[k] += 1
            if kindFirst[k] == nil { kindFirst[k] = constraint }
        }

        /// Candidates ruled out, by `Constraint.key`.
        var counts: [String: Int] {
            var out: [String: Int] = [:]
            for (k, count) in kindCounts.enumerated() where count > 0 { out[Constraint.keys[k]] = count }
            return out
        }

        /// The first constraint of each kind that ruled out a candidate, by `Constraint.key`.
        var firstOfKind: [String: Constraint] {
            var out: [String: Constraint] = [:]
            for case let first? in kindFirst { out[first.key] = first }
            return out
        }
    }

    /// Takes the cheapest feasible candidate of `demand` that reaches the turnout floor, else the
    /// feasible one with the highest expected turnout; notes what ruled out the better ones.
    func attempt(_ demand: Demand, _ rule: Rule, _ ledger: BookingLedger, record: Bool) -> Attempt {
        var result = Attempt()
        var fallback: (ScheduledSession, String?, Int)?
        let facts = demandFacts(demand, rule)
        for candidate in candidates(demand, rule) {
            switch evaluate(demand, rule, candidate, ledger, facts: facts) {
            case .success(let placed):
                let missing = placed.0.turnout.reduce(0) { $0 + $1.belowFloor }
                if missing == 0 {
                    result.placed = placed
                    return result
                }
                if fallback == nil || missing < fallback!.2 { fallback = (placed.0, placed.1, missing) }
            case .failure(let constraint):
                result.ruledOut(constraint)
                if record { result.tried.append(Rejection(slot: candidate, constraint: constraint)) }
            }
        }
        if let fallback { result.placed = (fallback.0, fallback.1) }
        return result
    }

    /// One level of repair for a demand with no feasible candidate: for its best candidates
    /// (at most `repairCandidates`), if a single placed session blocks it, move that session to its
    /// own next feasible candidate and take the freed slot. Bounded and deterministic; the ledger
    /// is restored when no move works.
    func repair(
        _ demand: Demand, _ rule: Rule, _ ledger: inout BookingLedger, _ placed: [String: ScheduledSession],
        _ demandsByUID: [String: Demand], record: Bool
    ) -> [(ScheduledSession, String?, [Rejection])]? {
        var triedBlockers = Set<String>()
        for candidate in candidates(demand, rule).prefix(Scheduler.repairCandidates) {
            guard case .failure(let constraint) = evaluate(demand, rule, candidate, ledger),
                let uid = constraint.blockingSession, triedBlockers.insert(uid).inserted,
                replan.published[uid] == nil, let blocker = placed[uid], let blockerDemand = demandsByUID[uid],
                let blockerRule = rulesByID[blockerDemand.ruleID]
            else { continue }
            let blockerVillage = blocker.venueID.flatMap { venuesByID[$0]?.village }
            let blockerGaps = gaps(blocker.ruleID, blocker.teamIDs)
            ledger.unbook(blocker)
            if case .success(let mine) = evaluate(demand, rule, candidate, ledger) {
                // What ruled out the better candidates, seen with the blocker out of the way.
                var tried: [Rejection] = []
                if record {
                    for c in candidates(demand, rule) {
                        if c == candidate { break }
                        if case .failure(let k) = evaluate(demand, rule, c, ledger) {
                            tried.append(Rejection(slot: c, constraint: k))
                        }
                    }
                }
                ledger.book(mine.0, village: mine.1, gaps: gaps(mine.0.ruleID, mine.0.teamIDs))
                let again = attempt(blockerDemand, blockerRule, ledger, record: record)
                if let moved = again.placed {
                    ledger.book(moved.0, village: moved.1, gaps: blockerGaps)
                    return [(mine.0, mine.1, tried), (moved.0, moved.1, again.tried)]
                }
                ledger.unbook(mine.0)
            }
            ledger.book(blocker, village: blockerVillage, gaps: blockerGaps)
        }
        return nil
    }

    /// How many of a failed demand's best candidates the repair step looks at.
    static let repairCandidates = 60

    /// Teams whose roster is below their minimum.
    public func shortfalls() -> [TeamTurnout] {
        plan.teams.compactMap { team in
            let size = membersByTeam[team.id]?.count ?? 0
            guard size < team.minimumMembers else { return nil }
            return TeamTurnout(team: team.id, rosterSize: size, expected: size, minimum: team.minimumMembers, away: [])
        }
    }

    /// Candidate slots of a demand, cheapest first: distance from the target day, then preferred
    /// weekdays, then the order of the rule's times; ties by date and time so the order is total.
    func candidates(_ demand: Demand, _ rule: Rule) -> SlotOrder {
        // Day numbers and start minutes as integers, the array sized once, `isOpen` as one comparison:
        // the greedy pass makes every demand's candidates (a half-year of days × the rule's times).
        let times = rule.times.isEmpty ? [9 * 60] : rule.times.map(\.minutes)
        let target = demand.target.dayNumber
        let earliest = replan.earliestStart ?? .min
        var entries: [(cost: Int, start: Int)] = []
        entries.reserveCapacity(demand.allowedDayCount * times.count)
        for range in demand.allowed {
            for dayNumber in range.from.dayNumber...range.to.dayNumber {
                let distance = abs(target - dayNumber) * 10
                let weekdayCost =
                    rule.weekdays.isEmpty || isPreferred(CivilDate(dayNumber: dayNumber), rule.weekdays) ? 0 : 30
                for (index, minute) in times.enumerated() {
                    let start = dayNumber * 1440 + minute  // TimeSlot.absoluteStart
                    if start < earliest { continue }  // isOpen
                    entries.append((distance + weekdayCost + index * 4, start))
                }
            }
        }
        return SlotOrder(entries, duration: rule.durationMinutes)
    }

    /// Slots in `byCostThenStart`'s order, each made when it is asked for: the greedy pass takes one
    /// of the first few candidates of nearly every demand, so sorting all of them (a half-year of days
    /// times the rule's start times) was wasted work (~2 % of a province build's CPU). Packed keys
    /// (see `byCostThenStart`) sit in a binary min-heap, built in linear time, and are popped in
    /// order; entries a key cannot hold take `byCostThenStart`'s pair sort. A key is cost and start,
    /// so equal keys are equal slots and the order is exactly the sorted one.
    struct SlotOrder: Sequence, IteratorProtocol {
        private var heap: [Int] = []
        private var sorted: [TimeSlot] = []
        private var position = 0
        private let duration: Int

        init(_ entries: [(cost: Int, start: Int)], duration: Int) {
            self.duration = duration
            if let keys = Scheduler.packedKeys(entries) {
                heap = keys
                var i = heap.count / 2
                while i > 0 {
                    i -= 1
                    siftDown(i)
                }
            } else {
                sorted = Scheduler.byCostThenStart(entries, duration: duration).map(\.slot)
            }
        }

        mutating func next() -> TimeSlot? {
            if position < sorted.count {
                position += 1
                return sorted[position - 1]
            }
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
            return Scheduler.slot(start: top & (Scheduler.startLimit - 1), duration: duration)
        }

        private mutating func siftDown(_ start: Int) {
            let n = heap.count
            var i = start
            while true {
                let left = 2 * i + 1
                if left >= n { return }
                var child = left
                if left + 1 < n && heap[left + 1] < heap[left] { child = left + 1 }
                if heap[i] <= heap[child] { return }
                heap.swapAt(i, child)
                i = child
            }
        }
    }

    /// Packed starts (minutes since 1970) must be below this.
    static let startLimit = 1 << 42

    /// Each entry as one integer `cost << 42 | start`, whose order is (cost, start)'s; nil when some
    /// start or cost does not fit (before 1970, after year ~8,300,000, a cost of 2^20 or more).
    static func packedKeys(_ entries: [(cost: Int, start: Int)]) -> [Int]? {
        guard entries.allSatisfy({ (0..<startLimit).contains($0.start) && (0..<(1 << 20)).contains($0.cost) }) else {
            return nil
        }
        return entries.map { $0.cost << 42 | $0.start }
    }

    /// The slot of `duration` minutes starting `start` minutes after 1970-01-01 00:00.
    static func slot(start: Int, duration: Int) -> TimeSlot {
        let day = start >= 0 ? start / 1440 : -((-start + 1439) / 1440)
        let minute = start - day * 1440
        return TimeSlot(date: CivilDate(dayNumber: day), startMinute: minute, endMinute: minute + duration)
    }

    /// Slots of one rule (so of one length) given as (cost, start in minutes since 1970), ordered by
    /// cost then start.
    ///
    /// Sorted as one integer per slot, `cost << 42 | start`: the greedy pass and the bound's
    /// candidate table sort every demand's slots, and a closure sort of (cost, slot) pairs was their
    /// largest single cost (~3 % of a province build's CPU). Plan years 1970–9999 and costs below
    /// 2^20 fit with room to spare; anything else sorts the pairs themselves, the same order.
    static func byCostThenStart(_ entries: [(cost: Int, start: Int)], duration: Int) -> [(cost: Int, slot: TimeSlot)] {
        func slot(_ start: Int) -> TimeSlot { Self.slot(start: start, duration: duration) }
        if var keys = packedKeys(entries) {
            keys.sort()
            return keys.map { ($0 >> 42, slot($0 & (startLimit - 1))) }
        }
        return entries.sorted { $0 < $1 }.map { ($0.cost, slot($0.start)) }
    }

    /// A preferred weekday that is not a swapped working day (a Saturday 调休上班 is no weekend).
    func isPreferred(_ day: CivilDate, _ weekdays: [Weekday]) -> Bool {
        weekdays.contains(day.weekday) && !(day.weekday.isWeekend && holidays.swappedWorkdays.contains(day))
    }
}

extension Scheduler {
    enum Outcome {
        case success((ScheduledSession, String?))
        case failure(Constraint)
    }

    /// What `evaluate` needs of a demand that does not depend on the slot or the bookings: its teams
    /// with their gaps, members, absentees, turnout floors and blackout days, and its venue. Made once
    /// per demand by the greedy pass (`attempt` tries many slots of one demand) and kept in the state
    /// by the optimiser (`tryPlace`); `evaluate` without it makes it for the one slot. Looking these
    /// up per slot (team, member and venue tables keyed by text, each blackout's days worked out
    /// again) was most of `evaluate`'s own time.
    struct DemandFacts {
        struct TeamFacts {
            var team: Team
            /// The least gap the demand's rule asks for this team (`ruleGap`), and the team's own.
            var gap: Int
            var teamGap: Int
            var ids: [String]
            var absentees: [Member]
            var floor: Int
            var hard: Bool
            /// Days of the blackouts that stop this team's sessions of this rule.
            var blackouts: [(id: String, ranges: [DateRange])]
        }
        var teams: [TeamFacts]
        /// One team without repeats (nearly every session): attendees need no set to stay unique.
        var distinct: Bool
        var venue: Venue?
        /// `venue: own-village` with no venue in the team's village.
        var noVenue: Constraint?
    }

    func demandFacts(_ demand: Demand, _ rule: Rule) -> DemandFacts {
        let teams = demand.teamIDs.compactMap { teamsByID[$0] }
        let facts = teams.map { team in
            let ids = memberIDsByTeam[team.id] ?? []
            return DemandFacts.TeamFacts(
                team: team, gap: ruleGap(rule, team.id), teamGap: team.minGapDays ?? 0, ids: ids,
                absentees: absenteesByTeam[team.id] ?? [], floor: turnoutFloor(rule, team, rosterSize: ids.count),
                hard: rule.turnoutHard || team.turnoutHard,
                blackouts: blackoutRanges.filter { !rule.allowBlackouts.contains($0.blackout.id) && $0.blackout.affects(team) }
                    .map { ($0.blackout.id, $0.ranges) })
        }
        var venue: Venue?
        var noVenue: Constraint?
        switch rule.venue {
        case .none: venue = nil
        case .venue(let id)?: venue = venuesByID[id]
        case .ownVillage?:
            venue = teams.first?.village.flatMap { venueByVillage[$0] }
            if venue == nil { noVenue = .noVenue(team: teams.first?.id ?? "") }
        }
        return DemandFacts(
            teams: facts, distinct: teams.count == 1 && !teamsRepeatingMembers.contains(teams[0].id), venue: venue,
            noVenue: noVenue)
    }

    /// Checks every hard constraint for one candidate; on success returns the session and the
    /// venue's village (for supervisor travel).
    func evaluate(
        _ demand: Demand, _ rule: Rule, _ slot: TimeSlot, _ ledger: BookingLedger, avoiding: String? = nil,
        ignoringSupervisors: Bool = false
    ) -> Outcome {
        evaluate(
            demand, rule, slot, ledger, facts: demandFacts(demand, rule), avoiding: avoiding,
            ignoringSupervisors: ignoringSupervisors)
    }

    /// `evaluate` with the demand's `demandFacts` made by the caller (once for many slots).
    func evaluate(
        _ demand: Demand, _ rule: Rule, _ slot: TimeSlot, _ ledger: BookingLedger, facts: DemandFacts,
        avoiding: String? = nil, ignoringSupervisors: Bool = false
    ) -> Outcome {
        let day = slot.date

        // Calendar: holidays, working days, blackouts.
        if rule.kind == .deadline {
            if !holidays.isWorkingDay(day) { return .failure(.notWorkingDay) }
        } else if !rule.allowHolidays, let holiday = holidays.holiday(on: day) {
            return .failure(.holiday(name: holiday.name))
        }
        for team in facts.teams {
            for (id, ranges) in team.blackouts where ranges.contains(where: { $0.contains(day) }) {
                return .failure(.blackout(id: id, team: team.team.id))
            }
        }

        // Team: minimum gap, then expected turnout.
        for team in facts.teams {
            for other in ledger.sessions(of: team.team.id) {
                let apart = abs(other.day.days(to: day))
                // `requiredGap`: the larger of the two rules' gaps and the team's own. The demand's
                // own booking (when the optimiser moves it) is skipped, its UID compared only for a
                // session too close (UIDs share long prefixes; comparing each was 0.9 % of a build).
                let gap = max(team.gap, other.gap, team.teamGap)
                if apart < gap && other.uid != demand.uid {
                    return .failure(.gap(team: team.team.id, session: other.uid, days: apart, needed: gap))
                }
            }
        }
        var turnout: [TeamTurnout] = []
        turnout.reserveCapacity(facts.teams.count)
        var attendees: [String] = []
        var seen = Set<String>()
        for team in facts.teams {
            let ids = team.ids
            var away: [String] = []
            for m in team.absentees where m.isAway(on: day) { away.append(m.id) }
            let expected = ids.count - away.count
            if expected < team.floor && team.hard {
                return .failure(.turnout(team: team.team.id, available: expected, needed: team.floor))
            }
            turnout.append(
                TeamTurnout(
                    team: team.team.id, rosterSize: ids.count, expected: expected, minimum: team.team.minimumMembers,
                    away: away, floor: team.floor))
            if facts.distinct {
                attendees = away.isEmpty ? ids : ids.filter { !away.contains($0) }
            } else {
                for id in ids where !away.contains(id) && seen.insert(id).inserted { attendees.append(id) }
            }
        }

        // People: nobody in two sessions at once (when no session that day overlaps the slot at
        // all, nobody can be busy, and no member's bookings need looking up).
        if ledger.anyOverlap(slot) {
            for member in attendees {
                if let other = ledger.memberConflict(member, slot) {
                    return .failure(.memberBusy(member: member, session: other))
                }
            }
        }

        // Place: the venue fits everyone and is free.
        if let noVenue = facts.noVenue { return .failure(noVenue) }
        let venue = facts.venue
        let needsSupervisor = rule.supervisor != .none
        if let venue {
            let headcount = attendees.count + (needsSupervisor ? 1 : 0)
            if venue.capacity < headcount {
                return .failure(.venueTooSmall(venue: venue.id, capacity: venue.capacity, needed: headcount))
            }
            if let other = ledger.venueConflict(venue.id, slot) {
                return .failure(.venueBusy(venue: venue.id, session: other))
            }
        }

        // Supervisor: free, within limits, able to travel from the previous session.
        var supervisorID: String?
        let candidates: [Supervisor]
        switch rule.supervisor {
        case .none: candidates = []
        case .specific(let id): candidates = plan.supervisors.filter { $0.id == id }
        case .any:
            let byLoad = plan.supervisors.sorted { (ledger.load($0.id), $0.id) < (ledger.load($1.id), $1.id) }
            // A published session staying on its slot keeps its supervisor when they are free.
            let kept = keptSupervisor(demand.uid, slot)
            candidates = byLoad.filter { $0.id == kept } + byLoad.filter { $0.id != kept }
        }
        if needsSupervisor && !ignoringSupervisors {
            var conflicts: [SupervisorConflict] = []
            for s in candidates where s.id != avoiding {
                if let reason = supervisorProblem(s, slot, village: venue?.village, ledger) {
                    conflicts.append(SupervisorConflict(supervisor: s.id, reason: reason))
                } else {
                    supervisorID = s.id
                    break
                }
            }
            if supervisorID == nil { return .failure(.supervisorsUnavailable(conflicts)) }
        }

        let session = ScheduledSession(
            uid: demand.uid, ruleID: rule.id, teamIDs: demand.teamIDs, ordinal: demand.ordinal, kind: rule.kind,
            slot: slot, venueID: venue?.id, supervisorID: supervisorID, memberIDs: attendees, turnout: turnout,
            target: demand.target)
        return .success((session, venue?.village))
    }

    /// The expected turnout a session of `team` should reach: the rule's `min_turnout`, else the
    /// team's, else the team minimum; never above the roster.
    func turnoutFloor(_ rule: Rule, _ team: Team, rosterSize: Int) -> Int {
        if let f = rule.minTurnout ?? team.minTurnout { return f.members(of: rosterSize) }
        return min(team.minimumMembers, rosterSize)
    }

    func supervisorProblem(_ s: Supervisor, _ slot: TimeSlot, village: String?, _ ledger: BookingLedger)
        -> SupervisorConflict.Reason?
    {
        if s.absences.contains(where: { $0.range.contains(slot.date) }) { return .away }
        let today = ledger.supervisorBookings(s.id, on: slot.date)
        if today.count >= s.maxPerDay { return .dayLimit(s.maxPerDay) }
        if ledger.supervisorWeekCount(s.id, slot.date) >= s.maxPerWeek { return .weekLimit(s.maxPerWeek) }
        for booking in today {
            let travel = plan.travelMinutes(from: booking.village, to: village)
            if slot.collides(with: booking.slot, gap: travel) {
                return .busy(session: booking.uid, travelMinutes: travel)
            }
        }
        return nil
    }
}
