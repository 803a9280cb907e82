import ArgumentParser
import DrillCheckIn
import DrillCore
import DrillIO
import DrillStore
import Foundation

extension Drillcal {
    /// `drillcal attend`: records who turned out, imports sign-in sheets, finalizes and reopens records.
    struct Attend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记出勤 / record attendance",
            discussion: """
                drillcal attend DIR UID --present m001,m002 --late m003 --excused m004:生病 --absent m005 --guest 张三
                drillcal attend DIR --import 签到表.csv        （整表一次写入；任一行有误则全部不写）
                drillcal attend DIR UID --import 签到表.csv    （单场签到表，可无“活动”列；drillcal sheet 生成）
                只能登记已开始的活动；确需提前登记加 --force（登记人记为“… --force”，记入审计）。
                Only sessions that have started take marks; --force overrides (audited).
                drillcal attend DIR UID --finalize             （锁定）
                drillcal attend DIR UID --reopen --reason 补录  （解锁，原因记入审计）
                未登记的队员按缺勤计；非队员请用 --guest 登记为来宾（不计入最低人数）。
                Members not recorded count as absent; non-members are guests (not counted).
                """)

        @OptionGroup var town: TownOptions

        @Argument(help: "活动 UID / session UID")
        var uid: String?

        @Option(help: "到场队员编号（逗号分隔）/ present member ids") var present: String?
        @Option(help: "迟到 / late member ids") var late: String?
        @Option(help: "请假，编号:原因 / excused as ID:reason (comma separated)") var excused: String?
        @Option(help: "缺勤 / absent member ids") var absent: String?
        @Option(help: "来宾姓名（非队员）/ guests' names, comma separated") var guest: String?
        @Option(name: .customLong("import"), help: "导入签到表 CSV / import a sign-in sheet")
        var importFile: String?
        @Flag(help: "锁定该活动的出勤记录 / lock the record") var finalize = false
        @Flag(help: "解锁已锁定的记录（需 --reason）/ unlock a finalized record") var reopen = false
        @Option(help: "解锁原因 / reason for --reopen") var reason: String?
        @Option(help: "登记人，默认当前用户 / who records") var by: String?
        @Flag(help: "活动尚未开始也登记（记入审计）/ record marks for a session that has not started (audited)")
        var force = false

        var recorder: String {
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal"
            return force ? "\(who) --force" : who
        }

        func validate() throws {
            let marks = [present, late, excused, absent, guest].contains { $0 != nil }
            let actions = [marks, importFile != nil, finalize, reopen].filter { $0 }.count
            guard actions > 0 else {
                throw ValidationError(town.lang.pick(
                    "请指定一种操作：--present …（登记出勤）/ --import 签到表.csv / --finalize / --reopen --reason 原因",
                    "choose an action: --present … (marks) / --import SHEET.csv / --finalize / --reopen --reason WHY"))
            }
            guard actions == 1 else {
                throw ValidationError(town.lang.pick(
                    "请只选一种操作：登记（--present 等）、--import、--finalize 或 --reopen",
                    "choose one action: marks (--present …), --import, --finalize or --reopen"))
            }
            if importFile == nil && uid == nil {
                throw ValidationError(town.lang.pick("缺少活动 UID", "missing the session UID"))
            }
            if reopen && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError(town.lang.pick("--reopen 需要 --reason 说明原因", "--reopen needs --reason"))
            }
        }

        func run() async throws {
            let uid = await town.uidFor(self.uid)  // a short code (S017) works too
            let store = try await town.requireStore()
            let l = town.lang
            let now = Int(try Clock.now(l).timeIntervalSince1970)
            do {
                if let file = importFile {
                    try await importSheet(file, store: store, now: now)
                } else if finalize {
                    try await store.finalize(uid!, by: recorder, at: now)
                    print(l.pick("已锁定 \(uid!) 的出勤记录。", "Locked the record of \(uid!)."))
                } else if reopen {
                    try await store.reopen(uid!, by: recorder, reason: reason!, at: now)
                    print(l.pick("已解锁 \(uid!)，原因已记入审计。", "Reopened \(uid!); the reason is in the audit trail."))
                } else {
                    try await recordFlags(store: store, now: now)
                }
            } catch let error as StoreError {
                Console.error(error.message(l))
                throw ExitCode(error.isInput ? 2 : 3)
            }
        }

        /// Marks given with --present/--late/--excused/--absent/--guest for one session.
        func recordFlags(store: any AttendanceStore, now: Int) async throws {
            let l = town.lang
            let uid = await town.uidFor(self.uid)!  // a short code (S017) works too
            func ids(_ text: String?) -> [String] {
                (text ?? "").split(whereSeparator: { $0 == "," || $0 == "，" }).map { $0.trimmedSpace }.filter { !$0.isEmpty }
            }
            var marks: [AttendanceMark] = []
            func add(_ id: String, _ status: AttendanceStatus, reason: String? = nil, guest: Bool = false) {
                marks.append(
                    AttendanceMark(
                        sessionUID: uid, memberID: id, status: status, reason: reason, guest: guest, recordedBy: recorder,
                        recordedAt: now, source: .cli))
            }
            for id in ids(present) { add(id, .present) }
            for id in ids(late) { add(id, .late) }
            for id in ids(absent) { add(id, .absent) }
            for item in ids(excused) {
                let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
                    .flatMap { $0.split(separator: "：", maxSplits: 1).map(String.init) }
                guard parts.count == 2, !parts[1].trimmedSpace.isEmpty else {
                    Console.error(l.pick("--excused：应为 编号:原因，实际为 “\(item)”", "--excused: expected ID:reason, found \"\(item)\""))
                    throw ExitCode(2)
                }
                add(parts[0].trimmedSpace, .excused, reason: parts[1].trimmedSpace)
            }
            for name in ids(guest) { add("guest:\(name)", .present, guest: true) }
            if let session = try await store.session(uid) {
                try refuseIfNotStarted(session, now: now, zone: try town.load().plan.timeZone)
            }
            let changed = try await store.record(marks)
            try await printCounts(store: store, uids: [uid], changed: changed)
        }

        /// A whole sign-in sheet in one transaction: every row is checked (with its line) first.
        func importSheet(_ file: String, store: any AttendanceStore, now: Int) async throws {
            let l = town.lang
            let rows: [SignInRow]
            do {
                rows = try SignInSheet.load(file: file, encoding: town.encoding, session: uid)
            } catch {
                Console.error(error.message(l))
                throw ExitCode(2)
            }
            var sessions: [String: SessionRecord] = [:]
            var rosters: [String: [String: String]] = [:]  // uid -> member id -> name
            var seen: [String: Int] = [:]
            var marks: [AttendanceMark] = []
            let zone = try town.load().plan.timeZone
            func fail(_ row: SignInRow, field: String, expected: LocalizedText, found: String) throws -> Never {
                Console.error(InputError(file: file, line: row.line, field: field, expected: expected, found: found).message(l))
                throw ExitCode(2)
            }
            for row in rows {
                if sessions[row.uid] == nil {
                    guard let s = try await store.session(row.uid) else {
                        try fail(row, field: "uid", expected: LocalizedText(zh: "已发布的活动 UID", en: "a published session UID"), found: row.uid)
                    }
                    if s.finalized {
                        try fail(row, field: "uid", expected: LocalizedText(zh: "未锁定的活动（先 --reopen）", en: "a session not finalized (use --reopen first)"), found: row.uid)
                    }
                    if !force && start(of: s, zone: zone) > now {
                        try fail(row, field: "uid", expected: LocalizedText(zh: "已开始的活动（\(s.uid) 于 \(Self.when(s)) 开始；确需提前登记加 --force）", en: "a session that has started (\(s.uid) starts \(Self.when(s)); add --force to record it anyway)"), found: row.uid)
                    }
                    sessions[row.uid] = s
                    rosters[row.uid] = Dictionary(
                        try await store.roster(of: row.uid).map { ($0.memberID, $0.name) }, uniquingKeysWith: { a, _ in a })
                }
                let memberID: String
                var guest = false
                if let id = row.memberID {
                    guard let name = rosters[row.uid]![id] else {
                        try fail(row, field: "member", expected: LocalizedText(zh: "该活动名册中的队员编号（非队员只填姓名）", en: "a member id on the session's roster (give only a name for guests)"), found: id)
                    }
                    if !row.name.isEmpty && row.name != name {
                        try fail(row, field: "name", expected: LocalizedText(zh: "编号 \(id) 的姓名 \(name)", en: "\(name), the name of \(id)"), found: row.name)
                    }
                    memberID = id
                } else {
                    memberID = "guest:\(row.name)"
                    guest = true
                }
                let key = "\(row.uid)|\(memberID)"
                if let first = seen[key] {
                    try fail(row, field: "member", expected: LocalizedText(zh: "每人每场只登记一次（第 \(first) 行已登记）", en: "one row per person and session (already on line \(first))"), found: memberID)
                }
                seen[key] = row.line
                marks.append(
                    AttendanceMark(
                        sessionUID: row.uid, memberID: memberID, status: row.status, reason: row.reason, guest: guest,
                        recordedBy: recorder, recordedAt: now, source: .importSheet))
            }
            let changed = try await store.record(marks)
            print(l.pick("已导入 \(file)：\(rows.count) 行，\(changed) 条有变化。", "Imported \(file): \(rows.count) rows, \(changed) changed."))
            try await printCounts(store: store, uids: sessions.keys.sorted(), changed: nil)
        }

        /// Seconds since 1970 UTC when the session starts, in the plan's time zone.
        func start(of session: SessionRecord, zone: String) -> Int {
            CheckInTown(name: LocalizedText(zh: "", en: ""), teams: [], timeZone: zone, phones: [:])
                .epochSeconds(localMinutes: session.slot.absoluteStart)
        }

        /// `2027-03-20 09:00`.
        static func when(_ session: SessionRecord) -> String {
            "\(session.slot.date) \(LocalTime(minutes: session.slot.startMinute % 1440)?.description ?? "")"
        }

        /// Exits 2 for a session that has not started, unless --force.
        func refuseIfNotStarted(_ session: SessionRecord, now: Int, zone: String) throws {
            guard !force, start(of: session, zone: zone) > now else { return }
            Console.error(
                town.lang.pick(
                    "活动 \(session.uid) 尚未开始（\(Self.when(session)) 开始）：只能登记已开始的活动；确需提前登记请加 --force（记入审计）",
                    "\(session.uid) has not started (it starts \(Self.when(session))): only sessions that have started take marks; add --force to record anyway (audited)"
                ))
            throw ExitCode(2)
        }

        /// Prints each session's counted turnout against each team's minimum (town and store read once).
        func printCounts(store: any AttendanceStore, uids: [String], changed: Int?) async throws {
            let l = town.lang
            let input = try town.load()
            let data = try await town.attendanceData(store)
            let c = Compliance(plan: input.plan, roster: input.roster, demands: [], data: data, asOf: CivilDate(dayNumber: Int.max / 2))
            let turnouts = Dictionary(grouping: c.turnouts(), by: \.uid)
            for uid in uids {
                if let changed { print(l.pick("\(uid)：\(changed) 条有变化。", "\(uid): \(changed) changed.")) }
                for t in turnouts[uid] ?? [] {
                    let name = input.plan.team(t.team)?.displayName(l) ?? t.team
                    let flag = t.counted < t.minimum ? Console.paint(l.pick("  ✗ 低于最少人数", "  ✗ below minimum"), .red) : ""
                    print(l.pick("  \(name)：实到 \(t.counted)/\(t.minimum)（迟到 \(t.late)，请假 \(t.excused)，缺勤 \(t.absent)）",
                        "  \(name): \(t.counted)/\(t.minimum) counted (\(t.late) late, \(t.excused) excused, \(t.absent) absent)") + flag)
                }
            }
        }
    }
}

extension StoreError {
    /// Whether the error is about the input (exit 2) rather than the database (exit 3).
    var isInput: Bool {
        !isDatabaseFailure
    }
}
