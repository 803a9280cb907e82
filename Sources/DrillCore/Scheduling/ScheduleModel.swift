/// The scheduling problem in neutral terms, for an independent solver (scripts/cpsat_model.py):
/// each demand's candidate slots with their own points (weekday, time, turnout), and the data its
/// constraints need (teams and members, gaps, venues, supervisors, travel). The constraints
/// themselves are not exported: the other solver models them from this data.
public struct ScheduleModel: Codable, Sendable {
    public struct TeamData: Codable, Sendable {
        public var id: String
        public var idealGap: Int
        public var minGap: Int
        public var members: [String]
    }
    public struct SupervisorData: Codable, Sendable {
        public var id: String
        public var maxPerDay: Int
        public var maxPerWeek: Int
        public var awayDays: [Int]
    }
    public struct CandidateData: Codable, Sendable {
        /// Day number (days since 1970-01-01); ISO week = (day + 3) div 7.
        public var day: Int
        public var start: Int
        public var end: Int
        public var cost: Int
    }
    public struct DemandData: Codable, Sendable {
        public var uid: String
        public var teams: [String]
        /// Per team, the gap the demand's rule asks for.
        public var ruleGap: [String: Int]
        public var venue: String?
        public var village: String?
        /// "none", "any" or a supervisor id.
        public var supervisor: String
        public var candidates: [CandidateData]
    }
    public struct TravelData: Codable, Sendable {
        public var from: String?
        public var to: String?
        public var minutes: Int
    }

    public var weights: ObjectiveWeights
    public var teams: [TeamData]
    public var supervisors: [SupervisorData]
    public var defaultTravel: Int
    public var travel: [TravelData]
    public var demands: [DemandData]
}

extension Scheduler {
    /// The problem for an independent solver: candidates are the slots that pass every check
    /// not involving another session (calendar, day rules, blackouts, hard turnout, venue size).
    public func model() throws(SchedulingError) -> ScheduleModel {
        let all = try demands()
        let table = staticCandidates(all)
        let ideal = idealGaps(all)
        let empty = BookingLedger()
        var demandsOut: [ScheduleModel.DemandData] = []
        for d in all {
            guard let rule = rulesByID[d.ruleID] else { continue }
            var cands: [ScheduleModel.CandidateData] = []
            var venue: String?
            var village: String?
            for c in table[d.uid] ?? [] {
                guard case .success(let placed) = evaluate(d, rule, c.slot, empty, ignoringSupervisors: true) else { continue }
                venue = placed.0.venueID
                village = placed.1
                cands.append(
                    ScheduleModel.CandidateData(
                        day: c.slot.date.dayNumber, start: c.slot.startMinute, end: c.slot.endMinute, cost: c.unary))
            }
            let supervisor: String
            switch rule.supervisor {
            case .none: supervisor = "none"
            case .any: supervisor = "any"
            case .specific(let id): supervisor = id
            }
            demandsOut.append(
                ScheduleModel.DemandData(
                    uid: d.uid, teams: d.teamIDs, ruleGap: gaps(d.ruleID, d.teamIDs), venue: venue, village: village,
                    supervisor: supervisor, candidates: cands))
        }
        let yearFrom = plan.yearRange.from.dayNumber
        let yearTo = plan.yearRange.to.dayNumber
        return ScheduleModel(
            weights: plan.weights,
            teams: plan.teams.filter { ideal[$0.id] != nil }.map { t in
                ScheduleModel.TeamData(
                    id: t.id, idealGap: ideal[t.id]!, minGap: t.minGapDays ?? 0,
                    members: (membersByTeam[t.id] ?? []).map(\.id))
            },
            supervisors: plan.supervisors.map { s in
                ScheduleModel.SupervisorData(
                    id: s.id, maxPerDay: s.maxPerDay, maxPerWeek: s.maxPerWeek,
                    awayDays: (yearFrom...yearTo).filter { n in
                        s.absences.contains { $0.range.contains(CivilDate(dayNumber: n)) }
                    })
            },
            defaultTravel: plan.defaults.travelMinutes,
            travel: plan.travel.map { ScheduleModel.TravelData(from: $0.from, to: $0.to, minutes: $0.minutes) },
            demands: demandsOut)
    }
}
