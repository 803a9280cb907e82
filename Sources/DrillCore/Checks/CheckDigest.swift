/// The findings of a check grouped the way a clerk works through them: counts per kind first, then
/// roster problems one by one, then one line per team with its session-level findings aggregated
/// ("上村应急救援队：7 场中 3 场到场不足 10 人（最低 7 人）"), then the station's own items.
///
/// A rule that is behind now and also short at the coming deadline is said once, in one sentence.
///
/// ```swift
/// let digest = CheckDigest(compliance: c, findings: c.findings(), language: .zh)
/// for line in digest.roster { print(line) }
/// ```
public struct CheckDigest: Sendable {
    /// One finding kind and how many items of it need action.
    public struct Count: Hashable, Sendable, Codable {
        public var kind: String
        public var label: String
        public var count: Int
    }

    /// One team's aggregated findings.
    public struct TeamLine: Hashable, Sendable, Codable {
        /// Team id, or several joined with `+` for joint sessions.
        public var team: String
        public var name: String
        /// One phrase per kind of problem.
        public var parts: [String]
        /// `name：part；part`.
        public var text: String
    }

    /// Counts per kind of the findings that need action, in the order of `kindOrder`.
    public var counts: [Count]
    /// Roster problems (size, sources, grids) that need action, one sentence each.
    public var roster: [String]
    /// One line per team with anything to act on, in plan order.
    public var teams: [TeamLine]
    /// Station-level items: deadlines not recorded, overdue corrective actions.
    public var station: [String]
    /// Information only (members on several teams…), as one summary sentence each.
    public var notes: [String]

    /// Finding kinds in the order a clerk reads them.
    public static let kindOrder = [
        "below_minimum", "missing_role", "grid_without_manager", "turnout_below_minimum",
        "turnout_missing_role",
        "not_recorded", "rule_behind", "forecast", "member_below_threshold", "summary_missing",
        "deadline_not_done", "action_overdue",
    ]

    /// Groups `findings` of `compliance`.
    public init(compliance c: Compliance, findings: [ComplianceFinding], language: Language) {
        let d = Describe(plan: c.plan, roster: c.roster, language: language)
        func pick(_ zh: String, _ en: String) -> String { language.pick(zh, en) }
        let sessions = Dictionary(c.data.sessions.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })
        let title = d.sessionTitles(c.data.sessions)

        var tally: [String: Int] = [:]
        for f in findings where f.needsAction { tally[f.key, default: 0] += 1 }
        counts = Self.kindOrder.compactMap { k in
            tally[k].map { Count(kind: k, label: Self.label(k, language), count: $0) }
        }

        roster = findings.compactMap { f -> String? in
            if case .roster(let r) = f, r.needsAction { return d.finding(r) }
            return nil
        }
        let several = findings.filter { if case .roster(.onSeveralTeams) = $0 { true } else { false } }.count
        notes =
            several == 0
            ? []
            : [
                pick(
                    "\(several) 名队员同时在多支队伍，其训练演练时间已错开（--all 查看名单）",
                    "\(several) members are on several teams; their sessions are kept apart (--all lists them)"
                )
            ]

        // Per-team parts, in a fixed order of kinds.
        var parts: [String: [String: [String]]] = [:]  // team key -> kind -> phrases
        func add(_ team: String, _ kind: String, _ phrase: String) {
            parts[team, default: [:]][kind, default: []].append(phrase)
        }
        let turnouts = c.turnouts().filter(\.held)
        let heldByTeam = Dictionary(grouping: turnouts, by: \.team)

        let below = findings.compactMap { f -> SessionTurnout? in
            if case .turnoutBelowMinimum(let t) = f { t } else { nil }
        }
        for (team, ts) in Dictionary(grouping: below, by: \.team) {
            let held = heldByTeam[team]?.count ?? ts.count
            // Each session against its own floor (`min_turnout` of its rule or team, else the
            // team minimum); floors that differ between rules are shown as a range.
            let floors = ts.map(\.minimum)
            let low = floors.min() ?? 0, high = floors.max() ?? 0
            let floor = low == high ? "\(high)" : "\(low)–\(high)"
            let lowest = ts.map(\.counted).min() ?? 0
            add(
                team, "turnout_below_minimum",
                pick(
                    "\(held) 场中 \(ts.count) 场到场不足 \(floor) 人（最低 \(lowest) 人）",
                    "\(ts.count) of \(held) sessions below \(floor) present (lowest \(lowest))"))
        }
        var missing: [String: [Role: Int]] = [:]
        for f in findings {
            if case .turnoutMissingRole(let t, let r) = f {
                missing[t.team, default: [:]][r, default: 0] += 1
            }
        }
        for (team, roles) in missing {
            let held = heldByTeam[team]?.count ?? 0
            for (role, n) in roles.sorted(by: { $0.key < $1.key }) {
                add(
                    team, "turnout_missing_role",
                    pick(
                        "\(held) 场中 \(n) 场无\(role.chinese)人员到场",
                        "\(n) of \(held) sessions with no \(role.english) member present"))
            }
        }
        func teamKey(_ uid: String) -> String {
            let ids = sessions[uid]?.teamIDs ?? []
            return ids.isEmpty ? "station" : ids.joined(separator: "+")
        }
        var notRecorded: [String: [CivilDate]] = [:]
        var noSummary: [String: [CivilDate]] = [:]
        for f in findings {
            if case .notRecorded(let uid, let date) = f {
                notRecorded[teamKey(uid), default: []].append(date)
            }
            if case .summaryMissing(let uid, let date) = f {
                noSummary[teamKey(uid), default: []].append(date)
            }
        }
        for (team, dates) in notRecorded {
            let first = dates.min()!
            add(
                team, "not_recorded",
                pick(
                    "\(dates.count) 场已过未登记出勤（最早 \(d.date(first))）",
                    "\(dates.count) past sessions without attendance (first \(first))"))
        }
        for (team, dates) in noSummary {
            add(
                team, "summary_missing",
                pick(
                    "\(dates.count) 场演练超过 \(Compliance.summaryDays) 天未交演练总结（最早 \(d.date(dates.min()!))）",
                    "\(dates.count) drills without a summary after \(Compliance.summaryDays) days (first \(dates.min()!))"
                ))
        }
        // Rules behind now, merged with the same rule's forecast shortfall.
        var shortAhead: [String: (CivilDate, Int, Int)] = [:]
        var awayAhead: [String: [(CivilDate, Int, Int)]] = [:]
        for f in findings {
            guard case .forecast(let item, let deadline) = f else { continue }
            switch item {
            case .ruleShort(let r, let t, _, let required, let possible):
                if shortAhead["\(r)|\(t)"] == nil { shortAhead["\(r)|\(t)"] = (deadline, required, possible) }
            case .turnout(_, let t, let date, let expected, let minimum, _):
                awayAhead[t, default: []].append((date, expected, minimum))
            }
        }
        var saidRule = Set<String>()
        for f in findings {
            guard case .ruleBehind(let p) = f else { continue }
            let key = "\(p.rule)|\(p.team)"
            saidRule.insert(key)
            var phrase = pick(
                "“\(d.rule(p.rule))”截至目前应开展 \(p.requiredByNow) 次、已开展 \(p.held) 次",
                "\(d.rule(p.rule)): \(p.held) of \(p.requiredByNow) held so far")
            if let (deadline, required, possible) = shortAhead[key] {
                phrase += pick(
                    "，按现有安排至\(d.date(deadline))最多 \(possible) 次（应 \(required) 次）",
                    ", at most \(possible) of \(required) by \(deadline) as planned")
            }
            add(p.team, "rule_behind", phrase)
        }
        for (key, value) in shortAhead.sorted(by: { $0.key < $1.key }) where !saidRule.contains(key) {
            let parts = key.split(separator: "|").map(String.init)
            let (deadline, required, possible) = value
            add(
                parts[1], "forecast",
                pick(
                    "“\(d.rule(parts[0]))”至\(d.date(deadline))应开展 \(required) 次，按现有安排最多 \(possible) 次",
                    "\(d.rule(parts[0])): \(required) required by \(deadline), at most \(possible) as planned"
                ))
        }
        for (team, items) in awayAhead {
            let worst = items.min { $0.1 < $1.1 }!
            add(
                team, "forecast",
                pick(
                    "今后 \(items.count) 场因外出预计到场不足 \(worst.2) 人（最少 \(worst.1) 人，\(d.date(worst.0))）",
                    "\(items.count) coming sessions expected below \(worst.2) because of absences (fewest \(worst.1), \(worst.0))"
                ))
        }
        // Members under the threshold, by their first team.
        var lowMembers: [String: Int] = [:]
        for f in findings {
            if case .memberBelowThreshold(let r, _) = f {
                lowMembers[c.roster.member(r.member)?.teams.first ?? "station", default: 0] += 1
            }
        }
        let percent = Int((c.threshold * 100).rounded())
        for (team, n) in lowMembers {
            add(
                team, "member_below_threshold",
                pick(
                    "\(n) 名队员出勤率低于 \(percent)%", "\(n) members attended under \(percent)%"))
        }

        // Team lines in plan order, then joint-session keys.
        var order = c.plan.teams.map(\.id)
        for key in parts.keys.sorted() where !order.contains(key) && key != "station" { order.append(key) }
        teams = order.compactMap { key -> TeamLine? in
            guard let byKind = parts[key] else { return nil }
            let phrases = Self.kindOrder.flatMap { byKind[$0] ?? [] }
            let name = key.split(separator: "+").map { d.teamOrStation(String($0)) }.joined(
                separator: pick("、", ", "))
            return TeamLine(
                team: key, name: name, parts: phrases,
                text: name + pick("：", ": ") + phrases.joined(separator: pick("；", "; ")))
        }
        var stationLines: [String] = []
        if let byKind = parts["station"] {
            let phrases = Self.kindOrder.flatMap { byKind[$0] ?? [] }
            stationLines.append(
                c.plan.town.station + pick("：", ": ") + phrases.joined(separator: pick("；", "; ")))
        }
        for f in findings {
            switch f {
            case .deadlineNotDone, .actionOverdue: stationLines.append(d.compliance(f, sessionName: title))
            default: break
            }
        }
        station = stationLines
    }

    /// The heading of a finding kind.
    public static func label(_ kind: String, _ language: Language) -> String {
        switch kind {
        case "below_minimum": language.pick("人数不足", "below minimum")
        case "missing_role": language.pick("缺少力量", "missing source")
        case "grid_without_manager": language.pick("网格无管理员", "grid without manager")
        case "turnout_below_minimum": language.pick("到场不足", "turnout below minimum")
        case "turnout_missing_role": language.pick("力量未到场", "source absent")
        case "not_recorded": language.pick("未登记出勤", "not recorded")
        case "rule_behind": language.pick("次数落后", "rule behind")
        case "forecast": language.pick("预测", "forecast")
        case "member_below_threshold": language.pick("出勤率低", "low attendance")
        case "summary_missing": language.pick("缺演练总结", "summary missing")
        case "deadline_not_done": language.pick("期限未完成", "deadline not done")
        case "action_overdue": language.pick("整改逾期", "action overdue")
        default: kind
        }
    }
}
