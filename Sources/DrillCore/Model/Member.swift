/// A period a member cannot attend (working away until the Spring Festival, in hospital…).
public struct Absence: Hashable, Sendable, Codable {
    /// The days away, inclusive.
    public var range: DateRange
    /// Why, as written in the roster (外出务工).
    public var reason: String

    /// Makes an absence.
    public init(range: DateRange, reason: String = "") {
        self.range = range
        self.reason = reason
    }
}

/// A person on one or more teams. Phone numbers are personal data (PIPL): never in public output.
public struct Member: Hashable, Sendable, Codable, Identifiable {
    /// Roster id, unique in the town.
    public var id: String
    /// Full name.
    public var name: String
    /// Phone number (private: only in the town's own exports and authenticated pages).
    public var phone: String
    /// Team ids this member is on.
    public var teams: [String]
    /// Sources and roles.
    public var roles: [Role]
    /// Village id, if the member lives in a village.
    public var village: String?
    /// Grid id, if any.
    public var grid: String?
    /// Periods away.
    public var absences: [Absence]

    /// Makes a member.
    public init(
        id: String, name: String, phone: String = "", teams: [String], roles: [Role], village: String? = nil,
        grid: String? = nil, absences: [Absence] = []
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.teams = teams
        self.roles = roles
        self.village = village
        self.grid = grid
        self.absences = absences
    }

    /// Whether the member is away on `date`.
    public func isAway(on date: CivilDate) -> Bool {
        absences.contains { $0.range.contains(date) }
    }

    /// The absence covering `date`, if any.
    public func absence(on date: CivilDate) -> Absence? {
        absences.first { $0.range.contains(date) }
    }
}

/// The town's roster: every member, indexed by id and by team.
public struct Roster: Sendable, Hashable, Codable {
    /// Members in file order.
    public private(set) var members: [Member]

    /// Makes a roster; member ids must be unique (the loader reports duplicates with their lines).
    public init(members: [Member]) {
        self.members = members
    }

    /// Members of one team, in roster order.
    public func members(of team: String) -> [Member] {
        members.filter { $0.teams.contains(team) }
    }

    /// A member by id.
    public func member(_ id: String) -> Member? { members.first { $0.id == id } }
}
