import DrillCore
import Testing

@Suite struct RosterCheckTests {
    @Test func reportsShortTeamsMissingRolesAndUnmanagedGrids() {
        var (plan, roster) = smallTown(villageSize: 9)
        plan.teams[0].requiredRoles = [.medical: 2, .police: 1]
        var members = roster.members
        members[1].teams.append("v-shangcun")
        members.removeAll { $0.grid == "xp-1" }
        roster = Roster(members: members)
        let findings = RosterCheck(plan: plan, roster: roster).findings()
        #expect(findings.contains(.belowMinimum(team: "v-xiaping", members: 8, minimum: 10)))
        #expect(!findings.contains { if case .belowMinimum(let t, _, _) = $0 { t == "v-shangcun" } else { false } })
        #expect(findings.contains(.missingRole(team: "town", role: .medical, have: 1, need: 2)))
        #expect(findings.contains(.missingRole(team: "town", role: .police, have: 0, need: 1)))
        #expect(findings.contains(.gridWithoutManager(village: "xiaping", grid: "xp-1")))
        #expect(!findings.contains(.gridWithoutManager(village: "shangcun", grid: "sc-1")))
        #expect(findings.contains(.onSeveralTeams(member: "t1", teams: ["town", "v-shangcun"])))
        let short = Finding.belowMinimum(team: "v-xiaping", members: 8, minimum: 10)
        #expect(Describe(plan: plan, roster: roster, language: .zh).finding(short) == "下坪应急救援队人数不足：现有 8 人，最少应为 10 人（缺 2 人）")
        #expect(Describe(plan: plan, roster: roster, language: .en).finding(short).contains("below its minimum: 8 members"))
    }
}
