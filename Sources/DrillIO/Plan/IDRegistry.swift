import DrillCore

/// Ids seen so far in plan.yaml, per kind, with the line each was first given on, so that a
/// duplicate names both places.
struct IDRegistry {
    enum Kind: String {
        case village, grid, venue, supervisor, team, season, blackout, rule

        var words: (zh: String, en: String) {
            switch self {
            case .village: ("村编号", "village id")
            case .grid: ("网格编号", "grid id")
            case .venue: ("场地编号", "venue id")
            case .supervisor: ("督导人员编号", "supervisor id")
            case .team: ("队伍编号", "team id")
            case .season: ("时段编号", "season id")
            case .blackout: ("禁训时段编号", "blackout id")
            case .rule: ("规则编号", "rule id")
            }
        }
    }

    private var seen: [Kind: [String: Int]] = [:]

    /// Checks `v` is an id not used before for `kind`, and records it.
    mutating func claim(_ v: YAMLValue, kind: Kind) throws(InputError) -> String {
        let id = try v.id()
        if let first = seen[kind]?[id] {
            throw v.error(.unique(kind.words, firstLine: first))
        }
        seen[kind, default: [:]][id] = v.line ?? 0
        return id
    }
}
