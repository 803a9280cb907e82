import DrillCore

/// Checks a finished schedule against every hard constraint, written separately from the
/// scheduler (pairwise, from the output alone) so that a bug in one is caught by the other.
struct ScheduleValidator {
    let plan: Plan
    let roster: Roster
    let holidays: HolidayCalendar

    func violations(_ schedule: Schedule, demands: [Demand]) -> [String] {
        var out: [String] = []
        let rules = Dictionary(uniqueKeysWithValues: plan.rules.map { ($0.id, $0) })
        let teams = Dictionary(uniqueKeysWithValues: plan.teams.map { ($0.id, $0) })
        let demandByUID = Dictionary(uniqueKeysWithValues: demands.map { ($0.uid, $0) })

        // Every demand is placed or reported, exactly once.
        let placed = schedule.sessions.map(\.uid)
        let reported = schedule.unmet.map(\.demand.uid)
        if Set(placed).count != placed.count { out.append("duplicate session UIDs") }
        if Set(placed).union(reported) != Set(demandByUID.keys) || placed.count + reported.count != demands.count {
            out.append("sessions + unmet do not account for every demand")
        }

        for s in schedule.sessions {
            guard let rule = rules[s.ruleID], let demand = demandByUID[s.uid] else {
                out.append("\(s.uid): unknown rule or demand"); continue
            }
            let day = s.slot.date
            if !demand.allowed.contains(where: { $0.contains(day) }) { out.append("\(s.uid): outside its window") }
            if rule.kind == .deadline {
                if !holidays.isWorkingDay(day) { out.append("\(s.uid): deadline on a non-working day") }
            } else if !rule.allowHolidays, holidays.holidays.contains(where: { $0.range.contains(day) }) {
                out.append("\(s.uid): on a holiday")
            }
            for tid in s.teamIDs {
                let team = teams[tid]!
                for b in plan.blackouts where b.teams.contains(where: { $0.matches(team) }) && !rule.allowBlackouts.contains(b.id) {
                    if b.period.ranges(in: plan.year).contains(where: { $0.contains(day) }) {
                        out.append("\(s.uid): in blackout \(b.id)")
                    }
                }
                let members = roster.members.filter { $0.teams.contains(tid) }
                let present = members.filter { m in !m.absences.contains { $0.range.contains(day) } }
                if (rule.turnoutHard || team.turnoutHard) && present.count < floor(rule, team, members.count) {
                    out.append("\(s.uid): \(tid) has \(present.count) available")
                }
                for m in present where !s.memberIDs.contains(m.id) { out.append("\(s.uid): \(m.id) missing") }
            }
            for m in s.memberIDs {
                guard let member = roster.member(m) else { out.append("\(s.uid): unknown member \(m)"); continue }
                if member.absences.contains(where: { $0.range.contains(day) }) { out.append("\(s.uid): \(m) is away") }
            }
            if let v = s.venueID, let venue = plan.venue(v) {
                let need = s.memberIDs.count + (s.supervisorID == nil ? 0 : 1)
                if venue.capacity < need { out.append("\(s.uid): venue \(v) too small") }
            }
            if !rule.onlyWeekdays.isEmpty && !rule.onlyWeekdays.contains(day.weekday) {
                out.append("\(s.uid): not on one of its only_weekdays")
            }
            let swapped = holidays.swappedWorkdays.contains(day)
            let holiday = holidays.holidays.contains { $0.range.contains(day) }
            let weekend = day.weekday == .saturday || day.weekday == .sunday
            switch rule.onlyDays {
            case .restday?:
                if swapped || (!weekend && !holiday) || (holiday && !rule.allowHolidays) {
                    out.append("\(s.uid): not on a rest day")
                }
            case .workday?:
                if !swapped && (weekend || holiday) { out.append("\(s.uid): not on a working day") }
            case nil: break
            }
            if rule.supervisor != .none && s.supervisorID == nil { out.append("\(s.uid): no supervisor") }
            if let sid = s.supervisorID, let sup = plan.supervisor(sid),
                sup.absences.contains(where: { $0.range.contains(day) })
            {
                out.append("\(s.uid): supervisor \(sid) away")
            }
        }

        // Pairwise checks, from the output alone.
        let sessions = schedule.sessions
        for i in sessions.indices {
            for j in sessions.indices where j > i {
                let a = sessions[i], b = sessions[j]
                let overlap = a.slot.absoluteStart < b.slot.absoluteEnd && b.slot.absoluteStart < a.slot.absoluteEnd
                if overlap, !Set(a.memberIDs).isDisjoint(with: b.memberIDs) {
                    out.append("\(a.uid) and \(b.uid) share a member at the same time")
                }
                if overlap, a.venueID != nil, a.venueID == b.venueID {
                    out.append("\(a.uid) and \(b.uid) double-book \(a.venueID!)")
                }
                if let s = a.supervisorID, s == b.supervisorID {
                    let va = a.venueID.flatMap { plan.venue($0)?.village }
                    let vb = b.venueID.flatMap { plan.venue($0)?.village }
                    let travel = plan.travelMinutes(from: va, to: vb)
                    if a.slot.absoluteStart < b.slot.absoluteEnd + travel
                        && b.slot.absoluteStart < a.slot.absoluteEnd + travel
                    {
                        out.append("\(a.uid) and \(b.uid): supervisor \(s) cannot be at both")
                    }
                }
                for t in Set(a.teamIDs).intersection(b.teamIDs) {
                    // Order-independent: the larger of both rules' gaps and the team's own.
                    let team = teams[t]!
                    let gap = max(
                        rules[a.ruleID]!.minGapDays ?? team.minGapDays ?? plan.defaults.minGapDays,
                        rules[b.ruleID]!.minGapDays ?? team.minGapDays ?? plan.defaults.minGapDays,
                        team.minGapDays ?? 0)
                    if abs(a.slot.date.days(to: b.slot.date)) < gap {
                        out.append("\(a.uid) and \(b.uid): team \(t) sessions closer than \(gap) days")
                    }
                }
            }
        }
        for sup in plan.supervisors {
            let mine = sessions.filter { $0.supervisorID == sup.id }
            for (_, group) in Dictionary(grouping: mine, by: { $0.slot.date }) where group.count > sup.maxPerDay {
                out.append("supervisor \(sup.id) over the day limit")
            }
            let weeks = Dictionary(grouping: mine, by: { ($0.slot.date.dayNumber + 3) / 7 })
            for (_, group) in weeks where group.count > sup.maxPerWeek {
                out.append("supervisor \(sup.id) over the week limit")
            }
        }
        return out
    }

    /// The turnout floor, from the rule, the team or the minimum, never above the roster.
    func floor(_ rule: Rule, _ team: Team, _ size: Int) -> Int {
        switch rule.minTurnout ?? team.minTurnout {
        case .count(let n)?: return min(n, size)
        case .percent(let p)?: return min(size, Int((Double(size * p) / 100).rounded(.up)))
        case nil: return min(team.minimumMembers, size)
        }
    }

    /// The objective recomputed from the output alone (calendars/README.md), written without the scheduler's code.
    func score(_ schedule: Schedule, demands: [Demand]) -> Int {
        let w = plan.weights
        let rules = Dictionary(uniqueKeysWithValues: plan.rules.map { ($0.id, $0) })
        let teams = Dictionary(uniqueKeysWithValues: plan.teams.map { ($0.id, $0) })
        var total = schedule.unmet.count * w.unmetDemand
        for s in schedule.sessions {
            let rule = rules[s.ruleID]!
            let day = s.slot.date
            let weekendSwapped = holidays.swappedWorkdays.contains(day)
            if !rule.weekdays.isEmpty && (!rule.weekdays.contains(day.weekday) || ((day.weekday == .saturday || day.weekday == .sunday) && weekendSwapped)) {
                total += w.offPreferredWeekday
            }
            if let first = rule.times.first, first.minutes != s.slot.startMinute { total += w.offPreferredTime }
            for tid in s.teamIDs {
                let members = roster.members.filter { $0.teams.contains(tid) }
                let present = members.filter { m in !m.absences.contains { $0.range.contains(day) } }.count
                total += w.turnoutBelowFloor * max(0, floor(rule, teams[tid]!, members.count) - present)
            }
        }
        let yearDays = plan.yearRange.dayCount
        for team in plan.teams {
            let count = demands.filter { $0.teamIDs.contains(team.id) }.count
            guard count > 0 else { continue }
            let ideal = team.idealGapDays ?? max(1, yearDays / count)
            let days = schedule.sessions.filter { $0.teamIDs.contains(team.id) }.map(\.slot.date.dayNumber).sorted()
            for i in days.indices.dropFirst() { total += w.spacingPerDay * abs(days[i] - days[i - 1] - ideal) }
        }
        if plan.supervisors.count > 1 && plan.rules.contains(where: { $0.supervisor == .any }) {
            let loads = plan.supervisors.map { sup in schedule.sessions.filter { $0.supervisorID == sup.id }.count }
            total += w.supervisorLoad * (loads.max()! - loads.min()!)
        }
        return total
    }
}
