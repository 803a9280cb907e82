import ArgumentParser
import DrillCore
import DrillIO
import DrillReports
import Foundation

/// The county view: each town's `check --json` (run as a child per town, all cores), gathered
/// into one `RegionReport`.
enum RegionSurvey {
    /// Loads the region or exits 2.
    static func region(_ directory: String, _ l: Language) throws -> Region {
        do {
            return try RegionLoader.load(directory)
        } catch {
            Console.error(error.message(l))
            throw ExitCode(2)
        }
    }

    /// Every town's standing, in the region's order.
    static func towns(_ region: Region, lang: Language, asOf: String?, threshold: Double, progress: Bool)
        throws
        -> [RegionReport.Town]
    {
        var shared = ["--json", "--lang", lang.rawValue, "--threshold", "\(threshold)"]
        if let asOf { shared += ["--as-of", asOf] }
        let arguments = shared
        let towns = region.towns
        let box = StandingBox(count: towns.count)
        let bar = ProgressBar(total: towns.count, enabled: progress)
        try RegionRunner().run(
            count: towns.count, arguments: { i in ["check", towns[i].directory] + arguments },
            done: { i, outcome in
                box.results[i] = standing(towns[i], outcome!)
                bar.show(done: box.results.count { $0 != nil }, failed: 0, label: towns[i].key)
            })
        bar.finish()
        return box.results.map { $0! }
    }

    /// A town's standing from its check's JSON (`counts`, `rules`) and exit status.
    static func standing(_ town: Region.Town, _ outcome: RegionRunner.Outcome) -> RegionReport.Town {
        let object = (try? JSONSerialization.jsonObject(with: outcome.output)) as? [String: Any]
        let counts = object?["counts"] as? [String: Int] ?? [:]
        let rules = object?["rules"] as? [[String: Any]] ?? []
        func sum(_ key: String, _ alternative: String) -> Int {
            rules.reduce(0) { $0 + (($1[key] as? Int) ?? ($1[alternative] as? Int) ?? 0) }
        }
        var status = outcome.status
        let message = outcome.errors.trimmingCharacters(in: .whitespacesAndNewlines)
        if object == nil && status < 2 { status = 3 }
        return RegionReport.Town(
            key: town.key, town: object?["town"] as? String, status: status,
            belowMinimum: counts["below_minimum"] ?? 0, rulesBehind: counts["rule_behind"] ?? 0,
            held: sum("held", "held"), requiredByNow: sum("requiredByNow", "required_by_now"),
            planned: sum("planned", "planned"), reportsOverdue: counts["deadline_not_done"] ?? 0,
            actionsOverdue: counts["action_overdue"] ?? 0,
            otherFindings: counts.filter { !RegionReport.Town.columnKinds.contains($0.key) },
            error: status >= 2 ? (message.split(separator: "\n").first.map(String.init) ?? "") : nil)
    }
}

final class StandingBox: @unchecked Sendable {
    var results: [RegionReport.Town?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
}

/// `drillcal check REGION`: one line per town, worst first; exit 0 when no town needs action, 1
/// when one does, 2 or 3 when a town could not be checked.
struct RegionCheck {
    let check: Drillcal.Check

    func run() throws {
        let l = check.town.lang
        let region = try RegionSurvey.region(check.town.directory, l)
        let towns = try RegionSurvey.towns(
            region, lang: l, asOf: check.asOf, threshold: check.threshold, progress: !check.json)
        let report = RegionReport(
            name: region.name, level: region.level.label(l), year: 0, asOf: check.asOf ?? "", language: l,
            towns: towns)
        if check.json {
            try Console.json(report.towns)
        } else {
            print(
                l.pick(
                    "\(region.name)（\(region.level.label(l))）：\(towns.count) 个镇，\(towns.filter(\.needsAction).count) 个需处理",
                    "\(region.name) (\(region.level.label(l))): \(towns.count) towns, \(towns.filter(\.needsAction).count) needing action"
                ))
            let width = min(40, towns.map(\.key.count).max() ?? 0)
            for t in report.towns {
                let key = t.key.padding(toLength: max(width, t.key.count), withPad: " ", startingAt: 0)
                let mark = t.status == 0 ? "✔" : t.status == 1 ? "!" : "✘"
                let held =
                    t.status >= 2
                    ? ""
                    : l.pick("已举行 \(t.held)/应举行 \(t.requiredByNow)  ", "held \(t.held)/\(t.requiredByNow)  ")
                let problems = t.problems(l)
                print(
                    "  \(Console.paint(mark, t.status == 0 ? .green : t.status == 1 ? .yellow : .red)) \(key)  \(held)\(problems.isEmpty ? l.pick("无需处理", "nothing to act on") : problems)"
                )
            }
        }
        let worst = towns.map(\.status).max() ?? 0
        if worst != 0 { throw ExitCode(worst) }
    }
}

/// `drillcal report REGION --year Y --format html|md|xlsx --out PATH`: the county's summary to the
/// level above (towns × indicators, then the towns needing action).
struct RegionReportCommand {
    let report: Drillcal.Report

    func run() throws {
        let l = report.town.lang
        guard [.html, .md, .xlsx].contains(report.format) else {
            Console.error(
                l.pick(
                    "--format：区域汇总应为 html、md 或 xlsx，实际为 \(report.format.rawValue)",
                    "--format: a region summary is html, md or xlsx, found \(report.format.rawValue)"))
            throw ExitCode(2)
        }
        let region = try RegionSurvey.region(report.town.directory, l)
        let year = report.year ?? Calendar(identifier: .gregorian).component(.year, from: Date())
        // As of the given day, else today, but never past the year's end.
        let yearEnd = CivilDate(year: year, month: 12, day: 31)!
        var asOf = try today(report.asOf, timeZone: "Asia/Shanghai", lang: l)
        if asOf > yearEnd { asOf = yearEnd }
        let towns = try RegionSurvey.towns(
            region, lang: l, asOf: asOf.description, threshold: report.threshold, progress: true)
        let summary = RegionReport(
            name: region.name, level: region.level.label(l), year: year, asOf: asOf.description, language: l,
            towns: towns)
        do {
            switch report.format {
            case .md: try FeedWriterBridge.replace(report.out, Array(summary.markdown().utf8))
            case .xlsx: try summary.writeXLSX(to: report.out)
            default: try FeedWriterBridge.replace(report.out, Array(summary.html().utf8))
            }
        } catch {
            Console.error(FileProblem.writeError(error, path: report.out).message(l))
            throw ExitCode(3)
        }
        print(
            l.pick(
                "已生成 \(report.out)（\(region.name)，\(towns.count) 个镇，截至 \(asOf)）",
                "Wrote \(report.out) (\(region.name), \(towns.count) towns, as of \(asOf))"))
    }
}
