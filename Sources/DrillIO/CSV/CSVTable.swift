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

        func error(_ c: Column, _ expected: LocalizedText, found: String) -> InputError {
            let index = columns[c]
            return InputError(
                file: file, line: line, column: index.map { $0 + 1 },
                field: index.map { header[$0].trimmedSpace } ?? c.key, expected: expected, found: found)
        }
    }

    let file: String
    let rows: [Row]

    /// Parses `text` (BOM dropped); checks the header and every row's field count.
    init(text: String, file: String) throws(InputError) {
        self.file = file
        let reader: CSVReader
        let known = Column.allCases.map { "\($0.key)/\($0.chinese)" }
        do {
            reader = try CSVReader(string: TextDecoder.dropBOM(text), hasHeaderRow: true)
        } catch {
            throw InputError(
                file: file, line: 1,
                expected: LocalizedText(zh: "表头行（" + known.joined(separator: ",") + "）", en: "a header row (" + known.joined(separator: ",") + ")"),
                found: "\(error)")
        }
        let header = reader.headerRow ?? []
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
            if cells.count == 1, cells[0].trimmedSpace.isEmpty { continue }
            guard cells.count == header.count else {
                throw InputError(
                    file: file, line: rowLine,
                    expected: LocalizedText(zh: "\(header.count) 列（与表头相同）", en: "\(header.count) fields, as in the header"),
                    found: "\(cells.count)")
            }
            rows.append(Row(cells: cells, header: header, columns: columns, file: file, line: rowLine))
        }
        if let error = reader.error {
            throw InputError(
                file: file, line: line, expected: LocalizedText(zh: "格式正确的 CSV", en: "well-formed CSV"), found: "\(error)")
        }
        self.rows = rows
    }

    /// Physical line breaks inside a row's quoted fields (`\r\n` counts once).
    static func lineBreaks(in row: [String]) -> Int {
        row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r" || $1 == "\r\n" ? $0 + 1 : $0 } }
    }
}
