/// Why a session cannot go where someone wants to move it by hand.
public enum MoveProblem: Hashable, Sendable {
    /// The day is outside the rule's window (its season or period).
    case outsideWindow(allowed: [DateRange])
    /// A hard rule rules the slot out.
    case constraint(Constraint)
    /// The plan makes no such session (its rule or team is gone).
    case notInPlan
}

/// A slot `postpone` proposes, with its points (lower is better) term by term.
public struct Proposal: Hashable, Sendable {
    /// The session as it would be placed there.
    public var session: ScheduledSession
    /// Total points: the session's own terms, its teams' spacing change and one per day later.
    public var cost: Int
    /// The terms (`off_preferred_weekday`, `off_preferred_time`, `turnout_below_floor`, `spacing`, `days_later`).
    public var terms: [String: Int]
}

extension Scheduler {
    /// Everything of `schedule` booked except `uid`, and `uid`'s demand.
    func state(of schedule: Schedule, without uid: String) throws(SchedulingError) -> (State, Demand?) {
        var state = State()
        let all = try demands()
        state.demands = Dictionary(uniqueKeysWithValues: all.map { ($0.uid, $0) })
        for s in schedule.sessions where s.uid != uid {
            book(&state, s, s.venueID.flatMap { venuesByID[$0]?.village })
        }
        return (state, state.demands[uid])
    }

    /// Whether `uid` may move to `slot` with every other session of `schedule` where it is: nil when
    /// every hard rule holds (window, calendar, blackouts, gaps, turnout, members, venue, supervisor).
    public func check(_ uid: String, at slot: TimeSlot, in schedule: Schedule) throws(SchedulingError)
        -> MoveProblem?
    {
        let (state, demand) = try self.state(of: schedule, without: uid)
        guard let demand, let rule = rulesByID[demand.ruleID] else { return .notInPlan }
        if !demand.allowed.contains(where: { $0.contains(slot.date) }) {
            return .outsideWindow(allowed: demand.allowed)
        }
        if case .failure(let c) = evaluate(demand, rule, slot, state.ledger) { return .constraint(c) }
        return nil
    }

    /// The session `uid` placed on `slot` (hard rules already checked or overridden), for the feeds.
    public func placed(_ uid: String, at slot: TimeSlot, in schedule: Schedule) throws(SchedulingError)
        -> ScheduledSession?
    {
        let (state, demand) = try self.state(of: schedule, without: uid)
        guard let demand, let rule = rulesByID[demand.ruleID] else { return nil }
        if case .success(let p) = evaluate(demand, rule, slot, state.ledger) { return p.0 }
        return nil
    }

    /// The best `count` feasible slots for `uid` after `day`, inside its rule's window, cheapest first:
    /// its own points (weekday, time, turnout), the change in its teams' spacing, and a point per day
    /// after the day it was on (a postponement should not wander).
    public func proposals(_ uid: String, after day: CivilDate, in schedule: Schedule, count: Int = 3)
        throws(SchedulingError) -> [Proposal]
    {
        let (state, demand) = try self.state(of: schedule, without: uid)
        guard let demand, let rule = rulesByID[demand.ruleID] else { return [] }
        let from = schedule.session(uid)?.slot.date ?? day
        let ideal = idealGaps(state.demands.values)
        var found: [Proposal] = []
        for slot in candidates(demand, rule) where slot.date > day {
            guard case .success(let placed) = evaluate(demand, rule, slot, state.ledger) else { continue }
            let u = unaryCost(rule, slot, placed.0.turnout)
            var spacing = 0
            for t in demand.teamIDs {
                let days = teamDays(state.ledger, t)
                spacing +=
                    spacingWith(days, adding: slot.date.dayNumber, ideal: ideal[t] ?? yearDays)
                    - spacingCost(days, ideal: ideal[t] ?? yearDays)
            }
            let later = max(0, from.days(to: slot.date))
            var terms = [
                "off_preferred_weekday": u.offPreferredWeekday, "off_preferred_time": u.offPreferredTime,
                "turnout_below_floor": u.turnoutBelowFloor, "spacing": spacing, "days_later": later,
            ]
            terms = terms.filter { $0.value != 0 }
            found.append(Proposal(session: placed.0, cost: terms.values.reduce(0, +), terms: terms))
        }
        found.sort { ($0.cost, $0.session.slot.absoluteStart) < ($1.cost, $1.session.slot.absoluteStart) }
        return Array(found.prefix(count))
    }
}
