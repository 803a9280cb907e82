import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation

extension Drillcal {
    /// `drillcal summary DIR UID --file summary.yaml`: a drill's summary record (演练总结).
    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "登记演练总结 / record a drill's summary",
            discussion: """
                summary.yaml 字段 / fields: purpose 目的, time_and_place 时间地点, units 参演单位和人员, scenario 情景设置,
                problems 发现的问题, causes 原因分析, lessons 经验教训, improvements 改进措施（purpose 必填）。
                """)

        @OptionGroup var town: TownOptions
        @Argument(help: "活动 UID / session UID") var uid: String
        @Option(help: "总结 YAML 文件 / the summary YAML file") var file: String
        @Option(help: "登记人 / who records") var by: String?

        func run() async throws {
            let uid = await town.uidFor(self.uid)  // a short code (S017) works too
            let l = town.lang
            let summary: DrillSummary
            do {
                summary = try SummaryFile.load(file)
            } catch {
                Console.error(error.message(l))
                throw ExitCode(2)
            }
            let store = try await town.requireStore()
            do {
                try await store.saveSummary(
                    summary, for: uid, by: by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal",
                    at: Int(Date().timeIntervalSince1970))
            } catch {
                Console.error(error.message(l))
                throw ExitCode(error.isInput ? 2 : 3)
            }
            print(l.pick("已保存 \(uid) 的演练总结。", "Saved the summary of \(uid)."))
            // Each improvement becomes a tracked corrective action (owner: the drill's teams, due in 30 days).
            do {
                guard let session = try await store.session(uid) else { return }
                let plan = try? TownLoader.load(directory: town.directory, encoding: town.encoding, recurrence: LibicalRecurrence()).plan
                let owner = session.teamIDs.isEmpty
                    ? (plan?.town.station ?? "station")
                    : session.teamIDs.map { plan?.team($0)?.displayName(l) ?? $0 }.joined(separator: l.pick("、", ", "))
                var added: [Int] = []
                for item in summary.improvementItems {
                    let a = try await store.addAction(
                        sessionUID: uid, text: item, owner: owner, due: session.slot.date.adding(days: 30),
                        by: by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal", at: Int(Date().timeIntervalSince1970))
                    added.append(a.id)
                }
                if !added.isEmpty {
                    print(l.pick(
                        "改进措施已登记为整改措施 \(added.map { "#\($0)" }.joined(separator: "、"))（drillcal actions 查看）。",
                        "Improvements tracked as corrective actions \(added.map { "#\($0)" }.joined(separator: ", ")) (see drillcal actions)."))
                }
            } catch {
                Console.error(error.message(l))
                throw ExitCode(3)
            }
        }
    }
}
