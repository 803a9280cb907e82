import DrillCore
import DrillWeb
import Testing

@testable import DrillReports

@Suite struct HTMLReportTests {
    let html = ReportRenderer.html(Fixture.report())

    @Test func hasTitleBlockAndEverySectionHeading() {
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<html lang=\"zh-CN\">"))
        #expect(html.contains("青山镇2027年度应急培训演练工作总结"))
        #expect(html.contains("报送：遂川县应急管理局"))
        #expect(html.contains("青山镇应急站"))
        #expect(html.contains("2027-12-31"))
        for heading in ReportText(.zh).sections {
            #expect(html.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
    }

    @Test func escapesNamesThatLookLikeMarkup() {
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // The page needs no script at all, so no `<script` may appear anywhere.
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("赵六&#39;s"))
        #expect(html.contains("=HYPERLINK(&quot;x&quot;)"))
        #expect(!html.contains(Fixture.awkwardName))
    }

    @Test func escapeCoversAllFiveCharactersAndCombiningMarks() {
        #expect(HTML.escape(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        // `<` followed by a combining mark is one Character; it must still be escaped.
        #expect(HTML.escape("<\u{301}script>") == "&lt;\u{301}script&gt;")
        #expect(HTML.multiline("a<b\r\nc") == "a&lt;b<br>c")
    }

    @Test func chartHasOneBarPerTeamWithTheMinimumMarked() {
        #expect(html.contains("<svg"))
        let bars = html.count(of: "class=\"bar\"")
        #expect(bars == Fixture.report().teams.count)
        #expect(html.contains("class=\"minimum\""))
        let chart = TurnoutChart(Fixture.report())
        #expect(chart.bars.map(\.team) == ["青山镇综合性应急救援队", "龙潭村应急救援队"])
        #expect(chart.bars[0].average == 28 && chart.bars[0].minimum == 20 && !chart.bars[0].below)
        #expect(chart.bars[1].average == 5 && chart.bars[1].minimum == 6 && chart.bars[1].below)
    }

    @Test func teamWithoutHeldSessionsStillGetsABar() {
        var r = Fixture.report()
        r.teams.append(
            .init(
                id: "v-x", name: "下村应急救援队", level: "村级", members: 10, minimum: 10, roles: [],
                missingRoles: [], meetsMinimum: true))
        let svg = TurnoutChart(r).svg()
        #expect(svg.count(of: "class=\"bar\"") == 3)
        #expect(svg.contains("无已开展活动"))
    }

    @Test func isPrintableOnA4AndSelfContained() {
        #expect(html.contains("@page { size: A4; margin: 15mm; }"))
        #expect(
            html.contains("\"Noto Sans CJK SC\", \"Noto Serif CJK SC\", \"WenQuanYi Micro Hei\", sans-serif"))
        #expect(html.contains("page-break-inside: avoid"))
        #expect(!html.contains("src="))
        #expect(!html.contains("<link"))
        // The only URL is the SVG namespace, which is never fetched.
        #expect(!html.contains("https://"))
        #expect(html.count(of: "http://") == html.count(of: "http://www.w3.org/2000/svg"))
    }

    @Test func highlightsShortTeamsBelowMinimumSessionsAndMembersUnderThreshold() {
        #expect(html.contains("✗ 未达标"))
        #expect(html.contains("✓ 达标"))
        #expect(html.contains("<tr class=\"below\"><td class=\"when\">2027-04-20 19:00-21:00</td>"))
        #expect(html.contains("<tr class=\"below\"><td>M003</td>"))
        #expect(html.contains("<tr class=\"below\"><td>M004</td>"))
        #expect(!html.contains("<tr class=\"below\"><td>M001</td>"))
        #expect(html.contains("出勤率低于60%的人员"))
    }

    @Test func drillSummaryShowsAllEightFields() {
        for field in ReportText(.zh).summaryFields { #expect(html.contains("<th>\(field.label)</th>")) }
        #expect(html.contains("通知到户用时过长<br>部分老人未能按时转移"))
    }

    @Test func englishReportUsesEnglishLabels() {
        let en = ReportRenderer.html(Fixture.report(.en))
        #expect(en.contains("<html lang=\"en\">"))
        #expect(en.contains("Annual report on emergency training and drills"))
        #expect(en.contains("To: 遂川县 Emergency Management Bureau"))
        for heading in ReportText(.en).sections { #expect(en.contains("<h2>\(heading)</h2>")) }
        #expect(!en.contains("应急管理局"))
    }

    @Test func longMatrixIsSplitIntoPrintableParts() {
        var r = Fixture.report()
        r.matrixSessions = (1...30).map { .init(uid: "u\($0)", date: "2027-01-\($0)", title: "训练\($0)") }
        for i in r.members.indices { r.members[i].cells = Array(repeating: "present", count: 30) }
        let h = HTMLReport(r).matrix()
        #expect(h.count(of: "<table class=\"matrix\">") == 3)
        #expect(h.contains("第21–30次活动（共30次）"))
    }
}

extension String {
    /// How many times `needle` occurs, without overlaps.
    func count(of needle: String) -> Int {
        split(separator: needle, omittingEmptySubsequences: false).count - 1
    }
}
