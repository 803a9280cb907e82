/// Something `drillcal check` reports about a town's teams.
public enum Finding: Hashable, Sendable, Codable {
    /// A team has fewer members than its minimum (30 town / 10 village by the plan).
    case belowMinimum(team: String, members: Int, minimum: Int)
    /// A team lacks members from a required source (the town team needs medical members…).
    case missingRole(team: String, role: Role, have: Int, need: Int)
    /// A grid has no emergency manager (每个网格至少1名应急管理员).
    case gridWithoutManager(village: String, grid: String)
    /// A member sits on several teams: their sessions are kept apart (informational).
    case onSeveralTeams(member: String, teams: [String])

    /// Whether the finding needs action (exit 1); several-teams membership is information only.
    public var needsAction: Bool {
        if case .onSeveralTeams = self { return false }
        return true
    }

    /// Short key for JSON (`below_minimum`…).
    public var key: String {
        switch self {
        case .belowMinimum: "below_minimum"
        case .missingRole: "missing_role"
        case .gridWithoutManager: "grid_without_manager"
        case .onSeveralTeams: "on_several_teams"
        }
    }
}
