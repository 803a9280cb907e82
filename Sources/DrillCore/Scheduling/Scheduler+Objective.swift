/// The objective of a schedule, term by term, in weighted points (lower is better; calendars/README.md).
public struct ScoreBreakdown: Hashable, Sendable, Codable {
    /// `off_preferred_weekday` × sessions not on a preferred weekday.
    public var offPreferredWeekday = 0
    /// `spacing_per_day` × Σ over teams Σ over consecutive sessions |gap − ideal gap|.
    public var spacing = 0
    /// `off_preferred_time` × sessions not at their rule's first time.
    public var offPreferredTime = 0
    /// `turnout_below_floor` × members missing below the turnout floors.
    public var turnoutBelowFloor = 0
    /// `supervisor_load` × (busiest − least busy supervisor's sessions).
    public var supervisorLoad = 0
    /// `unmet_demand` × demands left unplaced.
    public var unmetDemand = 0
    /// `move_published` × published sessions not on their published slot.
    public var movePublished = 0

    /// Makes an empty breakdown.
    public init() {}

    /// The score: the sum of the terms.
    public var total: Int {
        offPreferredWeekday + spacing + offPreferredTime + turnoutBelowFloor + supervisorLoad + unmetDemand
            + movePublished
    }

    /// The terms with their plan.yaml names, in a fixed order.
    public var terms: [(name: String, points: Int)] {
        [
            ("off_preferred_weekday", offPreferredWeekday), ("spacing", spacing),
            ("off_preferred_time", offPreferredTime), ("turnout_below_floor", turnoutBelowFloor),
            ("supervisor_load", supervisorLoad), ("unmet_demand", unmetDemand), ("move_published", movePublished),
        ]
    }
}

/// The schedule's score with the greedy start, a proven lower bound and the optimiser's work.
public struct ScoreReport: Hashable, Sendable, Codable {
    /// The final schedule's score.
    public var score: ScoreBreakdown
    /// A lower bound no schedule of these demands can beat (per term; see `Scheduler.lowerBound`).
    public var lowerBound: ScoreBreakdown
    /// The greedy constructor's score, before the optimiser.
    public var greedy: ScoreBreakdown
    /// Candidate placements the optimiser evaluated.
    public var evaluatedMoves: Int
    /// Wall-clock seconds, filled in by the caller (DrillCore reads no clock).
    public var seconds: Double?
    /// Demands no schedule can place (`Scheduler.minimumUnmet`): when it equals the unmet count,
    /// leaving those demands out is proven unavoidable.
    public var minimumUnmet = 0

    /// Makes a report.
    public init(score: ScoreBreakdown, lowerBound: ScoreBreakdown, greedy: ScoreBreakdown, evaluatedMoves: Int) {
        self.score = score
        self.lowerBound = lowerBound
        self.greedy = greedy
        self.evaluatedMoves = evaluatedMoves
    }

    /// (score − bound) / score in percent, one decimal; 0 when the score is 0.
    public var gapPercent: Double {
        let s = score.total
        guard s > 0 else { return 0 }
        return (Double(max(0, s - lowerBound.total)) * 1000 / Double(s)).rounded() / 10
    }
}

extension Scheduler {
    /// The year's length in days.
    var yearDays: Int { plan.yearRange.dayCount }

    /// Each team's ideal gap: its `ideal_gap_days`, else the year divided by its session count.
    func idealGaps(_ demands: some Sequence<Demand>) -> [String: Int] {
        var counts: [String: Int] = [:]
        for d in demands { for t in d.teamIDs { counts[t, default: 0] += 1 } }
        var out: [String: Int] = [:]
        for (t, n) in counts { out[t] = teamsByID[t]?.idealGapDays ?? max(1, yearDays / n) }
        return out
    }

    /// Weekday, time and turnout points of one session on `slot` with `turnout`.
    func unaryCost(_ rule: Rule, _ slot: TimeSlot, _ turnout: [TeamTurnout]) -> ScoreBreakdown {
        var b = ScoreBreakdown()
        let w = plan.weights
        if !rule.weekdays.isEmpty && !isPreferred(slot.date, rule.weekdays) { b.offPreferredWeekday = w.offPreferredWeekday }
        if let first = rule.times.first, first.minutes != slot.startMinute { b.offPreferredTime = w.offPreferredTime }
        b.turnoutBelowFloor = w.turnoutBelowFloor * turnout.reduce(0) { $0 + $1.belowFloor }
        return b
    }

    func unaryTotal(_ s: ScheduledSession) -> Int {
        guard let rule = rulesByID[s.ruleID] else { return 0 }
        return unaryCost(rule, s.slot, s.turnout).total + moveCost(s.uid, s.slot)
    }

    /// Spacing points of one team's session days (sorted).
    func spacingCost(_ days: [Int], ideal: Int) -> Int {
        guard days.count > 1 else { return 0 }
        var sum = 0
        for i in 1..<days.count { sum += abs(days[i] - days[i - 1] - ideal) }
        return sum * plan.weights.spacingPerDay
    }

    /// Whether the load term applies: some rule takes any free supervisor and there is a choice.
    var balancesSupervisors: Bool {
        plan.supervisors.count > 1 && plan.rules.contains { $0.supervisor == .any }
    }

    func supervisorTerm(_ ledger: BookingLedger) -> Int {
        guard balancesSupervisors else { return 0 }
        let loads = plan.supervisors.map { ledger.load($0.id) }
        return (loads.max()! - loads.min()!) * plan.weights.supervisorLoad
    }

    func teamDays(_ ledger: BookingLedger, _ team: String) -> [Int] {
        ledger.sessions(of: team).map(\.day.dayNumber).sorted()
    }

    /// The full score of a state.
    func score(_ state: State) -> ScoreBreakdown {
        var b = ScoreBreakdown()
        for s in state.placed.values {
            guard let rule = rulesByID[s.ruleID] else { continue }
            let u = unaryCost(rule, s.slot, s.turnout)
            b.offPreferredWeekday += u.offPreferredWeekday
            b.offPreferredTime += u.offPreferredTime
            b.turnoutBelowFloor += u.turnoutBelowFloor
            b.movePublished += moveCost(s.uid, s.slot)
        }
        let ideal = idealGaps(state.demands.values)
        for (team, gap) in ideal { b.spacing += spacingCost(teamDays(state.ledger, team), ideal: gap) }
        b.supervisorLoad = supervisorTerm(state.ledger)
        b.unmetDemand = state.unmet.count * plan.weights.unmetDemand
        return b
    }

    /// The score of a finished schedule, recomputed from its sessions.
    public func score(of schedule: Schedule) throws(SchedulingError) -> ScoreBreakdown {
        var state = State()
        state.demands = Dictionary(uniqueKeysWithValues: try demands().map { ($0.uid, $0) })
        for s in schedule.sessions {
            book(&state, s, s.venueID.flatMap { venuesByID[$0]?.village })
        }
        for u in schedule.unmet { state.unmet[u.demand.uid] = u }
        return score(state)
    }

    // MARK: static candidates

    /// A candidate slot that passes every check that does not depend on other sessions (calendar,
    /// blackouts, hard turnout), with its weekday, time and turnout points.
    struct Candidate {
        var slot: TimeSlot
        var unary: Int
    }

    /// Each demand's static candidates, cheapest first (then date and time).
    func staticCandidates(_ demands: [Demand]) -> [String: [Candidate]] {
        // What does not depend on the day is worked out once per demand and team, not once per day
        // (a town has ~300 demands over weeks of days each: this table was a tenth of a build): the
        // demand's `demandFacts`, as `evaluate` reads them (blackout days, absentees, floors).
        let belowFloorWeight = plan.weights.turnoutBelowFloor
        // A list depends on the demand's rule, teams and allowed days, and on its published slot (the
        // move points); not on its target. The demands of `every: N per period` share all three (a
        // village's twelve trainings a half-year: one list of ~360 slots, not twelve), so an
        // unpublished demand takes the list made for an earlier one with the same key.
        struct Shared: Hashable {
            var rule: String
            var teams: [String]
            var allowed: [DateRange]
        }
        var shared: [Shared: [Candidate]] = [:]
        var out: [String: [Candidate]] = [:]
        for demand in demands {
            guard let rule = rulesByID[demand.ruleID] else { continue }
            if let slot = fixedSlots[demand.uid] {
                // Pinned or frozen: its own slot is its only candidate, whatever the calendar says now.
                let turnout = expectedTurnout(demand.teamIDs, rule, slot.date).1
                out[demand.uid] = [Candidate(slot: slot, unary: unaryCost(rule, slot, turnout).total)]
                continue
            }
            // `moveCost` looked up once per demand, not once per slot (hashing the UID each time).
            let published = replan.published[demand.uid]
            let key = published == nil ? Shared(rule: rule.id, teams: demand.teamIDs, allowed: demand.allowed) : nil
            if let key, let list = shared[key] {
                out[demand.uid] = list
                continue
            }
            let teams = demandFacts(demand, rule).teams
            let times = rule.times.isEmpty ? [LocalTime(hour: 9, minute: 0)!] : rule.times
            var list: [(cost: Int, start: Int)] = []
            for range in demand.allowed {
                day: for day in range.days {
                    if rule.kind == .deadline {
                        if !holidays.isWorkingDay(day) { continue }
                    } else if !rule.allowHolidays, holidays.holiday(on: day) != nil {
                        continue
                    }
                    var belowFloor = 0
                    for team in teams {
                        if team.blackouts.contains(where: { $0.ranges.contains { $0.contains(day) } }) { continue day }
                        var expected = team.ids.count
                        for m in team.absentees where m.isAway(on: day) { expected -= 1 }
                        if expected < team.floor && team.hard { continue day }
                        belowFloor += max(0, team.floor - expected)
                    }
                    for time in times {
                        let slot = TimeSlot(
                            date: day, startMinute: time.minutes, endMinute: time.minutes + rule.durationMinutes)
                        if !isOpen(slot) { continue }
                        // unaryCost's turnout term is the weight times the teams' shortfalls below their floors.
                        list.append(
                            (unaryCost(rule, slot, []).total + belowFloorWeight * belowFloor
                                + moveCost(published, slot), slot.absoluteStart))
                    }
                }
            }
            let made = Self.byCostThenStart(list, duration: rule.durationMinutes).map {
                Candidate(slot: $0.slot, unary: $0.cost)
            }
            out[demand.uid] = made
            if let key { shared[key] = made }
        }
        return out
    }

    // MARK: lower bound

    /// A proven lower bound on the score of any schedule of `demands`, complete or not: per team, the
    /// exact least points of its own sessions, spacing and unmet demand with everything between teams
    /// relaxed (`teamBound`, Scheduler+Bound.swift), summed over teams. The breakdown gives each
    /// session's cheapest weekday, time and turnout points, the demands that have no allowed slot at
    /// all as unmet, and the rest of the per-team minimum (spacing, and day costs that spacing forces)
    /// as spacing. A team whose overlapping windows hold too many demands for the exact programme
    /// adds its separate minima instead (each session's cheapest slot plus the least spacing of a
    /// complete placement; that part bounds complete schedules).
    public func lowerBound(_ demands: [Demand]) -> ScoreBreakdown {
        let table = staticCandidates(demands)
        return lowerBound(demands, table)
    }

    func lowerBound(_ demands: [Demand], _ table: [String: [Candidate]]) -> ScoreBreakdown {
        var b = ScoreBreakdown()
        let ideal = idealGaps(demands)
        var owner: [String: String] = [:]
        for d in demands {
            if let t = d.teamIDs.filter({ ideal[$0] != nil }).min() { owner[d.uid] = t }
            guard let best = table[d.uid]?.first, let rule = rulesByID[d.ruleID] else {
                b.unmetDemand += plan.weights.unmetDemand
                continue
            }
            // Split the cheapest candidate's points into terms (the unary terms are independent per session).
            let u = unaryCost(rule, best.slot, [])
            let moved = moveCost(d.uid, best.slot)
            let turnout = best.unary - u.total - moved
            b.movePublished += moved
            b.offPreferredWeekday += u.offPreferredWeekday
            b.offPreferredTime += u.offPreferredTime
            b.turnoutBelowFloor += turnout
        }
        var total = 0
        // Demands without a team (deadlines): their cheapest slot, or unmet.
        for d in demands where owner[d.uid] == nil {
            total += table[d.uid]?.first.map { min($0.unary, plan.weights.unmetDemand) } ?? plan.weights.unmetDemand
        }
        for team in ideal.keys.sorted() {
            let mine = demands.filter { $0.teamIDs.contains(team) }
            let owned = Set(mine.filter { owner[$0.uid] == team }.map(\.uid))
            if let exact = teamBound(team, mine, table, ideal: ideal[team]!, owned: owned) {
                total += exact
            } else {
                var separate = spacingBound(team, mine, table, ideal: ideal[team]!)
                for uid in owned { separate += table[uid]?.first.map { min($0.unary, plan.weights.unmetDemand) } ?? plan.weights.unmetDemand }
                total += separate
            }
        }
        if total < b.total {
            // Only with an unmet_demand weight below some session's points: report the total alone.
            b = ScoreBreakdown()
            b.spacing = total
        } else {
            b.spacing = total - b.total
        }
        return b
    }

    /// The least spacing points of one team (see `lowerBound`).
    func spacingBound(_ team: String, _ demands: [Demand], _ table: [String: [Candidate]], ideal: Int) -> Int {
        let n = demands.count
        guard n > 1 else { return 0 }
        var firsts: [Int] = []
        var lasts: [Int] = []
        var lists: [[Candidate]] = []
        var listDays = ListDays()
        for d in demands {
            let list = table[d.uid] ?? []
            guard let (lo, hi) = listDays.span(list) else { return 0 }
            firsts.append(lo)
            lasts.append(hi)
            lists.append(list)
        }
        // Every candidate day of the team, sorted: marked in an array over the days spanned (a set
        // of day numbers hashed every candidate of every demand), each distinct list once.
        let origin = firsts.min()!
        var marked = [Bool](repeating: false, count: lasts.max()! - origin + 1)
        var markedLists = Set<UnsafeRawPointer>()
        for list in lists where markedLists.insert(ListDays.key(list)).inserted {
            for c in list { marked[c.slot.date.dayNumber - origin] = true }
        }
        let days = marked.indices.filter { marked[$0] }.map { $0 + origin }
        firsts.sort()
        lasts.sort()
        let leastRuleGap = demands.map { ruleGap(rulesByID[$0.ruleID], team) }.min() ?? 0
        let gap = requiredGap(team, leastRuleGap, leastRuleGap)
        let big = Int.max / 4
        // previous: the least spacing with the first k sessions placed, by the k-th one's day.
        // The team's days from `first` to `last` (days is sorted: two binary searches, not a filter).
        func start(_ day: Int) -> Int {  // the index of the first day ≥ `day`
            var (lo, hi) = (0, days.count)
            while lo < hi {
                let mid = (lo + hi) / 2
                if days[mid] < day { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        func window(_ first: Int, _ last: Int) -> [Int] { Array(days[start(first)..<max(start(first), start(last + 1))]) }
        var previousDays = window(firsts[0], lasts[0])
        var previous = [Int](repeating: 0, count: previousDays.count)
        let zeros = [Int](repeating: 0, count: days.count)
        for k in 1..<n {
            let window = window(firsts[k], lasts[k])
            let reached = Self.transfer(
                previousDays, previous, gap: gap, ideal: ideal, weight: 1, big: big, into: window, costs: zeros)
            previousDays = []
            previous = []
            for (day, cost) in zip(window, reached) where cost < big {
                previousDays.append(day)
                previous.append(cost)
            }
            if previous.isEmpty { return 0 }
        }
        return (previous.min() ?? 0) * plan.weights.spacingPerDay
    }
}
