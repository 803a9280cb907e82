import ArgumentParser
import DrillCore
import DrillIO
import Foundation

extension Drillcal {
    /// `drillcal check DIR`: what a clerk has to act on, counts first, roster problems next, then one
    /// line per team; `--all` lists every item; `--json` for scripts (docs/schema/check.schema.json).
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "检查队伍、出勤、规则执行并预测 / check teams, turnout, rules, members and forecast",
            discussion: """
                默认按“先汇总、再名册问题、后各队伍”分组输出；--all 列出每一项明细和各规则执行情况。
                --json 的格式见 docs/schema/check.schema.json。有需处理的问题时退出码为 1。
                By default: counts, roster problems, then one line per team; --all lists every item.
                --json follows docs/schema/check.schema.json. Exits 1 when anything needs action.
                """)

        @OptionGroup var town: TownOptions

        @Flag(help: "以 JSON 输出 / print JSON for scripts")
        var json = false

        @Flag(help: "列出每一项明细 / list every item")
        var all = false

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
                var correctiveAction: Int?
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
            var counts: [String: Int]
            var findings: [Item]
            var rules: [Rule]
        }

        func run() async throws {
            // A county or province folder: one line per town (RegionCheck.swift).
            if RegionLoader.isRegion(town.directory) { return try RegionCheck(check: self).run() }
            let (input, compliance) = try await town.compliance(asOf: asOf, threshold: threshold)
            let l = town.lang
            let findings = compliance.findings()
            let describe = Describe(plan: input.plan, roster: input.roster, language: l)
            let sessionName = describe.sessionTitles(compliance.data.sessions)
            let failing = findings.contains { $0.needsAction }
            let progress = compliance.ruleProgress()
            let digest = CheckDigest(compliance: compliance, findings: findings, language: l)
            if json {
                let items = findings.map { f in
                    Self.item(f, message: describe.compliance(f, sessionName: sessionName))
                }
                try Console.json(
                    Report(
                        town: input.plan.town.id, asOf: compliance.asOf.description, ok: !failing,
                        counts: Dictionary(digest.counts.map { ($0.kind, $0.count) }, uniquingKeysWith: +),
                        findings: items,
                        rules: progress.map {
                            Report.Rule(
                                rule: $0.rule, team: $0.team, requiredInYear: $0.requiredInYear,
                                requiredByNow: $0.requiredByNow, planned: $0.planned, held: $0.held)
                        }))
                if failing { throw ExitCode(1) }
                return
            }
            let action = findings.filter(\.needsAction)
            let name = l == .en ? (input.plan.town.nameEnglish ?? input.plan.town.name) : input.plan.town.name
            print(
                l.pick(
                    "\(name)检查（截至 \(compliance.asOf)）：\(action.count) 项需处理",
                    "\(name) as of \(compliance.asOf): \(action.count) item(s) need action"))
            if !digest.counts.isEmpty {
                print(
                    "  "
                        + digest.counts.map { "\($0.label) \($0.count)" }.joined(
                            separator: l.pick("　", " · ")))
            }
            if action.isEmpty { print(l.pick("所有队伍均达到要求。", "Every team meets its requirements.")) }
            if !digest.roster.isEmpty {
                print(l.pick("队伍名册（\(digest.roster.count)）：", "Rosters (\(digest.roster.count)):"))
                for line in digest.roster { print(Console.paint("  ✗ ", .red) + line) }
            }
            if !digest.teams.isEmpty {
                print(l.pick("各队伍：", "Teams:"))
                for line in digest.teams { print(Console.paint("  ✗ ", .red) + line.text) }
            }
            if !digest.station.isEmpty {
                print(l.pick("镇应急站：", "Station:"))
                for line in digest.station { print(Console.paint("  ✗ ", .red) + line) }
            }
            for note in digest.notes { print("  · " + note) }
            if all {
                print(l.pick("明细（\(findings.count) 项）：", "Every item (\(findings.count)):"))
                for f in action { print(Console.paint("  ✗ ", .red) + describe.compliance(f, sessionName: sessionName)) }
                for f in findings where !f.needsAction { print("  · " + describe.compliance(f, sessionName: sessionName)) }
                let names = Dictionary(input.plan.rules.map { ($0.id, $0.displayName(l)) }, uniquingKeysWith: { a, _ in a })
                print(l.pick("规则执行情况：", "Rules:"))
                for p in progress where p.requiredInYear > 0 {
                    let team =
                        p.team == "station"
                        ? input.plan.town.station : (input.plan.team(p.team)?.displayName(l) ?? p.team)
                    print(
                        "  \(names[p.rule] ?? p.rule) · \(team)："
                            + l.pick(
                                "截至今日应开展 \(p.requiredByNow) 次，已开展 \(p.held) 次（全年应开展 \(p.requiredInYear) 次，已排 \(p.planned) 次）",
                                "\(p.requiredByNow) required by now, \(p.held) held (\(p.requiredInYear) in the year, \(p.planned) scheduled)"
                            ))
                }
            } else if findings.count > digest.roster.count {
                print(
                    l.pick(
                        "（共 \(findings.count) 项明细，加 --all 逐项列出）",
                        "(\(findings.count) items in all; --all lists them)"))
            }
            if failing { throw ExitCode(1) }
        }

        static func item(_ f: ComplianceFinding, message: String) -> Report.Item {
            var item = Report.Item(kind: f.key, action: f.needsAction, message: message)
            switch f {
            case .roster(.belowMinimum(let t, let n, let min)):
                (item.team, item.have, item.need) = (t, n, min)
            case .roster(.missingRole(let t, let r, let h, let n)):
                (item.team, item.role, item.have, item.need) = (t, r.rawValue, h, n)
            case .roster(.gridWithoutManager(let v, let g)): (item.village, item.grid) = (v, g)
            case .roster(.onSeveralTeams(let m, let ts)): (item.member, item.teams) = (m, ts)
            case .turnoutBelowMinimum(let t):
                (item.session, item.team, item.have, item.need) = (t.uid, t.team, t.counted, t.minimum)
            case .turnoutMissingRole(let t, let r):
                (item.session, item.team, item.role) = (t.uid, t.team, r.rawValue)
            case .notRecorded(let uid, _): item.session = uid
            case .ruleBehind(let p):
                (item.rule, item.team, item.have, item.need) = (p.rule, p.team, p.held, p.requiredByNow)
            case .memberBelowThreshold(let r, _):
                (item.member, item.have, item.need) = (r.member, r.attended, r.expected)
            case .forecast(.turnout(let uid, let t, _, let e, let m, _), _):
                (item.session, item.team, item.have, item.need) = (uid, t, e, m)
            case .forecast(.ruleShort(let r, let t, _, let req, let pos), _):
                (item.rule, item.team, item.have, item.need) = (r, t, pos, req)
            case .summaryMissing(let uid, _): item.session = uid
            case .deadlineNotDone(let uid, _): item.session = uid
            case .actionOverdue(let a): (item.session, item.correctiveAction) = (a.sessionUID, a.id)
            }
            return item
        }
    }
}
