import Foundation
import Testing

/// Open corrective actions carry over into next year's plan folder; closed ones stay in the old year.
struct CarryActionsTests {
    /// Next year's folder: the example town moved to 2028 (holiday file included), in its own scratch copy.
    static func nextYear() throws -> URL {
        let town = try CLI.scratchTown()
        let holidays = town.deletingLastPathComponent().appendingPathComponent("holidays")
        let old = try CLI.read(holidays.appendingPathComponent("2027.yaml"))
        try CLI.write(
            old.replacingOccurrences(of: "2027", with: "2028"), holidays.appendingPathComponent("2028.yaml"))
        let planURL = town.appendingPathComponent("plan.yaml")
        let plan = try CLI.read(planURL).replacingOccurrences(of: "year: 2027", with: "year: 2028")
            .replacingOccurrences(of: "2027.yaml", with: "2028.yaml").replacingOccurrences(
                of: "2027-", with: "2028-")
        try CLI.write(plan, planURL)
        return town
    }

    @Test func openActionsCarryOverOnceAndClosedOnesStay() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let drill = "qingshan-2027-flood-evacuation-v-taoyuan-01@drillcal"
        let yaml = town.appendingPathComponent("summary.yaml")
        try CLI.write("purpose: 检验预案\nimprovements: |\n  1. 增设应急广播\n  2. 每月更新网格台账\n", yaml)
        #expect(try CLI.run(["summary", town.path, drill, "--file", yaml.path]).status == 0)
        #expect(
            try CLI.run([
                "actions", town.path, "add", "--text", "更新应急物资台账", "--owner", "镇应急站", "--due", "2027-11-30",
            ]).status == 0)
        #expect(try CLI.run(["actions", town.path, "done", "1", "--note", "已安装4套"]).status == 0)

        let next = try Self.nextYear()
        let file = next.appendingPathComponent("carried-actions.json")
        #expect(try CLI.run(["actions", town.path, "carry"]).status == 2, "--to is required")
        #expect(
            try CLI.run(["actions", town.path, "carry", "--to", town.path]).status == 2, "not into itself")
        #expect(try CLI.run(["actions", town.path, "carry", "--to", "/nonexistent/x"]).status == 2)
        // Only into the same town's folder for a later year, read from its plan.yaml.
        let sameYear = try CLI.scratchTown()
        let notLater = try CLI.run(["actions", town.path, "carry", "--to", sameYear.path])
        #expect(notLater.status == 2, "\(notLater.stdout)")
        #expect(notLater.stderr.contains("year 应晚于 2027") && notLater.stderr.contains("实际为 2027"), "\(notLater.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sameYear.appendingPathComponent("carried-actions.json").path))
        let otherTown = try Self.nextYear()
        let otherPlan = otherTown.appendingPathComponent("plan.yaml")
        try CLI.write(try CLI.read(otherPlan).replacingOccurrences(of: "id: qingshan", with: "id: lishui"), otherPlan)
        let wrongTown = try CLI.run(["actions", town.path, "carry", "--to", otherTown.path])
        #expect(wrongTown.status == 2 && wrongTown.stderr.contains("town.id 应为 qingshan"), "\(wrongTown.stderr)")
        let carry = try CLI.run(["actions", town.path, "carry", "--to", next.path])
        #expect(carry.status == 0, "\(carry.stderr)")
        #expect(carry.stdout.contains("已将 2 项未完成整改措施结转") && carry.stdout.contains("已完成 1 项留在 2027 年度报告中"))
        let written = try Data(contentsOf: file)
        let json = try JSONSerialization.jsonObject(with: written) as! [String: Any]
        let items = json["actions"] as! [[String: Any]]
        #expect(items.map { $0["text"] as! String } == ["每月更新网格台账", "更新应急物资台账"], "open ones only")
        #expect(items[0]["source"] as? String == "防汛转移撤离综合实战演练（桃源村应急救援队）")

        // Idempotent: the same actions again change nothing; different ones are refused unless --replace.
        let again = try CLI.run(["actions", town.path, "carry", "--to", next.path])
        #expect(again.status == 0 && again.stdout.contains("未改动"))
        #expect(try Data(contentsOf: file) == written)
        #expect(try CLI.run(["actions", town.path, "done", "2", "--note", "已建立台账"]).status == 0)
        let refused = try CLI.run(["actions", town.path, "carry", "--to", next.path])
        #expect(refused.status == 2 && refused.stderr.contains("--replace"), "\(refused.stderr)")
        #expect(try Data(contentsOf: file) == written, "nothing overwritten silently")

        // Next year's build loads them into its store, once, marked as carried over; check flags the overdue one.
        let built = try CLI.run(["build", next.path, "--now", "2027-11-29T00:00:00Z"])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("已载入上年度结转整改措施 2 项"))
        let list = try CLI.run(["actions", next.path, "--as-of", "2028-01-10"])
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(list.stdout)")
        #expect(lines.allSatisfy { $0.contains("上年度结转（2027 年 #") }, "\(list.stdout)")
        #expect(list.stdout.contains("#2 [逾期] 更新应急物资台账") || list.stdout.contains("[逾期] 更新应急物资台账"))
        #expect(!list.stderr.contains("已载入"), "loaded once")
        let check = try CLI.run(["check", next.path, "--as-of", "2028-01-10", "--json"])
        let findings =
            (try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as! [String: Any])["findings"]
            as! [[String: Any]]
        #expect(findings.filter { $0["kind"] as? String == "action_overdue" }.count == 2)

        // With --replace the file follows the old year again; what next year already loaded stays.
        let replaced = try CLI.run(["actions", town.path, "carry", "--to", next.path, "--replace"])
        #expect(replaced.status == 0 && replaced.stdout.contains("已将 1 项"))
        #expect(try CLI.run(["actions", next.path]).stdout.split(separator: "\n").count == 2)

        // The old year's report lists the closed ones; next year's lists the carried ones as such.
        let report = next.appendingPathComponent("r.html")
        #expect(
            try CLI.run([
                "report", next.path, "--format", "html", "--out", report.path, "--as-of", "2028-01-10",
            ]).status
                == 0)
        #expect(try CLI.read(report).contains("上年度结转（2027 年 #3）"))
        let oldReport = town.appendingPathComponent("r.html")
        #expect(
            try CLI.run([
                "report", town.path, "--format", "html", "--out", oldReport.path, "--as-of", "2027-12-31",
            ])
            .status == 0)
        #expect(try CLI.read(oldReport).contains("已安装4套"))

        // A damaged carried file is bad input naming the file, and adds nothing.
        try CLI.write("{\"town\": \"qingshan\", \"year\": 2027, \"actions\": [{\"id\": 1}]}", file)
        let bad = try CLI.run(["actions", next.path])
        #expect(bad.status == 2 && bad.stderr.contains("carried-actions.json"), "\(bad.stderr)")
    }
}
