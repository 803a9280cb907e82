/// Why some demand cannot be placed, in capacity terms: how many sessions must fall in a stretch
/// of time and how many that stretch can hold.
public struct CapacityDiagnosis: Hashable, Sendable, Codable {
    /// What runs out.
    public enum Resource: Hashable, Sendable, Codable {
        /// Supervisor-sessions in a run of ISO weeks (max_per_week, max_per_day and absences).
        case supervisors
        /// Days one team can use with its minimum gap.
        case team(String)
    }

    /// What runs out.
    public var resource: Resource
    /// The stretch of time concerned.
    public var range: DateRange
    /// First and last ISO week of the stretch (for supervisors).
    public var weeks: ClosedRange<Int>?
    /// Sessions that must fall inside it.
    public var needed: Int
    /// Sessions it can hold at most.
    public var capacity: Int
    /// The unmet demands this explains.
    public var unmet: [String]

    /// Makes a diagnosis.
    public init(
        resource: Resource, range: DateRange, weeks: ClosedRange<Int>?, needed: Int, capacity: Int, unmet: [String]
    ) {
        self.resource = resource
        self.range = range
        self.weeks = weeks
        self.needed = needed
        self.capacity = capacity
        self.unmet = unmet
    }
}

extension Scheduler {
    /// Repair by supervisor reassignment: when every supervisor is busy or at a limit on a good
    /// candidate, give one supervised session of that day or week (whose rule takes any supervisor)
    /// another supervisor at the same time, then place the demand.
    func reassignSupervisors(_ demand: Demand, _ rule: Rule, _ state: inout State)
        -> [(ScheduledSession, String?, [Rejection])]?
    {
        guard rule.supervisor != .none else { return nil }
        for candidate in candidates(demand, rule).prefix(Scheduler.repairCandidates) {
            guard case .failure(.supervisorsUnavailable(let conflicts)) = evaluate(demand, rule, candidate, state.ledger)
            else { continue }
            for conflict in conflicts {
                switch conflict.reason {
                case .away: continue
                default: break
                }
                for uid in state.ledger.supervisorWeekSessions(conflict.supervisor, candidate.date).sorted() {
                    guard replan.published[uid] == nil, let other = state.placed[uid], let otherDemand = state.demands[uid],
                        let otherRule = rulesByID[otherDemand.ruleID], otherRule.supervisor == .any
                    else { continue }
                    let old = (other, state.villages[uid] ?? nil)
                    unbook(&state, uid)
                    if case .success(let moved) = evaluate(
                        otherDemand, otherRule, other.slot, state.ledger, avoiding: conflict.supervisor)
                    {
                        book(&state, moved.0, moved.1)
                        if case .success(let mine) = evaluate(demand, rule, candidate, state.ledger) {
                            book(&state, mine.0, mine.1)
                            return [(mine.0, mine.1, []), (moved.0, moved.1, [])]
                        }
                        unbook(&state, uid)
                    }
                    book(&state, old.0, old.1)
                }
            }
        }
        return nil
    }

    /// For the unmet demands, the capacity that runs out: supervised sessions against what the
    /// supervisors can do in the weeks concerned, or a team's sessions against the days its gap allows.
    func diagnose(_ state: State) -> [CapacityDiagnosis] {
        var out: [CapacityDiagnosis] = []
        let unmet = state.unmet.values.map(\.demand).sorted { $0.uid < $1.uid }
        let all = Array(state.demands.values)
        var explained = Set<String>()
        for demand in unmet where !explained.contains(demand.uid) {
            guard let rule = rulesByID[demand.ruleID] else { continue }
            if rule.supervisor != .none {
                // Widen from the demand's own weeks while the supervised load exceeds capacity.
                let env = demand.envelope
                let weeks = BookingLedger.week(of: env.from)...BookingLedger.week(of: env.to)
                let range = DateRange(
                    from: CivilDate(dayNumber: weeks.lowerBound * 7 - 3),
                    to: CivilDate(dayNumber: weeks.upperBound * 7 + 3))
                let inside = all.filter { d in
                    (rulesByID[d.ruleID]?.supervisor ?? .none) != .none && range.contains(d.envelope.from)
                        && range.contains(d.envelope.to)
                }
                let capacity = supervisorCapacity(range)
                if inside.count > capacity {
                    let uids = unmet.filter { d in inside.contains { $0.uid == d.uid } }.map(\.uid)
                    explained.formUnion(uids)
                    out.append(
                        CapacityDiagnosis(
                            resource: .supervisors, range: range, weeks: weeks, needed: inside.count,
                            capacity: capacity, unmet: uids))
                    continue
                }
            }
            for team in demand.teamIDs {
                let env = demand.envelope
                let inside = all.filter { d in
                    d.teamIDs.contains(team) && env.contains(d.envelope.from) && env.contains(d.envelope.to)
                }
                let gap = max(1, inside.map { ruleGap(rulesByID[$0.ruleID], team) }.min() ?? 1)
                let capacity = (env.dayCount - 1) / gap + 1
                if inside.count > capacity {
                    let uids = unmet.filter { d in inside.contains { $0.uid == d.uid } }.map(\.uid)
                    explained.formUnion(uids)
                    out.append(
                        CapacityDiagnosis(
                            resource: .team(team), range: env, weeks: nil, needed: inside.count, capacity: capacity,
                            unmet: uids))
                    break
                }
            }
        }
        return out
    }

    /// Supervised sessions the supervisors can hold in `range` (whole ISO weeks), counting limits and absences.
    func supervisorCapacity(_ range: DateRange) -> Int {
        var total = 0
        for s in plan.supervisors {
            var day = range.from
            while day <= range.to {
                var free = 0
                for k in 0..<7 {
                    let d = day.adding(days: k)
                    if !s.absences.contains(where: { $0.range.contains(d) }) { free += 1 }
                }
                total += min(s.maxPerWeek, free * s.maxPerDay)
                day = day.adding(days: 7)
            }
        }
        return total
    }
}
