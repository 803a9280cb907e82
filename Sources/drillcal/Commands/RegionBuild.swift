import ArgumentParser
import DrillCore
import DrillIO
import Foundation

/// `drillcal build REGION`: every town of a county or province folder, in parallel on all cores.
///
/// Each town is built by the command line `drillcal build TOWN --json` with the same options and
/// one build time for all, run in a worker process (`RegionRunner`, `RegionWorker`), so a town's
/// feeds are byte for byte those of a single-town build. A broken town
/// is reported with its file and line and the others still publish; the exit status is the worst
/// town's. A town whose inputs (every file of its folder but the database, the shared holidays,
/// this executable and the options) hash as at its last successful region build, and whose
/// published feeds folder is still the one that build left, is skipped (`--force` rebuilds it):
/// the hashes, the feeds folders' stamps and the input files' stamps (`RegionInputs`) live in
/// `REGION/.drillcal-region.json`.
struct RegionBuild {
    let build: Drillcal.Build

    /// One town's line of the summary, also what the region manifest keeps for skipped towns.
    struct TownResult: Codable, Sendable {
        var key: String
        var directory: String
        var town: String?
        var status: Int32
        var skipped: Bool
        var sessions: Int?
        var unmet: Int?
        var shortfalls: Int?
        var feeds: Int?
        var seconds: Double
        var error: String?
        /// Stopped at the per-town time limit (`--town-timeout`).
        var timedOut: Bool?

        enum CodingKeys: String, CodingKey {
            case key, directory, town, status, skipped, sessions, unmet, shortfalls, feeds, seconds, error
            case timedOut = "timed_out"
        }
    }

    /// What a worker's town build prints with `--json --region-counts`: the numbers of its report
    /// that the region's summary shows (the lengths of the full report's lists).
    struct TownCounts: Codable {
        var town: String
        var sessions, unmet, shortfalls, feeds: Int
    }

    /// `REGION/.drillcal-region.json`: the input hash, the published feeds folder's stamp and the
    /// result of each town's last good build, and the input files' stamps (`RegionInputs.Known`).
    struct Manifest: Codable {
        struct Entry: Codable {
            var inputHash: String
            /// `RegionInputs.feedsStamp` after the build (absent in version 1: rebuilt once).
            var feeds: String?
            var result: TownResult
            enum CodingKeys: String, CodingKey {
                case inputHash = "input_hash", feeds, result
            }
        }
        var version = 2
        var towns: [String: Entry] = [:]
        var files: RegionInputs.Known?
    }

    struct Report: Encodable {
        var region: String
        var level: String
        var worstStatus: Int32
        var seconds: Double
        var towns: [TownResult]
        enum CodingKeys: String, CodingKey {
            case region, level, seconds, towns
            case worstStatus = "worst_status"
        }
    }

    func run() throws {
        let lang = build.town.lang
        guard build.out == nil, build.town.database == nil, build.exportModel == nil else {
            Console.error(
                lang.pick(
                    "区域构建时每个镇写入自己的 feeds/ 与 drillcal.sqlite：不能使用 --out、--database 或 --export-model",
                    "a region build writes each town's own feeds/ and drillcal.sqlite: --out, --database and --export-model do not apply"
                ))
            throw ExitCode(2)
        }
        if let jobs = build.jobs, !(1...256).contains(jobs) {
            Console.error(lang.pick("--jobs 应在 1 到 256 之间，实际为 \(jobs)", "--jobs must be between 1 and 256, found \(jobs)"))
            throw ExitCode(2)
        }
        if let limit = build.townTimeout, !(1...86_400).contains(limit) {
            Console.error(
                lang.pick(
                    "--town-timeout 应在 1 到 86400 秒之间，实际为 \(limit)",
                    "--town-timeout must be between 1 and 86400 seconds, found \(limit)"))
            throw ExitCode(2)
        }
        // Region phases for the benchmarks (DRILLCAL_TIMINGS): `region.start` from the process's start
        // (the executable and its libraries read in), `region.folders` the towns found,
        // `region.load` the last region manifest read, `region.scan` every town's inputs hashed,
        // `region.towns` the towns' builds (and their feeds' stamps), `region.manifest` the region
        // manifest written, `region.finish` the summary printed.
        var timings = PhaseTimings(since: PhaseTimings.processStart())
        defer {
            timings.end("region.finish")
            timings.save()
        }
        timings.end("region.start")
        let region: Region
        do {
            region = try RegionLoader.load(build.town.directory)
        } catch {
            Console.error(error.message(lang))
            throw ExitCode(2)
        }
        let stamp = try build.buildTime()
        let nowText = ISO8601DateFormatter().string(
            from: Date(timeIntervalSince1970: TimeInterval(stamp.seconds)))
        timings.end("region.folders")
        let manifestPath = region.directory + "/.drillcal-region.json"
        let previous =
            (FileManager.default.contents(atPath: manifestPath)).flatMap {
                try? JSONDecoder().decode(Manifest.self, from: $0)
            }
            ?? Manifest()
        let optionsKey = [
            "lang=\(lang.rawValue)", "encoding=\(build.town.encoding)", "partial=\(build.allowPartial)",
            "seed=\(build.seed)", "moves=\(build.moves)", "limit=\(build.timeLimit.map { "\($0)" } ?? "-")",
            "member-feeds=\(build.memberFeeds.rawValue)", "exe=\(RegionRunner.executableIdentity)",
        ].joined(separator: ";")
        timings.end("region.load")
        let (inputs, known) = RegionInputs.scan(
            towns: region.towns.map(\.directory), region: region.directory, options: optionsKey,
            known: previous.files ?? [:])
        timings.end("region.scan")

        var arguments: [String] = ["--json", "--region-counts", "--now", nowText, "--lang", lang.rawValue]
        arguments += [
            "--encoding", "\(build.town.encoding)", "--seed", "\(build.seed)", "--moves", "\(build.moves)",
        ]
        arguments += ["--member-feeds", build.memberFeeds.rawValue]
        if let limit = build.timeLimit { arguments += ["--time-limit", "\(limit)"] }
        if build.allowPartial { arguments.append("--allow-partial") }
        if build.verify { arguments.append("--verify") }
        let shared = arguments

        let started = Date()
        let towns = region.towns
        let force = build.force
        let skip: [Bool] = towns.indices.map { i in
            guard !force, let old = previous.towns[towns[i].key], old.inputHash == inputs[i].hash,
                old.result.status == 0
            else {
                return false
            }
            // Feeds deleted or replaced since: published again.
            return old.feeds != nil && old.feeds == inputs[i].feeds
        }
        let bar = ProgressBar(total: towns.count, enabled: !build.json)
        let box = ResultBox(count: towns.count)
        var runner = RegionRunner()
        if let jobs = build.jobs { runner.width = jobs }
        // A town normally takes about a second; the optimiser's own limit comes on top.
        let townLimit = build.townTimeout ?? 600 + Int((build.timeLimit ?? 0).rounded(.up))
        runner.townLimit = Double(townLimit)
        try runner.run(
            count: towns.count,
            arguments: { i in skip[i] ? nil : ["build", towns[i].directory] + shared },
            done: { i, outcome in
                box.set(
                    i,
                    outcome.map { Self.result(towns[i], $0, limit: townLimit, lang) }
                        ?? Self.skipped(previous.towns[towns[i].key]!.result))
                bar.show(done: box.finished, failed: box.failed, label: towns[i].key)
            })
        bar.finish()
        let results = box.results.map { $0! }

        var next = Manifest(files: known)
        for (i, result) in results.enumerated() where result.status == 0 {
            var kept = result
            kept.skipped = false
            next.towns[towns[i].key] = Manifest.Entry(
                inputHash: inputs[i].hash,
                feeds: skip[i] ? inputs[i].feeds : RegionInputs.feedsStamp(towns[i].directory), result: kept)
        }
        timings.end("region.towns")
        do {
            // One line, keys sorted: the file is drillcal's own (1 MB for 1,500 towns pretty-printed).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try FeedWriterBridge.replace(manifestPath, Array(try encoder.encode(next)))
        } catch {
            Console.error(FileProblem.writeError(error, path: manifestPath, folder: false).message(lang))
            throw ExitCode(3)
        }

        timings.end("region.manifest")
        let worst = results.map(\.status).max() ?? 0
        let seconds = (Date().timeIntervalSince(started) * 10).rounded() / 10
        if build.json {
            try Console.json(
                Report(
                    region: region.name, level: region.level.rawValue, worstStatus: worst, seconds: seconds,
                    towns: results))
        } else {
            printText(region, results, seconds: seconds, lang)
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    static func skipped(_ old: TownResult) -> TownResult {
        var result = old
        result.skipped = true
        result.seconds = 0
        return result
    }

    /// A town's result from its child's exit status and JSON report.
    static func result(
        _ town: Region.Town, _ outcome: RegionRunner.Outcome, limit: Int, _ lang: Language
    ) -> TownResult {
        var result = TownResult(
            key: town.key, directory: town.directory, town: nil, status: outcome.status, skipped: false,
            seconds: (outcome.seconds * 100).rounded() / 100)
        if let counts = try? JSONDecoder().decode(TownCounts.self, from: outcome.output) {
            result.town = counts.town
            result.sessions = counts.sessions
            result.unmet = counts.unmet
            result.shortfalls = counts.shortfalls
            result.feeds = counts.feeds
        }
        let text = outcome.errors.trimmingCharacters(in: .whitespacesAndNewlines)
        if outcome.timedOut {
            result.timedOut = true
            result.error =
                lang.pick("超过时限 \(limit) 秒，已终止", "stopped after the time limit of \(limit) s")
                + (text.isEmpty ? "" : ": " + text)
        } else if let signal = outcome.signal {
            result.error = "signal \(signal)" + (text.isEmpty ? "" : ": " + text)
        } else if !text.isEmpty {
            result.error = text
        }
        return result
    }

    func printText(_ region: Region, _ results: [TownResult], seconds: Double, _ l: Language) {
        print(
            l.pick(
                "\(region.name)（\(region.level.label(l))）：\(results.count) 个镇",
                "\(region.name) (\(region.level.label(l))): \(results.count) towns"))
        let width = min(40, results.map(\.key.count).max() ?? 0)
        // Worst first, then in the region's order.
        let ordered = results.enumerated().sorted {
            ($1.element.status, $0.offset) < ($0.element.status, $1.offset)
        }
        for (_, r) in ordered {
            let key = r.key.padding(toLength: max(width, r.key.count), withPad: " ", startingAt: 0)
            let mark: String
            var detail: String
            if r.status == 0 && r.skipped {
                mark = "="
                detail = l.pick("输入未变，未重建", "inputs unchanged, not rebuilt")
            } else if r.status == 0 || (r.status == 1 && r.sessions != nil) {
                mark = r.status == 0 ? "✔" : "!"
                detail = l.pick(
                    "\(r.sessions ?? 0) 场，\(r.feeds ?? 0) 个日历",
                    "\(r.sessions ?? 0) sessions, \(r.feeds ?? 0) calendars")
                if let u = r.unmet, u > 0 { detail += l.pick("，\(u) 场未排入", ", \(u) unplaced") }
                if let s = r.shortfalls, s > 0 {
                    detail += l.pick("，\(s) 支队伍低于最少人数", ", \(s) teams below minimum")
                }
            } else {
                mark = "✘"
                let label =
                    r.timedOut == true
                    ? l.pick("超时", "timed out")
                    : r.status == 2 ? l.pick("输入有误", "bad input") : l.pick("无法写入", "could not write")
                detail =
                    label + l.pick("（退出码 \(r.status)）：", " (exit \(r.status)): ")
                    + (r.error?.split(separator: "\n").first.map(String.init) ?? "")
            }
            print(
                "  \(Console.paint(mark, r.status == 0 ? .green : r.status == 1 ? .yellow : .red)) \(key)  \(detail)"
            )
        }
        let counts = (
            ok: results.filter { $0.status == 0 && !$0.skipped }.count,
            skipped: results.filter(\.skipped).count,
            unmet: results.filter { $0.status == 1 }.count, failed: results.filter { $0.status >= 2 }.count
        )
        print(
            l.pick(
                "已发布 \(counts.ok) 个，未变跳过 \(counts.skipped) 个，有未排入需求 \(counts.unmet) 个，失败 \(counts.failed) 个；用时 \(seconds) 秒",
                "published \(counts.ok), unchanged \(counts.skipped), with unplaced demand \(counts.unmet), failed \(counts.failed); \(seconds) s"
            ))
    }
}

/// Results filled in by worker threads (every access under the runner's lock).
final class ResultBox: @unchecked Sendable {
    var results: [RegionBuild.TownResult?]
    /// Towns with a result, and those failed, counted as they come: counting the list at every
    /// town (for the progress bar) was quadratic, 7 % of a 1,500-town republish's CPU.
    private(set) var finished = 0
    private(set) var failed = 0
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: RegionBuild.TownResult) {
        precondition(results[i] == nil, "a town's result is set once")
        results[i] = r
        finished += 1
        if r.status >= 2 { failed += 1 }
    }
}
