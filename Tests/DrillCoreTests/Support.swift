import DrillCore

/// A tiny stand-in for libical in core tests: understands `FREQ=MONTHLY;BYMONTHDAY=d` and
/// `FREQ=WEEKLY` (every 7 days from the start). The real expander is tested in ICalTests.
struct FakeRecurrence: RecurrenceExpander {
    struct Unsupported: Error {}

    func problem(with rule: String) -> String? {
        rule.hasPrefix("FREQ=MONTHLY;BYMONTHDAY=") || rule == "FREQ=WEEKLY" ? nil : "unsupported"
    }

    func dates(of rule: String, from start: CivilDate, through end: CivilDate) throws -> [CivilDate] {
        if rule == "FREQ=WEEKLY" {
            return stride(from: start.dayNumber, through: end.dayNumber, by: 7).map(CivilDate.init(dayNumber:))
        }
        guard let d = Int(rule.split(separator: "=").last!) else { throw Unsupported() }
        var out: [CivilDate] = []
        for year in start.year...end.year {
            for month in 1...12 {
                if let day = CivilDate(year: year, month: month, day: d), day >= start, day <= end { out.append(day) }
            }
        }
        return out
    }
}

func date(_ s: String) -> CivilDate { CivilDate(iso: s)! }
func md(_ s: String) -> MonthDay { MonthDay(text: s)! }
func time(_ s: String) -> LocalTime { LocalTime(text: s)! }

/// A small town: one town team, two villages with teams, a volunteer team.
func smallTown(
    villageSize: Int = 12, townSize: Int = 30, rules: [Rule] = [], blackouts: [Blackout] = [],
    supervisors: [Supervisor] = [Supervisor(id: "liu", name: "刘建国"), Supervisor(id: "wang", name: "王芳")]
) -> (Plan, Roster) {
    let villages = [Village(id: "shangcun", name: "上村", grids: ["sc-1"]), Village(id: "xiaping", name: "下坪", grids: ["xp-1"])]
    let teams = [
        Team(id: "town", name: "青山镇综合性应急救援队", level: .town, requiredRoles: [.medical: 1]),
        Team(id: "v-shangcun", name: "上村应急救援队", level: .village, village: "shangcun"),
        Team(id: "v-xiaping", name: "下坪应急救援队", level: .village, village: "xiaping"),
    ]
    let venues = [
        Venue(id: "square", name: "镇文化广场", capacity: 300),
        Venue(id: "sc-hall", name: "上村村委会", village: "shangcun", capacity: 40),
        Venue(id: "xp-hall", name: "下坪村委会", village: "xiaping", capacity: 40),
    ]
    var members: [Member] = []
    for i in 0..<townSize {
        members.append(Member(id: "t\(i)", name: "镇队员\(i)", teams: ["town"], roles: i == 0 ? [.medical] : [.militia]))
    }
    for (v, village) in ["shangcun", "xiaping"].enumerated() {
        for i in 0..<villageSize {
            members.append(
                Member(id: "v\(v)-\(i)", name: "村队员\(v)-\(i)", teams: ["v-\(village)"], roles: i == 0 ? [.labourer, .emergencyManager] : [.labourer],
                    village: village, grid: i == 0 ? (v == 0 ? "sc-1" : "xp-1") : nil))
        }
    }
    let plan = Plan(
        town: Town(id: "qingshan", name: "青山镇", station: "青山镇应急站"), year: 2027,
        defaults: PlanDefaults(minGapDays: 7), villages: villages, venues: venues, supervisors: supervisors,
        teams: teams, blackouts: blackouts, rules: rules)
    return (plan, Roster(members: members))
}

/// 2027 holidays as shipped (provisional), enough for the tests.
let holidays2027 = HolidayCalendar(
    holidays: [
        .init(name: "元旦", range: DateRange(from: date("2027-01-01"), to: date("2027-01-03"))),
        .init(name: "春节", range: DateRange(from: date("2027-02-05"), to: date("2027-02-13"))),
        .init(name: "劳动节", range: DateRange(from: date("2027-05-01"), to: date("2027-05-05"))),
        .init(name: "国庆节", range: DateRange(from: date("2027-10-01"), to: date("2027-10-07"))),
    ],
    swappedWorkdays: [date("2027-02-20")], years: [2027])

func scheduler(_ plan: Plan, _ roster: Roster, holidays: HolidayCalendar = holidays2027) -> Scheduler {
    Scheduler(plan: plan, roster: roster, holidays: holidays, recurrence: FakeRecurrence())
}
