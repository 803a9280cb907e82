import ArgumentParser
import DrillCore
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
            let store = try town.requireStore()
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

    /// `drillcal actions DIR [list|add|done ID --note …]`: corrective actions (整改措施).
    struct Actions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "整改措施：列出、新增、登记完成 / corrective actions: list, add, close",
            discussion: """
                演练总结中的“改进措施”在 drillcal summary 时逐条登记为整改措施（责任单位为参演队伍，期限为演练后 30 天）。
                drillcal actions DIR                      列出全部
                drillcal actions DIR add --text 增设应急广播 --owner 上村村委会 --due 2027-09-30 [--session UID]
                drillcal actions DIR done 3 --note 已安装 4 套广播
                Improvements in a drill summary become actions when the summary is saved.
                """)

        enum Verb: String, ExpressibleByArgument, CaseIterable { case list, add, done }

        @OptionGroup var town: TownOptions
        @Argument(help: "list（默认）、add 或 done / list (default), add or done") var verb: Verb = .list
        @Argument(help: "done 时的整改措施编号 / the action number for done") var id: Int?
        @Option(help: "整改内容 / what is to be done (add)") var text: String?
        @Option(help: "责任单位或责任人 / owner (add)") var owner: String?
        @Option(help: "完成期限 YYYY-MM-DD / due date (add)") var due: String?
        @Option(help: "所属活动 UID / the session it follows (add)") var session: String?
        @Option(help: "完成情况 / what was done (done)") var note: String = ""
        @Option(help: "登记人 / who records") var by: String?
        @Option(help: "判断逾期的日期，默认今天 / the day for overdue marks") var asOf: String?

        func run() async throws {
            let l = town.lang
            let store = try town.requireStore()
            let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal"
            let now = Int(Date().timeIntervalSince1970)
            do {
                switch verb {
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
    }
}
