import Foundation
import Testing

/// The workbook of the 14-village town (over 40 sessions): the summary sheet first, the whole matrix,
/// then one matrix sheet per team, every matrix with frozen header row and name columns.
struct WorkbookTests {
    static func unzip(_ file: URL, _ entry: String) throws -> String {
        try RealisticTownTests.shell("unzip -p '\(file.path)' '\(entry)'")
    }

    @Test func summaryFirstAndOneFrozenMatrixPerTeam() async throws {
        let town = try RealisticTownTests.town()
        _ = try await RealisticTownTests.recordYear(town)
        let xlsx = town.appendingPathComponent("report.xlsx")
        let r = try CLI.run([
            "report", town.path, "--format", "xlsx", "--out", xlsx.path, "--as-of", "2027-12-31",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let workbook = try Self.unzip(xlsx, "xl/workbook.xml")
        let names = try NSRegularExpression(pattern: "<sheet name=\"([^\"]+)\"").matches(
            in: workbook, range: NSRange(workbook.startIndex..., in: workbook)
        ).map { String(workbook[Range($0.range(at: 1), in: workbook)!]) }
        #expect(Array(names.prefix(4)) == ["汇总", "出勤矩阵", "活动出勤", "队伍"], "\(names)")
        // 14 village teams, the town team and the volunteers: one sheet each after the four.
        let teams = names.dropFirst(4)
        #expect(teams.count == 16, "\(names)")
        #expect(teams.contains("上村应急救援队") && teams.contains("新塘村应急救援队") && teams.contains("青山镇综合性应急救援队"))
        #expect(
            workbook.contains("activeTab=\"0\"") || !workbook.contains("activeTab="), "opens on the summary")
        for index in [2] + Array(5...names.count) {
            let sheet = try Self.unzip(xlsx, "xl/worksheets/sheet\(index).xml")
            #expect(
                sheet.contains("<pane xSplit=\"2\" ySplit=\"1\""),
                "sheet \(index) \(names[index - 1]) not frozen")
        }
        // A village's sheet holds only its own sessions: fewer columns than the whole matrix.
        let whole = try Self.unzip(xlsx, "xl/worksheets/sheet2.xml")
        let village = try Self.unzip(xlsx, "xl/worksheets/sheet\(names.firstIndex(of: "上村应急救援队")! + 1).xml")
        func columns(_ xml: String) -> Int { xml.components(separatedBy: "<c r=\"").count - 1 }
        #expect(columns(village) < columns(whole) / 4)
    }
}
