import DrillCore

extension ReportRenderer {
    /// The members × sessions attendance matrix with rates, as CSV bytes with a UTF-8 BOM (Excel in
    /// China opens it correctly), CRLF line ends.
    ///
    /// Columns: 编号, 姓名, 队伍, one per held session (`date title`), 应到, 实到, 出勤率 (percent),
    /// 低于阈值 (是 or empty). A cell that a spreadsheet would run as a formula (starting with `=`, `+`,
    /// `-`, `@`, tab or CR) gets a leading `'`.
    ///
    /// - Parameter r: The report; its `language` picks the labels.
    /// - Returns: The file's bytes, starting with EF BB BF.
    public static func attendanceCSV(_ r: AnnualReport) -> [UInt8] {
        let matrix = AttendanceMatrix(r)
        var lines = [CSVText.line(matrix.header)]
        for row in matrix.rows { lines.append(CSVText.line(row.cells.map(\.display))) }
        return CSVText.byteOrderMark + Array(lines.map { $0 + "\r\n" }.joined().utf8)
    }
}

/// CSV quoting and formula neutralisation (RFC 4180, plus the OWASP advice on CSV injection).
public enum CSVText {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One record, without its line end.
    public static func line(_ cells: [String]) -> String { cells.map(field).joined(separator: ",") }

    /// A cell made inert and quoted when it must be.
    public static func field(_ raw: String) -> String {
        let cell = neutralised(raw)
        // Compare scalars: "\r\n" is one Character in Swift, so a Character test would miss it.
        let needsQuotes = cell.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return cell }
        return "\"" + cell.mappingScalars { $0 == "\"" ? "\"\"" : nil } + "\""
    }

    /// What starts a formula: `= + - @`, and their full-width forms `＝ ＋ － ＠`, which Excel and
    /// WPS in Chinese locales also read as formula signs.
    static let formulaSigns: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    /// Blanks a spreadsheet skips before a formula sign (` =1+1` is still a formula).
    static let leadingBlanks: Set<Unicode.Scalar> = [" ", "\t", "\r", "\n", "\u{A0}", "\u{3000}"]

    /// Prefixes `'` to a cell a spreadsheet would treat as a formula: one that starts with a
    /// formula sign, possibly after spaces or tabs, or with a tab or CR at all.
    static func neutralised(_ cell: String) -> String {
        guard let first = cell.unicodeScalars.first else { return cell }
        if first == "\t" || first == "\r" { return "'" + cell }
        let sign = cell.unicodeScalars.first { !leadingBlanks.contains($0) }
        return sign.map(formulaSigns.contains) == true ? "'" + cell : cell
    }
}

extension String {
    /// Replaces each scalar for which `replacement` returns text, leaving the others as they are.
    ///
    /// Works on Unicode scalars, not Characters: a `"` or `<` followed by a combining mark is one
    /// Character in Swift, and a Character-level escape would let it through unescaped.
    func mappingScalars(_ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if let r = replacement(scalar) {
                out.append(contentsOf: r.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
