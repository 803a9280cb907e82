import ArgumentParser
import DrillCore
import Foundation

extension Drillcal {
    /// `drillcal check DIR`: teams against their minimum and source mix, grids against their manager.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "检查队伍、出勤、规则执行并预测 / check teams, turnout, rules, members and forecast",
            discussion: "有需处理的问题时退出码为 1 / exits 1 when anything needs action")

        @OptionGroup var town: TownOptions

        @Flag(help: "以 JSON 输出 / print JSON for scripts")
        var json = false

        @Option(help: "检查日期，默认今天 / the day to check as of (YYYY-MM-DD)")
        var asOf: String?

        @Option(help: "出勤率阈值（0-1），默认 0.6 / attendance-rate threshold")
        var threshold: Double = 0.6

        func validate() throws {
            try OptionRange.check("--threshold", threshold, 0...1, lang: town.lang)
        }

        struct Report: Encodable {
            struct Item: Encodable {
                var kind: String
                var action: Bool
                var team, village, grid, member, role, session, rule: String?
                var have, need: Int?
                var teams: [String]?
                var message: String
            }
            struct Rule: Encodable {
                var rule, team: String
                var requiredInYear, requiredByNow, planned, held: Int
            }
            var town: String
            var asOf: String
            var ok: Bool
            var findings: [Item]
            var rules: [Rule]
        }

        func run() async throws {
            let (input, compliance) = try await town.compliance(asOf: asOf, threshold: threshold)
            let l = town.lang
            let findings = compliance.findings()
            let describe = Describe(plan: input.plan, roster: input.roster, language: l)
            let names = Dictionary(input.plan.rules.map { ($0.id, $0.displayName(l)) }, uniquingKeysWith: { a, _ in a })
            let sessionName = describe.sessionTitles(compliance.data.sessions)
            let failing = findings.contains { $0.needsAction }
            let progress = compliance.ruleProgress()
            if json {
                let items = findings.map { f -> Report.Item in
                    var item = Report.Item(kind: f.key, action: f.needsAction, message: describe.compliance(f, sessionName: sessionName))
                    switch f {
                    case .roster(.belowMinimum(let t, let n, let min)): (item.team, item.have, item.need) = (t, n, min)
                    case .roster(.missingRole(let t, let r, let h, let n)): (item.team, item.role, item.have, item.need) = (t, r.rawValue, h, n)
                    case .roster(.gridWithoutManager(let v, let g)): (item.village, item.grid) = (v, g)
                    case .roster(.onSeveralTeams(let m, let ts)): (item.member, item.teams) = (m, ts)
                    case .turnoutBelowMinimum(let t): (item.session, item.team, item.have, item.need) = (t.uid, t.team, t.counted, t.minimum)
                    case .turnoutMissingRole(let t, let r): (item.session, item.team, item.role) = (t.uid, t.team, r.rawValue)
                    case .notRecorded(let uid, _): item.session = uid
                    case .ruleBehind(let p): (item.rule, item.team, item.have, item.need) = (p.rule, p.team, p.held, p.requiredByNow)
                    case .memberBelowThreshold(let r, _): (item.member, item.have, item.need) = (r.member, r.attended, r.expected)
                    case .forecast(.turnout(let uid, let t, _, let e, let m, _), _): (item.session, item.team, item.have, item.need) = (uid, t, e, m)
                    case .forecast(.ruleShort(let r, let t, _, let req, let pos), _): (item.rule, item.team, item.have, item.need) = (r, t, pos, req)
                    }
                    return item
                }
                try Console.json(Report(
                    town: input.plan.town.id, asOf: compliance.asOf.description, ok: !failing, findings: items,
                    rules: progress.map { Report.Rule(rule: $0.rule, team: $0.team, requiredInYear: $0.requiredInYear, requiredByNow: $0.requiredByNow, planned: $0.planned, held: $0.held) }))
            } else {
                let action = findings.filter(\.needsAction)
                let info = findings.filter { !$0.needsAction }
                print(l.pick("\(input.plan.town.name)检查（截至 \(compliance.asOf)）：\(action.count) 项需处理，\(info.count) 项提示",
                    "\(input.plan.town.nameEnglish ?? input.plan.town.name) as of \(compliance.asOf): \(action.count) finding(s) need action, \(info.count) note(s)"))
                for f in action { print(Console.paint("  ✗ ", .red) + describe.compliance(f, sessionName: sessionName)) }
                for f in info { print("  · " + describe.compliance(f, sessionName: sessionName)) }
                if action.isEmpty { print(l.pick("所有队伍均达到要求。", "Every team meets its requirements.")) }
                print(l.pick("规则执行情况：", "Rules:"))
                for p in progress where p.requiredInYear > 0 {
                    let team = p.team == "station" ? input.plan.town.station : (input.plan.team(p.team)?.displayName(l) ?? p.team)
                    print("  \(names[p.rule] ?? p.rule) · \(team)：" + l.pick(
                        "截至今日应开展 \(p.requiredByNow) 次，已开展 \(p.held) 次（全年应开展 \(p.requiredInYear) 次，已排 \(p.planned) 次）",
                        "\(p.requiredByNow) required by now, \(p.held) held (\(p.requiredInYear) in the year, \(p.planned) scheduled)"))
                }
            }
            if failing { throw ExitCode(1) }
        }
    }
}
