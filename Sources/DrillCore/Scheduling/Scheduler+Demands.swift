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
            let windows = try allowedRanges(rule)
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
            let unit = Scheduler.recurrencePeriod(text)
            let window = try windowRanges(rule)
            return occurrences.compactMap { day in
                guard window.contains(where: { $0.contains(day) }) else { return nil }
                // Flex stays inside the occurrence's own calendar period (a monthly session in its month).
                var around = DateRange(from: day.adding(days: -flex), to: day.adding(days: flex))
                if let period = Scheduler.period(unit, containing: day), let inside = around.clamped(to: period) {
                    around = inside
                }
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

    /// The calendar period an RRULE's occurrences belong to, from its FREQ.
    enum RecurrenceUnit { case day, week, month, year }

    static func recurrencePeriod(_ rrule: String) -> RecurrenceUnit? {
        for part in rrule.uppercased().split(separator: ";") where part.hasPrefix("FREQ=") {
            switch part.dropFirst(5) {
            case "DAILY": return .day
            case "WEEKLY": return .week
            case "MONTHLY": return .month
            case "YEARLY": return .year
            default: return nil
            }
        }
        return nil
    }

    /// The calendar day, ISO week, month or year holding `day`.
    static func period(_ unit: RecurrenceUnit?, containing day: CivilDate) -> DateRange? {
        switch unit {
        case nil: return nil
        case .day: return DateRange(from: day, to: day)
        case .week:
            let monday = CivilDate(dayNumber: (day.dayNumber + 3).floorDiv(7) * 7 - 3)
            return DateRange(from: monday, to: monday.adding(days: 6))
        case .month:
            let (y, m, _) = day.parts
            return DateRange(
                from: CivilDate(year: y, month: m, day: 1)!,
                to: CivilDate(year: y, month: m, day: CivilDate.daysIn(month: m, year: y))!)
        case .year:
            let y = day.parts.year
            return DateRange(from: CivilDate(year: y, month: 1, day: 1)!, to: CivilDate(year: y, month: 12, day: 31)!)
        }
    }

    /// The rule's window with only the days its day rules allow (`only_weekdays`, `only_days`),
    /// as runs of consecutive days.
    /// - Throws: `SchedulingError` when the window holds no allowed day at all.
    func allowedRanges(_ rule: Rule) throws(SchedulingError) -> [DateRange] {
        let windows = try windowRanges(rule)
        if rule.onlyWeekdays.isEmpty && rule.onlyDays == nil { return windows }
        var runs: [DateRange] = []
        for range in windows {
            var start: CivilDate?
            var last: CivilDate?
            for day in range.days {
                if isAllowedDay(rule, day) {
                    if start == nil { start = day }
                    last = day
                } else if let s = start, let l = last {
                    runs.append(DateRange(from: s, to: l))
                    start = nil
                }
            }
            if let s = start, let l = last { runs.append(DateRange(from: s, to: l)) }
        }
        if runs.isEmpty, !windows.isEmpty {
            throw SchedulingError(
                ruleID: rule.id,
                message: LocalizedText(
                    zh: "时间窗口内没有 only_weekdays / only_days 允许的日子", en: "the window holds no day that only_weekdays / only_days allow"))
        }
        return runs
    }

    /// Whether the rule's hard day rules allow `day` (调休 aware: a swapped Saturday is a workday,
    /// a statutory holiday is a rest day only when the rule allows holidays).
    public func isAllowedDay(_ rule: Rule, _ day: CivilDate) -> Bool {
        if !rule.onlyWeekdays.isEmpty && !rule.onlyWeekdays.contains(day.weekday) { return false }
        switch rule.onlyDays {
        case nil: return true
        case .workday?: return holidays.isWorkingDay(day)
        case .restday?:
            if holidays.holiday(on: day) != nil { return rule.allowHolidays }
            return !holidays.isWorkingDay(day)
        }
    }

    /// Why the rule cannot be scheduled at all (its window holds no allowed day), or nil.
    public func windowProblem(_ rule: Rule) -> SchedulingError? {
        do {
            _ = try allowedRanges(rule)
            return nil
        } catch {
            return error
        }
    }
}
