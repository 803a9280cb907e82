import ArgumentParser
import DrillCore
import Foundation

extension Drillcal {
    /// `drillcal check DIR`: teams against their minimum and source mix, grids against their manager.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "检查队伍人数、力量构成与网格应急管理员 / check team sizes, source mix and grids",
            discussion: "有需处理的问题时退出码为 1 / exits 1 when anything needs action")

        @OptionGroup var town: TownOptions

        @Flag(help: "以 JSON 输出 / print JSON for scripts")
        var json = false

        struct Report: Encodable {
            struct Item: Encodable {
                var kind: String
                var action: Bool
                var team, village, grid, member, role: String?
                var have, need: Int?
                var teams: [String]?
                var message: String
            }
            var town: String
            var ok: Bool
            var findings: [Item]
        }

        func run() async throws {
            let input = try town.load()
            let findings = RosterCheck(plan: input.plan, roster: input.roster).findings()
            let describe = Describe(plan: input.plan, roster: input.roster, language: town.lang)
            let failing = findings.contains { $0.needsAction }
            if json {
                let items = findings.map { f -> Report.Item in
                    var item = Report.Item(kind: f.key, action: f.needsAction, message: describe.finding(f))
                    switch f {
                    case .belowMinimum(let t, let n, let min): (item.team, item.have, item.need) = (t, n, min)
                    case .missingRole(let t, let r, let h, let n): (item.team, item.role, item.have, item.need) = (t, r.rawValue, h, n)
                    case .gridWithoutManager(let v, let g): (item.village, item.grid) = (v, g)
                    case .onSeveralTeams(let m, let ts): (item.member, item.teams) = (m, ts)
                    }
                    return item
                }
                try Console.json(Report(town: input.plan.town.id, ok: !failing, findings: items))
            } else {
                let l = town.lang
                let action = findings.filter(\.needsAction)
                let info = findings.filter { !$0.needsAction }
                print(l.pick("\(input.plan.town.name)队伍检查：\(action.count) 项需处理，\(info.count) 项提示",
                    "\(input.plan.town.nameEnglish ?? input.plan.town.name): \(action.count) finding(s) need action, \(info.count) note(s)"))
                for f in action { print("  ✗ " + describe.finding(f)) }
                for f in info { print("  · " + describe.finding(f)) }
                if action.isEmpty { print(l.pick("所有队伍均达到最低人数和力量构成要求。", "Every team meets its minimum and mix.")) }
            }
            if failing { throw ExitCode(1) }
        }
    }
}
