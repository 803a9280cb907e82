import DrillCore

/// The members × sessions attendance matrix as one table, so the CSV, the workbook and the report's
/// section 8 show the same columns in the same order.
struct AttendanceMatrix {
    /// A typed cell: text for labels, counts and rates stay numbers for the workbook.
    enum Cell: Equatable {
        case text(String)
        case count(Int)
        /// 0...1, nil when the member was expected at no held session.
        case rate(Double?)

        /// The cell as a CSV or Markdown writes it.
        var display: String {
            switch self {
            case .text(let s): s
            case .count(let n): String(n)
            case .rate(let r): r.map { percent($0) } ?? ""
            }
        }
    }

    struct Row {
        var cells: [Cell]
        var belowThreshold: Bool
    }

    /// Column headers: 编号, 姓名, 队伍, one per session (`date title`), 应到, 实到, 出勤率, 低于阈值.
    var header: [String]
    var rows: [Row]
    /// Index of the first session column and the number of session columns.
    var firstSession = 3
    var sessionCount: Int

    init(_ r: AnnualReport) {
        let text = ReportText(r.language)
        sessionCount = r.matrixSessions.count
        header =
            [text.memberID, text.memberName, text.teams]
            + r.matrixSessions.map(\.header)
            + [text.expected, text.attended, text.rate, text.belowThreshold]
        rows = r.members.map { m in
            // A member line shorter than the column list (a malformed report) is padded, never shifted.
            let marks = (0..<r.matrixSessions.count).map { i in i < m.cells.count ? text.cell(m.cells[i]) : ""
            }
            let cells: [Cell] =
                [.text(m.id), .text(m.name), .text(m.teams)]
                + marks.map { .text($0) }
                + [
                    .count(m.expected), .count(m.attended), .rate(m.rate),
                    .text(m.belowThreshold ? text.yes : ""),
                ]
            return Row(cells: cells, belowThreshold: m.belowThreshold)
        }
    }
}
