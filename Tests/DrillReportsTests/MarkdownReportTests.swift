import DrillCore
import Testing

@testable import DrillReports

@Suite struct MarkdownReportTests {
    let md = ReportRenderer.markdown(Fixture.report())

    @Test func hasTitleAndEverySection() {
        #expect(md.hasPrefix("# 青山镇2027年度应急培训演练工作总结\n"))
        #expect(md.contains("报送：遂川县应急管理局"))
        for heading in ReportText(.zh).sections { #expect(md.contains("\n## \(heading)\n"), "\(heading)") }
        #expect(md.contains("### 2027-04-20 山洪转移演练"))
    }

    @Test func escapesPipesLineBreaksAndMarkup() {
        #expect(md.contains("王\\|五"))
        #expect(md.contains("\\<script\\>alert(1)\\</script\\>"))
        #expect(!md.contains("<script>"))
        #expect(md.contains("李四, \"老李\"<br>二组"))
        #expect(MarkdownReport.escape("a|b\nc\r\nd") == "a\\|b<br>c<br>d")
    }

    /// Every row of every table has as many unescaped `|` as its header: no cell broke out.
    @Test func tableRowsKeepTheirColumnCount() {
        var expected: Int?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                expected = nil
                continue
            }
            let bars = Self.unescapedBars(String(line))
            if let expected { #expect(bars == expected, "\(line)") } else { expected = bars }
        }
    }

    static func unescapedBars(_ line: String) -> Int {
        var count = 0
        var escaped = false
        for scalar in line.unicodeScalars {
            if escaped {
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "|" {
                count += 1
            }
        }
        return count
    }

    @Test func marksShortfallsAndMembersUnderThreshold() {
        #expect(md.contains("**✗ 未达标**"))
        #expect(md.contains("**✗ 低于最低到场**"))
        #expect(md.contains("**0%** ✗"))
        #expect(md.contains("1. 龙潭村应急救援队仅8人，低于最低10人"))
    }
}
