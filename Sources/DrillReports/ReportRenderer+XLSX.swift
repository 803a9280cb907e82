import CXlsxWriter
import DrillCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ReportRenderer {
    /// Writes an .xlsx workbook to `path` through libxlsxwriter.
    ///
    /// Sheets: 出勤矩阵 (the CSV's matrix, rate as a percent number, members under the threshold
    /// shaded), 活动出勤 (turnout against the minimum, sessions below it shaded) and 队伍 (teams);
    /// English sheet names for `.en`. Text from the report is written only as string cells, never as
    /// formulas. The workbook is written beside `path` under a temporary name and renamed into place,
    /// so a failure leaves any existing file untouched.
    ///
    /// - Parameters:
    ///   - r: The report; its `language` picks sheet names and labels.
    ///   - path: Where the workbook goes; its folder must exist.
    /// - Throws: `ReportError` naming the file and what libxlsxwriter or the file system reported.
    public static func writeXLSX(_ r: AnnualReport, to path: String) throws(ReportError) {
        let text = ReportText(r.language)
        let temporary = temporaryPath(beside: path)
        guard let workbook = workbook_new(temporary) else {
            throw ReportError(message: text.cannotCreate(path, lastSystemError()))
        }
        // workbook_close both writes and frees, so it runs exactly once whatever the sheets reported.
        var sheets = XLSXSheets(workbook: workbook, report: r)
        sheets.writeAll()
        try closeWorkbook(workbook, temporary: temporary, path: path, failure: sheets.failure, text: text)
    }

    /// Closes (writes and frees) a workbook written at `temporary` and renames it to `path`; on a
    /// failure reported while filling it (`failure`), on closing or on renaming, removes the temporary
    /// file and throws, so an existing file at `path` is never damaged.
    static func closeWorkbook(
        _ workbook: UnsafeMutablePointer<lxw_workbook>, temporary: String, path: String, failure: String?,
        text: ReportText
    ) throws(ReportError) {
        let closed = workbook_close(workbook)
        if let failure {
            unlink(temporary)
            throw ReportError(message: text.cannotWrite(path, failure))
        }
        guard closed == LXW_NO_ERROR else {
            unlink(temporary)
            throw ReportError(message: text.cannotWrite(path, String(cString: lxw_strerror(closed))))
        }
        guard rename(temporary, path) == 0 else {
            let why = lastSystemError()
            unlink(temporary)
            throw ReportError(message: text.cannotWrite(path, why))
        }
    }

    /// `dir/.name.<pid>-<random>.tmp`: same folder, so the final rename stays on one file system.
    static func temporaryPath(beside path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(folder).\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    static func lastSystemError() -> String { String(cString: strerror(errno)) }
}

/// Fills the three sheets of one call's workbook; the C pointers never leave this call.
struct XLSXSheets {
    let workbook: UnsafeMutablePointer<lxw_workbook>
    let r: AnnualReport
    let text: ReportText
    /// The first thing libxlsxwriter refused, reported after the workbook is closed.
    private(set) var failure: String?

    /// Cell styles, plain and shaded (below the threshold or the minimum).
    struct Style {
        var text: UnsafeMutablePointer<lxw_format>
        var number: UnsafeMutablePointer<lxw_format>
        var percent: UnsafeMutablePointer<lxw_format>
    }
    private let header: UnsafeMutablePointer<lxw_format>
    private let plain: Style
    private let shaded: Style

    init(workbook: UnsafeMutablePointer<lxw_workbook>, report: AnnualReport) {
        self.workbook = workbook
        r = report
        text = ReportText(report.language)
        func format(
            bold: Bool = false, background: lxw_color_t? = nil, numberFormat: String? = nil, wrap: Bool = true
        )
            -> UnsafeMutablePointer<lxw_format>
        {
            let f = workbook_add_format(workbook)!
            format_set_border(f, UInt8(LXW_BORDER_THIN.rawValue))
            format_set_border_color(f, 0x999999)
            format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
            if bold { format_set_bold(f) }
            if let background { format_set_bg_color(f, background) }
            if let numberFormat { format_set_num_format(f, numberFormat) }
            if wrap { format_set_text_wrap(f) }
            return f
        }
        header = format(bold: true, background: 0xEEF1F5)
        plain = Style(
            text: format(), number: format(wrap: false), percent: format(numberFormat: "0.0%", wrap: false))
        shaded = Style(
            text: format(background: 0xFBE3E0), number: format(background: 0xFBE3E0, wrap: false),
            percent: format(background: 0xFBE3E0, numberFormat: "0.0%", wrap: false))
    }

    mutating func writeAll() {
        if !r.township.overview.isEmpty { summarySheet() }
        matrixSheet()
        sessionsSheet()
        teamsSheet()
        // A town with many sessions gets one matrix per team too, so a village reads only its own.
        if r.matrixSessions.count > 40 && r.matrixSessions.contains(where: { !$0.teamIDs.isEmpty }) {
            for team in r.teams { teamMatrixSheet(team) }
        }
    }

    /// 汇总: the overview, sessions per kind and turnout per team, first so the workbook opens on it.
    mutating func summarySheet() {
        guard let ws = addSheet(r.language.pick("汇总", "Summary")) else { return }
        var row: lxw_row_t = 0
        write(ws, row, 0, text.title(r), header)
        row += 1
        check(worksheet_set_row(ws, row, 90, nil))
        check(worksheet_merge_range(ws, row, 0, row, 6, r.township.overview, plain.text))
        row += 2
        writeHeaderRow(ws, row, [text.kind, text.requiredCount, text.scheduled, text.held, text.cancelled, text.unscheduled])
        for k in r.township.kinds {
            row += 1
            write(ws, row, 0, k.kind, plain.text)
            for (c, n) in [k.required, k.planned, k.held, k.cancelled, k.unscheduled].enumerated() {
                check(worksheet_write_number(ws, row, lxw_col_t(c + 1), Double(n), plain.number))
            }
        }
        row += 2
        writeHeaderRow(ws, row, [text.team, text.sessionsHeld, text.averageCounted, text.teamMinimum, text.belowCount, text.turnoutRate])
        for t in r.township.teamTurnout {
            row += 1
            let style = t.below > 0 ? shaded : plain
            write(ws, row, 0, t.name, style.text)
            check(worksheet_write_number(ws, row, 1, Double(t.sessions), style.number))
            if let a = t.averageCounted { check(worksheet_write_number(ws, row, 2, (a * 10).rounded() / 10, style.number)) }
            else { check(worksheet_write_blank(ws, row, 2, style.number)) }
            check(worksheet_write_number(ws, row, 3, Double(t.minimum), style.number))
            check(worksheet_write_number(ws, row, 4, Double(t.below), style.number))
            if let rate = t.rate { check(worksheet_write_number(ws, row, 5, rate, style.percent)) }
            else { check(worksheet_write_blank(ws, row, 5, style.percent)) }
        }
        check(worksheet_set_column(ws, 0, 0, 30, nil))
        check(worksheet_set_column(ws, 1, 6, 12, nil))
        worksheet_activate(ws)
        pageSetup(ws)
    }

    /// One team's members × its sessions (a joint session appears in each of its teams' sheets).
    mutating func teamMatrixSheet(_ team: AnnualReport.TeamLine) {
        let columns = r.matrixSessions.indices.filter { r.matrixSessions[$0].teamIDs.contains(team.id) }
        let members = r.members.filter { TurnoutChart.names($0.teams).contains(team.name) }
        guard !columns.isEmpty, !members.isEmpty else { return }
        // Sheet names: at most 31 characters, unique; the team name is.
        guard let ws = addSheet(String(team.name.prefix(31))) else { return }
        writeHeader(
            ws, [text.memberID, text.memberName] + columns.map { r.matrixSessions[$0].header } + [text.expected, text.attended, text.rate])
        for (i, m) in members.enumerated() {
            let row = lxw_row_t(i + 1)
            let style = m.belowThreshold ? shaded : plain
            write(ws, row, 0, m.id, style.text)
            write(ws, row, 1, m.name, style.text)
            for (c, index) in columns.enumerated() {
                write(ws, row, lxw_col_t(2 + c), index < m.cells.count ? text.cell(m.cells[index]) : "", style.text)
            }
            let base = lxw_col_t(2 + columns.count)
            check(worksheet_write_number(ws, row, base, Double(m.expected), style.number))
            check(worksheet_write_number(ws, row, base + 1, Double(m.attended), style.number))
            if let rate = m.rate { check(worksheet_write_number(ws, row, base + 2, rate, style.percent)) }
            else { check(worksheet_write_blank(ws, row, base + 2, style.percent)) }
        }
        check(worksheet_set_column(ws, 0, 1, 12, nil))
        check(worksheet_set_column(ws, 2, lxw_col_t(1 + columns.count), 12, nil))
        check(worksheet_set_row(ws, 0, 48, nil))
        worksheet_freeze_panes(ws, 1, 2)
        pageSetup(ws)
    }

    // MARK: Sheets

    mutating func matrixSheet() {
        guard let ws = addSheet(r.language.pick("出勤矩阵", "Attendance matrix")) else { return }
        let m = AttendanceMatrix(r)
        writeHeader(ws, m.header)
        for (i, row) in m.rows.enumerated() {
            let style = row.belowThreshold ? shaded : plain
            for (c, cell) in row.cells.enumerated() {
                let rowIndex = lxw_row_t(i + 1)
                let col = lxw_col_t(c)
                switch cell {
                case .text(let s): write(ws, rowIndex, col, s, style.text)
                case .count(let n): check(worksheet_write_number(ws, rowIndex, col, Double(n), style.number))
                case .rate(let rate?) where rate.isFinite:
                    check(worksheet_write_number(ws, rowIndex, col, rate, style.percent))
                case .rate: check(worksheet_write_blank(ws, rowIndex, col, style.percent))
                }
            }
        }
        let last = lxw_col_t(max(m.header.count - 1, 0))
        check(worksheet_set_column(ws, 0, 0, 10, nil))
        check(worksheet_set_column(ws, 1, 1, 14, nil))
        check(worksheet_set_column(ws, 2, 2, 24, nil))
        if m.sessionCount > 0 {
            check(worksheet_set_column(ws, 3, lxw_col_t(3 + m.sessionCount - 1), 12, nil))
        }
        check(worksheet_set_column(ws, lxw_col_t(3 + m.sessionCount), last, 10, nil))
        check(worksheet_set_row(ws, 0, 48, nil))
        worksheet_freeze_panes(ws, 1, 2)
        check(worksheet_autofilter(ws, 0, 0, lxw_row_t(m.rows.count), last))
        pageSetup(ws)
    }

    mutating func sessionsSheet() {
        guard let ws = addSheet(r.language.pick("活动出勤", "Session turnout")) else { return }
        writeHeader(
            ws,
            [
                text.when, text.session, text.kind, text.teams, text.venue, text.roster, text.counted,
                text.minimumTurnout,
                text.late, text.excused, text.absent, text.guests, text.missingRoles, text.status,
            ])
        for (i, x) in r.sessions.enumerated() {
            let row = lxw_row_t(i + 1)
            let style = x.belowMinimum ? shaded : plain
            for (c, s) in [x.when, x.name, x.kind, x.teams, x.venue].enumerated() {
                write(ws, row, lxw_col_t(c), s, style.text)
            }
            check(worksheet_write_number(ws, row, 5, Double(x.rosterSize), style.number))
            for (c, n) in [x.counted, x.minimum, x.late, x.excused, x.absent, x.guests].enumerated() {
                // Counts of a session without attendance are blank, not zero: nothing was recorded yet.
                if x.held || c == 1 {
                    check(worksheet_write_number(ws, row, lxw_col_t(6 + c), Double(n), style.number))
                } else {
                    check(worksheet_write_blank(ws, row, lxw_col_t(6 + c), style.number))
                }
            }
            write(ws, row, 12, x.missingRoles.joined(separator: text.listSeparator), style.text)
            let status =
                !x.held
                ? text.notHeld
                : (x.belowMinimum ? text.belowMinimum : text.turnoutOK) + (x.finalized ? "" : text.notFinal)
            write(ws, row, 13, status, style.text)
        }
        check(worksheet_set_column(ws, 0, 0, 20, nil))
        check(worksheet_set_column(ws, 1, 1, 24, nil))
        check(worksheet_set_column(ws, 2, 4, 16, nil))
        check(worksheet_set_column(ws, 5, 11, 8, nil))
        check(worksheet_set_column(ws, 12, 13, 18, nil))
        worksheet_freeze_panes(ws, 1, 2)
        pageSetup(ws)
    }

    mutating func teamsSheet() {
        guard let ws = addSheet(r.language.pick("队伍", "Teams")) else { return }
        writeHeader(
            ws,
            [text.team, text.level, text.size, text.minimumSize, text.roles, text.missingRoles, text.result])
        for (i, t) in r.teams.enumerated() {
            let row = lxw_row_t(i + 1)
            let ok = t.meetsMinimum && t.missingRoles.isEmpty
            let style = ok ? plain : shaded
            write(ws, row, 0, t.name, style.text)
            write(ws, row, 1, t.level, style.text)
            check(worksheet_write_number(ws, row, 2, Double(t.members), style.number))
            check(worksheet_write_number(ws, row, 3, Double(t.minimum), style.number))
            write(ws, row, 4, text.roleList(t.roles).joined(separator: text.listSeparator), style.text)
            write(ws, row, 5, t.missingRoles.joined(separator: text.listSeparator), style.text)
            write(ws, row, 6, ok ? text.ok : text.notOK, style.text)
        }
        check(worksheet_set_column(ws, 0, 0, 26, nil))
        check(worksheet_set_column(ws, 1, 1, 10, nil))
        check(worksheet_set_column(ws, 2, 3, 9, nil))
        check(worksheet_set_column(ws, 4, 5, 30, nil))
        check(worksheet_set_column(ws, 6, 6, 12, nil))
        worksheet_freeze_panes(ws, 1, 1)
        pageSetup(ws)
    }

    // MARK: Helpers

    mutating func addSheet(_ name: String) -> UnsafeMutablePointer<lxw_worksheet>? {
        guard let ws = workbook_add_worksheet(workbook, name) else {
            if failure == nil { failure = "worksheet \(name)" }
            return nil
        }
        return ws
    }

    mutating func writeHeader(_ ws: UnsafeMutablePointer<lxw_worksheet>, _ labels: [String]) {
        writeHeaderRow(ws, 0, labels)
    }

    mutating func writeHeaderRow(_ ws: UnsafeMutablePointer<lxw_worksheet>, _ row: lxw_row_t, _ labels: [String]) {
        for (c, label) in labels.enumerated() { write(ws, row, lxw_col_t(c), label, header) }
    }

    /// A string cell. Always `worksheet_write_string`: text from the report is never a formula;
    /// and neutralised like a CSV cell, so a sheet saved again as CSV stays inert.
    mutating func write(
        _ ws: UnsafeMutablePointer<lxw_worksheet>, _ row: lxw_row_t, _ col: lxw_col_t, _ s: String,
        _ format: UnsafeMutablePointer<lxw_format>
    ) {
        if s.isEmpty {
            check(worksheet_write_blank(ws, row, col, format))
        } else {
            // Excel breaks lines in a cell on LF; a CR would show as `_x000D_` in some readers.
            check(worksheet_write_string(ws, row, col, Self.fitted(CSVText.neutralised(s).replacingCRLF()), format))
        }
    }

    /// Excel keeps at most 32,767 characters in a cell; longer text is cut with a mark rather than refused.
    static func fitted(_ s: String) -> String {
        let limit = 32_767
        guard s.unicodeScalars.count > limit else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.prefix(limit - 1))) + "…"
    }

    mutating func check(_ error: lxw_error) {
        if error != LXW_NO_ERROR && failure == nil { failure = String(cString: lxw_strerror(error)) }
    }

    func pageSetup(_ ws: UnsafeMutablePointer<lxw_worksheet>) {
        worksheet_set_landscape(ws)
        worksheet_set_paper(ws, 9)  // A4
        worksheet_fit_to_pages(ws, 1, 0)
        _ = worksheet_repeat_rows(ws, 0, 0)
    }
}
