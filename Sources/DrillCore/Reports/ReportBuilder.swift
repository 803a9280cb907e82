/// Builds the January annual report (and the attendance matrix) from a compliance check.
///
/// ```swift
/// let report = ReportBuilder(compliance: c, language: .zh).build()
/// ```
public struct ReportBuilder: Sendable {
    /// The compliance check the report is made from.
    public var compliance: Compliance
    /// Language of every text in the report.
    public var language: Language
    /// Next year's plan, when the town folder has one: section 六 is written from it.
    public var nextPlan: Plan?
    /// Contact and phone for the sign-off block (编制单位 is the station).
    public var contact: String = ""
    public var phone: String = ""
    /// The report's date (default: the as-of day).
    public var reportDate: CivilDate?

    /// Makes a builder.
    public init(compliance: Compliance, language: Language, nextPlan: Plan? = nil) {
        self.compliance = compliance
        self.language = language
        self.nextPlan = nextPlan
    }

    var plan: Plan { compliance.plan }
    func pick(_ zh: String, _ en: String) -> String { language.pick(zh, en) }

    /// The report.
    public func build() -> AnnualReport {
        let c = compliance
        let describe = Describe(plan: plan, roster: c.roster, language: language)
        let sessionsByUID = Dictionary(uniqueKeysWithValues: c.data.sessions.map { ($0.uid, $0) })
        let title = describe.sessionTitles(c.data.sessions)
        let name = { (uid: String) -> String in
            sessionsByUID[uid].flatMap { s in plan.rules.first { $0.id == s.ruleID }?.displayName(language) } ?? uid
        }

        // Teams.
        var byTeam: [String: [Member]] = [:]
        for m in c.roster.members { for t in m.teams { byTeam[t, default: []].append(m) } }
        let teams = plan.teams.map { team -> AnnualReport.TeamLine in
            let members = byTeam[team.id] ?? []
            var roles: [Role: Int] = [:]
            for m in members { for r in m.roles { roles[r, default: 0] += 1 } }
            let shown = Set(roles.keys).union(team.requiredRoles.keys).sorted()
            let counts = shown.map {
                AnnualReport.RoleCount(role: $0.label(language), have: roles[$0] ?? 0, required: team.requiredRoles[$0] ?? 0)
            }
            let missing = team.requiredRoles.filter { (roles[$0.key] ?? 0) < $0.value }.map(\.key).sorted()
            return AnnualReport.TeamLine(
                id: team.id, name: team.displayName(language), level: team.level.label(language), members: members.count,
                minimum: team.minimumMembers, roles: counts, missingRoles: missing.map { $0.label(language) },
                meetsMinimum: members.count >= team.minimumMembers)
        }

        // Rules.
        let progress = c.ruleProgress()
        let rules = plan.rules.map { rule -> AnnualReport.RuleLine in
            let mine = progress.filter { $0.rule == rule.id }
            let teamsText = rule.kind == .deadline
                ? plan.town.station
                : Self.teamsText(plan.teams(matching: rule.teams), all: plan.teams, language: language)
            return AnnualReport.RuleLine(
                id: rule.id, name: rule.displayName(language), kind: rule.kind.label(language),
                frequency: frequencyText(rule), teams: teamsText, required: mine.reduce(0) { $0 + $1.requiredInYear },
                held: mine.reduce(0) { $0 + $1.held })
        }

        // Sessions by kind.
        let live = c.data.sessions.filter { !$0.cancelled && $0.kind != .deadline }
        var kindOrder: [String] = []
        var planned: [String: Int] = [:]
        var held: [String: Int] = [:]
        for s in live {
            let k = s.kind.label(language)
            if planned[k] == nil { kindOrder.append(k) }
            planned[k, default: 0] += 1
            if c.isHeld(s) { held[k, default: 0] += 1 }
        }
        let kinds = kindOrder.sorted().map { AnnualReport.KindCount(kind: $0, planned: planned[$0]!, held: held[$0] ?? 0) }

        // Sessions with turnout (one line per session; joint sessions add their teams up).
        let turnouts = Dictionary(grouping: c.turnouts(), by: \.uid)
        let sessions = live.sorted { ($0.slot.absoluteStart, $0.uid) < ($1.slot.absoluteStart, $1.uid) }.map {
            s -> AnnualReport.SessionLine in
            let ts = turnouts[s.uid] ?? []
            let venue = s.venueID.flatMap { plan.venue($0)?.name } ?? ""
            return AnnualReport.SessionLine(
                uid: s.uid, when: s.slot.description, date: s.slot.date.description, name: name(s.uid),
                kind: s.kind.label(language),
                teams: s.teamIDs.map { plan.team($0)?.displayName(language) ?? $0 }.joined(separator: pick("、", ", ")),
                venue: venue, rosterSize: ts.reduce(0) { $0 + $1.rosterSize }, counted: ts.reduce(0) { $0 + $1.counted },
                minimum: ts.reduce(0) { $0 + $1.minimum }, late: ts.reduce(0) { $0 + $1.late },
                excused: ts.reduce(0) { $0 + $1.excused }, absent: ts.reduce(0) { $0 + $1.absent },
                guests: ts.first?.guests ?? 0,
                missingRoles: Array(Set(ts.flatMap(\.missingRoles))).sorted().map { $0.label(language) },
                held: c.isHeld(s), finalized: s.finalized, belowMinimum: ts.contains { $0.belowMinimum },
                summary: c.data.summaries[s.uid])
        }

        // Members × held sessions.
        let heldSessions = live.filter { c.isHeld($0) && $0.slot.date <= c.asOf }
            .sorted { ($0.slot.absoluteStart, $0.uid) < ($1.slot.absoluteStart, $1.uid) }
        let columns = matrixColumns(heldSessions, name: name)
        let rates = Dictionary(uniqueKeysWithValues: c.memberRates().map { ($0.member, $0) })
        let members = c.roster.members.map { m -> AnnualReport.MemberLine in
            let r = rates[m.id]
            return AnnualReport.MemberLine(
                id: m.id, name: m.name,
                teams: m.teams.map { plan.team($0)?.displayName(language) ?? $0 }.joined(separator: pick("、", ", ")),
                expected: r?.expected ?? 0, attended: r?.attended ?? 0, rate: r?.rate,
                belowThreshold: (r?.expected ?? 0) > 0 && (r?.rate ?? 1) < c.threshold,
                cells: heldSessions.map { r?.statuses[$0.uid] ?? "" })
        }

        // Shortfalls and actions.
        let findings = c.findings()
        let shortfalls = findings.filter {
            switch $0 {
            case .forecast, .roster(.onSeveralTeams): false
            default: true
            }
        }.map { describe.compliance($0, sessionName: title) }
        let forecast = c.forecast().map { d, item -> AnnualReport.ForecastLine in
            let team: String
            switch item {
            case .turnout(_, let t, _, _, _, _), .ruleShort(_, let t, _, _, _): team = t
            }
            return AnnualReport.ForecastLine(
                team: describe.teamOrStation(team), deadline: d.description,
                message: describe.forecast(item, deadline: d, sessionName: title))
        }

        var report = AnnualReport(
            townName: language == .en ? (plan.town.nameEnglish ?? plan.town.name) : plan.town.name,
            county: plan.town.county, station: plan.town.station, year: plan.year, asOf: c.asOf.description,
            language: language, teams: teams, rules: rules, kinds: kinds, sessions: sessions, members: members,
            matrixSessions: columns, threshold: c.threshold, shortfalls: shortfalls, actions: actions(findings),
            forecast: forecast)
        report.township = township(report, findings: findings, title: title)
        return report
    }

    /// Matrix columns whose headers never repeat: date, team or village, short title; a number is
    /// added only if two sessions still read the same.
    func matrixColumns(_ held: [SessionRecord], name: (String) -> String) -> [AnnualReport.MatrixColumn] {
        var seen: [String: Int] = [:]
        return held.map { s in
            let place: String
            if s.teamIDs.count == 1, let team = plan.team(s.teamIDs[0]) {
                place = team.village.flatMap { plan.village($0)?.name } ?? team.displayName(language)
            } else if s.teamIDs.isEmpty {
                place = plan.town.station
            } else {
                place = pick("联合", "joint")
            }
            var column = AnnualReport.MatrixColumn(
                uid: s.uid, date: s.slot.date.description, title: shortTitle(name(s.uid)), place: place, teamIDs: s.teamIDs)
            let n = seen[column.header, default: 0] + 1
            seen[column.header] = n
            if n > 1 { column.title += "（\(n)）" }
            return column
        }
    }

    /// A rule name without the generic tail a column has no room for (应急救援队, 集中).
    func shortTitle(_ name: String) -> String {
        var t = name
        for word in ["村应急救援队", "应急救援队", "集中"] where t.count > 6 { t = t.replacingAll(word, "") }
        return t
    }

    /// The measures that answer each kind of shortfall (one line per kind present).
    func actions(_ findings: [ComplianceFinding]) -> [String] {
        var out: [String] = []
        let keys = Set(findings.map(\.key))
        if keys.contains("below_minimum") {
            out.append(pick("从基干民兵、青壮劳力和返乡人员中补充队员，6月底前达到最低人数。",
                "Recruit from core militia, able-bodied labourers and returning workers to reach the minimum by the end of June."))
        }
        if keys.contains("missing_role") || keys.contains("turnout_missing_role") {
            out.append(pick("协调派出所、卫生院等单位固定派员参训，确保力量构成齐全。",
                "Ask the police station and health centre to assign fixed members so every required source attends."))
        }
        if keys.contains("grid_without_manager") {
            out.append(pick("为空缺网格明确应急管理员，并纳入网格信息表。",
                "Name an emergency manager for each uncovered grid and add them to the grid table."))
        }
        if keys.contains("turnout_below_minimum") || keys.contains("member_below_threshold") {
            out.append(pick("对出勤不足的队员逐一提醒，出勤率低于阈值的在下次演练前补训。",
                "Remind members with low attendance individually; those under the threshold take a make-up session."))
        }
        if keys.contains("not_recorded") {
            out.append(pick("督促各演练负责人在活动当天完成签到登记。",
                "Have drill leaders record attendance on the day."))
        }
        if keys.contains("rule_behind") || keys.contains("forecast") {
            out.append(pick("调整下半年排期，补足计划要求的培训和演练次数。",
                "Rearrange the rest of the schedule to hold the sessions the rules still require."))
        }
        return out
    }

    func frequencyText(_ rule: Rule) -> String {
        FrequencyText(language: language).describe(rule.frequency)
    }
}
