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
        let tw = r.township
        h += section("overview", text.sectionOverview, tw.overview.isEmpty ? "" : "<p class=\"lead\">\(esc(tw.overview))</p>\n")
        h += section(
            "teams", text.sectionTeams,
            (tw.teamsParagraph.isEmpty ? "" : "<p>\(esc(tw.teamsParagraph))</p>\n") + teams())
        h += section(
            "sessions", text.sectionSessions,
            "<h3>\(esc(text.subKinds))</h3>\n" + kinds() + "<h3>\(esc(text.subRules))</h3>\n" + rules()
                + deadlines() + "<h3>\(esc(text.subTurnout))</h3>\n" + turnoutByTeam())
        h += section("problems", text.sectionProblems, list(tw.problems.isEmpty ? r.shortfalls : tw.problems))
        h += section("actions", text.sectionActions, correctiveActions())
        h += section("next-year", text.sectionNextYear, nextYear())
        h += signOff()
        h += section("appendix-sessions", text.appendixSessions, sessions(), cls: "appendix")
        h += section("summaries", text.appendixSummaries, summaries(), cls: "appendix")
        h += section("matrix", text.appendixMatrix, matrix(), cls: "appendix")
        h += "</body>\n</html>\n"
        return h
    }

    func section(_ id: String, _ heading: String, _ body: String, cls: String? = nil) -> String {
        let c = cls.map { " class=\"\($0)\"" } ?? ""
        return "<section id=\"\(id)\"\(c)>\n<h2>\(esc(heading))</h2>\n\(body)</section>\n"
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
                    Cell(html: esc(text.roleList(t.roles).joined(separator: text.listSeparator)), cls: "small"),
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
        let k = r.township.kinds
        if !k.isEmpty {
            let rows = k.map { x -> (cells: [Cell], cls: String?) in
                (
                    [
                        .text(x.kind, "nowrap"), .num(x.required), .num(x.planned), .num(x.held), .num(x.cancelled),
                        .num(x.unscheduled),
                        .text(x.required > 0 ? percent(Double(x.held) / Double(x.required)) : "—", "num"),
                    ], x.held < x.required ? "short" : nil
                )
            }
            let total = (
                cells: [
                    Cell.text(r.language.pick("合计", "Total")), .num(k.reduce(0) { $0 + $1.required }),
                    .num(k.reduce(0) { $0 + $1.planned }), .num(k.reduce(0) { $0 + $1.held }),
                    .num(k.reduce(0) { $0 + $1.cancelled }), .num(k.reduce(0) { $0 + $1.unscheduled }),
                    Cell(html: "", cls: nil),
                ], cls: Optional("total")
            )
            return table(
                "kinds",
                [text.kind, text.requiredCount, text.scheduled, text.held, text.cancelled, text.unscheduled,
                    "\(text.held) / \(text.requiredCount)"],
                rows + [total], numeric: Set(1...6))
        }
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

    func turnoutByTeam() -> String {
        guard !r.teams.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        var s =
            "<figure class=\"chart\">\n" + TurnoutChart(r).svg()
            + "\n<figcaption>\(esc(text.chartTitle()))</figcaption>\n</figure>\n"
        let lines = r.township.teamTurnout
        guard !lines.isEmpty else { return s }
        let rows = lines.map { t -> (cells: [Cell], cls: String?) in
            (
                [
                    .text(t.name), .num(t.sessions), .text(t.averageCounted.map { decimal($0) } ?? "—", "num"),
                    .num(t.minimum), Cell(html: String(t.below), cls: t.below > 0 ? "num bad" : "num"),
                    .text(t.rate.map { percent($0) } ?? "—", "num"),
                ], t.below > 0 ? "short" : nil
            )
        }
        s += table(
            "turnout", [text.team, text.sessionsHeld, text.averageCounted, text.teamMinimum, text.belowCount, text.turnoutRate],
            rows, numeric: Set(1...5))
        return s
    }

    func deadlines() -> String {
        let d = r.township.deadlines
        guard !d.isEmpty else { return "" }
        let rows = d.map { x -> (cells: [Cell], cls: String?) in
            (
                [
                    .text(x.name), .text(x.due, "nowrap"),
                    .text(x.done ? text.deadlineDone : text.deadlineOpen, x.done ? "mark good" : "mark bad"),
                    .text(x.note),
                ], x.done ? nil : "short"
            )
        }
        return "<h4>\(esc(text.deadlinesHeading))</h4>\n"
            + table("deadlines", [text.rule, text.deadline, text.status, text.progress], rows)
    }

    func correctiveActions() -> String {
        let a = r.township.actions
        var s = ""
        if a.isEmpty {
            s += "<p class=\"muted\">\(esc(text.noActions))</p>\n"
        } else {
            let done = a.filter(\.done).count
            s += "<p>\(esc(text.actionsCount(open: a.count - done, done: done)))</p>\n"
            let rows = a.map { x -> (cells: [Cell], cls: String?) in
                let status = x.done ? text.actionDone : (x.overdue ? text.actionOverdue : text.actionOpen)
                return (
                    [
                        .text("#\(x.id)", "num"),
                        Cell(html: esc(x.text) + (x.source.isEmpty ? "" : "<br><span class=\"sub\">\(esc(x.source))</span>"), cls: nil),
                        .text(x.owner), .text(x.due, "nowrap"),
                        .text(status, x.done ? "mark good" : (x.overdue ? "mark bad" : "mark")),
                        .text(x.note),
                    ], x.overdue ? "short" : nil
                )
            }
            s += table("actions", [text.actionNo, text.actionText, text.owner, text.due, text.status, text.progress], rows)
        }
        if !r.actions.isEmpty { s += "<h3>\(esc(text.subMeasures))</h3>\n" + list(r.actions) }
        return s
    }

    func nextYear() -> String {
        let lines = r.township.nextYear
        guard !lines.isEmpty else { return "<p class=\"muted\">\(esc(text.none))</p>\n" }
        return "<p>\(esc(r.township.nextYearFromPlan ? text.nextFromPlan : text.nextFromRules))</p>\n" + list(lines)
    }

    func signOff() -> String {
        let so = r.township.signOff
        let unit = so.unit.isEmpty ? r.station : so.unit
        func line(_ label: String, _ value: String) -> String {
            "<p><span class=\"label\">\(esc(label))：</span><span class=\"fill\">\(esc(value))</span></p>\n"
        }
        return "<div class=\"signoff\">\n<div class=\"seal\">\(esc(r.language.pick("盖章处", "Seal")))</div>\n<div class=\"lines\">\n"
            + line(text.signUnit, unit) + line(text.signContact, so.contact) + line(text.signPhone, so.phone)
            + line(text.signDate, so.date) + "</div>\n</div>\n"
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

    /// The matrix per team (a joint session shows in each of its teams' tables), each in parts of at
    /// most `perPart` sessions so a part fits the width of an A4 page. Reports whose columns carry no
    /// team fall back to one table of every member.
    func matrix(perPart: Int = 10) -> String {
        guard !r.members.isEmpty else { return "<p class=\"muted\">\(esc(text.noMembers))</p>\n" }
        var s = "<p class=\"note\">\(esc(text.thresholdNote(r.threshold)))</p>\n"
        let all = Array(r.matrixSessions.indices)
        if r.matrixSessions.allSatisfy({ $0.teamIDs.isEmpty }) {
            return s + matrixParts(columns: all, members: Array(r.members.indices), perPart: perPart, showTeams: true)
        }
        for team in r.teams {
            let columns = all.filter { r.matrixSessions[$0].teamIDs.contains(team.id) }
            let members = r.members.indices.filter { TurnoutChart.names(r.members[$0].teams).contains(team.name) }
            guard !members.isEmpty else { continue }
            s += "<h3 class=\"team\">\(esc(team.name))</h3>\n"
            s += matrixParts(columns: columns, members: members, perPart: perPart, showTeams: false)
        }
        return s
    }

    func matrixParts(columns: [Int], members: [Int], perPart: Int, showTeams: Bool) -> String {
        var s = ""
        let total = columns.count
        var starts = Array(stride(from: 0, to: total, by: perPart))
        if starts.isEmpty { starts = [0] }
        for start in starts {
            let end = min(start + perPart, total)
            if total > perPart {
                s += "<h4 class=\"part\">\(esc(text.matrixPart(start + 1, end, total)))</h4>\n"
            }
            var head =
                "<table class=\"matrix\">\n<thead><tr><th>\(esc(text.memberID))</th><th class=\"nowrap\">\(esc(text.memberName))</th>"
            if showTeams { head += "<th>\(esc(text.teams))</th>" }
            for i in columns[start..<end] {
                let c = r.matrixSessions[i]
                // Inside a team's table the team is known; across teams the place tells columns apart.
                let label = showTeams && !c.place.isEmpty ? "\(c.place) \(c.title)" : c.title
                head += "<th class=\"session\"><span class=\"date\">\(esc(String(c.date.dropFirst(5))))</span><br>\(esc(label))</th>"
            }
            head += "<th class=\"num\">\(esc(text.expected))</th><th class=\"num\">\(esc(text.attended))</th>"
            head += "<th class=\"num\">\(esc(text.rate))</th></tr></thead>\n<tbody>\n"
            s += head
            for index in members {
                let member = r.members[index]
                s += member.belowThreshold ? "<tr class=\"below\">" : "<tr>"
                s += "<td>\(esc(member.id))</td><td class=\"nowrap\">\(esc(member.name))</td>"
                if showTeams { s += "<td class=\"small\">\(esc(member.teams))</td>" }
                for i in columns[start..<end] {
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
        section.appendix { page-break-before: always; break-before: page; }
        section.appendix + section.appendix { page-break-before: always; }
        p.lead { text-indent: 2em; }
        section > p { text-indent: 2em; margin: 1.5mm 0; }
        section > p.note, section > p.muted { text-indent: 0; }
        th { white-space: nowrap; }
        td { word-break: normal; overflow-wrap: break-word; }
        td.nowrap, td.when, td.mark, td.num { white-space: nowrap; }
        table.teams td:first-child, table.rules td:first-child, table.turnout td:first-child,
        table.deadlines td:first-child { min-width: 30mm; }
        table.actions td:nth-child(2) { min-width: 45mm; }
        table.actions td:nth-child(3) { min-width: 22mm; }
        table.rules td:nth-child(2) { white-space: nowrap; }
        table.rules td:nth-child(3) { min-width: 24mm; }
        table.rules td:nth-child(4) { min-width: 28mm; }
        h4 { font-size: 10pt; margin: 3mm 0 1mm; }
        .signoff { margin: 10mm 0 0 auto; display: flex; justify-content: flex-end; align-items: center; gap: 8mm;
          page-break-inside: avoid; break-inside: avoid; }
        .signoff p { margin: 2mm 0; text-indent: 0; }
        .signoff .label { display: inline-block; min-width: 16mm; }
        .signoff .fill { display: inline-block; min-width: 50mm; border-bottom: 1px solid #555; }
        .signoff .seal { flex: none; width: 30mm; height: 30mm; border: 1px dashed #aaa;
          border-radius: 50%; color: #aaa; display: flex; align-items: center; justify-content: center; font-size: 9pt; }
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
        table.sessions td:nth-child(3) { min-width: 20mm; }
        table.sessions td:last-child { white-space: normal; min-width: 16mm; }
        table.teams td:nth-child(2) { white-space: nowrap; }
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
        table.matrix th.session { white-space: normal; min-width: 12mm; max-width: 16mm; text-align: center;
          vertical-align: bottom; font-weight: 500; line-height: 1.2; padding: 1mm 0.6mm; }
        table.matrix th.session .date { white-space: nowrap; }
        table.matrix td.st { text-align: center; white-space: nowrap; }
        td.st.absent { color: #b52a1d; font-weight: 600; }
        td.st.late { color: #9a6700; }
        td.st.excused { color: #555; }
        ol { margin: 1mm 0 3mm; padding-left: 7mm; }

        """
}
