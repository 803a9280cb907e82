/// The town whose emergency station runs the programme (镇应急站).
public struct Town: Hashable, Sendable, Codable {
    /// Stable id, used in UIDs and URLs (`qingshan`).
    public var id: String
    /// Chinese name (青山镇).
    public var name: String
    /// English name.
    public var nameEnglish: String?
    /// County the report goes to.
    public var county: String
    /// The organiser of every session: the town emergency station (青山镇应急站).
    public var station: String
    /// The station's e-mail, used as ORGANIZER when present.
    public var stationEmail: String?

    /// Makes a town.
    public init(
        id: String, name: String, nameEnglish: String? = nil, county: String = "", station: String,
        stationEmail: String? = nil
    ) {
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.county = county
        self.station = station
        self.stationEmail = stationEmail
    }
}

/// A village (村) with its emergency-management grids (网格).
public struct Village: Hashable, Sendable, Codable, Identifiable {
    /// Stable id.
    public var id: String
    /// Chinese name.
    public var name: String
    /// English name.
    public var nameEnglish: String?
    /// Grid ids; each needs at least one emergency manager.
    public var grids: [String]

    /// Makes a village.
    public init(id: String, name: String, nameEnglish: String? = nil, grids: [String] = []) {
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.grids = grids
    }
}

/// A place sessions are held, with how many people it holds.
public struct Venue: Hashable, Sendable, Codable, Identifiable {
    /// Stable id.
    public var id: String
    /// Chinese name (上村村委会).
    public var name: String
    /// Village the venue is in (nil for town venues); travel time is counted between villages.
    public var village: String?
    /// How many people it holds.
    public var capacity: Int
    /// Street address, shown as LOCATION.
    public var address: String?

    /// Makes a venue.
    public init(id: String, name: String, village: String? = nil, capacity: Int, address: String? = nil) {
        self.id = id
        self.name = name
        self.village = village
        self.capacity = capacity
        self.address = address
    }
}

/// Town emergency-station staff who must attend some sessions (督导).
public struct Supervisor: Hashable, Sendable, Codable, Identifiable {
    /// Stable id.
    public var id: String
    /// Full name.
    public var name: String
    /// Most sessions in one day.
    public var maxPerDay: Int
    /// Most sessions in one ISO week (Monday to Sunday).
    public var maxPerWeek: Int
    /// Days the supervisor is away.
    public var absences: [Absence]

    /// Makes a supervisor.
    public init(id: String, name: String, maxPerDay: Int = 2, maxPerWeek: Int = 4, absences: [Absence] = []) {
        self.id = id
        self.name = name
        self.maxPerDay = maxPerDay
        self.maxPerWeek = maxPerWeek
        self.absences = absences
    }
}

/// Which teams a rule or blackout applies to.
public enum TeamSelector: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Every team.
    case all
    /// Every team of one level (`level:village`).
    case level(TeamLevel)
    /// One team by id.
    case team(String)

    /// Whether `team` is selected.
    public func matches(_ team: Team) -> Bool {
        switch self {
        case .all: true
        case .level(let l): team.level == l
        case .team(let id): team.id == id
        }
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .level(let l): "level:\(l.rawValue)"
        case .team(let id): id
        }
    }
}

/// A span of time given either every year (`from: 07-15, to: 08-10`) or as exact dates.
public enum PeriodSpec: Hashable, Sendable, Codable {
    /// The same month-days every year.
    case annual(AnnualPeriod)
    /// Exact dates.
    case dates(DateRange)

    /// The parts of this period that fall in `year`.
    public func ranges(in year: Int) -> [DateRange] {
        switch self {
        case .annual(let p): return p.ranges(in: year)
        case .dates(let r):
            let yr = DateRange(
                from: CivilDate(year: year, month: 1, day: 1)!, to: CivilDate(year: year, month: 12, day: 31)!)
            return r.clamped(to: yr).map { [$0] } ?? []
        }
    }
}

/// A named season (汛期, 森林防火期) that rules can use as their window.
public struct Season: Hashable, Sendable, Codable, Identifiable {
    /// Stable id (`flood_season`).
    public var id: String
    /// Chinese name.
    public var name: String
    /// When it runs.
    public var period: PeriodSpec

    /// Makes a season.
    public init(id: String, name: String, period: PeriodSpec) {
        self.id = id
        self.name = name
        self.period = period
    }
}

/// A named stretch when some teams cannot train (双抢 for village teams).
public struct Blackout: Hashable, Sendable, Codable, Identifiable {
    /// Stable id (`double_rush`).
    public var id: String
    /// Chinese name (双抢).
    public var name: String
    /// When.
    public var period: PeriodSpec
    /// Teams it affects.
    public var teams: [TeamSelector]

    /// Makes a blackout.
    public init(id: String, name: String, period: PeriodSpec, teams: [TeamSelector]) {
        self.id = id
        self.name = name
        self.period = period
        self.teams = teams
    }

    /// Whether it affects `team`.
    public func affects(_ team: Team) -> Bool { teams.contains { $0.matches(team) } }
}

/// Travel time between two villages for a supervisor, overriding the plan's default.
public struct TravelTime: Hashable, Sendable, Codable {
    /// One village id (nil: the town seat).
    public var from: String?
    /// The other village id (nil: the town seat).
    public var to: String?
    /// Minutes either way.
    public var minutes: Int

    /// Makes a travel time.
    public init(from: String?, to: String?, minutes: Int) {
        self.from = from
        self.to = to
        self.minutes = minutes
    }
}

/// Plan-wide defaults a rule can override.
public struct PlanDefaults: Hashable, Sendable, Codable {
    /// Least days between two sessions of one team.
    public var minGapDays: Int
    /// Supervisor travel between different villages, in minutes.
    public var travelMinutes: Int
    /// Reminders, in minutes before the start (default 1 day and 2 hours).
    public var alarmMinutes: [Int]
    /// Suggested refresh interval for subscribed feeds, in hours.
    public var refreshHours: Int
    /// Days an RRULE occurrence may move to find a free slot.
    public var flexDays: Int
    /// Published sessions starting within this many days of the build move only when infeasible.
    public var freezeDays: Int = 14

    /// Makes defaults.
    public init(
        minGapDays: Int = 7, travelMinutes: Int = 40, alarmMinutes: [Int] = [1440, 120], refreshHours: Int = 12,
        flexDays: Int = 7
    ) {
        self.minGapDays = minGapDays
        self.travelMinutes = travelMinutes
        self.alarmMinutes = alarmMinutes
        self.refreshHours = refreshHours
        self.flexDays = flexDays
    }
}

/// What the published feeds carry (`feeds:` in plan.yaml).
public struct FeedSettings: Hashable, Sendable, Codable {
    /// Whether the public feeds (town, team, village) list attendees (supervisors and members by
    /// name). Off by default: a public URL must not list every member of a village team, and RFC 5546
    /// allows no ATTENDEE under METHOD:PUBLISH. Private member feeds always carry them.
    public var publicAttendees: Bool
    /// The language of the calendar text (titles, descriptions, calendar names): a setting of the
    /// town, never of the console (`--lang` changes only what a command prints). Chinese by default.
    public var language: Language
    /// The address members and leaders reach the server at (`https://yj.example.cn`), used for
    /// every QR code, webcal link, token link and check-in link; nil when the plan gives none.
    public var publicURL: String?

    /// Makes settings.
    public init(publicAttendees: Bool = false, language: Language = .zh, publicURL: String? = nil) {
        self.publicAttendees = publicAttendees
        self.language = language
        self.publicURL = publicURL
    }
}

/// Weights of the schedule's objective (`weights:` in plan.yaml); see calendars/README.md.
public struct ObjectiveWeights: Hashable, Sendable, Codable {
    /// Per session not on one of its rule's preferred weekdays.
    public var offPreferredWeekday: Int
    /// Per day of |gap − ideal gap| between consecutive sessions of a team.
    public var spacingPerDay: Int
    /// Per session not at its rule's first time.
    public var offPreferredTime: Int
    /// Per member missing below a session's turnout floor.
    public var turnoutBelowFloor: Int
    /// Per session the busiest supervisor has above the least busy one (a tie-breaker).
    public var supervisorLoad: Int
    /// Per demand left unplaced.
    public var unmetDemand: Int
    /// Per published session placed off its published slot (non-disruptive replanning).
    public var movePublished: Int = 1000

    /// Makes weights (the defaults of issue 7).
    public init(
        offPreferredWeekday: Int = 10, spacingPerDay: Int = 1, offPreferredTime: Int = 2, turnoutBelowFloor: Int = 50,
        supervisorLoad: Int = 1, unmetDemand: Int = 10_000
    ) {
        self.offPreferredWeekday = offPreferredWeekday
        self.spacingPerDay = spacingPerDay
        self.offPreferredTime = offPreferredTime
        self.turnoutBelowFloor = turnoutBelowFloor
        self.supervisorLoad = supervisorLoad
        self.unmetDemand = unmetDemand
    }
}

/// A town's plan for one year: who, where, when and what rules (plan.yaml).
public struct Plan: Hashable, Sendable, Codable {
    /// The town.
    public var town: Town
    /// Year planned.
    public var year: Int
    /// IANA time zone of every session (Asia/Shanghai).
    public var timeZone: String
    /// Defaults.
    public var defaults: PlanDefaults
    /// What the feeds carry.
    public var feeds = FeedSettings()
    /// Villages.
    public var villages: [Village]
    /// Venues.
    public var venues: [Venue]
    /// Supervisors (town station staff).
    public var supervisors: [Supervisor]
    /// Teams.
    public var teams: [Team]
    /// Named seasons.
    public var seasons: [Season]
    /// Named blackouts.
    public var blackouts: [Blackout]
    /// Supervisor travel overrides.
    public var travel: [TravelTime]
    /// Rules.
    public var rules: [Rule]
    /// Objective weights.
    public var weights: ObjectiveWeights

    /// Makes a plan.
    public init(
        town: Town, year: Int, timeZone: String = "Asia/Shanghai", defaults: PlanDefaults = PlanDefaults(),
        villages: [Village] = [], venues: [Venue] = [], supervisors: [Supervisor] = [], teams: [Team] = [],
        seasons: [Season] = [], blackouts: [Blackout] = [], travel: [TravelTime] = [], rules: [Rule] = [],
        weights: ObjectiveWeights = ObjectiveWeights()
    ) {
        self.town = town
        self.year = year
        self.timeZone = timeZone
        self.defaults = defaults
        self.villages = villages
        self.venues = venues
        self.supervisors = supervisors
        self.teams = teams
        self.seasons = seasons
        self.blackouts = blackouts
        self.travel = travel
        self.rules = rules
        self.weights = weights
    }

    /// A team by id.
    public func team(_ id: String) -> Team? { teams.first { $0.id == id } }
    /// A village by id.
    public func village(_ id: String) -> Village? { villages.first { $0.id == id } }
    /// A venue by id.
    public func venue(_ id: String) -> Venue? { venues.first { $0.id == id } }
    /// A supervisor by id.
    public func supervisor(_ id: String) -> Supervisor? { supervisors.first { $0.id == id } }
    /// A season by id.
    public func season(_ id: String) -> Season? { seasons.first { $0.id == id } }

    /// The teams a list of selectors picks, in plan order.
    public func teams(matching selectors: [TeamSelector]) -> [Team] {
        teams.filter { t in selectors.contains { $0.matches(t) } }
    }

    /// The whole planned year.
    public var yearRange: DateRange {
        DateRange(from: CivilDate(year: year, month: 1, day: 1)!, to: CivilDate(year: year, month: 12, day: 31)!)
    }

    /// Supervisor travel minutes between two villages (nil: the town seat).
    public func travelMinutes(from a: String?, to b: String?) -> Int {
        if a == b { return 0 }
        if let t = travel.first(where: { ($0.from == a && $0.to == b) || ($0.from == b && $0.to == a) }) {
            return t.minutes
        }
        return defaults.travelMinutes
    }
}
