import DrillCore

extension PlanLoader {
    static let ruleKeys = [
        "id", "name", "name_en", "kind", "form", "scope", "teams", "joint", "every", "rrule", "date", "season",
        "window", "anchor", "weekdays", "times", "duration", "venue", "supervisor", "min_gap_days", "flex_days",
        "allow_holidays", "allow_blackouts", "description", "scenario", "only_weekdays", "only_days", "min_turnout",
        "turnout",
    ]

    static let minTurnoutExpected = LocalizedText(
        zh: "人数（如 8）或在册人数的百分比（如 80%）", en: "a head count (like 8) or a share of the roster (like 80%)")

    /// `min_turnout: 8` or `min_turnout: 80%`.
    static func turnoutFloor(_ v: YAMLValue) throws(InputError) -> TurnoutFloor {
        let s = try v.scalar(minTurnoutExpected)
        let digits = s.hasSuffix("%") ? String(s.dropLast()) : s
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits)
        else { throw v.error(minTurnoutExpected) }
        if s.hasSuffix("%") {
            guard n <= 100 else { throw v.error(minTurnoutExpected) }
            return .percent(n)
        }
        return .count(n)
    }

    /// `turnout: hard` (refuse a day below the floor) or `turnout: soft` (the default: schedule and report).
    static func turnoutHard(_ v: YAMLValue?) throws(InputError) -> Bool {
        guard let v else { return false }
        let options = ["soft", "hard"]
        let s = try v.scalar(.oneOf(options))
        guard options.contains(s) else { throw v.error(.oneOf(options)) }
        return s == "hard"
    }

    /// A list of weekdays (`[SA, SU]`).
    static func weekdayList(_ v: YAMLValue?) throws(InputError) -> [Weekday] {
        var weekdays: [Weekday] = []
        let weekdayExpected = LocalizedText.oneOf(Weekday.allCases.map(\.rawValue))
        for w in try v?.values(weekdayExpected) ?? [] {
            guard let day = Weekday(rawValue: try w.scalar(weekdayExpected).uppercased()) else {
                throw w.error(weekdayExpected)
            }
            if !weekdays.contains(day) { weekdays.append(day) }
        }
        return weekdays
    }

    static let everyExpected = LocalizedText(
        zh: "“<次数> per year|half-year|quarter|month”（如 2 per half-year）",
        en: "\"<n> per year|half-year|quarter|month\" (like 2 per half-year)")

    /// `2 per half-year`.
    static func every(_ v: YAMLValue) throws(InputError) -> Frequency {
        let parts = try v.scalar(everyExpected).split(whereSeparator: \.isWhitespace)
        guard parts.count == 3, parts[1] == "per", parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
            let n = Int(parts[0]), n >= 1, let period = RulePeriod(rawValue: String(parts[2]))
        else { throw v.error(everyExpected) }
        return .count(n, per: period)
    }

    static func readRule(
        _ v: YAMLValue, plan: Plan, ids: inout IDRegistry, recurrence: any RecurrenceExpander
    ) throws(InputError) -> Rule {
        let m = try v.mapping(ruleKeys)
        let id = try ids.claim(m.required("id", .id), kind: .rule)
        let name = try m.required("name", .text).string()

        // Kind, with form and scope for drills only.
        let kinds = ["training", "drill", "deadline"]
        let kindNode = try m.required("kind", .oneOf(kinds))
        let kindText = try kindNode.scalar(.oneOf(kinds))
        let kind: SessionKind
        switch kindText {
        case "training", "deadline":
            for key in ["form", "scope"] {
                if let x = m[key] {
                    throw x.error(LocalizedText(zh: "不填（仅 kind: drill 使用 \(key)）", en: "nothing (\(key) is for kind: drill only)"))
                }
            }
            kind = kindText == "training" ? .training : .deadline
        case "drill":
            let forms = DrillForm.allCases.map(\.rawValue)
            let scopes = DrillScope.allCases.map(\.rawValue)
            let formNode = try m.required("form", .oneOf(forms))
            let scopeNode = try m.required("scope", .oneOf(scopes))
            guard let form = DrillForm(rawValue: try formNode.scalar(.oneOf(forms))) else {
                throw formNode.error(.oneOf(forms))
            }
            guard let scope = DrillScope(rawValue: try scopeNode.scalar(.oneOf(scopes))) else {
                throw scopeNode.error(.oneOf(scopes))
            }
            kind = .drill(form, scope)
        default:
            throw kindNode.error(.oneOf(kinds))
        }

        // Frequency: exactly one of every, rrule, date.
        let frequencyKeys = ["every", "rrule", "date"].filter { m[$0] != nil }
        let frequencyExpected = LocalizedText(
            zh: "恰好一种频率：every、rrule 或 date（仅截止类）", en: "exactly one frequency: every, rrule or date (deadline only)")
        guard frequencyKeys.count == 1 else {
            let found = frequencyKeys.joined(separator: ", ")
            if frequencyKeys.count > 1, let second = m[frequencyKeys[1]] {
                throw second.error(frequencyExpected, found: found, field: m.path(frequencyKeys[1]))
            }
            throw InputError(
                file: v.file, line: v.line, column: v.column, field: v.path, expected: frequencyExpected, found: found)
        }
        let frequency: Frequency
        let freqNode = m[frequencyKeys[0]]!
        switch frequencyKeys[0] {
        case "every":
            frequency = try every(freqNode)
        case "rrule":
            let rule = try freqNode.scalar(.text)
            if let problem = recurrence.problem(with: rule) {
                throw freqNode.error(
                    LocalizedText(zh: "有效的 RFC 5545 RRULE（\(problem)）", en: "a valid RFC 5545 RRULE (\(problem))"),
                    found: rule)
            }
            frequency = .rrule(rule)
        default:
            frequency = .once(try freqNode.monthDay())
        }

        // Deadlines: a date and no teams; others: teams and no date.
        var teams: [TeamSelector] = []
        if kind == .deadline {
            guard case .once = frequency else {
                throw freqNode.error(
                    LocalizedText(zh: "截止类规则使用 date: MM-DD", en: "date: MM-DD for a deadline rule"),
                    field: m.path(frequencyKeys[0]))
            }
            if let t = m["teams"] {
                throw t.error(LocalizedText(zh: "不填（截止类规则由督导人员完成）", en: "no teams (a deadline is the station's)"))
            }
        } else {
            if case .once = frequency {
                throw freqNode.error(
                    LocalizedText(zh: "every 或 rrule（date 仅用于 kind: deadline）", en: "every or rrule (date is for kind: deadline)"))
            }
            teams = try selectors(m.required("teams", selectorExpected), plan: plan)
        }

        // Window: at most one of season, window, anchor.
        let windowKeys = ["season", "window", "anchor"].filter { m[$0] != nil }
        var window = RuleWindow.wholeYear
        if windowKeys.count > 1 {
            throw m[windowKeys[1]]!.error(
                LocalizedText(zh: "至多一种时间窗口：season、window 或 anchor", en: "at most one window: season, window or anchor"),
                found: windowKeys.joined(separator: ", "))
        }
        if let key = windowKeys.first, let w = m[key] {
            switch key {
            case "season":
                let expected = LocalizedText(zh: "plan.yaml 中定义的 season 编号", en: "a season id defined in plan.yaml")
                let s = try w.scalar(expected)
                guard plan.season(s) != nil else { throw w.error(expected) }
                window = .season(s)
            case "window":
                // A window whose from is after its to wraps over New Year only when it says so.
                let wm = try w.mapping(["from", "to", "wrap"])
                let period = try readPeriod(wm)
                if case .annual(let p) = period, p.from.month * 100 + p.from.day > p.to.month * 100 + p.to.day,
                    try wm["wrap"]?.bool() != true
                {
                    let toNode = try wm.required("to", .dateOrMonthDay)
                    throw toNode.error(
                        LocalizedText(
                            zh: "不早于 from（\(p.from)）的日期；跨年的窗口请加 wrap: true",
                            en: "a day not before from (\(p.from)); add wrap: true for a window over New Year"),
                        field: wm.path("to"))
                }
                window = .period(period)
            default:
                let a = try w.mapping(["date", "before", "after"])
                window = .anchor(
                    try a.required("date", .monthDay).monthDay(), before: try a["before"]?.int(atLeast: 0) ?? 0,
                    after: try a["after"]?.int(atLeast: 0) ?? 0)
            }
        }

        let weekdays = try weekdayList(m["weekdays"])
        let onlyWeekdays = try weekdayList(m["only_weekdays"])
        if let x = m["only_weekdays"], onlyWeekdays.isEmpty {
            throw x.error(LocalizedText.oneOf(Weekday.allCases.map(\.rawValue)))
        }
        var onlyDays: DayKind?
        if let x = m["only_days"] {
            let options = DayKind.allCases.map(\.rawValue)
            guard let kind = DayKind(rawValue: try x.scalar(.oneOf(options))) else { throw x.error(.oneOf(options)) }
            onlyDays = kind
        }

        var times: [LocalTime] = []
        for t in try m["times"]?.values(.time) ?? [] {
            guard let time = ValueSyntax.time(try t.scalar(.time)) else { throw t.error(.time) }
            times.append(time)
        }
        if times.isEmpty { times = [LocalTime(hour: 9, minute: 0)!] }

        let duration = try m["duration"]?.int(atLeast: 1) ?? 120

        var venue: VenueChoice?
        if let x = m["venue"] {
            let expected = LocalizedText(zh: "场地编号或 own-village", en: "a venue id or own-village")
            let s = try x.scalar(expected)
            if s == "own-village" {
                venue = .ownVillage
                try checkOwnVillage(x, teams: plan.teams(matching: teams), plan: plan)
            } else {
                guard plan.venue(s) != nil else { throw x.error(expected) }
                venue = .venue(s)
            }
        }

        var supervisor = SupervisorNeed.none
        if let x = m["supervisor"] {
            let expected = LocalizedText(
                zh: "none、required 或 plan.yaml 中定义的督导人员编号", en: "none, required or a supervisor id defined in plan.yaml")
            switch try x.scalar(expected) {
            case "none": supervisor = .none
            case "required": supervisor = .any
            case let s:
                guard plan.supervisor(s) != nil else { throw x.error(expected) }
                supervisor = .specific(s)
            }
        }

        var allowBlackouts: [String] = []
        let blackoutExpected = LocalizedText(zh: "plan.yaml 中定义的 blackout 编号", en: "a blackout id defined in plan.yaml")
        for b in try m["allow_blackouts"]?.values(blackoutExpected) ?? [] {
            let s = try b.scalar(blackoutExpected)
            guard plan.blackouts.contains(where: { $0.id == s }) else { throw b.error(blackoutExpected) }
            allowBlackouts.append(s)
        }

        return Rule(
            id: id, name: name, nameEnglish: try m["name_en"]?.string(), kind: kind, teams: teams,
            joint: try m["joint"]?.bool() ?? false, frequency: frequency, window: window, weekdays: weekdays,
            times: times, durationMinutes: duration, venue: venue, supervisor: supervisor,
            minGapDays: try m["min_gap_days"]?.int(atLeast: 0), flexDays: try m["flex_days"]?.int(atLeast: 0),
            allowHolidays: try m["allow_holidays"]?.bool() ?? false, allowBlackouts: allowBlackouts,
            description: try m["description"]?.scalar(.text) ?? "", scenario: try m["scenario"]?.scalar(.text) ?? "",
            onlyWeekdays: onlyWeekdays, onlyDays: onlyDays,
            minTurnout: try m["min_turnout"].map { (x) throws(InputError) in try turnoutFloor(x) },
            turnoutHard: try turnoutHard(m["turnout"]))
    }

    /// The node a rule's day-rule problem is reported at: only_days, else only_weekdays, else its window.
    static func dayRuleNode(_ v: YAMLValue) -> YAMLValue? {
        guard let m = try? v.mapping(ruleKeys) else { return nil }
        return m["only_days"] ?? m["only_weekdays"] ?? m["window"] ?? m["season"] ?? m["anchor"]
    }

    /// `venue: own-village` needs every selected team to sit in a village that has a venue.
    static func checkOwnVillage(_ v: YAMLValue, teams: [Team], plan: Plan) throws(InputError) {
        for team in teams {
            guard let village = team.village else {
                throw v.error(
                    LocalizedText(
                        zh: "场地编号（队伍 \(team.id) 不属于任何村，不能用 own-village）",
                        en: "a venue id (team \(team.id) has no village, so own-village cannot apply)"))
            }
            guard plan.venues.contains(where: { $0.village == village }) else {
                throw v.error(
                    LocalizedText(
                        zh: "场地编号（村 \(village) 没有场地，不能用 own-village）",
                        en: "a venue id (village \(village) has no venue, so own-village cannot apply)"))
            }
        }
    }
}
