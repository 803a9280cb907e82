import CSV
import DrillCore
import Foundation
import Testing

@testable import DrillReports

@Suite struct AttendanceCSVTests {
    let bytes = ReportRenderer.attendanceCSV(Fixture.report())

    /// Reads the bytes back with CSV.swift, an independent parser (it also consumes the BOM).
    func parsed() throws -> [[String]] {
        let reader = try CSVReader(stream: InputStream(data: Data(bytes)))
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        #expect(reader.error == nil)
        return rows
    }

    @Test func startsWithTheUTF8ByteOrderMark() {
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test func headerNamesEverySessionAndTheRateColumns() throws {
        let rows = try parsed()
        #expect(
            rows.first == [
                "编号", "姓名", "队伍", "2027-03-10 月度集中训练", "2027-04-20 山洪转移演练", "应到", "实到", "出勤率", "低于阈值",
            ])
        #expect(rows.count == 1 + Fixture.report().members.count)
    }

    @Test func rowsRoundTripWithLabelsRatesAndNeutralisedFormulas() throws {
        let rows = try parsed()
        #expect(rows[1] == ["M001", "张三", "青山镇综合性应急救援队", "到场", "", "1", "1", "100%", ""])
        #expect(rows[2][1] == Fixture.scriptName)
        #expect(rows[3] == ["M003", "'=HYPERLINK(\"x\")", "龙潭村应急救援队", "", "缺勤", "1", "0", "0%", "是"])
        // Comma, quotes and a CR LF inside one cell survive quoting intact.
        #expect(rows[4][1] == Fixture.awkwardName)
        #expect(rows[4][3...] == ["到场", "缺勤", "2", "1", "50%", "是"])
        #expect(rows[5][3] == "请假")
        #expect(rows[5][7] == "")
        #expect(rows[6][0] == "'-M006")
        #expect(rows[6][7] == "66.7%")
    }

    @Test func rawTextIsQuotedAndEndsLinesWithCRLF() throws {
        let text = try #require(String(validating: bytes.dropFirst(3), as: UTF8.self))
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(text.contains("\"李四, \"\"老李\"\"\r\n二组\""))
        #expect(text.hasSuffix("\r\n"))
        // Outside quotes every LF is preceded by CR.
        var quoted = false
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            if scalar == "\n" && !quoted { #expect(previous == "\r") }
            previous = scalar
        }
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\ronly", "\"cr\ronly\""),
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("=A1,B1", "\"'=A1,B1\""),
        // A spreadsheet skips leading blanks before a formula sign; full-width signs are formulas too.
        (" =1+1", "' =1+1"),
        ("\t =1+1", "'\t =1+1"),
        ("  @SUM(A1)", "'  @SUM(A1)"),
        ("\u{3000}+86", "'\u{3000}+86"),
        ("＝1+1", "'＝1+1"),
        ("＋86 138", "'＋86 138"),
        ("－5", "'－5"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        (" 张三", " 张三"),
        ("a=b", "a=b"),
        ("\"\u{301}", "\"\"\"\u{301}\""),
        ("", ""),
    ])
    func quotesAndNeutralisesCells(raw: String, expected: String) {
        #expect(CSVText.field(raw) == expected)
    }

    @Test func englishHeaderAndLabels() throws {
        let en = ReportRenderer.attendanceCSV(Fixture.report(.en))
        let reader = try CSVReader(stream: InputStream(data: Data(en)))
        let header = try #require(reader.next())
        #expect(header.first == "ID")
        #expect(header.last == "Below threshold")
        #expect(reader.next()?[3] == "present")
    }
}
