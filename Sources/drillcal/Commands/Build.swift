import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation

extension Drillcal {
    /// `drillcal build DIR`: schedules the year and exports the feeds into DIR/feeds.
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "排出全年培训演练并导出日历 / schedule the year and export calendars",
            discussion: """
                写入 DIR/feeds/：town.ics、team-<id>.ics、village-<id>.ics、member-<id>.ics 与 manifest.json。
                有未能排入的需求时不写入（退出码 1），除非加 --allow-partial。
                Writes DIR/feeds/. With unmet demand nothing is written (exit 1) unless --allow-partial.
                """)

        @OptionGroup var town: TownOptions

        @Flag(help: "以 JSON 输出 / print JSON for scripts")
        var json = false

        @Flag(help: "有未排入的需求时仍导出（退出码 0）/ export even with unmet demand (exit 0)")
        var allowPartial = false

        @Option(help: "本次构建时间（UTC，如 2026-11-29T08:00:00Z）；默认当前时间或 SOURCE_DATE_EPOCH / build time")
        var now: String?

        @Flag(help: "只显示会改动哪些已发布活动，不写日历和数据库 / show which published sessions would move; write nothing")
        var dryRun = false

        @Option(help: "输出目录，默认 DIR/feeds / output folder")
        var out: String?

        @Option(help: "优化器随机种子；相同输入与种子得到相同日历 / optimiser seed (same inputs and seed, same feeds)")
        var seed: UInt64 = 1

        // No cap by default: the move budget alone decides, so the same inputs give the same feeds on any
        // machine, and `drillcal serve` (which runs the same search uncapped) serves exactly these bytes.
        // A cap makes the result depend on the machine's speed; it is for experiments and very large towns.
        @Option(help: "优化时间上限（秒），默认不设；设上限后结果取决于机器速度 / optimiser time cap in seconds (default none: the move budget alone decides, so feeds are the same on every machine)")
        var timeLimit: Double?

        @Option(help: "把排期问题以中立 JSON 写入此文件（供独立求解器对照）/ write the problem as neutral JSON for an independent solver")
        var exportModel: String?

        @Option(help: "优化预算（评估的候选安排数），0 为只用贪心 / optimiser budget in evaluated moves, 0 for greedy only")
        var moves: Int = SearchOptions().moveBudget

        @Flag(help: "导出前用 libical 重新生成每个事件并读回每个日历核对（自检，较慢）/ render every event through libical too and read every feed back before publishing (self-check, slow)")
        var verify = false

        @Option(help: "成员个人日历：write 写出（默认）或 skip 不写（全省构建时由服务按需生成）/ member feeds: write (default) or skip (the feed server composes them on request)")
        var memberFeeds: MemberFeedsMode = .write

        @Flag(help: "区域构建：输入未变的城镇也重新构建 / region build: rebuild towns whose inputs did not change")
        var force = false

        @Option(help: "区域构建：同时构建的城镇数，默认为 CPU 核数加一 / region build: towns built at once (default: one more than the number of cores)")
        var jobs: Int?

        @Option(help: "区域构建：单个城镇的时限（秒），超时即终止并报告，默认 600 秒加 --time-limit / region build: seconds one town may take before it is stopped and reported (default 600 plus --time-limit)")
        var townTimeout: Int?

        /// Internal, for a region build's workers: with `--json`, print only the counts the region's
        /// summary shows (`RegionBuild.TownCounts`) instead of the whole report. A town's full report
        /// (every session) is ~130 KB of JSON; encoding it in the worker and parsing it back in the
        /// parent cost ~4 % of a province build's CPU, for five numbers.
        @Flag(help: .private)
        var regionCounts = false

        func run() async throws {
            // A county or province folder: every town in parallel (RegionBuild.swift).
            if RegionLoader.isRegion(town.directory) { return try RegionBuild(build: self).run() }
            let lang = town.lang
            // Phase times for the benchmarks (DRILLCAL_TIMINGS); `load` is reading the town's files and
            // its replanning state, `finish` what follows the store (carried actions, the report).
            var timings = PhaseTimings()
            defer {
                if timings.complete {
                    timings.end("finish")
                    timings.save()
                }
            }
            // One store for the notices, the replan and the publication (nil before the first build).
            let (input, readStore) = try await town.loadWithNoticesKeepingStore()
            guard (timeLimit ?? 1) > 0, (timeLimit ?? 1) <= 3600, moves >= 0 else {
                Console.error(lang.pick(
                    "--time-limit 应在 0 到 3600 秒之间，--moves 不小于 0",
                    "--time-limit must be between 0 and 3600 seconds and --moves at least 0"))
                throw ExitCode(2)
            }
            if let exportModel {
                do {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    encoder.keyEncodingStrategy = .convertToSnakeCase
                    let data = try encoder.encode(try town.scheduler(input).model())
                    try data.write(to: URL(fileURLWithPath: exportModel), options: .atomic)
                } catch {
                    Console.error("\(exportModel): \(error)")
                    throw ExitCode(3)
                }
            }
            let stamp = try buildTime()
            // The published year stays put: pinned, frozen and hand-made changes (Replanning.swift).
            let replan = try await town.replan(input, now: stamp, in: readStore)
            timings.end("load")
            let started = Date()
            var schedule = try town.schedule(input, replan: replan, search: searchOptions())
            timings.end("schedule")
            schedule.score?.seconds = Date().timeIntervalSince(started)
            let changes = ReplanReport(schedule, replan: replan, describe: Describe(plan: input.plan, roster: input.roster, language: lang))
            if dryRun {
                if json { try Console.json(changes) } else { changes.printText(lang) }
                return
            }
            let folder = URL(fileURLWithPath: out ?? (input.directory as NSString).appendingPathComponent("feeds"))
            let failing = !schedule.unmet.isEmpty && !allowPartial

            var feeds: FeedSet?
            var published: (any AttendanceStore)?
            if !failing {
                // A folder that cannot be written is found before anything is built or written.
                if let problem = FileProblem.checkWritableFolder(folder.path) {
                    Console.error(problem.message(lang))
                    throw ExitCode(3)
                }
                let previous: FeedManifest
                do {
                    previous = try FeedWriter.previousManifest(in: folder)
                } catch {
                    Console.error(error.message(lang))
                    throw ExitCode(2)
                }
                let set: FeedSet
                timings.restart()
                do {
                    // Calendar text follows the plan (feeds.language), never --lang.
                    var builder = FeedBuilder(
                        plan: input.plan, roster: input.roster, schedule: schedule, language: input.plan.feeds.language,
                        now: stamp,
                        previous: previous)
                    builder.memberFeeds = memberFeeds == .write
                    builder.crossCheck = verify
                    set = try builder.build()
                    timings.end("render")
                    timings.events = set.renderedEvents
                    if verify { try FeedBuilder.verify(set) }
                } catch {
                    Console.error(lang.pick("无法生成日历：\(error)", "cannot build the feeds: \(error)"))
                    throw ExitCode(3)
                }
                // Reports a feed write that failed (refused path, or the disk) and gives the exit status.
                func writeFailure(_ error: any Error) -> ExitCode {
                    switch error {
                    case let placement as DatabasePlacement:
                        if let error = placement.error {
                            Console.error("\(town.databasePath): " + error.message(lang))
                        } else {
                            Console.error(lang.pick(
                                "\(town.databasePath)：应为尚不存在的数据库（首次构建新建它），实际为构建期间出现的另一个数据库；未做任何改动，请重新运行 build",
                                "\(town.databasePath): expected no database yet (a first build makes it), found one that appeared during the build; nothing was changed, run build again"
                            ))
                        }
                        return ExitCode(3)
                    case let error as WriteError where error.refusal != nil:
                        Console.error(lang.pick(
                            "\(error.path)：应为新的或空的文件夹，或 drillcal 发布过的日历文件夹，实际为\(error.found(lang))；未做任何改动",
                            "\(error.path): expected a new or empty folder, or one drillcal published, found \(error.found(lang)); nothing was changed"))
                        return ExitCode(2)
                    default:
                        Console.error(FileProblem.writeError(error, path: folder.path, folder: true).message(lang))
                        return ExitCode(3)
                    }
                }
                // The new generation is written first (unsynced), the database made (below), then
                // one sync covers both.
                let stagedFeeds: StagedFeeds
                do {
                    timings.restart()
                    stagedFeeds = try FeedWriter.stage(set, to: folder)
                    timings.end("write")
                } catch {
                    throw writeFailure(error)
                }
                // A town's first build with an SQLite file: its database is made in memory and
                // written beside it, made durable with the feeds and linked into place just before
                // they are switched (SQLiteStore+FirstPublication.swift), where opening a new file
                // and publishing into it cost seven syncs more.
                let sequences = set.manifest.events.mapValues(\.sequence)
                let records = { schedule.sessions.map { $0.record(sequence: sequences[$0.uid] ?? 0) } }
                let rosters = { ScheduledSession.rosterEntries(of: schedule.sessions, roster: input.roster) }
                var staged: String?
                defer { if let staged { unlink(staged) } }
                if readStore == nil && town.newSQLiteFile {
                    timings.restart()
                    do {
                        let image = try SQLiteStore.firstPublicationImage(sessions: records(), rosters: rosters())
                        staged = try SQLiteStore.stageNewFile(image, for: town.databasePath)
                    } catch {
                        stagedFeeds.discard()
                        Console.error("\(town.databasePath): " + error.message(lang))
                        throw ExitCode(3)
                    }
                    timings.end("store")
                }
                do {
                    timings.restart()
                    let databasePath = town.databasePath
                    try stagedFeeds.publish(companions: staged.map { [$0] } ?? []) {
                        guard let staged else { return }
                        do {
                            // The feed link's folder is synced by the switch right after.
                            let placed = try SQLiteStore.placeStagedFile(
                                staged, at: databasePath,
                                syncFolder: !FileProblem.sameFolder(
                                    (databasePath as NSString).deletingLastPathComponent,
                                    folder.deletingLastPathComponent().path))
                            if !placed { throw DatabasePlacement(error: nil) }
                        } catch let error as StoreError {
                            throw DatabasePlacement(error: error)
                        }
                    }
                    timings.end("write")
                    feeds = set
                } catch {
                    throw writeFailure(error)
                }
                // Publish the schedule (with each session's roster as of today) for attendance,
                // unless the new file above already holds it.
                if staged == nil {
                    timings.restart()
                    // The store the notices and the replan were read from, or a new one (PostgreSQL).
                    let store = if let readStore { readStore } else { try await town.openStore(create: true)! }
                    published = store
                    timings.end("open")
                    do {
                        try await store.publishAssigningCodes(sessions: records(), rosters: rosters())
                    } catch {
                        Console.error("\(town.databasePath): " + error.message(lang))
                        throw ExitCode(3)
                    }
                    timings.end("store")
                }
                timings.complete = true
            }

            // Corrective actions carried over from last year's folder (actions carry) join this store:
            // the one just published into or read for the replan (opening the database a second time
            // cost a province build more than writing its feeds), or the one an earlier build made.
            if CarriedActionsFile.present(in: town.directory) {
                let store = if let store = published ?? readStore { store } else { try await town.openStore(create: false) }
                if let store {
                    _ = try await CarriedActionsFile.load(into: store, directory: town.directory, lang: lang)
                }
            }
            if json && regionCounts {
                try Console.json(
                    RegionBuild.TownCounts(
                        town: input.plan.town.id, sessions: schedule.sessions.count, unmet: schedule.unmet.count,
                        shortfalls: schedule.shortfalls.count, feeds: feeds?.files.count ?? 0))
                if failing { throw ExitCode(1) }
                return
            }
            var report = BuildReport(input: input, schedule: schedule, feeds: feeds, folder: folder.path, language: lang)
            report.replan = changes
            if json {
                try Console.json(report)
            } else {
                report.printText(lang, written: !failing)
                changes.printText(lang)
            }
            if failing { throw ExitCode(1) }
        }

        /// The optimiser's options: the move budget decides, the wall clock only caps (read here, not in DrillCore).
        func searchOptions() -> SearchOptions {
            let deadline = timeLimit.map { Date().addingTimeInterval($0) }
            let stop: @Sendable () -> Bool = { deadline.map { Date() >= $0 } ?? false }
            var options = SearchOptions(seed: seed, moveBudget: moves, shouldStop: stop)
            if isatty(STDERR_FILENO) == 1 && !json {
                let show: @Sendable (Int, Int, Int) -> Void = { (done: Int, score: Int, bound: Int) in
                    let line = "\r… \(done) moves, score \(score), bound \(bound)   "
                    FileHandle.standardError.write(Data(line.utf8))
                }
                options.progress = show
            }
            return options
        }

        /// The build time: --now, else SOURCE_DATE_EPOCH (reproducible builds), else the clock.
        func buildTime() throws -> Stamp {
            if let now {
                if let stamp = Stamp(utcISO: now) { return stamp }
                let f = ISO8601DateFormatter()
                guard let d = f.date(from: now) else {
                    Console.error(town.lang.pick(
                        "--now：应为 UTC 时间如 2026-11-29T08:00:00Z，实际为 “\(now)”",
                        "--now: expected a UTC time such as 2026-11-29T08:00:00Z, found \"\(now)\""))
                    throw ExitCode(2)
                }
                return Stamp(seconds: Int(d.timeIntervalSince1970))
            }
            if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let s = Int(epoch) {
                return Stamp(seconds: s)
            }
            return Stamp(seconds: Int(Date().timeIntervalSince1970))
        }
    }
}

/// What `build` reports, as text or JSON (docs/schema/build.schema.json). JSON keys are camelCase
/// and name the same things as `check --json` does: a session object's own UID is `uid`, a
/// reference to one elsewhere is `session`; `team` is one team id, `teams` several.
/// A town's new database could not be linked into place (see `SQLiteStore.placeStagedFile`):
/// `error` nil when another database appeared there during the build.
struct DatabasePlacement: Error {
    var error: StoreError?
}

struct BuildReport: Encodable {
    /// A session as docs/schema/session.schema.json describes it.
    struct Session: Encodable {
        var uid, title, rule, kind: String
        var form, scope: String?
        var date, start, end: String
        var teams: [String]
        var venue, supervisor: String?
        var expected: Int
    }
    struct Unmet: Encodable {
        var uid, rule: String
        var teams: [String]
        var window: [String]
        var target: String
        var blockers: [String: Int]
        var example: String?
    }
    struct Shortfall: Encodable {
        var team: String
        var members, minimum: Int
    }
    struct Feed: Encodable {
        var name: String
        var events: Int
    }
    struct KnownShortfall: Encodable {
        var session, team: String
        var expected, floor: Int
    }
    struct Score: Encodable {
        var score, greedy, lowerBound: Int
        var gapPercent: Double
        var terms: [String: Int]
        var boundTerms: [String: Int]
        var evaluatedMoves: Int
        var seconds: Double
        var minimumUnmet: Int
    }
    struct Diagnosis: Encodable {
        var resource: String
        var from, to: String
        var needed, capacity: Int
        var unmet: [String]
        var message: String
    }

    var town: String
    var year: Int
    var sessions: [Session]
    var sessionsPerTeam: [String: Int]
    var unmet: [Unmet]
    var shortfalls: [Shortfall]
    var knownShortfalls: [KnownShortfall]
    var score: Score?
    var diagnoses: [Diagnosis]
    var feeds: [Feed]
    var folder: String
    var renderedEvents: Int
    /// Published sessions moved, pinned conflicts, cancellations by hand (issue 8).
    var replan: ReplanReport?

    private let describe: Describe
    private let teamOrder: [String]

    enum CodingKeys: String, CodingKey {
        case town, year, sessions, sessionsPerTeam, unmet, shortfalls, feeds, folder
        case knownShortfalls, score, diagnoses
        case renderedEvents
        case replan
    }

    init(input: TownInput, schedule: Schedule, feeds: FeedSet?, folder: String, language: Language) {
        let plan = input.plan
        describe = Describe(plan: plan, roster: input.roster, language: language)
        teamOrder = plan.teams.map(\.id)
        town = plan.town.id
        year = plan.year
        let titles = describe
        sessions = schedule.sessions.map { s in
            var form: String?, scope: String?
            if case .drill(let f, let c) = s.kind { (form, scope) = (f.rawValue, c.rawValue) }
            return Session(
                uid: s.uid, title: titles.sessionTitle(s.record()), rule: s.ruleID, kind: s.kind.key, form: form,
                scope: scope, date: s.slot.date.description,
                start: LocalTime(minutes: s.slot.startMinute % 1440)!.description,
                end: LocalTime(minutes: s.slot.endMinute % 1440)!.description, teams: s.teamIDs, venue: s.venueID,
                supervisor: s.supervisorID, expected: s.memberIDs.count)
        }
        var perTeam: [String: Int] = [:]
        for t in plan.teams { perTeam[t.id] = 0 }
        for s in schedule.sessions { for t in s.teamIDs { perTeam[t, default: 0] += 1 } }
        sessionsPerTeam = perTeam
        let d = describe
        unmet = schedule.unmet.map { u in
            Unmet(
                uid: u.demand.uid, rule: u.demand.ruleID, teams: u.demand.teamIDs,
                window: u.demand.allowed.map(\.description), target: u.demand.target.description,
                blockers: Dictionary(uniqueKeysWithValues: u.blockers.map { ($0.key, $0.count) }),
                example: u.example.map(d.constraint))
        }
        shortfalls = schedule.shortfalls.map { Shortfall(team: $0.team, members: $0.rosterSize, minimum: $0.minimum) }
        knownShortfalls = schedule.knownShortfalls.map {
            KnownShortfall(session: $0.session.uid, team: $0.turnout.team, expected: $0.turnout.expected, floor: $0.turnout.floor)
        }
        score = schedule.score.map { r in
            Score(
                score: r.score.total, greedy: r.greedy.total, lowerBound: r.lowerBound.total, gapPercent: r.gapPercent,
                terms: Dictionary(uniqueKeysWithValues: r.score.terms.map { ($0.name, $0.points) }),
                boundTerms: Dictionary(uniqueKeysWithValues: r.lowerBound.terms.map { ($0.name, $0.points) }),
                evaluatedMoves: r.evaluatedMoves, seconds: r.seconds ?? 0, minimumUnmet: r.minimumUnmet)
        }
        diagnoses = schedule.diagnoses.map { c in
            let resource: String
            let message: String
            switch c.resource {
            case .supervisors:
                resource = "supervisors"
                let w = c.weeks.map { "\($0.lowerBound)–\($0.upperBound)" } ?? ""
                _ = w
                message = language.pick(
                    "\(c.range.from)…\(c.range.to) 之间必须安排 \(c.needed) 场需督导的活动，督导人员在这几周最多能参加 \(c.capacity) 场",
                    "\(c.needed) supervised sessions must fall in \(c.range.from)…\(c.range.to); the supervisors can do \(c.capacity) there")
            case .team(let t):
                resource = "team:\(t)"
                let name = plan.team(t)?.displayName(language) ?? t
                message = language.pick(
                    "\(name)须在 \(c.range.from)…\(c.range.to) 内安排 \(c.needed) 场，按最小间隔最多只能安排 \(c.capacity) 场",
                    "\(name) needs \(c.needed) sessions in \(c.range.from)…\(c.range.to); its minimum gap allows \(c.capacity)")
            }
            return Diagnosis(
                resource: resource, from: c.range.from.description, to: c.range.to.description, needed: c.needed,
                capacity: c.capacity, unmet: c.unmet, message: message)
        }
        self.feeds = feeds?.files.map { Feed(name: $0.name, events: $0.eventCount) } ?? []
        self.folder = folder
        renderedEvents = feeds?.renderedEvents ?? 0
    }

    func printText(_ l: Language, written: Bool) {
        print(l.pick("\(describe.plan.town.name) \(year) 年培训演练排期：共 \(sessions.count) 场",
            "\(describe.plan.town.nameEnglish ?? describe.plan.town.name) \(year): \(sessions.count) sessions"))
        for id in teamOrder {
            let name = describe.plan.team(id)?.displayName(l) ?? id
            print("  \(name) [\(id)]: \(sessionsPerTeam[id] ?? 0)" + l.pick(" 场", ""))
        }
        for s in shortfalls {
            let name = describe.plan.team(s.team)?.displayName(l) ?? s.team
            print(l.pick("注意：\(name)在册 \(s.members) 人，低于最少 \(s.minimum) 人，已按全员到场排期",
                "Note: \(name) has \(s.members) members, below its minimum \(s.minimum); scheduled with everyone"))
        }
        for k in knownShortfalls {
            let name = describe.plan.team(k.team)?.displayName(l) ?? k.team
            print(l.pick("已排期但预计到场不足：\(k.session) \(name)预计到场 \(k.expected) 人（应 \(k.floor) 人）",
                "Scheduled with a known shortfall: \(k.session) \(name) expected \(k.expected) of \(k.floor)"))
        }
        if let s = score {
            let terms = s.terms.sorted { $0.key < $1.key }.filter { $0.value != 0 }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print(l.pick(
                "目标值 \(s.score)（\(terms.isEmpty ? "各项均为 0" : terms)）；贪心初解 \(s.greedy)；下界 \(s.lowerBound)；差距 \(s.gapPercent)%",
                "Score \(s.score) (\(terms.isEmpty ? "every term 0" : terms)); greedy \(s.greedy); lower bound \(s.lowerBound); gap \(s.gapPercent)%"))
        }
        for d in diagnoses { print(l.pick("容量不足：", "Capacity: ") + d.message) }
        if unmet.isEmpty {
            print(l.pick("全部需求均已排入。", "Every demand was placed."))
        } else {
            print(l.pick("未能排入 \(unmet.count) 场：", "\(unmet.count) demand(s) could not be placed:"))
            if let m = score?.minimumUnmet, m > 0 {
                print(l.pick(
                    "  已证明任何排期都至少有 \(m) 场排不进" + (m == unmet.count ? "（本排期已达此最小值）" : ""),
                    "  proven: every schedule leaves at least \(m) unplaced" + (m == unmet.count ? " (this schedule reaches that minimum)" : "")))
            }
            for u in unmet {
                let blockers = u.blockers.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                    .map { "\(describe.blockerKey($0.key)) \($0.value)" }.joined(separator: l.pick("，", ", "))
                print("  \(u.uid)  \(u.window.joined(separator: ","))")
                print(l.pick("    受阻：", "    blocked by: ") + blockers)
                if let e = u.example { print(l.pick("    例：", "    e.g. ") + e) }
            }
        }
        if written {
            print(l.pick("已导出 \(feeds.count) 个日历到 \(folder)（渲染事件 \(renderedEvents) 个）",
                "Wrote \(feeds.count) calendars to \(folder) (\(renderedEvents) events rendered)"))
        } else {
            print(l.pick("因有未排入的需求，未导出日历（可加 --allow-partial 仍然导出）。",
                "Nothing exported because of unmet demand (use --allow-partial to export anyway)."))
        }
    }
}
