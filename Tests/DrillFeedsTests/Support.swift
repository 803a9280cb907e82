import DrillCore
import DrillFeeds
import DrillIO
import Foundation

/// The repository root, for calendars/.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The example town 青山镇 read from calendars/qingshan and scheduled, as `drillcal build` does.
func exampleTown() throws -> (plan: Plan, roster: Roster, schedule: Schedule) {
    let input = try TownLoader.load(
        directory: repositoryRoot.appendingPathComponent("calendars/qingshan").path,
        recurrence: LibicalRecurrence())
    let schedule = try Scheduler(
        plan: input.plan, roster: input.roster, holidays: input.holidays, recurrence: LibicalRecurrence()
    ).schedule()
    return (input.plan, input.roster, schedule)
}

/// The feeds of a town at a fixed build time, with no previous manifest.
func feeds(_ plan: Plan, _ roster: Roster, _ schedule: Schedule, previous: FeedManifest = FeedManifest())
    throws
    -> FeedSet
{
    try FeedBuilder(
        plan: plan, roster: roster, schedule: schedule, language: .zh, now: Stamp(seconds: 1_795_939_200),
        previous: previous
    ).build()
}

/// SplitMix64: a seeded generator, so a failing random town can be rebuilt from its seed.
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

/// Pieces of names a hostile or careless roster holds: line breaks and tabs (spreadsheet cells can
/// hold them and input validation lets them through), iCalendar delimiters, quotes, long CJK runs,
/// characters outside the BMP, emoji sequences, combining marks, invisible characters.
let hostilePieces = [
    "\r\n", "\n", "\r", "\t", ",", ";", ":", "\\", "\"", "'", "^", "^n", "\\n", "<b>&amp;", "  ", "🚒", "👩‍🚒",
    "🇨🇳", "𠀀𪚥", "e\u{301}", "\u{200B}", "\u{2028}", "\u{FEFF}", "张", "王小明",
    String(repeating: "山水田林湖草沙", count: 9), String(repeating: "x", count: 73),
    String(repeating: "长", count: 25),
]

func hostileName(_ rng: inout SeededRandom, prefix: String = "") -> String {
    var name = prefix
    for _ in 0..<Int.random(in: 1...5, using: &rng) { name += hostilePieces.randomElement(using: &rng)! }
    return name
}

/// A random town whose every name and text is hostile. The station name (written verbatim in
/// X-WR-CALDESC and ORGANIZER's CN) holds no line breaks: input validation refuses those there.
func hostileTown(seed: UInt64) -> (Plan, Roster) {
    var rng = SeededRandom(seed: seed)
    let villageCount = Int.random(in: 2...4, using: &rng)
    var villages: [Village] = []
    var teams = [Team(id: "town", name: hostileName(&rng, prefix: "镇队"), level: .town, minimumMembers: 3)]
    var venues = [
        Venue(id: "square", name: hostileName(&rng), capacity: 200, address: hostileName(&rng))
    ]
    for v in 0..<villageCount {
        villages.append(Village(id: "v\(v)", name: hostileName(&rng), grids: ["v\(v)-1"]))
        teams.append(
            Team(
                id: "team-v\(v)", name: hostileName(&rng), level: .village, village: "v\(v)",
                minimumMembers: 2))
        venues.append(
            Venue(
                id: "hall-v\(v)", name: hostileName(&rng), village: "v\(v)", capacity: 100,
                address: hostileName(&rng)))
    }
    var members: [Member] = []
    for (index, team) in teams.enumerated() {
        for i in 0..<Int.random(in: 3...6, using: &rng) {
            var memberTeams = [team.id]
            if index > 0, Bool.random(using: &rng) { memberTeams.append("town") }
            members.append(
                Member(
                    id: "m\(index)-\(i)", name: hostileName(&rng), teams: memberTeams, roles: [.labourer],
                    village: team.village))
        }
    }
    let supervisors = (0..<Int.random(in: 1...3, using: &rng)).map {
        Supervisor(id: "s\($0)", name: hostileName(&rng), maxPerDay: 3, maxPerWeek: 10)
    }
    let rules = [
        Rule(
            id: "train", name: hostileName(&rng), kind: .training, teams: [.all],
            frequency: .count(2, per: .year),
            venue: .ownVillage, supervisor: .any, description: hostileName(&rng), scenario: hostileName(&rng)),
        Rule(
            id: "drill", name: hostileName(&rng), kind: .drill(.live, .comprehensive),
            teams: [.level(.village)],
            frequency: .count(1, per: .year), venue: .venue("square"), supervisor: .any,
            description: hostileName(&rng)),
        Rule(
            id: "report", name: hostileName(&rng), kind: .deadline, teams: [],
            frequency: .once(MonthDay(text: "01-31")!),
            description: hostileName(&rng)),
    ]
    let station = hostileName(&rng, prefix: "应急站").filter { !$0.isNewline && $0 != "\t" }
    let plan = Plan(
        town: Town(id: "t\(seed)", name: hostileName(&rng), station: station), year: 2027,
        villages: villages, venues: venues, supervisors: supervisors, teams: teams, rules: rules)
    return (plan, Roster(members: members))
}
