import DrillCore

/// SplitMix64: a small seeded generator so random tests repeat exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random town: 3-8 villages, members on one or two teams, absences, small venues, busy supervisors
/// and a mix of rule kinds, tight enough that some demands collide.
func randomTown(seed: UInt64) -> (Plan, Roster) {
    var rng = SeededRandom(seed: seed)
    let villageCount = Int.random(in: 3...8, using: &rng)
    var villages: [Village] = []
    var teams = [Team(id: "town", name: "镇综合队", level: .town, minimumMembers: Int.random(in: 10...30, using: &rng))]
    var venues = [Venue(id: "square", name: "广场", capacity: Int.random(in: 20...80, using: &rng))]
    for v in 0..<villageCount {
        villages.append(Village(id: "v\(v)", name: "村\(v)", grids: ["v\(v)-1"]))
        teams.append(Team(id: "team-v\(v)", name: "村队\(v)", level: .village, village: "v\(v)", minimumMembers: Int.random(in: 4...10, using: &rng)))
        venues.append(Venue(id: "hall-v\(v)", name: "村委会\(v)", village: "v\(v)", capacity: Int.random(in: 8...30, using: &rng)))
    }
    var members: [Member] = []
    for (index, team) in teams.enumerated() {
        let size = Int.random(in: max(1, team.minimumMembers - 2)...(team.minimumMembers + 5), using: &rng)
        for i in 0..<size {
            var absences: [Absence] = []
            if Int.random(in: 0..<5, using: &rng) == 0 {
                let start = Int.random(in: 0..<330, using: &rng)
                let from = date("2027-01-01").adding(days: start)
                absences.append(Absence(range: DateRange(from: from, to: from.adding(days: Int.random(in: 5...60, using: &rng)))))
            }
            var memberTeams = [team.id]
            if index > 0, Int.random(in: 0..<4, using: &rng) == 0 { memberTeams.append("town") }
            members.append(Member(id: "m\(index)-\(i)", name: "队员\(index)-\(i)", teams: memberTeams, roles: [.labourer], village: team.village, absences: absences))
        }
    }
    let supervisors = (0..<Int.random(in: 1...3, using: &rng)).map {
        Supervisor(id: "s\($0)", name: "督导\($0)", maxPerDay: Int.random(in: 1...2, using: &rng), maxPerWeek: Int.random(in: 2...4, using: &rng))
    }
    let times = [["09:00"], ["09:00", "14:30"], ["19:00"]]
    var rules: [Rule] = []
    for r in 0..<Int.random(in: 3...7, using: &rng) {
        let kind: SessionKind = Bool.random(using: &rng) ? .training : .drill(.live, .comprehensive)
        let selector: [TeamSelector] = [[.all], [.level(.village)], [.team("town")], [.team("town"), .team("team-v0")]][Int.random(in: 0..<4, using: &rng)]
        let start = Int.random(in: 0..<300, using: &rng)
        let from = date("2027-01-01").adding(days: start)
        let to = from.adding(days: Int.random(in: 10...120, using: &rng))
        let window: RuleWindow = .period(.dates(DateRange(from: from, to: min(to, date("2027-12-31")))))
        let frequency: Frequency = Bool.random(using: &rng) ? .count(Int.random(in: 1...2, using: &rng), per: [.year, .halfYear, .quarter][Int.random(in: 0..<3, using: &rng)]) : .rrule("FREQ=MONTHLY;BYMONTHDAY=\(Int.random(in: 1...28, using: &rng))")
        let venue: VenueChoice? = [nil, .ownVillage, .venue("square")][Int.random(in: 0..<3, using: &rng)]
        rules.append(Rule(
            id: "r\(r)", name: "规则\(r)", kind: kind, teams: selector, joint: selector.count == 2 && Bool.random(using: &rng),
            frequency: frequency, window: window, weekdays: Bool.random(using: &rng) ? [.saturday, .sunday] : [],
            times: times[Int.random(in: 0..<3, using: &rng)].map(time), durationMinutes: [60, 120, 180][Int.random(in: 0..<3, using: &rng)],
            venue: venue, supervisor: Bool.random(using: &rng) ? .any : .none, minGapDays: Int.random(in: 0...14, using: &rng),
            flexDays: Int.random(in: 0...7, using: &rng), allowHolidays: Int.random(in: 0..<4, using: &rng) == 0))
    }
    let blackouts = [Blackout(id: "rush", name: "双抢", period: .annual(AnnualPeriod(from: md("07-15"), to: md("08-10"))), teams: [.level(.village)])]
    let plan = Plan(
        town: Town(id: "t\(seed)", name: "随机镇", station: "应急站"), year: 2027,
        defaults: PlanDefaults(minGapDays: Int.random(in: 0...10, using: &rng), travelMinutes: Int.random(in: 0...60, using: &rng)),
        villages: villages, venues: venues, supervisors: supervisors, teams: teams, blackouts: blackouts, rules: rules)
    return (plan, Roster(members: members))
}
