import DrillCore
import DrillWeb

extension ReportRenderer {
    /// The annual report as one self-contained HTML page, printable on A4.
    ///
    /// Inline CSS only, no script, no external asset; the turnout chart is inline SVG. Every text from
    /// the report is escaped (`& < > " '`), so a member named `<script>` prints as typed.
    ///
    /// - Parameter r: The report; its `language` picks the labels and the page's `lang`.
    /// - Returns: The whole document, starting with `<!DOCTYPE html>`.
    public static func html(_ r: AnnualReport) -> String {
        HTMLReport(r).render()
    }
}

/// Builds the HTML document section by section.
struct HTMLReport {
    let r: AnnualReport
    let text: ReportText

    init(_ r: AnnualReport) {
        self.r = r
        text = ReportText(r.language)
    }

    /// A table cell: HTML already escaped, and an optional class.
    struct Cell {
        var html: String
        var cls: String?
        static func text(_ s: String, _ cls: String? = nil) -> Cell {
            Cell(html: HTML.escape(s), cls: cls)
        }
        static func num(_ n: Int) -> Cell { Cell(html: String(n), cls: "num") }
    }

    private func esc(_ s: String) -> String { HTML.escape(s) }

    func render() -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="\(r.language == .zh ? "zh-CN" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(text.title(r)))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header class="cover">
            <h1>\(esc(text.title(r)))</h1>
            <p class="meta"><span>\(esc(text.recipient(r)))</span><span>\(esc(text.station(r)))</span>\
            <span>\(esc(text.asOf(r)))</span></p>
            </header>

            """
        h += section("teams", text.sectionTeams, teams())
        h += section("rules", text.sectionRules, rules())
        h += section("kinds", text.sectionKinds, kinds())
        h += section("sessions", text.sectionSessions, sessions())
        h += section("shortfalls", text.sectionShortfalls, shortfalls())
        h += section("forecast", text.sectionForecast, forecast())
        h += section("summaries", text.sectionSummaries, summaries())
        h += section("matrix", text.sectionMatrix, matrix())
        h += "</body>\n</html>\n"
        return h
    }

    func section(_ id: String, _ heading: String, _ body: String) -> String {
        "<section id=\"\(id)\">\n<h2>\(esc(heading))</h2>\n\(body)</section>\n"
    }

    func table(
        _ cls: String, _ headers: [String], _ rows: [(cells: [Cell], cls: String?)], numeric: Set<Int> = []
    )
        -> String
    {
        var s = "<table class=\"\(cls)\">\n<thead><tr>"
        for (i, head) in headers.enumerated() {
            s += numeric.contains(i) ? "<th class=\"num\">" : "<th>"
            s += esc(head) + "</th>"
        }
        s += "</tr></thead>\n<tbody>\n"
        for row in rows {
            s += row.cls.map { "<tr class=\"\($0)\">" } ?? "<tr>"
            for cell in row.cells {
                s += (cell.cls.map { "<td class=\"\($0)\">" } ?? "<td>") + cell.html + "</td>"
            }
            s += "</tr>\n"
        }
        return s + "</tbody>\n</table>\n"
    }

    func list(_ items: [String]) -> String {
        guard !items.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        return "<ol>\n" + items.map { "<li>\(HTML.multiline($0))</li>\n" }.joined() + "</ol>\n"
    }

    func joined(_ items: [String]) -> String {
        items.isEmpty ? "—" : items.joined(separator: text.listSeparator)
    }

    // MARK: Sections

    func teams() -> String {
        guard !r.teams.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        let rows = r.teams.map { t -> (cells: [Cell], cls: String?) in
            let ok = t.meetsMinimum && t.missingRoles.isEmpty
            return (
                [
                    .text(t.name), .text(t.level),
                    Cell(html: "\(t.members) / \(t.minimum)", cls: t.meetsMinimum ? "num" : "num bad"),
                    Cell(html: text.roleList(t.roles).map(esc).joined(separator: "<br>"), cls: "small"),
                    .text(joined(t.missingRoles), t.missingRoles.isEmpty ? nil : "bad"),
                    .text(ok ? text.ok : text.notOK, ok ? "mark good" : "mark bad"),
                ], ok ? nil : "short"
            )
        }
        return table(
            "teams",
            [
                text.team, text.level, "\(text.size) / \(text.minimumSize)", text.roles, text.missingRoles,
                text.result,
            ],
            rows)
    }

    func rules() -> String {
        guard !r.rules.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        let rows = r.rules.map { rule -> (cells: [Cell], cls: String?) in
            let ok = rule.held >= rule.required
            return (
                [
                    .text(rule.name), .text(rule.kind), .text(rule.frequency), .text(rule.teams),
                    .num(rule.required), .num(rule.held),
                    .text(ok ? text.done : text.open, ok ? "mark good" : "mark bad"),
                ], ok ? nil : "short"
            )
        }
        return table(
            "rules",
            [text.rule, text.kind, text.frequency, text.teams, text.required, text.held, text.status], rows,
            numeric: [4, 5])
    }

    func kinds() -> String {
        guard !r.kinds.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        let rows = r.kinds.map { k -> (cells: [Cell], cls: String?) in
            (
                [
                    .text(k.kind), .num(k.planned), .num(k.held),
                    .text(k.planned > 0 ? percent(Double(k.held) / Double(k.planned)) : "—", "num"),
                ], nil
            )
        }
        let total = (
            cells: [
                Cell.text(r.language.pick("合计", "Total")), .num(r.kinds.reduce(0) { $0 + $1.planned }),
                .num(r.kinds.reduce(0) { $0 + $1.held }), Cell(html: "", cls: nil),
            ], cls: Optional("total")
        )
        return table(
            "kinds", [text.kind, text.planned, text.held, "\(text.held) / \(text.planned)"], rows + [total],
            numeric: [1, 2, 3])
    }

    func sessions() -> String {
        var s = ""
        if !r.teams.isEmpty {
            s +=
                "<figure class=\"chart\">\n" + TurnoutChart(r).svg()
                + "\n<figcaption>\(esc(text.chartTitle()))</figcaption>\n</figure>\n"
        }
        guard !r.sessions.isEmpty else { return s + "<p class=\"muted\">\(esc(text.noSessions))</p>\n" }
        s += "<p class=\"note\">\(esc(text.sessionsNote))</p>\n"
        let rows = r.sessions.map { x -> (cells: [Cell], cls: String?) in
            let name =
                "<strong>\(esc(x.name))</strong><br><span class=\"sub\">\(esc(x.kind)) · \(esc(x.teams))</span>"
            let status: Cell =
                !x.held
                ? .text(text.notHeld, "muted")
                : .text(
                    (x.belowMinimum ? text.belowMinimum : text.turnoutOK)
                        + (x.finalized ? "" : text.notFinal),
                    x.belowMinimum ? "mark bad" : "mark good")
            func n(_ v: Int) -> Cell { x.held ? .num(v) : Cell(html: "—", cls: "num muted") }
            return (
                [
                    .text(x.when, "when"), Cell(html: name, cls: nil), .text(x.venue), .num(x.rosterSize),
                    n(x.counted),
                    .num(x.minimum), n(x.late), n(x.excused), n(x.absent), n(x.guests),
                    .text(joined(x.missingRoles), x.missingRoles.isEmpty ? nil : "bad"), status,
                ], x.belowMinimum ? "below" : (x.held ? nil : "pending")
            )
        }
        s += table(
            "sessions",
            [
                text.when, text.session, text.venue, text.roster, text.counted, text.minimumTurnout,
                text.late, text.excused,
                text.absent, text.guests, text.missingRoles, text.status,
            ],
            rows, numeric: Set(3...9))
        return s
    }

    func shortfalls() -> String {
        "<h3>\(esc(text.shortfalls))</h3>\n" + list(r.shortfalls) + "<h3>\(esc(text.actions))</h3>\n"
            + list(r.actions)
    }

    func forecast() -> String {
        guard !r.forecast.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        let rows = r.forecast.map { f -> (cells: [Cell], cls: String?) in
            (
                [
                    .text(f.team), .text(f.deadline, "nowrap"),
                    Cell(html: HTML.multiline(f.message), cls: nil),
                ], nil
            )
        }
        return table("forecast", [text.team, text.deadline, text.warning], rows)
    }

    func summaries() -> String {
        let withSummary = r.sessions.filter { $0.summary != nil }
        guard !withSummary.isEmpty else { return "<p class=\"muted\">\(esc(text.noSummaries))</p>\n" }
        var s = ""
        for x in withSummary {
            guard let summary = x.summary else { continue }
            s += "<article class=\"summary\">\n<h3>\(esc(x.date)) \(esc(x.name))</h3>\n<table class=\"kv\">\n"
            for field in text.summaryFields {
                var value = summary[keyPath: field.value]
                var html = value.isEmpty ? "" : HTML.multiline(value)
                if field.value == \DrillSummary.timeAndPlace {
                    // The recorded time and place sit beside the free text so the two can be compared.
                    value = "\(x.when) · \(x.venue)"
                    html += (html.isEmpty ? "" : "<br>") + "<span class=\"sub\">\(esc(value))</span>"
                }
                s += "<tr><th>\(esc(field.label))</th><td>\(html.isEmpty ? "—" : html)</td></tr>\n"
            }
            s += "</table>\n</article>\n"
        }
        return s
    }

    /// The matrix in parts of at most `perPart` sessions so a part fits the width of an A4 page.
    func matrix(perPart: Int = 12) -> String {
        guard !r.members.isEmpty else { return "<p class=\"muted\">\(esc(text.noMembers))</p>\n" }
        var s = "<p class=\"note\">\(esc(text.thresholdNote(r.threshold)))</p>\n"
        let m = AttendanceMatrix(r)
        let total = m.sessionCount
        var starts = Array(stride(from: 0, to: total, by: perPart))
        if starts.isEmpty { starts = [0] }
        for start in starts {
            let end = min(start + perPart, total)
            if total > perPart {
                s += "<h3 class=\"part\">\(esc(text.matrixPart(start + 1, end, total)))</h3>\n"
            }
            var head =
                "<table class=\"matrix\">\n<thead><tr><th>\(esc(text.memberID))</th><th>\(esc(text.memberName))</th>"
            head += "<th>\(esc(text.teams))</th>"
            for c in r.matrixSessions[start..<end] {
                head += "<th class=\"vertical\"><span>\(esc(c.date))<br>\(esc(c.title))</span></th>"
            }
            head += "<th class=\"num\">\(esc(text.expected))</th><th class=\"num\">\(esc(text.attended))</th>"
            head += "<th class=\"num\">\(esc(text.rate))</th></tr></thead>\n<tbody>\n"
            s += head
            for (row, member) in zip(m.rows, r.members) {
                s += row.belowThreshold ? "<tr class=\"below\">" : "<tr>"
                s +=
                    "<td>\(esc(member.id))</td><td class=\"nowrap\">\(esc(member.name))</td><td class=\"small\">\(esc(member.teams))</td>"
                for i in start..<end {
                    let key = i < member.cells.count ? member.cells[i] : ""
                    s += "<td class=\"st \(esc(Self.statusClass(key)))\">\(esc(text.cell(key)))</td>"
                }
                let rate = member.rate.map { percent($0) } ?? "—"
                s += "<td class=\"num\">\(member.expected)</td><td class=\"num\">\(member.attended)</td>"
                s += "<td class=\"num rate\">\(esc(rate))\(member.belowThreshold ? " ✗" : "")</td></tr>\n"
            }
            s += "</tbody>\n</table>\n"
        }
        return s
    }

    static func statusClass(_ key: String) -> String {
        AttendanceStatus(rawValue: key)?.rawValue ?? "none"
    }

    static let css = """

        @page { size: A4; margin: 15mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", sans-serif;
          font-size: 10pt; line-height: 1.45; color: #222; margin: 0 auto; max-width: 180mm; padding: 8mm 0; }
        @media print { body { max-width: none; padding: 0; } }
        h1 { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif;
          font-size: 18pt; text-align: center; margin: 0 0 4mm; }
        .cover { border-bottom: 2px solid #333; margin-bottom: 6mm; padding-bottom: 3mm; }
        .meta { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 2mm 6mm; margin: 0; font-size: 10pt; }
        h2 { font-size: 13pt; margin: 7mm 0 3mm; padding-bottom: 1mm; border-bottom: 1px solid #999;
          page-break-after: avoid; break-after: avoid; }
        h3 { font-size: 11pt; margin: 4mm 0 2mm; page-break-after: avoid; break-after: avoid; }
        section { page-break-inside: auto; }
        section#summaries, section#matrix { page-break-before: always; break-before: page; }
        table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 9pt; page-break-inside: auto; }
        thead { display: table-header-group; }
        tr { page-break-inside: avoid; break-inside: avoid; }
        th, td { border: 1px solid #888; padding: 1.2mm 1.6mm; vertical-align: top; text-align: left; }
        th { background: #eef1f5; font-weight: 600; }
        td.num, th.num { text-align: right; }
        th.num { white-space: nowrap; }
        table.sessions { font-size: 8pt; }
        table.sessions th, table.sessions td { padding: 1mm 1.2mm; }
        table.sessions td.when { width: 19mm; }
        table.sessions td:nth-child(2) { min-width: 30mm; }
        .nowrap { white-space: nowrap; }
        .small, .sub { font-size: 8pt; }
        .sub, .muted { color: #666; }
        .note { font-size: 8.5pt; color: #444; margin: 1mm 0; }
        .mark { white-space: nowrap; font-weight: 600; }
        .good { color: #1e7b34; }
        .bad { color: #b52a1d; }
        tr.short td, tr.below td { background: #fbe3e0; }
        tr.pending td { color: #777; }
        tr.total td { font-weight: 600; background: #f6f6f6; }
        figure.chart { margin: 2mm 0 4mm; page-break-inside: avoid; break-inside: avoid; }
        figure.chart figcaption { font-size: 8.5pt; text-align: center; color: #444; }
        svg.chart { display: block; max-width: 100%; height: auto; }
        svg.chart text { font-family: inherit; font-size: 11px; fill: #222; }
        svg.chart text.tick { font-size: 9px; fill: #666; }
        svg.chart text.muted { fill: #888; }
        article.summary { page-break-inside: avoid; break-inside: avoid; margin-bottom: 5mm; }
        table.kv th { width: 28mm; white-space: nowrap; }
        table.matrix { font-size: 7.5pt; }
        table.matrix th, table.matrix td { padding: 0.8mm 1mm; }
        table.matrix th.vertical { vertical-align: bottom; text-align: center; padding: 1mm 0.5mm; }
        table.matrix th.vertical span { writing-mode: vertical-rl; display: inline-block; max-height: 34mm;
          font-weight: 500; line-height: 1.2; }
        table.matrix td.st { text-align: center; white-space: nowrap; }
        td.st.absent { color: #b52a1d; font-weight: 600; }
        td.st.late { color: #9a6700; }
        td.st.excused { color: #555; }
        ol { margin: 1mm 0 3mm; padding-left: 7mm; }

        """
}
