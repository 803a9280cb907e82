/// The level a team sits at, which sets its default minimum size.
public enum TeamLevel: String, Sendable, Codable, CaseIterable, Hashable {
    /// 镇综合性应急救援队伍: at least 30 members by the plan.
    case town
    /// 村应急救援队伍: at least 10 members per village by the plan.
    case village
    /// 专业应急救援队伍.
    case specialised
    /// 青年志愿者 / 红十字志愿者应急救援队伍.
    case volunteer

    /// The plan's default minimum size for this level (configurable per team).
    public var defaultMinimum: Int {
        switch self {
        case .town: 30
        case .village: 10
        case .specialised, .volunteer: 0
        }
    }

    /// Chinese or English name of the level.
    public func label(_ language: Language) -> String {
        switch self {
        case .town: language.pick("镇综合性应急救援队伍", "town comprehensive rescue team")
        case .village: language.pick("村应急救援队伍", "village rescue team")
        case .specialised: language.pick("专业应急救援队伍", "specialised rescue team")
        case .volunteer: language.pick("志愿者应急救援队伍", "volunteer rescue team")
        }
    }
}

/// A rescue team (应急救援队伍) with its minimum size and required source mix.
public struct Team: Hashable, Sendable, Codable, Identifiable {
    /// Stable id used in files, UIDs and feed names (`town`, `v-shangcun`).
    public var id: String
    /// Chinese name (上村应急救援队).
    public var name: String
    /// English name, if given.
    public var nameEnglish: String?
    /// Level.
    public var level: TeamLevel
    /// Village id for village teams.
    public var village: String?
    /// Minimum members (default from the level: 30 town, 10 village).
    public var minimumMembers: Int
    /// Required sources: at least this many members with each role.
    public var requiredRoles: [Role: Int]
    /// Least days between any two consecutive sessions of the team, whichever rules they come from
    /// (nil: the plan default).
    public var minGapDays: Int?
    /// The spacing the team aims for between consecutive sessions (nil: the year divided by the
    /// team's session count).
    public var idealGapDays: Int?
    /// Expected turnout a session should reach (nil: the team minimum, capped at the roster).
    public var minTurnout: TurnoutFloor?
    /// Refuse a day below the turnout floor instead of scheduling it with a known shortfall.
    public var turnoutHard: Bool

    /// Makes a team.
    public init(
        id: String, name: String, nameEnglish: String? = nil, level: TeamLevel, village: String? = nil,
        minimumMembers: Int? = nil, requiredRoles: [Role: Int] = [:], minGapDays: Int? = nil,
        idealGapDays: Int? = nil, minTurnout: TurnoutFloor? = nil, turnoutHard: Bool = false
    ) {
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.level = level
        self.village = village
        self.minimumMembers = minimumMembers ?? level.defaultMinimum
        self.requiredRoles = requiredRoles
        self.minGapDays = minGapDays
        self.idealGapDays = idealGapDays
        self.minTurnout = minTurnout
        self.turnoutHard = turnoutHard
    }

    /// The name in `language` (falls back to the Chinese name).
    public func displayName(_ language: Language) -> String {
        language == .en ? (nameEnglish ?? name) : name
    }
}
