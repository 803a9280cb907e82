/// Everything the January report to the county and the attendance exports show, computed by
/// `Compliance` and rendered by DrillReports (HTML, Markdown, CSV, XLSX). Text fields are already
/// in the report's language.
public struct AnnualReport: Hashable, Sendable, Codable {
    /// A team's size and mix against its minimum.
    public struct TeamLine: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        public var level: String
        public var members: Int
        public var minimum: Int
        /// Role label → members with it (only roles present or required).
        public var roles: [RoleCount]
        /// Labels of required roles the team lacks.
        public var missingRoles: [String]
        public var meetsMinimum: Bool
        public init(id: String, name: String, level: String, members: Int, minimum: Int, roles: [RoleCount], missingRoles: [String], meetsMinimum: Bool) {
            self.id = id; self.name = name; self.level = level; self.members = members; self.minimum = minimum
            self.roles = roles; self.missingRoles = missingRoles; self.meetsMinimum = meetsMinimum
        }
    }

    /// Members with a role, against the number required (0 if not required).
    public struct RoleCount: Hashable, Sendable, Codable {
        public var role: String
        public var have: Int
        public var required: Int
        public init(role: String, have: Int, required: Int) { self.role = role; self.have = have; self.required = required }
    }

    /// A rule: what it asks of which teams, and how much of it has been held.
    public struct RuleLine: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        public var kind: String
        public var frequency: String
        public var teams: String
        /// Sessions required by the end of the report period, over all its teams.
        public var required: Int
        /// Sessions held (date passed and attendance recorded).
        public var held: Int
        public init(id: String, name: String, kind: String, frequency: String, teams: String, required: Int, held: Int) {
            self.id = id; self.name = name; self.kind = kind; self.frequency = frequency; self.teams = teams
            self.required = required; self.held = held
        }
    }

    /// Sessions planned and held of one kind (training, tabletop drill, live drill…).
    public struct KindCount: Hashable, Sendable, Codable {
        public var kind: String
        public var planned: Int
        public var held: Int
        public init(kind: String, planned: Int, held: Int) { self.kind = kind; self.planned = planned; self.held = held }
    }

    /// One session with its turnout against the minimum.
    public struct SessionLine: Hashable, Sendable, Codable {
        public var uid: String
        /// `2027-05-15 09:00-11:30`.
        public var when: String
        public var date: String
        public var name: String
        public var kind: String
        public var teams: String
        public var venue: String
        /// Members on the roster of the session's teams.
        public var rosterSize: Int
        /// Present + late (guests excluded).
        public var counted: Int
        public var minimum: Int
        public var late: Int
        public var excused: Int
        public var absent: Int
        public var guests: Int
        /// Labels of required roles with nobody counted (e.g. no medical member present).
        public var missingRoles: [String]
        /// Whether attendance has been recorded.
        public var held: Bool
        public var finalized: Bool
        /// Whether counted < minimum (only for held sessions).
        public var belowMinimum: Bool
        public var summary: DrillSummary?
        public init(uid: String, when: String, date: String, name: String, kind: String, teams: String, venue: String, rosterSize: Int, counted: Int, minimum: Int, late: Int, excused: Int, absent: Int, guests: Int, missingRoles: [String], held: Bool, finalized: Bool, belowMinimum: Bool, summary: DrillSummary?) {
            self.uid = uid; self.when = when; self.date = date; self.name = name; self.kind = kind; self.teams = teams
            self.venue = venue; self.rosterSize = rosterSize; self.counted = counted; self.minimum = minimum; self.late = late
            self.excused = excused; self.absent = absent; self.guests = guests; self.missingRoles = missingRoles
            self.held = held; self.finalized = finalized; self.belowMinimum = belowMinimum; self.summary = summary
        }
    }

    /// One member's attendance over the period.
    public struct MemberLine: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        public var teams: String
        /// Sessions held that the member was expected at (excused ones not counted against them).
        public var expected: Int
        /// Present or late.
        public var attended: Int
        /// attended / expected, nil when expected is 0.
        public var rate: Double?
        public var belowThreshold: Bool
        /// One cell per `matrixSessions` entry: "present", "late", "excused", "absent" or "" (not expected / not held).
        public var cells: [String]
        public init(id: String, name: String, teams: String, expected: Int, attended: Int, rate: Double?, belowThreshold: Bool, cells: [String]) {
            self.id = id; self.name = name; self.teams = teams; self.expected = expected; self.attended = attended
            self.rate = rate; self.belowThreshold = belowThreshold; self.cells = cells
        }
    }

    /// A matrix column: a held session.
    public struct MatrixColumn: Hashable, Sendable, Codable {
        public var uid: String
        public var date: String
        public var title: String
        /// Team or village of the session (村名 or 联合), so two sessions of one rule on one day differ.
        public var place: String = ""
        /// Team ids of the session.
        public var teamIDs: [String] = []
        public init(uid: String, date: String, title: String) { self.uid = uid; self.date = date; self.title = title }
        public init(uid: String, date: String, title: String, place: String, teamIDs: [String]) {
            self.uid = uid; self.date = date; self.title = title; self.place = place; self.teamIDs = teamIDs
        }
        /// `2027-03-13 上村 村队训练`: unique per session within a report (see `ReportBuilder`).
        public var header: String { place.isEmpty ? "\(date) \(title)" : "\(date) \(place) \(title)" }
    }

    /// A warning about the rest of the period.
    public struct ForecastLine: Hashable, Sendable, Codable {
        public var team: String
        /// `2027-06-30` or `2027-12-31`.
        public var deadline: String
        public var message: String
        public init(team: String, deadline: String, message: String) { self.team = team; self.deadline = deadline; self.message = message }
    }

    public var townName: String
    public var county: String
    public var station: String
    public var year: Int
    /// `YYYY-MM-DD` the report covers up to.
    public var asOf: String
    public var language: Language
    public var teams: [TeamLine]
    public var rules: [RuleLine]
    public var kinds: [KindCount]
    public var sessions: [SessionLine]
    public var members: [MemberLine]
    public var matrixSessions: [MatrixColumn]
    /// Attendance-rate threshold, 0...1 (default 0.6).
    public var threshold: Double
    /// Shortfalls, as sentences.
    public var shortfalls: [String]
    /// What the town does about them (from the plan's notes, or generated suggestions).
    public var actions: [String]
    public var forecast: [ForecastLine]
    /// The township work report's own parts (overview, problems, actions, next year, sign-off).
    public var township: Township = Township()

    public init(townName: String, county: String, station: String, year: Int, asOf: String, language: Language, teams: [TeamLine], rules: [RuleLine], kinds: [KindCount], sessions: [SessionLine], members: [MemberLine], matrixSessions: [MatrixColumn], threshold: Double, shortfalls: [String], actions: [String], forecast: [ForecastLine]) {
        self.townName = townName; self.county = county; self.station = station; self.year = year; self.asOf = asOf
        self.language = language; self.teams = teams; self.rules = rules; self.kinds = kinds; self.sessions = sessions
        self.members = members; self.matrixSessions = matrixSessions; self.threshold = threshold
        self.shortfalls = shortfalls; self.actions = actions; self.forecast = forecast
    }
}
