import CSV
import DrillCore

/// A column of a CSV input, known by its English key (any case) or its Chinese header.
protocol CSVColumn: CaseIterable, Hashable {
    /// English key.
    var key: String { get }
    /// Chinese header.
    var chinese: String { get }
    /// Whether a file must have it.
    var isRequired: Bool { get }
    /// Whether its cells hold personal data (a phone number, an absence reason): an error about
    /// such a cell names the cell but never repeats its content (messages reach logs).
    var isPersonal: Bool { get }
    /// Longest text a cell may hold, in characters.
    var maxCharacters: Int { get }
}

extension CSVColumn {
    /// Reads a header cell.
    init?(header: String) {
        let h = header.trimmedSpace
        guard let c = Self.allCases.first(where: { $0.key == h.lowercased() || $0.chinese == h }) else { return nil }
        self = c
    }
}

/// A CSV file with a header row, read through CSV.swift, that knows each row's physical line so
/// every error can name it (quoted fields may hold line breaks).
struct CSVTable<Column: CSVColumn> {
    /// One data row, its cells looked up by column.
    struct Row {
        let cells: [String]
        let header: [String]
        let columns: [Column: Int]
        let file: String
        /// Physical line the row starts on.
        let line: Int

        func raw(_ c: Column) -> String? { columns[c].map { cells[$0] } }
        func value(_ c: Column) -> String { raw(c)?.trimmedSpace ?? "" }

        /// An error at column `c` of this row. For a personal column `found` is not repeated:
        /// `withheld` (or a plain "what is in the cell is not shown") is said instead.
        func error(_ c: Column, _ expected: LocalizedText, found: String, withheld: LocalizedText? = nil) -> InputError {
            let index = columns[c]
            let hidden = withheld ?? (c.isPersonal && !found.isEmpty ? CSVTable.hiddenContent : nil)
            return InputError(
                file: file, line: line, column: index.map { $0 + 1 },
                field: index.map { header[$0].trimmedSpace } ?? c.key, expected: expected,
                found: hidden == nil ? found : "", withheld: hidden)
        }
    }

    let file: String
    let rows: [Row]

    static var hiddenContent: LocalizedText {
        LocalizedText(zh: "的内容不符（含个人信息，不在此显示）", en: "something else (personal data, not shown here)")
    }

    /// The field separator: a tab when the header line has tabs and no comma (Excel's
    /// "Unicode 文本" / "Unicode Text" export), else a comma.
    static func delimiter(of text: String) -> UnicodeScalar {
        let firstLine = text.unicodeScalars.prefix { $0 != "\n" && $0 != "\r" }
        return firstLine.contains("\t") && !firstLine.contains(",") ? "\t" : ","
    }

    /// Parses `text` (BOM dropped); checks the header and every row's field count.
    ///
    /// Excel's habits are accepted: empty columns after the last header (a trailing comma on every
    /// line) and rows with no text at all (`,,,,`) are ignored; tab-separated "Unicode 文本" is read
    /// like CSV. Every cell is checked for control characters and length.
    init(text: String, file: String) throws(InputError) {
        self.file = file
        let reader: CSVReader
        let known = Column.allCases.map { "\($0.key)/\($0.chinese)" }
        let body = TextDecoder.dropBOM(text)
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true, delimiter: CSVTable.delimiter(of: body))
        } catch {
            throw InputError(
                file: file, line: 1,
                expected: LocalizedText(zh: "表头行（" + known.joined(separator: ",") + "）", en: "a header row (" + known.joined(separator: ",") + ")"),
                found: "\(error)")
        }
        var header = reader.headerRow ?? []
        // Excel writes the used range: empty header cells at the end are columns nobody named.
        while let last = header.last, last.trimmedSpace.isEmpty, header.count > 1 { header.removeLast() }
        var columns: [Column: Int] = [:]
        for (index, cell) in header.enumerated() {
            guard let column = Column(header: cell) else {
                throw InputError(
                    file: file, line: 1, column: index + 1, field: cell.trimmedSpace,
                    expected: LocalizedText(zh: "已知的列名：" + known.joined(separator: "、"), en: "a known column: " + known.joined(separator: ", ")),
                    found: cell)
            }
            guard columns[column] == nil else {
                throw InputError(
                    file: file, line: 1, column: index + 1, field: cell.trimmedSpace,
                    expected: LocalizedText(zh: "不重复的列名", en: "each column once"), found: cell)
            }
            columns[column] = index
        }
        for column in Column.allCases where column.isRequired && columns[column] == nil {
            throw InputError(
                file: file, line: 1, field: column.key,
                expected: LocalizedText(
                    zh: "必需的列 \(column.key)（\(column.chinese)）", en: "the required column \(column.key) (\(column.chinese))"),
                found: header.joined(separator: ","))
        }

        var line = 1 + CSVTable.lineBreaks(in: header) + 1
        var rows: [Row] = []
        while let cells = reader.next() {
            let rowLine = line
            line += CSVTable.lineBreaks(in: cells) + 1
            if cells.allSatisfy({ $0.trimmedSpace.isEmpty }) { continue }
            var cells = cells
            // Cells past the header's last column are Excel's padding when they are empty.
            while cells.count > header.count, let last = cells.last, last.trimmedSpace.isEmpty { cells.removeLast() }
            guard cells.count == header.count else {
                throw InputError(
                    file: file, line: rowLine,
                    expected: LocalizedText(zh: "\(header.count) 列（与表头相同）", en: "\(header.count) fields, as in the header"),
                    found: "\(cells.count)")
            }
            guard rows.count < InputLimits.tableRows else {
                throw InputError(
                    file: file, line: rowLine,
                    expected: LocalizedText(zh: "不超过 \(InputLimits.tableRows) 行数据", en: "at most \(InputLimits.tableRows) rows"),
                    found: "", withheld: LocalizedText(zh: "更多行", en: "more rows"))
            }
            let row = Row(cells: cells, header: header, columns: columns, file: file, line: rowLine)
            for (column, index) in columns {
                let cell = cells[index]
                if let c = InputLimits.forbiddenCharacter(in: cell, multiline: false) {
                    throw row.error(
                        column, InputLimits.controlExpected(multiline: false), found: cell,
                        withheld: InputLimits.controlFound(c))
                }
                let count = cell.count
                if count > column.maxCharacters {
                    throw row.error(
                        column, InputLimits.tooLong(column.maxCharacters), found: cell,
                        withheld: InputLimits.lengthFound(count))
                }
            }
            rows.append(row)
        }
        if let error = reader.error {
            throw InputError(
                file: file, line: line, expected: LocalizedText(zh: "格式正确的 CSV", en: "well-formed CSV"), found: "\(error)")
        }
        self.rows = rows
    }

    /// Physical line breaks inside a row's quoted fields (CRLF, CR or LF each count once). Counted on bytes: a CR
    /// or LF is always a Character of its own or the CRLF pair, so each LF and each CR not before
    /// an LF is one line break.
    static func lineBreaks(in row: [String]) -> Int {
        var count = 0
        for cell in row {
            var previous: UInt8 = 0
            for b in cell.utf8 {
                if b == 0x0A || previous == 0x0D { count += 1 }
                previous = b
            }
            if previous == 0x0D { count += 1 }
        }
        return count
    }
}
