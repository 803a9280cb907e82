import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation

/// Options of the commands that change one published session by hand (issue 8).
struct ChangeOptions: ParsableArguments {
    @Option(help: "操作人，默认 $USER / who makes the change") var by: String?
    @Option(help: "操作时间（UTC，如 2027-06-15T08:00:00Z），默认当前时间 / when (UTC), default now") var now: String?

    func who() -> String { by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal" }

    /// --now, else SOURCE_DATE_EPOCH, else the clock; exits 2 for a malformed time.
    func stamp(_ l: Language) throws -> Stamp {
        if let now {
            guard let d = ISO8601DateFormatter().date(from: now) else {
                Console.error(
                    l.pick(
                        "--now：应为 UTC 时间如 2027-06-15T08:00:00Z，实际为 “\(now)”",
                        "--now: expected a UTC time such as 2027-06-15T08:00:00Z, found \"\(now)\""))
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

/// What the change commands share: the town, the store, the year as published, the rebuild.
struct ChangeContext {
    var town: TownOptions
    var input: TownInput
    var store: any AttendanceStore
    var stamp: Stamp
    var schedule: Schedule
    var scheduler: Scheduler
    var describe: Describe

    init(town: TownOptions, change: ChangeOptions) async throws {
        self.town = town
        // With the members' notices, as build reads the town: the checks and proposals see the
        // expected turnout build will publish.
        input = try await town.loadWithNotices()
        store = try await town.requireStore()
        stamp = try change.stamp(town.lang)
        let replan = try await town.replan(input, now: stamp)
        scheduler = town.scheduler(input, replan: replan)
        schedule = try town.schedule(input, replan: replan, search: .greedyOnly)
        describe = Describe(plan: input.plan, roster: input.roster, language: town.lang)
    }

    var l: Language { town.lang }
    var today: CivilDate { CivilDate(dayNumber: localMinutes(stamp, timeZone: input.plan.timeZone) / 1440) }

    /// A day of the plan's year, or exit 2.
    func day(_ text: String, option: String) throws -> CivilDate {
        guard let d = CivilDate(iso: text) else {
            Console.error(
                l.pick(
                    "\(option)：应为日期如 \(input.plan.year)-05-15，实际为 “\(text)”",
                    "\(option): expected a date such as \(input.plan.year)-05-15, found \"\(text)\""))
            throw ExitCode(2)
        }
        guard d.parts.year == input.plan.year else {
            Console.error(
                l.pick(
                    "\(option)：应为 \(input.plan.year) 年内的日期，实际为 \(text)",
                    "\(option): expected a date in \(input.plan.year), found \(text)"))
            throw ExitCode(2)
        }
        return d
    }

    /// Stores the change, then rebuilds the feeds so it is published (SEQUENCE + 1).
    func save(_ o: SessionOverride) async throws {
        do {
            try await store.saveOverride(o)
        } catch {
            Console.error("\(town.databasePath): " + error.message(l))
            throw ExitCode(error.isInput ? 2 : 3)
        }
    }

    func rebuild() async throws {
        var args = [town.directory, "--lang", l.rawValue, "--database", town.databaseArgument]
        args += [
            "--now",
            ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(stamp.seconds))),
        ]
        var build = try Drillcal.Build.parse(args)
        try await build.run()
    }

    func slotText(_ s: TimeSlot) -> String {
        "\(s.date)（\(describe.weekdayName(s.date))）\(ReplanReport.time(s.startMinute))"
    }

    func problem(_ p: MoveProblem) -> String {
        switch p {
        case .outsideWindow(let allowed):
            return l.pick(
                "不在规则允许的时间段内（\(allowed.map(\.description).joined(separator: "，"))）",
                "outside the rule's window (\(allowed.map(\.description).joined(separator: ", ")))")
        case .constraint(let c): return describe.constraint(c)
        case .notInPlan: return l.pick("预案中已没有这场活动", "the plan no longer has this session")
        }
    }
}

extension Describe {
    func weekdayName(_ d: CivilDate) -> String {
        let zh = ["一", "二", "三", "四", "五", "六", "日"]
        let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let i = d.weekday.mondayBasedIndex
        return language.pick("周" + zh[i], en[i])
    }
}

extension Drillcal {
    /// `drillcal sessions DIR`: the year as a table with a short code per session.
    struct Sessions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出全年活动及编号 / list the year's sessions with their codes",
            discussion: """
                编号（如 S017）在首次发布时给出，全年不变，凡要求 UID 的命令都可用编号代替。
                状态 / status: planned 待开展 · held 已登记出勤 · finalized 已锁定 · cancelled 已取消
                """)

        enum Status: String, ExpressibleByArgument, CaseIterable { case planned, held, finalized, cancelled }

        @OptionGroup var town: TownOptions
        @Option(help: "只列此队伍 / only this team") var team: String?
        @Option(help: "起始日期 / from this day") var from: String?
        @Option(help: "截止日期 / to this day") var to: String?
        @Option(help: "只列此状态：planned、held、finalized、cancelled / only this status") var status: Status?
        @Flag(help: "以 JSON 输出 / print JSON") var json = false

        /// One row of `sessions --json`: the shared session object (docs/schema/session.schema.json,
        /// the keys `build --json` uses) plus the code, status and sequence (sessions.schema.json).
        struct Row: Encodable {
            var code: String
            var uid: String
            var title: String
            var rule: String
            var kind: String
            var form: String?
            var scope: String?
            var teams: [String]
            var date: String
            var start: String
            var end: String
            var venue: String?
            var supervisor: String?
            var status: String
            var sequence: Int
        }

        func run() async throws {
            let l = town.lang
            let store = try await town.requireStore()
            let input = try town.load()
            let plan = input.plan
            let describe = Describe(plan: plan, roster: input.roster, language: l)
            func day(_ text: String?, _ option: String) throws -> CivilDate? {
                guard let text else { return nil }
                guard let d = CivilDate(iso: text) else {
                    Console.error(
                        l.pick(
                            "\(option)：应为日期如 2027-05-15，实际为 “\(text)”",
                            "\(option): expected a date such as 2027-05-15, found \"\(text)\""))
                    throw ExitCode(2)
                }
                return d
            }
            let lo = try day(from, "--from")
            let hi = try day(to, "--to")
            if let team, plan.team(team) == nil {
                Console.error(
                    l.pick(
                        "--team：应为 plan.yaml 中的队伍编号（\(plan.teams.map(\.id).joined(separator: "、"))），实际为 “\(team)”",
                        "--team: expected a team id of plan.yaml (\(plan.teams.map(\.id).joined(separator: ", "))), found \"\(team)\""
                    ))
                throw ExitCode(2)
            }
            let sessions: [SessionRecord]
            let codes: [String: String]
            let marked: Set<String>
            do {
                sessions = try await store.sessions()
                codes = try await store.codes()
                marked = Set(try await store.allMarks().map(\.sessionUID))
            } catch {
                Console.error("\(town.databasePath): " + error.message(l))
                throw ExitCode(3)
            }
            var rows: [Row] = []
            for s in sessions {
                let st: Status =
                    s.cancelled
                    ? .cancelled : s.finalized ? .finalized : marked.contains(s.uid) ? .held : .planned
                if let status, status != st { continue }
                if let team, !s.teamIDs.contains(team) { continue }
                if let lo, s.slot.date < lo { continue }
                if let hi, hi < s.slot.date { continue }
                var form: String?, scope: String?
                if case .drill(let f, let c) = s.kind { (form, scope) = (f.rawValue, c.rawValue) }
                rows.append(
                    Row(
                        code: codes[s.uid] ?? "", uid: s.uid, title: describe.sessionTitle(s), rule: s.ruleID,
                        kind: s.kind.key, form: form, scope: scope,
                        teams: s.teamIDs,
                        date: s.slot.date.description, start: ReplanReport.time(s.slot.startMinute),
                        end: ReplanReport.time(s.slot.endMinute), venue: s.venueID,
                        supervisor: s.supervisorID,
                        status: st.rawValue, sequence: s.sequence))
            }
            if json { try Console.json(rows); return }
            let names: [String: String] = [
                "planned": l.pick("待开展", "planned"), "held": l.pick("已登记", "held"),
                "finalized": l.pick("已锁定", "finalized"), "cancelled": l.pick("已取消", "cancelled"),
            ]
            for r in rows {
                let rule =
                    plan.rules.first(where: { $0.id == r.rule }).map {
                        l.pick($0.name, $0.nameEnglish ?? $0.name)
                    } ?? r.rule
                let teams = r.teams.map { plan.team($0)?.displayName(l) ?? $0 }.joined(separator: "、")
                print(
                    "\(r.code)  \(r.date) \(r.start)-\(r.end)  \(names[r.status] ?? r.status)  \(rule)  \(teams)"
                )
            }
            print(l.pick("共 \(rows.count) 场", "\(rows.count) session(s)"))
        }
    }

    /// `drillcal move DIR SESSION --to DATE [--time HH:MM]`.
    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "把一场活动改到指定日期 / move one session to a given day",
            discussion: """
                检查全部硬性规则（时间段、节假日、禁排期、间隔、到场人数、人员、场地、督导），不满足时说明原因并拒绝（退出码 1），
                除非加 --force --reason。改动记入数据库（操作人、时间、原因），以后每次 build 都保留，并以 SEQUENCE + 1 发布。
                Checks every hard rule; refuses (exit 1) unless --force --reason. Kept by every later build.
                """)

        @OptionGroup var town: TownOptions
        @Argument(help: "活动编号（S017）或 UID / session code or UID") var session: String
        @Option(help: "新日期 YYYY-MM-DD / the new day") var to: String
        @Option(help: "开始时间 HH:MM，默认原时间 / start time, default unchanged") var time: String?
        @Option(help: "原因 / why") var reason: String?
        @Flag(help: "违反硬性规则时仍改（须同时给出 --reason）/ move despite a hard rule (needs --reason)") var force = false
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            let ctx = try await ChangeContext(town: town, change: change)
            let l = ctx.l
            let record = try await town.resolveSession(session, in: ctx.store)
            let day = try ctx.day(to, option: "--to")
            var start = record.slot.startMinute
            if let time {
                guard let t = LocalTime(text: time) else {
                    Console.error(
                        l.pick(
                            "--time：应为时间如 09:00，实际为 “\(time)”",
                            "--time: expected a time such as 09:00, found \"\(time)\""))
                    throw ExitCode(2)
                }
                start = t.minutes
            }
            let slot = TimeSlot(
                date: day, startMinute: start,
                endMinute: start + record.slot.endMinute - record.slot.startMinute)
            if force && (reason ?? "").allSatisfy(\.isWhitespace) {
                Console.error(l.pick("--force 须同时用 --reason 说明原因", "--force needs --reason"))
                throw ExitCode(2)
            }
            var problems: [String] = []
            if slot.absoluteStart <= localMinutes(ctx.stamp, timeZone: ctx.input.plan.timeZone) {
                problems.append(l.pick("新时间已经过去", "the new time is in the past"))
            }
            if let p = try ctx.scheduler.check(record.uid, at: slot, in: ctx.schedule) {
                problems.append(ctx.problem(p))
            }
            if !problems.isEmpty {
                let text = problems.joined(separator: l.pick("；", "; "))
                if !force {
                    Console.error(
                        l.pick(
                            "不能把 \(record.uid) 改到 \(ctx.slotText(slot))：\(text)。如确需改动，请加 --force --reason 原因",
                            "cannot move \(record.uid) to \(ctx.slotText(slot)): \(text). To move it anyway, add --force --reason WHY"
                        ))
                    throw ExitCode(1)
                }
                print(
                    l.pick(
                        "注意：违反硬性规则，按 --force 仍改：\(text)",
                        "Note: breaks a hard rule, moved anyway (--force): \(text)"))
            }
            try await ctx.save(
                SessionOverride(
                    sessionUID: record.uid, action: .move, slot: slot,
                    reason: reason ?? l.pick("人工改期", "moved by hand"),
                    forced: !problems.isEmpty, by: change.who(), at: ctx.stamp.seconds))
            print(
                l.pick(
                    "已把 \(record.uid) 从 \(ctx.slotText(record.slot)) 改到 \(ctx.slotText(slot))",
                    "Moved \(record.uid) from \(ctx.slotText(record.slot)) to \(ctx.slotText(slot))"))
            try await ctx.rebuild()
        }
    }

    /// `drillcal postpone DIR SESSION --reason …` or `--date DAY`.
    struct Postpone: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "顺延活动（如遇暴雨预警）/ postpone sessions (weather, emergencies)",
            discussion: """
                列出今天以后最合适的 3 个可行时间及其分值（越低越好），默认取第 1 个，--pick N 取第 N 个；
                --date DAY 顺延当天全部活动（天气或突发事件）。
                Proposes the best 3 feasible slots after today with their points and takes the first unless --pick N;
                --date DAY postpones every session on that day.
                """)

        @OptionGroup var town: TownOptions
        @Argument(help: "活动编号（S017）或 UID；用 --date 时省略 / session code or UID") var session: String?
        @Option(help: "顺延这一天的全部活动 / postpone every session on this day") var date: String?
        @Option(help: "原因（必填），如 暴雨红色预警 / why (required)") var reason: String
        @Option(help: "取第 N 个建议（1–3）/ take proposal N") var pick: Int = 1
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            var ctx = try await ChangeContext(town: town, change: change)
            let l = ctx.l
            guard (1...3).contains(pick) else {
                Console.error(l.pick("--pick：应为 1 到 3，实际为 \(pick)", "--pick: expected 1 to 3, found \(pick)"))
                throw ExitCode(2)
            }
            guard !reason.allSatisfy(\.isWhitespace) else {
                Console.error(l.pick("--reason：应说明顺延原因，实际为空", "--reason: expected why, found nothing"))
                throw ExitCode(2)
            }
            var targets: [SessionRecord] = []
            switch (session, date) {
            case (let s?, nil): targets = [try await town.resolveSession(s, in: ctx.store)]
            case (nil, let d?):
                let day = try ctx.day(d, option: "--date")
                targets = try await ctx.store.sessions().filter { !$0.cancelled && $0.slot.date == day }
                if targets.isEmpty {
                    Console.error(l.pick("--date：\(d) 没有已发布的活动", "--date: no published session on \(d)"))
                    throw ExitCode(2)
                }
            default:
                Console.error(l.pick("应给出一场活动或 --date 日期（二者取一）", "give one session or --date DAY (not both)"))
                throw ExitCode(2)
            }
            let today = ctx.today
            for record in targets {
                let after = record.slot.date > today ? record.slot.date : today
                let options = try ctx.scheduler.proposals(
                    record.uid, after: after, in: ctx.schedule, count: 3)
                print(
                    l.pick(
                        "\(record.uid)（原 \(ctx.slotText(record.slot))）可顺延到：",
                        "\(record.uid) (was \(ctx.slotText(record.slot))) can go to:"))
                for (i, p) in options.enumerated() {
                    let terms = p.terms.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                        separator: ", ")
                    print(
                        "  \(i + 1). \(ctx.slotText(p.session.slot))  " + l.pick("分值", "points")
                            + " \(p.cost)"
                            + (terms.isEmpty ? "" : "（\(terms)）"))
                }
                guard pick <= options.count else {
                    Console.error(
                        options.isEmpty
                            ? l.pick(
                                "\(record.uid) 在规则时间段内、今天以后没有可行的时间；可用 drillcal move --force --reason 指定",
                                "\(record.uid) has no feasible slot after today in its window; use drillcal move --force --reason"
                            )
                            : l.pick(
                                "--pick：只有 \(options.count) 个建议，实际为 \(pick)",
                                "--pick: only \(options.count) proposals, found \(pick)"))
                    throw ExitCode(2)
                }
                let chosen = options[pick - 1].session
                try await ctx.save(
                    SessionOverride(
                        sessionUID: record.uid, action: .postpone, slot: chosen.slot, reason: reason,
                        by: change.who(),
                        at: ctx.stamp.seconds))
                print(
                    l.pick("已顺延到 \(ctx.slotText(chosen.slot))", "Postponed to \(ctx.slotText(chosen.slot))"))
                // The next session of the same day sees this one where it now is.
                ctx.schedule.sessions.removeAll { $0.uid == record.uid }
                ctx.schedule.sessions.append(chosen)
            }
            try await ctx.rebuild()
        }
    }

    /// `drillcal cancel DIR SESSION --reason …`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "取消一场活动 / cancel one session",
            discussion:
                "日历中以 STATUS:CANCELLED 发布；除非重新安排，check 会显示该规则未完成。/ Published as cancelled; check shows the rule behind."
        )

        @OptionGroup var town: TownOptions
        @Argument(help: "活动编号（S017）或 UID / session code or UID") var session: String
        @Option(help: "原因（必填）/ why (required)") var reason: String
        @OptionGroup var change: ChangeOptions

        func run() async throws {
            let ctx = try await ChangeContext(town: town, change: change)
            let l = ctx.l
            let record = try await town.resolveSession(session, in: ctx.store)
            guard !reason.allSatisfy(\.isWhitespace) else {
                Console.error(l.pick("--reason：应说明取消原因，实际为空", "--reason: expected why, found nothing"))
                throw ExitCode(2)
            }
            try await ctx.save(
                SessionOverride(
                    sessionUID: record.uid, action: .cancel, slot: nil, reason: reason, by: change.who(),
                    at: ctx.stamp.seconds))
            print(
                l.pick(
                    "已取消 \(record.uid)（\(ctx.slotText(record.slot))）",
                    "Cancelled \(record.uid) (\(ctx.slotText(record.slot)))"))
            try await ctx.rebuild()
        }
    }
}
