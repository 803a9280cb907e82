import DrillCore
import Foundation
import Testing

@testable import DrillReports

/// The county summary: towns worst first, each with what to act on, in md, html and xlsx.
@Suite struct RegionReportTests {
    func town(
        _ key: String, status: Int32 = 1, below: Int = 0, behind: Int = 0, held: Int = 10, required: Int = 10,
        reports: Int = 0, other: [String: Int] = [:], error: String? = nil
    ) -> RegionReport.Town {
        RegionReport.Town(
            key: key, town: key, status: status, belowMinimum: below, rulesBehind: behind, held: held,
            requiredByNow: required, planned: 20, reportsOverdue: reports, actionsOverdue: 0, otherFindings: other,
            error: error)
    }

    var sample: RegionReport {
        RegionReport(
            name: "清河县", level: "县（区）", year: 2027, asOf: "2027-07-01", language: .zh,
            towns: [
                town("good", status: 0), town("behind", behind: 3, held: 4), town("short", below: 2),
                town("broken", status: 2, error: "broken/plan.yaml 第 3 行，字段 year"),
                town("late", reports: 1), town("slow", status: 0, held: 5),
            ])
    }

    @Test func townsAreOrderedWorstFirst() {
        #expect(sample.towns.map(\.key) == ["broken", "short", "late", "behind", "slow", "good"])
        // A town needing action only for findings without a column comes before every town that
        // needs none, even one holding fewer sessions, and the one with more such findings first.
        let more = RegionReport(
            name: "清河县", level: "县（区）", year: 2027, asOf: "2027-07-01", language: .zh,
            towns: [
                town("a-fine", status: 0), town("b-slow", status: 0, held: 5), town("c-forecast", other: ["forecast": 2]),
                town("d-forecast", other: ["forecast": 9]), town("e-behind", behind: 1),
            ])
        #expect(more.towns.map(\.key) == ["e-behind", "d-forecast", "c-forecast", "b-slow", "a-fine"])
    }

    @Test func markdownListsEveryTownAndTheTownsNeedingAction() {
        let md = sample.markdown()
        #expect(md.hasPrefix("# 清河县 2027 年基层应急培训演练情况汇总（截至 2027-07-01）\n"))
        #expect(md.contains("共 6 个镇，4 个需督促"))
        #expect(md.contains("| short | 2 | 0 | 10/10（20） | 0 | 0 | 2 支队伍人数不足 |"))
        let action = md.components(separatedBy: "## 需督促的镇")[1]
        #expect(action.contains("- broken：无法检查：broken/plan.yaml 第 3 行"))
        #expect(action.contains("- behind：3 项规则进度落后"))
        #expect(!action.contains("- good") && !action.contains("- slow"))
    }

    /// A town needing action for findings without a column of their own names them, in the order a
    /// clerk reads them (`CheckDigest.kindOrder`), never a bare "other items".
    @Test func otherFindingsAreNamedWithTheirCounts() {
        let t = RegionReport.Town(
            key: "hexi", town: "hexi", status: 1, belowMinimum: 0, rulesBehind: 1, held: 3, requiredByNow: 4,
            planned: 20, reportsOverdue: 0, actionsOverdue: 0,
            otherFindings: ["forecast": 11, "missing_role": 2, "not_recorded": 0, "new_kind": 1], error: nil)
        #expect(t.problems(.zh) == "1 项规则进度落后；缺少力量 2 项；预测 11 项；new_kind 1 项")
        #expect(t.problems(.en) == "1 rules behind; missing source 2; forecast 11; new_kind 1")
        #expect(t.otherFindings["not_recorded"] == nil, "zero counts are dropped")
        let bare = RegionReport.Town(
            key: "x", town: "x", status: 1, belowMinimum: 0, rulesBehind: 0, held: 0, requiredByNow: 0,
            planned: 0, reportsOverdue: 0, actionsOverdue: 0, error: nil)
        #expect(bare.problems(.zh) == "有其他待处理事项")
        var report = sample
        report.towns = [t]
        #expect(report.markdown().contains("| hexi | 0 | 1 | 3/4（20） | 0 | 0 | 1 项规则进度落后；缺少力量 2 项；预测 11 项；new_kind 1 项 |"))
    }

    @Test func htmlEscapesTownText() {
        var report = sample
        report.towns[0].error = "<script>alert(1)</script>"
        let html = report.html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("<tr class=\"act\">"))
    }

    @Test func xlsxIsWrittenAndAnExistingFileSurvivesAFailure() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "region-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("county.xlsx").path
        try sample.writeXLSX(to: path)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip container")
        #expect(throws: ReportError.self) {
            try sample.writeXLSX(to: folder.appendingPathComponent("no/such.xlsx").path)
        }
        #expect(FileManager.default.contents(atPath: path) == bytes)
    }
}
