extension Describe {
    func date(_ d: CivilDate) -> String { language == .zh ? "\(d.month)月\(d.day)日" : d.description }

    func rule(_ id: String) -> String { plan.rules.first { $0.id == id }?.displayName(language) ?? id }

    func teamOrStation(_ id: String) -> String { id == "station" ? plan.town.station : team(id) }

    /// A compliance finding as one sentence.
    public func compliance(_ f: ComplianceFinding, sessionName: (String) -> String) -> String {
        switch f {
        case .roster(let r):
            return finding(r)
        case .turnoutBelowMinimum(let t):
            return pick(
                "\(date(t.date)) \(sessionName(t.uid))：\(team(t.team))实到 \(t.counted) 人，低于最少 \(t.minimum) 人（在册 \(t.rosterSize)，请假 \(t.excused)，缺勤 \(t.absent)）",
                "\(t.date) \(sessionName(t.uid)): \(team(t.team)) had \(t.counted) present, below its minimum \(t.minimum) (\(t.rosterSize) on roster, \(t.excused) excused, \(t.absent) absent)")
        case .turnoutMissingRole(let t, let role):
            return pick(
                "\(date(t.date)) \(sessionName(t.uid))：\(team(t.team))到场人员中没有\(role.chinese)力量",
                "\(t.date) \(sessionName(t.uid)): no \(role.english) member of \(team(t.team)) was present")
        case .notRecorded(let uid, let d):
            return pick("\(date(d)) \(sessionName(uid))：尚未登记出勤", "\(d) \(sessionName(uid)): attendance not recorded")
        case .ruleBehind(let p):
            return pick(
                "\(teamOrStation(p.team))“\(rule(p.rule))”：截至目前应开展 \(p.requiredByNow) 次，已开展 \(p.held) 次",
                "\(teamOrStation(p.team)), \(rule(p.rule)): \(p.requiredByNow) required by now, \(p.held) held")
        case .memberBelowThreshold(let r, let threshold):
            let rate = Int(((r.rate ?? 0) * 100).rounded())
            return pick(
                "\(member(r.member)) 出勤率 \(rate)%（\(r.attended)/\(r.expected)），低于 \(Int(threshold * 100))%",
                "\(member(r.member)) attended \(rate)% (\(r.attended)/\(r.expected)), below \(Int(threshold * 100))%")
        case .forecast(let item, let deadline):
            return forecast(item, deadline: deadline, sessionName: sessionName)
        case .summaryMissing(let uid, let d):
            return pick(
                "\(date(d)) \(sessionName(uid))：演练已开展 \(Compliance.summaryDays) 天以上，尚未登记演练总结",
                "\(d) \(sessionName(uid)): held over \(Compliance.summaryDays) days ago, no summary recorded")
        case .deadlineNotDone(let uid, let d):
            return pick(
                "\(sessionName(uid))：期限 \(date(d)) 已过，未登记完成（drillcal done）",
                "\(sessionName(uid)): due \(d), not recorded as done (drillcal done)")
        case .actionOverdue(let a):
            return pick(
                "整改措施 #\(a.id)“\(a.text)”（\(a.owner)）应于 \(date(a.due))前完成，仍未完成",
                "corrective action #\(a.id) \"\(a.text)\" (\(a.owner)) was due \(a.due) and is still open")
        }
    }

    /// A forecast warning as one sentence, e.g.
    /// "龙潭村应急救援队：3 人外出至 10 月，7月12日的村级集中训练预计到场 8 人，少于 10 人".
    public func forecast(_ item: ForecastItem, deadline: CivilDate, sessionName: (String) -> String) -> String {
        let by = pick("\(deadline.month)月\(deadline.day)日前", "by \(deadline)")
        switch item {
        case .turnout(let uid, let t, let d, let expected, let minimum, let away):
            let latest = away.map(\.until).max()
            let awayText = latest.map {
                pick("\(away.count) 人外出至 \($0.month) 月\($0.day)日", "\(away.count) away until \($0)")
            } ?? ""
            return pick(
                "【预测·\(by)】\(team(t))：\(awayText)，\(date(d))的\(sessionName(uid))预计到场 \(expected) 人，少于 \(minimum) 人",
                "[forecast, \(by)] \(team(t)): \(awayText); \(sessionName(uid)) on \(d) will have \(expected) of \(minimum)")
        case .ruleShort(let r, let t, _, let required, let possible):
            return pick(
                "【预测·\(by)】\(teamOrStation(t))“\(rule(r))”应开展 \(required) 次，按现有安排最多 \(possible) 次",
                "[forecast, \(by)] \(teamOrStation(t)), \(rule(r)): \(required) required, at most \(possible) possible as planned")
        }
    }
}

extension Describe {
    /// A session's title as people say it: rule name and teams (`防汛转移撤离综合实战演练（下坪村应急救援队）`).
    public func sessionTitle(_ s: SessionRecord) -> String {
        let name = rule(s.ruleID)
        if s.teamIDs.isEmpty { return name }
        let teams = s.teamIDs.map(team).joined(separator: pick("、", ", "))
        return pick("\(name)（\(teams)）", "\(name) (\(teams))")
    }

    /// Titles of sessions by UID, for sentences that name a session.
    public func sessionTitles(_ sessions: [SessionRecord]) -> (String) -> String {
        let titles = Dictionary(sessions.map { ($0.uid, sessionTitle($0)) }, uniquingKeysWith: { a, _ in a })
        return { titles[$0] ?? $0 }
    }
}
