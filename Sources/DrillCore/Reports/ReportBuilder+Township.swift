extension ReportBuilder {
    /// The township report's parts, from the built tables and the compliance check.
    func township(_ r: AnnualReport, findings: [ComplianceFinding], title: (String) -> String)
        -> AnnualReport.Township
    {
        let c = compliance
        let sep = pick("、", ", ")
        // Kinds: required (demands), planned, held, cancelled, never scheduled.
        var order: [String] = []
        var required: [String: Int] = [:], planned: [String: Int] = [:], held: [String: Int] = [:]
        var cancelled: [String: Int] = [:], unscheduled: [String: Int] = [:]
        let rulesByID = Dictionary(plan.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let published = Set(c.data.sessions.map(\.uid))
        func note(_ k: String) { if !order.contains(k) { order.append(k) } }
        for d in c.demands {
            guard let rule = rulesByID[d.ruleID], rule.kind != .deadline else { continue }
            let k = rule.kind.label(language)
            note(k)
            required[k, default: 0] += 1
            if !published.contains(d.uid) { unscheduled[k, default: 0] += 1 }
        }
        for s in c.data.sessions where s.kind != .deadline {
            let k = s.kind.label(language)
            note(k)
            if s.cancelled {
                cancelled[k, default: 0] += 1
            } else {
                planned[k, default: 0] += 1
                if c.isHeld(s) { held[k, default: 0] += 1 }
            }
        }
        let kinds = order.map {
            AnnualReport.KindLine(
                kind: $0, required: required[$0] ?? 0, planned: planned[$0] ?? 0, held: held[$0] ?? 0,
                cancelled: cancelled[$0] ?? 0, unscheduled: unscheduled[$0] ?? 0)
        }

        // Per-team turnout, each team against its own minimum (joint sessions split by team).
        let turnouts = c.turnouts().filter { $0.held && $0.date <= c.asOf }
        let byTeam = Dictionary(grouping: turnouts, by: \.team)
        let teamTurnout = plan.teams.map { team -> AnnualReport.TeamTurnoutLine in
            let ts = byTeam[team.id] ?? []
            let expected = ts.reduce(0) { $0 + $1.rosterSize - $1.excused }
            let counted = ts.reduce(0) { $0 + $1.counted }
            return AnnualReport.TeamTurnoutLine(
                team: team.id, name: team.displayName(language), sessions: ts.count,
                averageCounted: ts.isEmpty ? nil : Double(counted) / Double(ts.count),
                // The floor the held sessions were measured against (`min_turnout` or the minimum).
                minimum: ts.map(\.minimum).max() ?? team.minimumMembers,
                below: ts.filter(\.belowMinimum).count,
                rate: expected > 0 ? Double(counted) / Double(expected) : nil)
        }

        // Deadlines: done only when recorded.
        let deadlines = c.data.sessions.filter { $0.kind == .deadline && !$0.cancelled }.map { s in
            AnnualReport.DeadlineLine(
                name: rulesByID[s.ruleID]?.displayName(language) ?? s.ruleID, due: s.slot.date.description,
                done: c.isDone(s), note: c.data.deadlinesDone[s.uid]?.note ?? "")
        }

        // Corrective actions: the drill each came from, or the year it was carried over from.
        func source(_ a: CorrectiveAction) -> String {
            if let from = a.carriedFrom {
                return from.label(language) + (from.source.isEmpty ? "" : pick("：", ": ") + from.source)
            }
            return a.sessionUID.map(title) ?? ""
        }
        let actions = c.data.actions.sorted {
            ($0.status == .done ? 1 : 0, $0.due, $0.id) < ($1.status == .done ? 1 : 0, $1.due, $1.id)
        }
        .map { a in
            AnnualReport.ActionLine(
                id: a.id, text: a.text, owner: a.owner, due: a.due.description, done: a.status == .done,
                overdue: a.isOverdue(on: c.asOf), note: a.note, source: source(a))
        }

        // Overview.
        let heldSessions = r.sessions.filter(\.held)
        let personTimes = turnouts.reduce(0) { $0 + $1.counted }
        let expectedAll = turnouts.reduce(0) { $0 + $1.rosterSize - $1.excused }
        let rate = expectedAll > 0 ? Double(personTimes) / Double(expectedAll) : nil
        let levels = Dictionary(grouping: r.teams, by: \.level)
        let levelText = plan.teams.map(\.level).reduce(into: [TeamLevel]()) {
            if !$0.contains($1) { $0.append($1) }
        }.map { level -> String in
            let teams = r.teams.filter { plan.team($0.id)?.level == level }
            return pick(
                "\(level.label(.zh))\(teams.count)支\(teams.reduce(0) { $0 + $1.members })人",
                "\(teams.count) \(level.label(.en))(s) with \(teams.reduce(0) { $0 + $1.members }) members")
        }.joined(separator: sep)
        _ = levels
        let members = c.roster.members.count
        let meeting = r.teams.filter(\.meetsMinimum).count
        let requiredTotal = kinds.reduce(0) { $0 + $1.required }
        let plannedTotal = kinds.reduce(0) { $0 + $1.planned }
        let kindText = kinds.filter { $0.held > 0 }.map {
            pick("\($0.kind)\($0.held)场", "\($0.held) \($0.kind)")
        }.joined(separator: sep)
        let summaries = r.sessions.filter { $0.summary != nil }.count
        let closed = actions.filter(\.done).count
        let ratePart =
            rate.map { pick("，平均到场率\(Self.percent($0))", ", average turnout \(Self.percent($0))") } ?? ""
        var overview = pick(
            "\(r.year)年，\(r.townName)共有应急救援队伍\(r.teams.count)支、队员\(members)人（\(levelText)），\(meeting)支队伍人数达到最低要求。",
            "In \(r.year), \(r.townName) had \(r.teams.count) rescue teams with \(members) members (\(levelText)); \(meeting) met their minimum size. "
        )
        overview += pick(
            "按预案要求全年应开展培训演练\(requiredTotal)场，已排入计划\(plannedTotal)场，实际开展\(heldSessions.count)场（\(kindText)），参训参演\(personTimes)人次\(ratePart)。",
            "The plan asked for \(requiredTotal) sessions; \(plannedTotal) were scheduled and \(heldSessions.count) held (\(kindText)), with \(personTimes) attendances\(ratePart). "
        )
        overview += pick(
            "形成演练总结\(summaries)份，登记整改措施\(actions.count)项、已完成\(closed)项。",
            "\(summaries) drill summaries were written; \(closed) of \(actions.count) corrective actions are closed."
        )
        let short = r.teams.filter { !$0.meetsMinimum }
        let teamsParagraph = pick(
            "全镇\(r.teams.count)支队伍共\(members)名队员，其中\(meeting)支达到最低人数要求"
                + (short.isEmpty ? "。" : "，\(short.map(\.name).joined(separator: sep))人数不足。")
                + "力量构成按队伍分别统计（同一人在多支队伍的，在每支队伍各计一次）。",
            "\(members) members in \(r.teams.count) teams; \(meeting) meet their minimum"
                + (short.isEmpty ? ". " : "; \(short.map(\.name).joined(separator: sep)) are short. ")
                + "Sources are counted per team (a member on two teams counts in each).")

        return AnnualReport.Township(
            overview: overview, teamsParagraph: teamsParagraph, kinds: kinds, teamTurnout: teamTurnout,
            problems: problems(findings, turnoutLines: teamTurnout), actions: actions, deadlines: deadlines,
            nextYear: nextYearLines(), nextYearFromPlan: nextPlan != nil,
            signOff: AnnualReport.SignOff(
                unit: plan.town.station, contact: contact, phone: phone,
                date: (reportDate ?? c.asOf).description))
    }

    /// 四、存在问题: one sentence per kind of problem, naming the teams, never one per session.
    func problems(_ findings: [ComplianceFinding], turnoutLines: [AnnualReport.TeamTurnoutLine]) -> [String] {
        let d = Describe(plan: plan, roster: compliance.roster, language: language)
        let sep = pick("、", ", ")
        var out: [String] = []
        for f in findings { if case .roster(let r) = f, r.needsAction { out.append(d.finding(r)) } }
        let below = turnoutLines.filter { $0.below > 0 }
        if !below.isEmpty {
            let total = below.reduce(0) { $0 + $1.below }
            let names = below.map { pick("\($0.name)\($0.below)场", "\($0.name) \($0.below)") }.joined(
                separator: sep)
            out.append(
                pick(
                    "部分活动到场人数低于队伍最低要求，共\(total)场（\(names)）。",
                    "\(total) sessions fell below the team's minimum turnout (\(names))."))
        }
        var roleTeams: [Role: Set<String>] = [:]
        var roleCount: [Role: Int] = [:]
        for f in findings {
            if case .turnoutMissingRole(let t, let role) = f {
                roleTeams[role, default: []].insert(t.team); roleCount[role, default: 0] += 1
            }
        }
        for (role, teams) in roleTeams.sorted(by: { $0.key < $1.key }) {
            out.append(
                pick(
                    "\(roleCount[role]!)场活动无\(role.chinese)人员到场（涉及\(teams.count)支队伍）。",
                    "\(roleCount[role]!) sessions had no \(role.english) member present (\(teams.count) teams)."
                ))
        }
        let behind = findings.compactMap { f -> RuleProgress? in
            if case .ruleBehind(let p) = f { p } else { nil }
        }
        if !behind.isEmpty {
            let rules = Dictionary(grouping: behind, by: \.rule).map { rule, ps in
                pick("“\(d.rule(rule))”\(ps.count)支队伍", "\(d.rule(rule)) (\(ps.count) teams)")
            }.sorted().joined(separator: sep)
            let missing = behind.reduce(0) { $0 + $1.requiredByNow - $1.held }
            out.append(
                pick(
                    "部分培训演练未按计划次数开展，共少开展\(missing)场：\(rules)。",
                    "\(missing) required sessions were not held: \(rules)."))
        }
        let notRecorded = findings.filter { if case .notRecorded = $0 { true } else { false } }.count
        if notRecorded > 0 {
            out.append(
                pick(
                    "\(notRecorded)场活动未登记出勤，无法核实是否开展。",
                    "\(notRecorded) sessions have no attendance recorded, so cannot be shown as held."))
        }
        let low = findings.filter { if case .memberBelowThreshold = $0 { true } else { false } }.count
        if low > 0 {
            out.append(
                pick(
                    "\(low)名队员全年出勤率低于\(Self.percent(compliance.threshold))。",
                    "\(low) members attended under \(Self.percent(compliance.threshold)) of their sessions."))
        }
        let noSummary = findings.filter { if case .summaryMissing = $0 { true } else { false } }.count
        if noSummary > 0 {
            out.append(pick("\(noSummary)场演练未按时形成演练总结。", "\(noSummary) drills have no summary recorded."))
        }
        let deadlines = findings.filter { if case .deadlineNotDone = $0 { true } else { false } }.count
        if deadlines > 0 {
            out.append(
                pick(
                    "\(deadlines)项上报事项已过期限未登记完成。",
                    "\(deadlines) reporting deadlines passed without being recorded as done."))
        }
        let overdue = findings.filter { if case .actionOverdue = $0 { true } else { false } }.count
        if overdue > 0 {
            out.append(pick("\(overdue)项整改措施逾期未完成。", "\(overdue) corrective actions are overdue."))
        }
        return out
    }

    /// 六、下一年度工作计划: next year's rules in words, or this year's carried forward.
    func nextYearLines() -> [String] {
        let source = nextPlan ?? plan
        let year = plan.year + 1
        let describeFrequency = FrequencyText(language: language)
        var lines = source.rules.map { rule -> String in
            let teams =
                rule.kind == .deadline
                ? source.town.station
                : Self.teamsText(source.teams(matching: rule.teams), all: source.teams, language: language)
            return pick(
                "\(rule.displayName(language))：\(teams)，\(describeFrequency.describe(rule.frequency))\(rule.joint ? "（联合开展）" : "")。",
                "\(rule.displayName(language)): \(teams), \(describeFrequency.describe(rule.frequency))\(rule.joint ? " (joint)" : "")."
            )
        }
        let open = compliance.data.actions.filter { $0.status == .open }.count
        if open > 0 {
            lines.append(
                pick(
                    "\(open)项未完成的整改措施转入\(year)年继续跟踪落实。",
                    "\(open) open corrective actions carry over into \(year)."))
        }
        return lines
    }

    /// "各村应急救援队伍（14支）" for every team of a level, else the names.
    static func teamsText(_ teams: [Team], all: [Team], language: Language) -> String {
        let levels = Set(teams.map(\.level))
        if levels.count == 1, let level = levels.first, teams.count > 2,
            all.filter({ $0.level == level }).count == teams.count
        {
            return language.pick(
                "各\(level.label(.zh))（\(teams.count)支）", "every \(level.label(.en)) (\(teams.count))")
        }
        return teams.map { $0.displayName(language) }.joined(separator: language.pick("、", ", "))
    }

    /// `0.871` → `87.1%`, `0.6` → `60%`.
    static func percent(_ rate: Double) -> String {
        let tenths = Int((rate * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation in DrillCore).
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
