import ChildProcess
import DrillCore
import Foundation
import Testing

@testable import DrillReports

@Suite struct XLSXWorkbookTests {
    /// A fresh folder per test, so parallel tests never share a file.
    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drillreports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One member of the zip, through `unzip -p`.
    func entry(_ file: String, _ name: String) throws -> String {
        let r = try ChildProcess.run("/usr/bin/unzip", ["-p", file, name])
        #expect(r.status == 0, "unzip -p \(name)")
        return r.stdoutText
    }

    @Test func writesAZipWithTheNamesAndSheets() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("出勤.xlsx").path
        try ReportRenderer.writeXLSX(Fixture.report(), to: path)

        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(data.prefix(2)) == Array("PK".utf8))
        let strings = try entry(path, "xl/sharedStrings.xml")
        #expect(strings.contains("张三"))
        #expect(strings.contains("龙潭村应急救援队"))
        #expect(strings.contains("&lt;script&gt;"))
        let workbook = try entry(path, "xl/workbook.xml")
        for sheet in ["出勤矩阵", "活动出勤", "队伍"] { #expect(workbook.contains("name=\"\(sheet)\""), "\(sheet)") }
        // Nothing from the report may become a formula, not even once the sheet is saved as CSV.
        #expect(strings.contains("<t>'=HYPERLINK(\"x\")</t>"))
        #expect(!strings.contains("<t>=HYPERLINK"))
        for n in 1...3 { #expect(!(try entry(path, "xl/worksheets/sheet\(n).xml")).contains("<f>")) }
        // No temporary file is left beside the workbook.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["出勤.xlsx"])
    }

    @Test func ratesArePercentNumbersAndShortRowsAreShaded() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.xlsx").path
        try ReportRenderer.writeXLSX(Fixture.report(), to: path)
        let styles = try entry(path, "xl/styles.xml")
        #expect(styles.contains("formatCode=\"0.0%\""))
        #expect(styles.contains("FFFBE3E0"))
        let matrix = try entry(path, "xl/worksheets/sheet1.xml")
        #expect(matrix.contains("<v>0.66666"))
        #expect(matrix.contains("<pane xSplit=\"2\" ySplit=\"1\""))
    }

    @Test func englishSheetNames() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("en.xlsx").path
        try ReportRenderer.writeXLSX(Fixture.report(.en), to: path)
        let workbook = try entry(path, "xl/workbook.xml")
        for sheet in ["Attendance matrix", "Session turnout", "Teams"] {
            #expect(workbook.contains("name=\"\(sheet)\""))
        }
    }

    @Test func failureNamesThePathAndLeavesNothingBehind() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("missing/sub/a.xlsx").path
        let error = #expect(throws: ReportError.self) {
            try ReportRenderer.writeXLSX(Fixture.report(), to: path)
        }
        #expect(error?.message.contains(path) == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func temporaryPathIsBesideTheTarget() {
        let tmp = ReportRenderer.temporaryPath(beside: "/srv/out/report.xlsx")
        #expect(tmp.hasPrefix("/srv/out/.report.xlsx."))
        #expect(tmp.hasSuffix(".tmp"))
        #expect(ReportRenderer.temporaryPath(beside: "r.xlsx").hasPrefix(".r.xlsx."))
    }
}
