import DrillCore
import Testing

@Suite struct DemandExpansionTests {
    @Test func countPerHalfYearSpreadsTargets() throws {
        let rule = Rule(
            id: "train", name: "集中训练", kind: .training, teams: [.team("v-shangcun")],
            frequency: .count(2, per: .halfYear))
        let (plan, roster) = smallTown(rules: [rule])
        let demands = try scheduler(plan, roster).demands()
        #expect(demands.count == 4)
        #expect(demands.map(\.ordinal) == [1, 2, 3, 4])
        #expect(demands.map(\.target.description) == ["2027-02-15", "2027-05-16", "2027-08-16", "2027-11-16"])
        #expect(demands[0].uid == "qingshan-2027-train-v-shangcun-01@drillcal")
    }

    @Test func rruleOccurrencesInsideTheSeasonOnly() throws {
        let rule = Rule(
            id: "monthly", name: "月训", kind: .training, teams: [.team("town")],
            frequency: .rrule("FREQ=MONTHLY;BYMONTHDAY=10"),
            window: .period(.annual(AnnualPeriod(from: md("04-01"), to: md("09-30")))), flexDays: 3)
        let (plan, roster) = smallTown(rules: [rule])
        let demands = try scheduler(plan, roster).demands()
        #expect(demands.map(\.target.description) == (4...9).map { "2027-0\($0)-10" })
        #expect(demands[0].allowed.map(\.description) == ["2027-04-07..2027-04-13"])
    }

    @Test func anchorAndWrappingSeason() throws {
        let anchored = Rule(
            id: "may12", name: "防灾减灾日演练", kind: .drill(.tabletop, .comprehensive), teams: [.team("town")],
            frequency: .count(1, per: .year), window: .anchor(md("05-12"), before: 3, after: 4))
        let fire = Rule(
            id: "fire", name: "森林防火演练", kind: .drill(.live, .single), teams: [.team("town")],
            frequency: .count(1, per: .year), window: .season("forest_fire"))
        var (plan, roster) = smallTown(rules: [anchored, fire])
        plan.seasons = [Season(id: "forest_fire", name: "森林防火期", period: .annual(AnnualPeriod(from: md("10-01"), to: md("04-30"))))]
        let demands = try scheduler(plan, roster).demands()
        #expect(demands[0].allowed.map(\.description) == ["2027-05-09..2027-05-16"])
        #expect(demands[0].target == date("2027-05-12"))
        #expect(demands[1].allowed.count == 2)
        #expect(demands[1].allowedDayCount == 120 + 92)
    }

    @Test func unknownSeasonIsAnError() {
        let rule = Rule(id: "x", name: "x", kind: .training, teams: [.all], frequency: .count(1, per: .year), window: .season("nope"))
        let (plan, roster) = smallTown(rules: [rule])
        #expect(throws: SchedulingError.self) { try scheduler(plan, roster).demands() }
    }

    @Test func deadlineLandsOnLastWorkingDayOnOrBefore() throws {
        let rule = Rule(id: "report", name: "年度上报", kind: .deadline, teams: [], frequency: .once(md("01-31")))
        let (plan, roster) = smallTown(rules: [rule])
        let schedule = try scheduler(plan, roster).schedule()
        // 2027-01-31 is a Sunday, so the report is due Friday 29 January.
        #expect(schedule.sessions.map(\.slot.date.description) == ["2027-01-29"])
        #expect(schedule.sessions[0].uid == "qingshan-2027-report-station-01@drillcal")
    }
}

@Suite struct HardConstraintTests {
    func training(_ id: String, teams: [TeamSelector], window: (String, String), joint: Bool = false, venue: VenueChoice? = nil, supervisor: SupervisorNeed = .none, times: [String] = ["09:00"], allowHolidays: Bool = false) -> Rule {
        Rule(
            id: id, name: id, kind: .training, teams: teams, joint: joint, frequency: .count(1, per: .year),
            window: .period(.dates(DateRange(from: date(window.0), to: date(window.1)))),
            times: times.map(time), durationMinutes: 120, venue: venue, supervisor: supervisor,
            allowHolidays: allowHolidays)
    }

    @Test func holidaysAreSkippedUnlessAllowed() throws {
        let r1 = training("a", teams: [.team("town")], window: ("2027-10-01", "2027-10-10"))
        let (plan, roster) = smallTown(rules: [r1])
        let s = try scheduler(plan, roster).schedule(recordRejections: true)
        // Target is the middle (10-06, inside 国庆); the first day after the holiday wins.
        #expect(s.sessions[0].slot.date == date("2027-10-08"))
        #expect(s.rejections[s.sessions[0].uid]!.allSatisfy { $0.constraint == .holiday(name: "国庆节") })

        let r2 = training("a", teams: [.team("town")], window: ("2027-10-01", "2027-10-10"), allowHolidays: true)
        let (plan2, _) = smallTown(rules: [r2])
        #expect(try scheduler(plan2, roster).schedule().sessions[0].slot.date == date("2027-10-06"))
    }

    @Test func blackoutAppliesToSelectedTeamsOnly() throws {
        let blackout = Blackout(
            id: "double_rush", name: "双抢", period: .annual(AnnualPeriod(from: md("07-15"), to: md("08-10"))),
            teams: [.level(.village)])
        let rules = [
            training("v", teams: [.team("v-shangcun")], window: ("2027-07-20", "2027-08-20")),
            training("t", teams: [.team("town")], window: ("2027-07-20", "2027-08-20")),
        ]
        let (plan, roster) = smallTown(rules: rules, blackouts: [blackout])
        let s = try scheduler(plan, roster).schedule()
        #expect(s.session("qingshan-2027-v-v-shangcun-01@drillcal")!.slot.date > date("2027-08-10"))
        #expect(s.session("qingshan-2027-t-town-01@drillcal")!.slot.date == date("2027-08-05"))
    }

    @Test func memberOnTwoTeamsIsNeverDoubleBooked() throws {
        var (plan, roster) = smallTown(rules: [
            training("a", teams: [.team("town")], window: ("2027-03-10", "2027-03-10"), times: ["09:00", "14:00"]),
            training("b", teams: [.team("v-shangcun")], window: ("2027-03-10", "2027-03-10"), times: ["09:00", "14:00"]),
        ])
        var members = roster.members
        members[0].teams.append("v-shangcun")  // t0 is on the town team and the Shangcun team
        roster = Roster(members: members)
        plan.defaults.minGapDays = 0
        let s = try scheduler(plan, roster).schedule()
        #expect(s.sessions.count == 2)
        #expect(Set(s.sessions.map(\.slot.startMinute)) == [540, 840])
    }

    /// A roster built by hand may list a team twice for one member: the member still comes once,
    /// whether the session has one team (a path without a set) or two; an absence on the day is
    /// taken off every listing, as the roster size counts every listing.
    @Test func memberListedTwiceOnATeamAttendsOnce() throws {
        var (plan, roster) = smallTown(rules: [
            training("a", teams: [.team("v-shangcun")], window: ("2027-03-10", "2027-03-10")),
            training("b", teams: [.team("town"), .team("v-shangcun")], window: ("2027-03-12", "2027-03-12"), joint: true, venue: .venue("square")),
        ])
        var members = roster.members
        let twice = try #require(members.firstIndex { $0.teams == ["v-shangcun"] })
        members[twice].teams = ["v-shangcun", "v-shangcun"]
        let away = try #require(members.lastIndex { $0.teams == ["v-shangcun"] })
        members[away].absences = [Absence(range: DateRange(from: date("2027-03-10"), to: date("2027-03-12")), reason: "外出务工")]
        roster = Roster(members: members)
        plan.defaults.minGapDays = 0
        let s = try scheduler(plan, roster).schedule()
        #expect(s.sessions.count == 2)
        let shangcun = roster.members.filter { $0.teams.contains("v-shangcun") }
        for session in s.sessions {
            #expect(session.memberIDs.count == Set(session.memberIDs).count, "\(session.uid) lists a member twice")
            #expect(session.memberIDs.filter { $0 == members[twice].id }.count == 1)
            #expect(!session.memberIDs.contains(members[away].id))
            let turnout = try #require(session.turnout.first { $0.team == "v-shangcun" })
            #expect(turnout.rosterSize == shangcun.count + 1)
            #expect(turnout.away == [members[away].id])
            #expect(turnout.expected == shangcun.count)
        }
    }

    @Test func turnoutCountsAbsencesAndShortTeamsUseTheWholeRoster() throws {
        var (plan, roster) = smallTown(villageSize: 11, rules: [
            training("a", teams: [.team("v-shangcun")], window: ("2027-03-01", "2027-03-31"))
        ])
        var members = roster.members
        // Two of Shangcun's 11 are away 2027-03-01..03-20: only 9 would come, below 10.
        for i in members.indices where members[i].id == "v0-1" || members[i].id == "v0-2" {
            members[i].absences = [Absence(range: DateRange(from: date("2027-03-01"), to: date("2027-03-20")), reason: "外出务工")]
        }
        roster = Roster(members: members)
        let s = try scheduler(plan, roster).schedule()
        #expect(s.sessions[0].slot.date == date("2027-03-21"))
        #expect(s.sessions[0].turnout[0].expected == 11)

        // A team of 9 (below 10): scheduled with all 9 present, shortfall reported.
        (plan, roster) = smallTown(villageSize: 9, rules: [training("a", teams: [.team("v-shangcun")], window: ("2027-03-01", "2027-03-31"))])
        let short = try scheduler(plan, roster).schedule()
        #expect(short.sessions[0].memberIDs.count == 9)
        #expect(short.shortfalls.contains(TeamTurnout(team: "v-shangcun", rosterSize: 9, expected: 9, minimum: 10, away: [])))
    }

    @Test func venueCapacityAndDoubleBooking() throws {
        var (plan, roster) = smallTown(rules: [
            training("a", teams: [.team("v-shangcun")], window: ("2027-03-10", "2027-03-10"), venue: .venue("sc-hall")),
            training("b", teams: [.team("v-xiaping")], window: ("2027-03-10", "2027-03-10"), venue: .venue("sc-hall"), times: ["09:00", "14:00"]),
            training("c", teams: [.team("town")], window: ("2027-03-10", "2027-03-10"), venue: .venue("xp-hall")),
        ])
        plan.venues[2].capacity = 20  // xp-hall holds 20: too small for the town team of 30
        let s = try scheduler(plan, roster).schedule()
        let starts = s.sessions.filter { $0.venueID == "sc-hall" }.map(\.slot.startMinute).sorted()
        #expect(starts == [540, 840])
        #expect(s.unmet.count == 1)
        #expect(s.unmet[0].demand.ruleID == "c")
        #expect(s.unmet[0].example == .venueTooSmall(venue: "xp-hall", capacity: 20, needed: 30))
    }

    @Test func supervisorNeedsTravelTimeBetweenVillages() throws {
        var (plan, roster) = smallTown(
            rules: [
                training("a", teams: [.team("v-shangcun")], window: ("2027-03-10", "2027-03-10"), venue: .ownVillage, supervisor: .any, times: ["09:00"]),
                training("b", teams: [.team("v-xiaping")], window: ("2027-03-10", "2027-03-10"), venue: .ownVillage, supervisor: .any, times: ["11:20", "11:40"]),
            ],
            supervisors: [Supervisor(id: "liu", name: "刘建国")])
        plan.travel = [TravelTime(from: "shangcun", to: "xiaping", minutes: 30)]
        let s = try scheduler(plan, roster).schedule(recordRejections: true)
        // 09:00-11:00 at Shangcun + 30 min travel: 11:20 is too early, 11:40 works.
        let b = s.session("qingshan-2027-b-v-xiaping-01@drillcal")!
        #expect(b.slot.startMinute == 11 * 60 + 40)
        #expect(b.supervisorID == "liu")
        let why = s.rejections[b.uid]!
        #expect(why.count == 1)
        guard case .supervisorsUnavailable(let c) = why[0].constraint else { Issue.record("wrong reason"); return }
        #expect(c == [SupervisorConflict(supervisor: "liu", reason: .busy(session: "qingshan-2027-a-v-shangcun-01@drillcal", travelMinutes: 30))])
    }

    @Test func supervisorLimitsAndAbsence() throws {
        // One supervisor, at most 1 session a day and 2 a week, away on 2027-03-08.
        let sup = Supervisor(id: "liu", name: "刘建国", maxPerDay: 1, maxPerWeek: 2,
            absences: [Absence(range: DateRange(from: date("2027-03-08"), to: date("2027-03-08")))])
        let rules = ["a", "b", "c"].map { id in
            training(id, teams: [.team(id == "a" ? "town" : id == "b" ? "v-shangcun" : "v-xiaping")],
                window: ("2027-03-08", "2027-03-14"), supervisor: .any)
        }
        let (plan, roster) = smallTown(rules: rules, supervisors: [sup])
        let s = try scheduler(plan, roster).schedule(recordRejections: true)
        // Week of 8-14 March: two sessions on two different days, not on the 8th; the third cannot go.
        #expect(s.sessions.count == 2)
        #expect(Set(s.sessions.map(\.slot.date)).count == 2)
        #expect(!s.sessions.contains { $0.slot.date == date("2027-03-08") })
        #expect(s.unmet.count == 1)
        guard case .supervisorsUnavailable(let c)? = s.unmet[0].example else { Issue.record("\(s.unmet)"); return }
        #expect(c.count == 1 && c[0].supervisor == "liu")
        let reasons = Set(s.rejections.values.flatMap { $0 }.compactMap { r -> String? in
            guard case .supervisorsUnavailable(let c) = r.constraint else { return nil }
            switch c.first?.reason {
            case .away?: return "away"
            case .dayLimit?: return "day"
            default: return nil
            }
        })
        #expect(reasons.contains("day"))

        // A session that can only be on the 8th: the supervisor is away.
        let only8th = training("d", teams: [.team("town")], window: ("2027-03-08", "2027-03-08"), supervisor: .specific("liu"))
        let (plan2, _) = smallTown(rules: [only8th], supervisors: [sup])
        let away = try scheduler(plan2, roster).schedule()
        #expect(away.unmet.first?.example == .supervisorsUnavailable([SupervisorConflict(supervisor: "liu", reason: .away)]))
    }

    @Test func minimumGapBetweenOneTeamsSessions() throws {
        var (plan, roster) = smallTown(rules: [
            training("a", teams: [.team("town")], window: ("2027-03-10", "2027-03-10")),
            training("b", teams: [.team("town")], window: ("2027-03-08", "2027-03-30")),
        ])
        plan.defaults.minGapDays = 10
        // The greedy start takes the first day 10 days away; the optimiser spreads the team's two
        // sessions as far apart as the window allows (ideal gap 365 / 2).
        let greedy = try scheduler(plan, roster).schedule(search: .greedyOnly)
        #expect(greedy.session("qingshan-2027-b-town-01@drillcal")!.slot.date == date("2027-03-20"))
        let s = try scheduler(plan, roster).schedule()
        #expect(s.session("qingshan-2027-b-town-01@drillcal")!.slot.date == date("2027-03-30"))
    }

    @Test func unplaceableDemandIsReportedWithItsBlockers() throws {
        let (plan, roster) = smallTown(rules: [
            training("a", teams: [.team("town")], window: ("2027-10-01", "2027-10-07"))
        ])
        let s = try scheduler(plan, roster).schedule()
        #expect(s.sessions.isEmpty)
        #expect(s.unmet.count == 1)
        #expect(s.unmet[0].blockers == [BlockerCount(key: "holiday", count: 7)])
    }

    @Test func jointSessionNeedsEveryTeamsMinimum() throws {
        let (plan, roster) = smallTown(rules: [
            training("j", teams: [.team("town"), .team("v-shangcun")], window: ("2027-05-09", "2027-05-16"), joint: true, venue: .venue("square"))
        ])
        let s = try scheduler(plan, roster).schedule()
        #expect(s.sessions.count == 1)
        #expect(s.sessions[0].uid == "qingshan-2027-j-joint-01@drillcal")
        #expect(s.sessions[0].teamIDs == ["town", "v-shangcun"])
        #expect(s.sessions[0].memberIDs.count == 42)
    }
}

@Suite struct DeterminismTests {
    @Test func sameInputsSameSchedule() throws {
        let (plan, roster) = randomTown(seed: 7)
        let a = try scheduler(plan, roster).schedule()
        let b = try scheduler(plan, roster).schedule()
        #expect(a == b)
        #expect(!a.sessions.isEmpty)
    }

    @Test func uidsStableUnderUnrelatedRosterEdit() throws {
        let (plan, roster) = randomTown(seed: 11)
        let before = try scheduler(plan, roster).schedule()
        var members = roster.members
        members.append(Member(id: "new1", name: "新队员", teams: [plan.teams.last!.id], roles: [.volunteer]))
        members[3].phone = "13900000000"
        let after = try scheduler(plan, Roster(members: members)).schedule()
        #expect(Set(before.sessions.map(\.uid)).union(before.unmet.map(\.demand.uid))
            == Set(after.sessions.map(\.uid)).union(after.unmet.map(\.demand.uid)))
        // Teams the edit did not touch keep their dates too.
        let untouched = before.sessions.filter { !$0.teamIDs.contains(plan.teams.last!.id) && $0.teamIDs.count == 1 }
        let moved = untouched.filter { s in after.session(s.uid)?.slot != s.slot }
        #expect(moved.count <= untouched.count / 4)
    }
}

@Suite struct RandomisedScheduleTests {
    @Test(arguments: 1...25) func randomPlansBreakNoHardConstraint(seed: UInt64) throws {
        let (plan, roster) = randomTown(seed: seed)
        let sched = scheduler(plan, roster, holidays: holidays2027)
        let schedule = try sched.schedule()
        let demands = try sched.demands()
        let problems = ScheduleValidator(plan: plan, roster: roster, holidays: holidays2027)
            .violations(schedule, demands: demands)
        #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
        #expect(schedule.sessions.count > demands.count / 2, "seed \(seed) placed too little")
    }
}
