import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation

extension Drillcal {
    /// `drillcal done DIR SESSION [--note …]`: records a reporting deadline as done. The report and
    /// `check` count a deadline done only when it is recorded here, never because its date passed.
    struct Done: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记上报截止事项已完成 / record a reporting deadline as done",
            discussion: "只有登记过的截止事项才在报告中显示为已完成。/ A deadline shows as done only once recorded.")

        @OptionGroup var town: TownOptions
        @Argument(help: "截止事项的活动 UID / the deadline's session UID") var session: String
        @Option(help: "完成情况（如报送文号）/ what was done") var note: String = ""
        @Option(help: "登记人 / who records") var by: String?

        func run() async throws {
            let session = await town.uidFor(self.session)  // a short code (S017) works too
            let l = town.lang
            let store = try await town.requireStore()
            do {
                try await store.recordDeadlineDone(
                    session, note: note, by: by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal",
                    at: Int(Date().timeIntervalSince1970))
            } catch {
                Console.error(error.message(l))
                throw ExitCode(error.isInput ? 2 : 3)
            }
            print(l.pick("已登记 \(session) 完成。", "Recorded \(session) as done."))
        }
    }

    /// `drillcal actions DIR [list|add|done ID --note …|carry --to NEXT]`: corrective actions (整改措施).
    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "整改措施：列出、新增、登记完成 / corrective actions: list, add, close",
            discussion: """
                演练总结中的“改进措施”在 drillcal summary 时逐条登记为整改措施（责任单位为参演队伍，期限为演练后 30 天）。
                drillcal actions DIR                      列出全部
                drillcal actions DIR add --text 增设应急广播 --owner 上村村委会 --due 2027-09-30 [--session UID]
                drillcal actions DIR done 3 --note 已安装 4 套广播
                drillcal actions DIR carry --to 下一年度目录 [--replace]
                carry 把未完成的整改措施写入下一年度目录的 carried-actions.json，下一年度的命令载入并标注“上年度结转”。
                Improvements in a drill summary become actions when the summary is saved; carry writes the open ones into next year's folder, whose commands load them marked as carried over.
                """)

        enum Verb: String, ExpressibleByArgument, CaseIterable { case list, add, done, carry }

        @OptionGroup var town: TownOptions
        @Argument(help: "list（默认）、add、done 或 carry / list (default), add, done or carry") var verb: Verb = .list
        @Argument(help: "done 时的整改措施编号 / the action number for done") var id: Int?
        @Option(help: "整改内容 / what is to be done (add)") var text: String?
        @Option(help: "责任单位或责任人 / owner (add)") var owner: String?
        @Option(help: "完成期限 YYYY-MM-DD / due date (add)") var due: String?
        @Option(help: "所属活动 UID / the session it follows (add)") var session: String?
        @Option(help: "完成情况 / what was done (done)") var note: String = ""
        @Option(help: "登记人 / who records") var by: String?
        @Option(help: "判断逾期的日期，默认今天 / the day for overdue marks") var asOf: String?
        @Option(help: "下一年度的城镇目录 / next year's town folder (carry)") var to: String?
        @Flag(help: "覆盖内容不同的已有结转文件 / replace a different carried-actions.json (carry)") var replace = false

        func run() async throws {
            let l = town.lang
            let store = try await town.requireStore()
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal"
            let now = Int(Date().timeIntervalSince1970)
            _ = try await CarriedActionsFile.load(into: store, directory: town.directory, lang: l)
            do {
                switch verb {
                case .carry:
                    try await carry(store)
                case .list:
                    let input = try town.load()
                    let day = try today(asOf, timeZone: input.plan.timeZone, lang: l)
                    let actions = try await store.actions()
                    if actions.isEmpty { print(l.pick("尚无整改措施。", "No corrective actions.")) }
                    for a in actions {
                        let status = a.isOverdue(on: day) ? l.pick("逾期", "overdue") : a.status.label(l)
                        var line =
                            "#\(a.id) [\(status)] \(a.text) · \(a.owner) · " + l.pick("期限 ", "due ")
                            + a.due.description
                        if let from = a.carriedFrom { line += " · " + from.label(l) }
                        if a.status == .done { line += l.pick(" · 完成情况：", " · done: ") + a.note }
                        print(line)
                    }
                case .add:
                    guard let text, let owner, let dueText = due else {
                        Console.error(
                            l.pick(
                                "actions add：需要 --text、--owner 和 --due",
                                "actions add: needs --text, --owner and --due"))
                        throw ExitCode(2)
                    }
                    guard let dueDate = CivilDate(iso: dueText) else {
                        Console.error(
                            l.pick(
                                "--due：应为日期如 2027-09-30，实际为 “\(dueText)”",
                                "--due: expected a date such as 2027-09-30, found \"\(dueText)\""))
                        throw ExitCode(2)
                    }
                    let a = try await store.addAction(
                        sessionUID: session, text: text, owner: owner, due: dueDate, by: who, at: now)
                    print(l.pick("已登记整改措施 #\(a.id)。", "Added corrective action #\(a.id)."))
                case .done:
                    guard let id else {
                        Console.error(
                            l.pick(
                                "actions done：需要整改措施编号，如 actions DIR done 3 --note …",
                                "actions done: needs the action number"))
                        throw ExitCode(2)
                    }
                    let a = try await store.closeAction(id, note: note, by: who, at: now)
                    print(l.pick("整改措施 #\(a.id) 已登记完成。", "Corrective action #\(a.id) closed."))
                }
            } catch let error as StoreError {
                Console.error(error.message(l))
                throw ExitCode(error.isInput ? 2 : 3)
            }
        }

        /// `--to` must be the same town's plan folder for a later year: its plan.yaml is read (errors
        /// name its file, line and field) and its `town.id` and `year` compared with this folder's.
        static func requireLaterYear(of folder: String, than plan: Plan, lang l: Language) throws {
            let file = (folder as NSString).appendingPathComponent("plan.yaml")
            guard FileManager.default.fileExists(atPath: file) else {
                Console.error(
                    l.pick(
                        "--to \(folder)：应为下一年度的城镇目录（含 plan.yaml），实际没有 \(file)",
                        "--to \(folder): expected next year's town folder with a plan.yaml, found no \(file)"))
                throw ExitCode(2)
            }
            let next: Plan
            do {
                next = try PlanLoader.load(file: file, recurrence: LibicalRecurrence())
            } catch {
                Console.error(error.message(l))
                throw ExitCode(2)
            }
            if next.town.id != plan.town.id {
                Console.error(
                    l.pick(
                        "\(file)：town.id 应为 \(plan.town.id)（同一个镇的下一年度），实际为 \(next.town.id)；未改动",
                        "\(file): town.id: expected \(plan.town.id) (the same town's next year), found \(next.town.id); nothing changed"))
                throw ExitCode(2)
            }
            if next.year <= plan.year {
                Console.error(
                    l.pick(
                        "\(file)：year 应晚于 \(plan.year)（结转到下一年度），实际为 \(next.year)；未改动",
                        "\(file): year: expected a year after \(plan.year) (carrying over to a later year), found \(next.year); nothing changed"))
                throw ExitCode(2)
            }
        }

        /// Writes the open actions into `--to`'s carried-actions.json: the same file again is a no-op,
        /// a different one is refused unless `--replace`; written beside and renamed into place.
        func carry(_ store: any AttendanceStore) async throws {
            let l = town.lang
            guard let to else {
                Console.error(
                    l.pick(
                        "actions carry：需要 --to 下一年度的城镇目录", "actions carry: needs --to with next year's town folder"))
                throw ExitCode(2)
            }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: to, isDirectory: &isFolder), isFolder.boolValue else {
                Console.error(
                    l.pick(
                        "--to \(to)：应为下一年度的城镇目录，实际为不存在的文件夹",
                        "--to \(to): expected next year's town folder, found no such folder"))
                throw ExitCode(2)
            }
            let here = URL(fileURLWithPath: town.directory).standardizedFileURL.resolvingSymlinksInPath()
            guard URL(fileURLWithPath: to).standardizedFileURL.resolvingSymlinksInPath() != here else {
                Console.error(
                    l.pick(
                        "--to \(to)：应为下一年度的城镇目录，实际为本年度目录",
                        "--to \(to): expected next year's town folder, found this year's own folder"))
                throw ExitCode(2)
            }
            let input = try town.load()
            try Self.requireLaterYear(of: to, than: input.plan, lang: l)
            let all = try await store.actions()
            let sessions = try await store.sessions()
            let titles = Describe(plan: input.plan, roster: input.roster, language: .zh).sessionTitles(sessions)
            let file = CarriedActionsFile(town: input.plan.town.id, year: input.plan.year, open: all, title: titles)
            let closed = all.count - file.actions.count
            let path = CarriedActionsFile.path(in: to)
            let bytes = try file.encoded()
            if let existing = FileManager.default.contents(atPath: path) {
                if existing == bytes {
                    print(
                        l.pick(
                            "\(path) 已是这 \(file.actions.count) 项未完成整改措施，未改动。",
                            "\(path) already holds these \(file.actions.count) open actions; nothing changed."))
                    return
                }
                if !replace {
                    let old = (try? JSONDecoder().decode(CarriedActionsFile.self, from: existing))?.actions.count
                    Console.error(
                        l.pick(
                            "\(path)：已存在内容不同的结转文件（\(old.map { "\($0) 项" } ?? "无法读取")，本次 \(file.actions.count) 项）；未改动。确认覆盖请加 --replace（已载入下一年度数据库的整改措施不会删除）",
                            "\(path): a different carried-actions file exists (\(old.map { "\($0) actions" } ?? "unreadable"), now \(file.actions.count)); nothing changed. Add --replace to overwrite (actions already loaded next year stay)"
                        ))
                    throw ExitCode(2)
                }
            }
            if file.actions.isEmpty && FileManager.default.contents(atPath: path) == nil {
                print(
                    l.pick(
                        "没有未完成的整改措施，无需结转（已完成 \(closed) 项留在 \(input.plan.year) 年度报告中）。",
                        "No open corrective actions to carry over (\(closed) done stay in the \(input.plan.year) report)."))
                return
            }
            let temporary = (to as NSString).appendingPathComponent(".\(CarriedActionsFile.fileName).\(getpid()).tmp")
            do {
                try bytes.write(to: URL(fileURLWithPath: temporary))
                if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
            } catch {
                unlink(temporary)
                Console.error(FileProblem.writeError(error, path: path, folder: false).message(l))
                throw ExitCode(3)
            }
            print(
                l.pick(
                    "已将 \(file.actions.count) 项未完成整改措施结转到 \(path)（已完成 \(closed) 项留在 \(input.plan.year) 年度报告中）；下一年度运行 build、check、report 或 actions 时载入，标注“上年度结转”。",
                    "Carried \(file.actions.count) open corrective actions over to \(path) (\(closed) done stay in the \(input.plan.year) report); next year's build, check, report or actions load them, marked as carried over."
                ))
        }
    }
}
