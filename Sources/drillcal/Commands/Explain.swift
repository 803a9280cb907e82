import ArgumentParser
import DrillCore
import DrillFeeds
import Foundation

extension Drillcal {
    /// `drillcal explain DIR UID`: why a session sits on its date.
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "说明某场活动为何排在该日期 / explain why a session sits on its date")

        @OptionGroup var town: TownOptions

        @Argument(help: "活动 UID（见 build 输出或日历）/ the session's UID")
        var uid: String

        func run() async throws {
            let uid = await town.uidFor(self.uid)  // a short code (S017) works too
            let l = town.lang
            let input = try town.load()
            // The year as published: pinned, frozen and hand-made changes stay (issue 8).
            let replan = try await town.replan(input, now: Stamp(seconds: Int(Date().timeIntervalSince1970)))
            let schedule = try town.schedule(input, replan: replan, recordRejections: true)
            let describe = Describe(plan: input.plan, roster: input.roster, language: l)
            let demands = try town.demands(input)
            guard let demand = demands.first(where: { $0.uid == uid }) else {
                let close = demands.map(\.uid).filter { $0.hasPrefix(String(uid.prefix(while: { $0 != "@" }).dropLast(3))) }
                Console.error(l.pick("未找到 UID “\(uid)”。", "No session with UID \"\(uid)\".")
                    + (close.isEmpty ? "" : l.pick(" 相近的有：", " Similar: ") + close.prefix(5).joined(separator: " ")))
                throw ExitCode(2)
            }
            let rule = input.plan.rules.first { $0.id == demand.ruleID }!
            print(l.pick("活动：", "Session: ") + uid)
            print(l.pick("规则：", "Rule: ") + "\(rule.displayName(l)) [\(rule.id)]")
            print(l.pick("允许日期：", "Allowed days: ") + demand.allowed.map(\.description).joined(separator: ", "))
            print(l.pick("目标日期：", "Target day: ") + demand.target.description)
            if !rule.weekdays.isEmpty {
                print(l.pick("优先星期：", "Preferred weekdays: ") + rule.weekdays.map(\.rawValue).joined(separator: " "))
            }
            if let session = schedule.session(uid) {
                print(l.pick("排定：", "Placed: ") + session.slot.text(l))
                let tried = schedule.rejections[uid] ?? []
                if tried.isEmpty {
                    print(l.pick("这是第一优先的时段，没有被排除的更早候选。", "This was the first choice; nothing better was ruled out."))
                } else {
                    print(l.pick("更优先的 \(tried.count) 个候选时段被排除：", "\(tried.count) better candidate(s) were ruled out:"))
                    for r in tried { print("  \(r.slot.text(l))  " + describe.constraint(r.constraint)) }
                }
            } else if let unmet = schedule.unmet.first(where: { $0.demand.uid == uid }) {
                print(l.pick("未能排入。受阻原因：", "Not placed. Blocked by:"))
                for b in unmet.blockers { print("  \(describe.blockerKey(b.key)): \(b.count)") }
                if let e = unmet.example { print(l.pick("  例：", "  e.g. ") + describe.constraint(e)) }
                throw ExitCode(1)
            }
        }
    }
}
