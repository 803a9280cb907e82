import DrillCore
import Testing

@Suite struct ComplianceTests {
    /// Shangcun (12 members) with a drill held on 2027-03-10 and a training planned on 2027-07-05.
    func town() throws -> (Plan, Roster, Schedule, [Demand]) {
        let rules = [
            Rule(id: "drill", name: "防汛演练", kind: .drill(.live, .comprehensive), teams: [.team("v-shangcun")],
                frequency: .count(1, per: .year), window: .period(.dates(DateRange(from: date("2027-03-10"), to: date("2027-03-10"))))),
            Rule(id: "train", name: "集中训练", kind: .training, teams: [.team("v-shangcun")],
                frequency: .count(1, per: .year), window: .period(.dates(DateRange(from: date("2027-07-05"), to: date("2027-07-05"))))),
        ]
        var (plan, roster) = smallTown(rules: rules)
        plan.teams[1].requiredRoles = [.clinic: 1]
        var members = roster.members
        members[30].roles.append(.clinic)  // v0-0 is Shangcun's clinic member
        roster = Roster(members: members)
        let s = scheduler(plan, roster)
        return (plan, roster, try s.schedule(), try s.demands())
    }

    func mark(_ uid: String, _ id: String, _ status: AttendanceStatus, reason: String? = nil) -> AttendanceMark {
        AttendanceMark(sessionUID: uid, memberID: id, status: status, reason: reason, recordedBy: "t", recordedAt: 0, source: .cli)
    }

    @Test func nineOfTenIsFlaggedAndAMissingSourceToo() throws {
        let (plan, roster, schedule, demands) = try town()
        let drill = "qingshan-2027-drill-v-shangcun-01@drillcal"
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        // 9 present (not the clinic member v0-0), 1 excused, 2 not recorded.
        data.marks = (1...9).map { mark(drill, "v0-\($0)", .present) } + [mark(drill, "v0-10", .excused, reason: "生病")]
        let c = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-03-20"))
        let t = try #require(c.turnouts().first { $0.uid == drill })
        #expect((t.counted, t.excused, t.absent, t.minimum) == (9, 1, 2, 10))
        #expect(t.belowMinimum)
        #expect(t.missingRoles == [.clinic])
        let findings = c.findings()
        #expect(findings.contains(.turnoutBelowMinimum(t)))
        #expect(findings.contains(.turnoutMissingRole(t, .clinic)))
        // 10 present is not flagged.
        data.marks.append(mark(drill, "v0-0", .late))
        let ok = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-03-20"))
        #expect(ok.turnouts().first { $0.uid == drill }!.belowMinimum == false)
        #expect(ok.turnouts().first { $0.uid == drill }!.missingRoles.isEmpty)
    }

    @Test func memberRatesAndThreshold() throws {
        let (plan, roster, schedule, demands) = try town()
        let drill = "qingshan-2027-drill-v-shangcun-01@drillcal"
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        data.marks = [mark(drill, "v0-1", .present), mark(drill, "v0-2", .excused, reason: "出差"), mark(drill, "v0-3", .absent)]
        let c = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-03-20"))
        let rates = Dictionary(uniqueKeysWithValues: c.memberRates().map { ($0.member, $0) })
        #expect(rates["v0-1"]!.rate == 1.0)
        #expect(rates["v0-2"]!.expected == 0)  // excused is not held against them
        #expect(rates["v0-3"]!.rate == 0.0)
        #expect(rates["v0-4"]!.rate == 0.0)  // not recorded counts as absent
        #expect(rates["t0"]!.expected == 0)  // not on the team
        #expect(c.findings().contains { if case .memberBelowThreshold(let r, _) = $0 { r.member == "v0-3" } else { false } })
        #expect(!c.findings().contains { if case .memberBelowThreshold(let r, _) = $0 { r.member == "v0-1" } else { false } })
    }

    @Test func forecastSeesMembersAwayBeforeTheJulySession() throws {
        let (plan, roster, schedule, demands) = try town()
        let data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        // After publishing, 3 of Shangcun's 12 report they work away until October: the July
        // training will have 9 of 10.
        var members = roster.members
        for i in members.indices where ["v0-1", "v0-2", "v0-3"].contains(members[i].id) {
            members[i].absences = [Absence(range: DateRange(from: date("2027-05-01"), to: date("2027-10-15")), reason: "外出务工")]
        }
        let later = Roster(members: members)
        let c = Compliance(plan: plan, roster: later, demands: demands, data: data, asOf: date("2027-04-20"))
        let items = c.forecast()
        let july = try #require(items.first { if case .turnout = $0.item { true } else { false } })
        #expect(july.deadline == date("2027-12-31"))
        guard case .turnout(let uid, let team, let day, let expected, let minimum, let away) = july.item else { return }
        #expect(uid == "qingshan-2027-train-v-shangcun-01@drillcal")
        #expect((team, day, expected, minimum) == ("v-shangcun", date("2027-07-05"), 9, 10))
        #expect(away.map(\.member).sorted() == ["v0-1", "v0-2", "v0-3"])
        let text = Describe(plan: plan, roster: later, language: .zh).forecast(july.item, deadline: july.deadline) { _ in "集中训练" }
        #expect(text.contains("3 人外出至 10 月15日"))
        #expect(text.contains("预计到场 9 人，少于 10 人"))
        // With the original roster nobody is away in July: no turnout warning.
        let before = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-04-20")).forecast()
        #expect(!before.contains { if case .turnout = $0.item { true } else { false } })
    }

    @Test func rulesBehindAndUnplacedDemandsInTheForecast() throws {
        let (plan, roster, schedule, demands) = try town()
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        // The March drill was never held: behind by now, and the half-year cannot make it up.
        let c = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-04-01"))
        let progress = c.ruleProgress().first { $0.rule == "drill" }!
        #expect((progress.requiredByNow, progress.held, progress.planned) == (1, 0, 1))
        #expect(c.findings().contains(.ruleBehind(progress)))
        #expect(c.findings().contains(.notRecorded(session: "qingshan-2027-drill-v-shangcun-01@drillcal", date: date("2027-03-10"))))
        let short = c.forecast().filter { if case .ruleShort("drill", "v-shangcun", _, 1, 0) = $0.item { true } else { false } }
        #expect(short.map(\.deadline) == [date("2027-06-30")])
        // Once held, neither.
        data.marks = [mark("qingshan-2027-drill-v-shangcun-01@drillcal", "v0-1", .present)]
        let held = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-04-01"))
        #expect(!held.findings().contains { $0.key == "rule_behind" || $0.key == "not_recorded" })
    }

    @Test func annualReportCarriesTeamsSessionsAndMatrix() throws {
        let (plan, roster, schedule, demands) = try town()
        let drill = "qingshan-2027-drill-v-shangcun-01@drillcal"
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        data.marks = (0...8).map { mark(drill, "v0-\($0)", .present) }
        data.summaries[drill] = DrillSummary(purpose: "检验转移撤离", problems: "广播不响")
        let c = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-12-31"))
        let r = ReportBuilder(compliance: c, language: .zh).build()
        #expect(r.teams.map(\.id) == ["town", "v-shangcun", "v-xiaping"])
        let line = try #require(r.sessions.first { $0.uid == drill })
        #expect((line.counted, line.minimum, line.belowMinimum, line.held) == (9, 10, true, true))
        #expect(line.summary?.problems == "广播不响")
        #expect(r.matrixSessions.map(\.uid) == [drill])
        let m1 = try #require(r.members.first { $0.id == "v0-1" })
        #expect(m1.cells == ["present"])
        let m9 = try #require(r.members.first { $0.id == "v0-9" })
        #expect(m9.cells == ["absent"] && m9.belowThreshold)
        #expect(r.shortfalls.contains { $0.contains("实到 9 人，低于最少 10 人") })
        #expect(!r.actions.isEmpty)
    }
}

extension ComplianceTests {
    @Test func heldDrillWithoutSummaryAfterSevenDaysIsAFinding() throws {
        let (plan, roster, schedule, demands) = try town()
        let drill = "qingshan-2027-drill-v-shangcun-01@drillcal"
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        data.marks = (0...10).map { mark(drill, "v0-\($0)", .present) }
        let week = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-03-17"))
        #expect(!week.findings().contains(.summaryMissing(session: drill, date: date("2027-03-10"))))
        let later = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-03-18"))
        #expect(later.findings().contains(.summaryMissing(session: drill, date: date("2027-03-10"))))
        let digest = CheckDigest(compliance: later, findings: later.findings(), language: .zh)
        #expect(digest.counts.contains { $0.kind == "summary_missing" && $0.count == 1 })
        #expect(
            digest.teams.first { $0.team == "v-shangcun" }?.parts.contains("1 场演练超过 7 天未交演练总结（最早 3月10日）")
                == true, "\(digest.teams)")
        data.summaries[drill] = DrillSummary(purpose: "检验预案")
        let done = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-03-18"))
        #expect(!done.findings().contains { $0.key == "summary_missing" })
    }

    @Test func digestSaysEachTeamOnceWithCountsFirst() throws {
        let (plan, roster, schedule, demands) = try town()
        let drill = "qingshan-2027-drill-v-shangcun-01@drillcal"
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        data.marks = (1...7).map { mark(drill, "v0-\($0)", .present) }
        let c = Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-04-01"))
        let digest = CheckDigest(compliance: c, findings: c.findings(), language: .zh)
        #expect(digest.counts.first { $0.kind == "turnout_below_minimum" }?.count == 1)
        let line = try #require(digest.teams.first { $0.team == "v-shangcun" })
        #expect(line.text.hasPrefix("上村应急救援队："))
        #expect(line.text.contains("1 场中 1 场到场不足 10 人（最低 7 人）"))
        #expect(digest.teams.filter { $0.team == "v-shangcun" }.count == 1)
    }
}

/// Held sessions are measured against their turnout floor: the rule's `min_turnout`, else the team's,
/// else the team minimum (never above the roster), and `check` says it as a rate per team.
extension ComplianceTests {
    static let drill = "qingshan-2027-drill-v-shangcun-01@drillcal"
    static let train = "qingshan-2027-train-v-shangcun-01@drillcal"

    /// Both of Shangcun's sessions held: `drillPresent` at the drill, `trainPresent` at the training.
    func held(
        drillFloor: TurnoutFloor? = nil, teamFloor: TurnoutFloor? = nil, drillPresent: Int, trainPresent: Int,
        shrinkTo: Int? = nil
    ) throws -> Compliance {
        var (plan, roster, schedule, demands) = try town()
        plan.rules[0].minTurnout = drillFloor
        plan.teams[1].minTurnout = teamFloor
        plan.teams[1].requiredRoles = [:]
        if let shrinkTo {
            let shangcun = Set(roster.members(of: "v-shangcun").map(\.id).sorted().suffix(12 - shrinkTo))
            roster = Roster(members: roster.members.filter { !shangcun.contains($0.id) })
        }
        var data = AttendanceData.unpublished(schedule, plan: plan, roster: roster)
        let ids = roster.members(of: "v-shangcun").map(\.id).sorted()
        data.marks =
            ids.prefix(drillPresent).map { mark(Self.drill, $0, .present) }
            + ids.prefix(trainPresent).map { mark(Self.train, $0, .present) }
        return Compliance(plan: plan, roster: roster, demands: demands, data: data, asOf: date("2027-08-01"))
    }

    func below(_ c: Compliance) -> [String: Int] {
        Dictionary(
            c.findings().compactMap { f -> (String, Int)? in
                if case .turnoutBelowMinimum(let t) = f { (t.uid, t.minimum) } else { nil }
            }, uniquingKeysWith: { a, _ in a })
    }

    @Test func theRulesMinTurnoutIsTheFloorOfItsSessions() throws {
        // Team minimum 10; the drill asks for 8: 8 present passes, 7 does not; the training keeps 10.
        let ok = try held(drillFloor: .count(8), drillPresent: 8, trainPresent: 10)
        #expect(below(ok).isEmpty)
        let short = try held(drillFloor: .count(8), drillPresent: 7, trainPresent: 9)
        #expect(below(short) == [Self.drill: 8, Self.train: 10])
        let line = try #require(CheckDigest(compliance: short, findings: short.findings(), language: .zh).teams.first)
        #expect(line.text.hasPrefix("上村应急救援队："))
        #expect(line.parts.first == "2 场中 2 场到场不足 8–10 人（最低 7 人）", "\(line.text)")
    }

    @Test func theTeamsMinTurnoutAppliesWhenTheRuleHasNone() throws {
        // 75 % of 12 is 9: 9 present passes both sessions, 8 fails the training only when the rule says 6.
        #expect(below(try held(teamFloor: .percent(75), drillPresent: 9, trainPresent: 9)).isEmpty)
        let c = try held(drillFloor: .count(6), teamFloor: .percent(75), drillPresent: 8, trainPresent: 8)
        #expect(below(c) == [Self.train: 9])
        let line = try #require(CheckDigest(compliance: c, findings: c.findings(), language: .zh).teams.first)
        #expect(line.parts.first == "2 场中 1 场到场不足 9 人（最低 8 人）", "\(line.text)")
        let en = try #require(CheckDigest(compliance: c, findings: c.findings(), language: .en).teams.first)
        #expect(en.text.contains("1 of 2 sessions below 9 present (lowest 8)"), "\(en.text)")
    }

    @Test func aTeamBelowItsMinimumIsMeasuredAgainstItsRoster() throws {
        // Nine on the roster (a roster finding of its own): nine present is full turnout, eight is short of 9.
        let full = try held(drillPresent: 9, trainPresent: 9, shrinkTo: 9)
        #expect(below(full).isEmpty)
        #expect(full.findings().contains { $0.key == "below_minimum" })
        let short = try held(drillPresent: 8, trainPresent: 9, shrinkTo: 9)
        #expect(below(short) == [Self.drill: 9])
    }
}

/// Every session's roster made at once (teams' entries shared, absences looked at per session)
/// must be each session's `rosterEntries`, entry for entry and in order.
@Suite struct SharedRosterEntriesTests {
    @Test(arguments: 1...4) func equalsEachSessionsOwn(seed: UInt64) throws {
        let (plan, roster) = randomTown(seed: seed)
        let sessions = try scheduler(plan, roster).schedule().sessions
        #expect(!sessions.isEmpty)
        let shared = ScheduledSession.rosterEntries(of: sessions, roster: roster)
        #expect(shared.count == sessions.count)
        var sawAway = false
        for session in sessions {
            let own = session.rosterEntries(roster)
            #expect(shared[session.uid] == own, "\(session.uid)")
            sawAway = sawAway || own.contains(where: \.away)
        }
        // The random towns have absences that fall on sessions: the per-session path is exercised.
        if seed == 1 { #expect(sawAway) }
    }

    @Test func aMemberListingATeamTwiceIsOneEntry() throws {
        let roster = Roster(members: [
            Member(id: "a", name: "甲", teams: ["t", "t", "u"], roles: []),
            Member(id: "b", name: "乙", teams: ["u"], roles: [], absences: [
                Absence(range: DateRange(from: date("2027-03-01"), to: date("2027-03-31")))
            ]),
        ])
        let (plan, town) = randomTown(seed: 1)
        var session = try #require(try scheduler(plan, town).schedule().sessions.first)
        session.uid = "s"
        session.teamIDs = ["t", "u"]
        session.slot.date = date("2027-03-10")
        let shared = ScheduledSession.rosterEntries(of: [session], roster: roster)
        #expect(shared["s"] == session.rosterEntries(roster))
        #expect(shared["s"]?.map(\.memberID) == ["a", "a", "b"])
        #expect(shared["s"]?.map(\.away) == [false, false, true])
    }
}
