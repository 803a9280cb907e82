/// Checks teams against their minimum size and source mix, and grids against the one-manager rule.
///
/// ```swift
/// let findings = RosterCheck(plan: plan, roster: roster).findings()
/// let failing = findings.contains { $0.needsAction }
/// ```
public struct RosterCheck: Sendable {
    /// The plan.
    public var plan: Plan
    /// The roster.
    public var roster: Roster

    /// Makes a check.
    public init(plan: Plan, roster: Roster) {
        self.plan = plan
        self.roster = roster
    }

    /// Every finding, teams in plan order, then grids, then members on several teams.
    public func findings() -> [Finding] {
        var out: [Finding] = []
        var byTeam: [String: [Member]] = [:]
        for m in roster.members { for t in m.teams { byTeam[t, default: []].append(m) } }
        for team in plan.teams {
            let members = byTeam[team.id] ?? []
            if members.count < team.minimumMembers {
                out.append(.belowMinimum(team: team.id, members: members.count, minimum: team.minimumMembers))
            }
            for (role, need) in team.requiredRoles.sorted(by: { $0.key < $1.key }) {
                let have = members.filter { $0.roles.contains(role) }.count
                if have < need { out.append(.missingRole(team: team.id, role: role, have: have, need: need)) }
            }
        }
        let managed = Set(
            roster.members.filter { $0.roles.contains(.emergencyManager) }.compactMap(\.grid))
        for village in plan.villages {
            for grid in village.grids where !managed.contains(grid) {
                out.append(.gridWithoutManager(village: village.id, grid: grid))
            }
        }
        for m in roster.members where m.teams.count > 1 {
            out.append(.onSeveralTeams(member: m.id, teams: m.teams))
        }
        return out
    }
}
