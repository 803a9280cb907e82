extension Scheduler {
    /// Every session the rules ask for this year, with its allowed days and target day.
    ///
    /// - "n per period": n demands in each period that meets the window, targets spread evenly over
    ///   the allowed days of the period;
    /// - RRULE: one demand per occurrence inside the window, free to move `flexDays` either way;
    /// - deadline: one demand on or up to three weeks before the day.
    /// - Throws: `SchedulingError` for a season that does not exist or an RRULE that cannot be expanded.
    public func demands() throws(SchedulingError) -> [Demand] {
        var result: [Demand] = []
        for rule in plan.rules {
            let windows = try windowRanges(rule)
            for group in teamGroups(rule) {
                var ordinal = 0
                for (allowed, target) in try slots(rule, windows: windows) {
                    ordinal += 1
                    let uid = Demand.uid(
                        town: plan.town.id, year: plan.year, rule: rule.id, teamKey: group.key, ordinal: ordinal)
                    result.append(
                        Demand(
                            ruleID: rule.id, teamIDs: group.teams, ordinal: ordinal, uid: uid, allowed: allowed,
                            target: target))
                }
            }
        }
        return result
    }

    /// The teams of a rule, grouped into sessions: one group per team, one for a joint rule, none-team for a deadline.
    func teamGroups(_ rule: Rule) -> [(key: String, teams: [String])] {
        if rule.kind == .deadline { return [("station", [])] }
        let teams = plan.teams(matching: rule.teams).map(\.id)
        if teams.isEmpty { return [] }
        if rule.joint { return [("joint", teams)] }
        return teams.map { ($0, [$0]) }
    }

    /// The rule's window as ranges inside the planned year.
    func windowRanges(_ rule: Rule) throws(SchedulingError) -> [DateRange] {
        let year = plan.yearRange
        switch rule.window {
        case .wholeYear:
            return [year]
        case .period(let spec):
            return spec.ranges(in: plan.year)
        case .season(let id):
            guard let season = plan.season(id) else {
                throw SchedulingError(
                    ruleID: rule.id, message: LocalizedText(zh: "未定义的时段 \(id)", en: "unknown season \(id)"))
            }
            return season.period.ranges(in: plan.year)
        case .anchor(let day, let before, let after):
            let anchor = day.date(in: plan.year)
            let range = DateRange(from: anchor.adding(days: -before), to: anchor.adding(days: after))
            return range.clamped(to: year).map { [$0] } ?? []
        }
    }

    /// (allowed ranges, target day) for each demand of one team group.
    func slots(_ rule: Rule, windows: [DateRange]) throws(SchedulingError) -> [([DateRange], CivilDate)] {
        switch rule.frequency {
        case .count(let n, let period):
            var out: [([DateRange], CivilDate)] = []
            for part in period.ranges(in: plan.year) {
                let allowed = Scheduler.intersect(windows, with: part)
                let dayCount = allowed.reduce(0) { $0 + $1.dayCount }
                guard dayCount > 0, n > 0 else { continue }
                for k in 0..<n {
                    // Aim each demand at the middle of its own share of the allowed days; a rule
                    // anchored on a day (5·12, 11·9) aims at that day.
                    let index = ((2 * k + 1) * dayCount) / (2 * n)
                    var target = Scheduler.day(at: index, in: allowed)
                    if case .anchor(let day, _, _) = rule.window, n == 1,
                        allowed.contains(where: { $0.contains(day.date(in: plan.year)) })
                    {
                        target = day.date(in: plan.year)
                    }
                    out.append((allowed, target))
                }
            }
            return out
        case .rrule(let text):
            let year = plan.yearRange
            let occurrences: [CivilDate]
            do {
                occurrences = try recurrence.dates(of: text, from: year.from, through: year.to)
            } catch {
                throw SchedulingError(
                    ruleID: rule.id,
                    message: LocalizedText(
                        zh: "无法展开重复规则 \(text)：\(error)", en: "cannot expand RRULE \(text): \(error)"))
            }
            let flex = rule.flexDays ?? plan.defaults.flexDays
            return occurrences.compactMap { day in
                guard windows.contains(where: { $0.contains(day) }) else { return nil }
                let around = DateRange(from: day.adding(days: -flex), to: day.adding(days: flex))
                let allowed = Scheduler.intersect(windows, with: around)
                return allowed.isEmpty ? nil : (allowed, day)
            }
        case .once(let day):
            let due = day.date(in: plan.year)
            let range = DateRange(from: due.adding(days: -21), to: due)
            let allowed = Scheduler.intersect(windows, with: range)
            return allowed.isEmpty ? [] : [(allowed, due)]
        }
    }

    /// The parts of `ranges` inside `range`, in order.
    static func intersect(_ ranges: [DateRange], with range: DateRange) -> [DateRange] {
        ranges.compactMap { $0.clamped(to: range) }.sorted { $0.from < $1.from }
    }

    /// The `index`-th day of a list of ranges.
    static func day(at index: Int, in ranges: [DateRange]) -> CivilDate {
        var rest = index
        for r in ranges {
            if rest < r.dayCount { return r.from.adding(days: rest) }
            rest -= r.dayCount
        }
        return ranges.last!.to
    }
}
