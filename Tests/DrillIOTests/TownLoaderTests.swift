import DrillCore
import Foundation
import Testing

@testable import DrillIO

@Suite struct TownLoaderTests {
    @Test func loadsACompleteTownWithEveryField() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/plan.yaml", validPlan)
        try t.write("calendars/qingshan/roster.csv", validRoster)
        try t.write("calendars/holidays/2027.yaml", validHolidays)

        let input = try TownLoader.load(directory: t.town, recurrence: fake)
        #expect(input.planFile == t.town + "/plan.yaml")
        #expect(input.rosterFile == t.town + "/roster.csv")
        #expect(input.holidaysFile == t.root.dropFirst().split(separator: "/").joined(separator: "/").withSlash + "/calendars/holidays/2027.yaml")
        #expect(input.directory == t.town)

        let plan = input.plan
        #expect(plan.town == Town(id: "qingshan", name: "青山镇", nameEnglish: "Qingshan Town", county: "某某县", station: "青山镇应急站", stationEmail: "yjz@example.cn"))
        #expect(plan.year == 2027)
        #expect(plan.timeZone == "Asia/Shanghai")
        #expect(plan.defaults == PlanDefaults(minGapDays: 5, travelMinutes: 30, alarmMinutes: [1440, 60], refreshHours: 6, flexDays: 3))
        #expect(plan.seasons == [
            Season(id: "flood_season", name: "主汛期", period: .annual(AnnualPeriod(from: MonthDay(month: 4, day: 1)!, to: MonthDay(month: 9, day: 30)!))),
            Season(id: "fire", name: "森林防火期", period: .dates(DateRange(from: CivilDate(iso: "2027-10-01")!, to: CivilDate(iso: "2027-12-31")!))),
        ])
        #expect(plan.blackouts == [
            Blackout(id: "double_rush", name: "双抢", period: .annual(AnnualPeriod(from: MonthDay(month: 7, day: 15)!, to: MonthDay(month: 8, day: 10)!)), teams: [.level(.village)]),
        ])
        #expect(plan.travel == [TravelTime(from: "shangcun", to: "longtan", minutes: 70), TravelTime(from: nil, to: "longtan", minutes: 50)])
        #expect(plan.villages == [
            Village(id: "shangcun", name: "上村", nameEnglish: "Shangcun", grids: ["shangcun-1", "shangcun-2"]),
            Village(id: "longtan", name: "龙潭村", grids: ["longtan-1"]),
        ])
        #expect(plan.venues == [
            Venue(id: "town-square", name: "青山镇文化广场", capacity: 300, address: "青山镇中心街1号"),
            Venue(id: "shangcun-hall", name: "上村村委会", village: "shangcun", capacity: 60),
            Venue(id: "longtan-hall", name: "龙潭村村委会", village: "longtan", capacity: 40),
        ])
        #expect(plan.supervisors == [
            Supervisor(id: "liu", name: "刘建国", maxPerDay: 3, maxPerWeek: 5, absences: [Absence(range: DateRange(from: CivilDate(iso: "2027-03-01")!, to: CivilDate(iso: "2027-03-07")!), reason: "县里培训")]),
            Supervisor(id: "wang", name: "王芳"),
        ])
        #expect(plan.teams == [
            Team(id: "town", name: "青山镇综合性应急救援队", nameEnglish: "Qingshan comprehensive rescue team", level: .town, requiredRoles: [.police: 1, .medical: 2]),
            Team(id: "v-shangcun", name: "上村应急救援队", level: .village, village: "shangcun", minimumMembers: 12, requiredRoles: [.coreMilitia: 1, .clinic: 1]),
            Team(id: "v-longtan", name: "龙潭村应急救援队", level: .village, village: "longtan"),
        ])
        #expect(plan.teams[0].minimumMembers == 30)
        #expect(plan.teams[2].minimumMembers == 10)

        #expect(plan.rules.count == 4)
        #expect(plan.rules[0] == Rule(
            id: "flood-evacuation", name: "防汛转移撤离实战演练", nameEnglish: "Flood evacuation live drill",
            kind: .drill(.live, .comprehensive), teams: [.level(.village)], joint: false,
            frequency: .count(1, per: .year), window: .season("flood_season"), weekdays: [.saturday, .sunday],
            times: [LocalTime(hour: 9, minute: 0)!, LocalTime(hour: 14, minute: 30)!], durationMinutes: 180,
            venue: .ownVillage, supervisor: .any, minGapDays: 14, flexDays: nil, allowHolidays: false,
            allowBlackouts: ["double_rush"], description: "组织群众转移撤离。", scenario: "连续强降雨引发山洪。"))
        #expect(plan.rules[1] == Rule(
            id: "monthly-training", name: "月度集中训练", kind: .training, teams: [.team("town")],
            frequency: .rrule("FREQ=MONTHLY;BYDAY=1SA"),
            window: .period(.annual(AnnualPeriod(from: MonthDay(month: 3, day: 1)!, to: MonthDay(month: 11, day: 30)!))),
            venue: .venue("town-square"), supervisor: .specific("liu"), flexDays: 5))
        #expect(plan.rules[2] == Rule(
            id: "tabletop", name: "桌面推演", kind: .drill(.tabletop, .single), teams: [.all], joint: true,
            frequency: .count(2, per: .halfYear), window: .anchor(MonthDay(month: 5, day: 12)!, before: 3, after: 4)))
        #expect(plan.rules[3] == Rule(
            id: "january-report", name: "年度工作上报", kind: .deadline, teams: [],
            frequency: .once(MonthDay(month: 1, day: 31)!), times: [LocalTime(hour: 10, minute: 0)!]))

        let members = input.roster.members
        #expect(members.count == 4)
        #expect(members[0] == Member(id: "m001", name: "张伟", phone: "13800000001", teams: ["town"], roles: [.police, .militia]))
        #expect(members[1] == Member(
            id: "m002", name: "李娜", phone: "13800000002", teams: ["town", "v-shangcun"], roles: [.medical, .coreMilitia],
            village: "shangcun", grid: "shangcun-1",
            absences: [Absence(range: DateRange(from: CivilDate(iso: "2027-01-20")!, to: CivilDate(iso: "2027-02-20")!), reason: "外出务工")]))
        #expect(members[2].absences == [
            Absence(range: DateRange(from: CivilDate(iso: "2027-05-01")!, to: CivilDate(iso: "2027-05-03")!), reason: "探亲"),
            Absence(range: DateRange(from: CivilDate(iso: "2027-09-01")!, to: CivilDate(iso: "2027-09-02")!), reason: "住院"),
        ])
        #expect(members[3] == Member(id: "m004", name: "赵敏", teams: ["v-shangcun"], roles: [.clinic], village: "shangcun"))

        #expect(input.holidays.years == [2027])
        #expect(input.holidays.holidays == [
            .init(name: "元旦", range: DateRange(from: CivilDate(iso: "2027-01-01")!, to: CivilDate(iso: "2027-01-03")!)),
            .init(name: "春节", range: DateRange(from: CivilDate(iso: "2027-02-05")!, to: CivilDate(iso: "2027-02-12")!)),
        ])
        #expect(input.holidays.swappedWorkdays == [CivilDate(iso: "2027-02-14")!, CivilDate(iso: "2027-02-20")!])
    }

    @Test func holidaysOfAnotherYearNameBothFiles() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/plan.yaml", validPlan.replacingOccurrences(of: "year: 2027", with: "year: 2026"))
        try t.write("calendars/qingshan/roster.csv", validRoster)
        try t.write("calendars/holidays/2026.yaml", validHolidays)
        let e = inputError { _ = try TownLoader.load(directory: t.town, recurrence: fake) }
        #expect(e?.file.hasSuffix("calendars/holidays/2026.yaml") == true)
        #expect(e?.line == 1)
        #expect(e?.field == "year")
        #expect(e?.found == "2027")
        #expect(e?.message(.en).contains("plan.yaml:\(lineOf("year: 2027", in: validPlan))") == true)
    }

    @Test func missingHolidaysFileIsNamed() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/plan.yaml", validPlan)
        try t.write("calendars/qingshan/roster.csv", validRoster)
        let e = inputError { _ = try TownLoader.load(directory: t.town, recurrence: fake) }
        #expect(e?.file.hasSuffix("calendars/holidays/2027.yaml") == true)
    }

    @Test func explicitHolidaysPathIsRelativeToThePlan() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/plan.yaml", validPlan.replacingOccurrences(of: "time_zone: Asia/Shanghai", with: "time_zone: Asia/Shanghai\nholidays: my-holidays.yaml"))
        try t.write("calendars/qingshan/roster.csv", validRoster)
        try t.write("calendars/qingshan/my-holidays.yaml", validHolidays)
        let input = try TownLoader.load(directory: t.town, recurrence: fake)
        #expect(input.holidaysFile == t.town + "/my-holidays.yaml")
    }

    @Test func gb18030RosterLoadsThroughTheTownLoader() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/plan.yaml", validPlan)
        try t.write("calendars/qingshan/roster.csv", bytes: gb18030Bytes(validRoster))
        try t.write("calendars/holidays/2027.yaml", validHolidays)
        let input = try TownLoader.load(directory: t.town, recurrence: fake)
        #expect(input.roster.members.map(\.name) == ["张伟", "李娜", "王强", "赵敏"])
        #expect(input.roster.members[2].absences.first?.reason == "探亲")
    }
}

extension String {
    var withSlash: String { "/" + self }
}
