import CSV
import DrillCore

/// Reads roster.csv (calendars/README.md): one member per row, headers in English or Chinese,
/// saved as UTF-8, UTF-8 with BOM or GB18030 (Excel in China).
public enum RosterLoader {
    /// Reads, decodes and checks a roster file against `plan`.
    ///
    /// - Parameters:
    ///   - file: path of roster.csv, as the user gave it.
    ///   - plan: the town's plan; team, village and grid ids are checked against it.
    ///   - encoding: `.auto` reads UTF-8 when valid, else GB18030.
    /// - Throws: `InputError` naming the line and column of the first problem.
    ///
    /// ```swift
    /// let roster = try RosterLoader.load(file: "calendars/qingshan/roster.csv", plan: plan, encoding: .auto)
    /// ```
    public static func load(file: String, plan: Plan, encoding: RosterEncoding) throws(InputError) -> Roster {
        try parse(text: TextDecoder.decode(FileBytes.read(file), encoding: encoding, file: file), file: file, plan: plan)
    }

    /// Checks a roster given as decoded text; `file` is only used in errors.
    public static func parse(text: String, file: String, plan: Plan) throws(InputError) -> Roster {
        let text = TextDecoder.dropBOM(text)
        let csvExpected = LocalizedText(zh: "格式正确的 CSV", en: "well-formed CSV")
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw InputError(
                file: file, line: 1,
                expected: LocalizedText(zh: "表头行（编号,姓名,队伍,来源,…）", en: "a header row (id,name,teams,roles,…)"),
                found: "\(error)")
        }
        let header = reader.headerRow ?? []
        var columns: [RosterColumn: Int] = [:]
        let known = RosterColumn.allCases.map { "\($0.rawValue)/\($0.chinese)" }
        for (index, cell) in header.enumerated() {
            guard let column = RosterColumn(header: cell) else {
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
        for column in RosterColumn.allCases where column.isRequired && columns[column] == nil {
            throw InputError(
                file: file, line: 1, field: column.rawValue,
                expected: LocalizedText(
                    zh: "必需的列 \(column.rawValue)（\(column.chinese)）", en: "the required column \(column.rawValue) (\(column.chinese))"),
                found: header.joined(separator: ","))
        }

        var line = 1 + lineBreaks(in: header) + 1
        var members: [Member] = []
        var firstLine: [String: Int] = [:]
        while let row = reader.next() {
            let rowLine = line
            line += lineBreaks(in: row) + 1
            if row.count == 1, row[0].trimmedSpace.isEmpty { continue }
            guard row.count == header.count else {
                throw InputError(
                    file: file, line: rowLine,
                    expected: LocalizedText(zh: "\(header.count) 列（与表头相同）", en: "\(header.count) fields, as in the header"),
                    found: "\(row.count)")
            }
            let cells = RowCells(row: row, header: header, columns: columns, file: file, line: rowLine)
            let member = try readMember(cells, plan: plan)
            if let first = firstLine[member.id] {
                throw cells.error(.id, .unique((zh: "成员编号", en: "member id"), firstLine: first), found: member.id)
            }
            firstLine[member.id] = rowLine
            members.append(member)
        }
        if let error = reader.error {
            throw InputError(file: file, line: line, expected: csvExpected, found: "\(error)")
        }
        return Roster(members: members)
    }

    /// Physical line breaks inside a row's quoted fields (`\r\n` counts once).
    static func lineBreaks(in row: [String]) -> Int {
        row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r" || $1 == "\r\n" ? $0 + 1 : $0 } }
    }

    /// The cells of one row, looked up by column, with errors naming the line and the header.
    struct RowCells {
        let row: [String]
        let header: [String]
        let columns: [RosterColumn: Int]
        let file: String
        let line: Int

        func raw(_ c: RosterColumn) -> String? { columns[c].map { row[$0] } }
        func value(_ c: RosterColumn) -> String { raw(c)?.trimmedSpace ?? "" }

        func error(_ c: RosterColumn, _ expected: LocalizedText, found: String) -> InputError {
            let index = columns[c]
            return InputError(
                file: file, line: line, column: index.map { $0 + 1 },
                field: index.map { header[$0].trimmedSpace } ?? c.rawValue, expected: expected, found: found)
        }
    }

    static func readMember(_ cells: RowCells, plan: Plan) throws(InputError) -> Member {
        let id = cells.value(.id)
        guard ValueSyntax.isID(id) else { throw cells.error(.id, .id, found: id) }

        let name = cells.raw(.name) ?? ""
        guard !name.trimmedSpace.isEmpty else { throw cells.error(.name, .text, found: name) }

        var teams: [String] = []
        for team in ValueSyntax.splitList(cells.value(.teams)) where !teams.contains(team) { teams.append(team) }
        guard !teams.isEmpty else { throw cells.error(.teams, .teamID, found: "") }
        for team in teams where plan.team(team) == nil {
            throw cells.error(.teams, .teamID, found: team)
        }

        var roles: [Role] = []
        let roleTexts = ValueSyntax.splitList(cells.value(.roles))
        guard !roleTexts.isEmpty else { throw cells.error(.roles, .role, found: "") }
        for text in roleTexts {
            guard let role = Role(key: text) else { throw cells.error(.roles, .role, found: text) }
            if !roles.contains(role) { roles.append(role) }
        }

        var village: String?
        let villageText = cells.value(.village)
        if !villageText.isEmpty {
            guard plan.village(villageText) != nil else { throw cells.error(.village, .villageID, found: villageText) }
            village = villageText
        }

        var grid: String?
        let gridText = cells.value(.grid)
        if !gridText.isEmpty {
            let owners = plan.villages.filter { $0.grids.contains(gridText) }
            let expected = village.map { v in
                LocalizedText(zh: "村 \(v) 在 plan.yaml 中的网格编号", en: "a grid id of village \(v) in plan.yaml")
            } ?? LocalizedText(zh: "plan.yaml 中定义的网格编号", en: "a grid id defined in plan.yaml")
            guard !owners.isEmpty, village == nil || owners.contains(where: { $0.id == village }) else {
                throw cells.error(.grid, expected, found: gridText)
            }
            grid = gridText
        }

        var absences: [Absence] = []
        for part in ValueSyntax.splitList(cells.value(.unavailable), separators: [";", "；"]) {
            guard let absence = ValueSyntax.absence(part) else { throw cells.error(.unavailable, .absence, found: part) }
            absences.append(absence)
        }

        return Member(
            id: id, name: name, phone: cells.value(.phone), teams: teams, roles: roles, village: village, grid: grid,
            absences: absences)
    }
}
