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
        try parse(text: TextDecoder.decode(FileBytes.read(file, limit: InputLimits.tableBytes), encoding: encoding, file: file), file: file, plan: plan)
    }

    /// Checks a roster given as decoded text; `file` is only used in errors.
    public static func parse(text: String, file: String, plan: Plan) throws(InputError) -> Roster {
        let table = try CSVTable<RosterColumn>(text: text, file: file)
        var members: [Member] = []
        var firstLine: [String: Int] = [:]
        for cells in table.rows {
            let member = try readMember(cells, plan: plan)
            if let first = firstLine[member.id] {
                throw cells.error(.id, .unique((zh: "成员编号", en: "member id"), firstLine: first), found: member.id)
            }
            firstLine[member.id] = cells.line
            members.append(member)
        }
        return Roster(members: members)
    }

    typealias RowCells = CSVTable<RosterColumn>.Row

    /// Roles held on a village grid rather than a team: people holding one may sit on no team.
    static let gridRoles: Set<Role> = [.emergencyManager, .infoOfficer, .ranger]

    static let teamOrGridRole = LocalizedText(
        zh: "plan.yaml 中定义的队伍编号（不在任何队伍的人员须有网格职责：应急管理员、灾害信息员或护林员）",
        en: "a team id defined in plan.yaml (someone on no team must hold a grid role: emergency_manager, info_officer or ranger)")

    static func readMember(_ cells: RowCells, plan: Plan) throws(InputError) -> Member {
        let id = cells.value(.id)
        guard ValueSyntax.isID(id) else { throw cells.error(.id, .id, found: id) }

        let name = cells.value(.name)
        guard !name.trimmedSpace.isEmpty else { throw cells.error(.name, .text, found: name) }

        var teams: [String] = []
        for team in ValueSyntax.splitList(cells.value(.teams)) where !teams.contains(team) { teams.append(team) }
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
        // Grid staff (网格应急管理员, 灾害信息员, 护林员) may sit on no team.
        guard !teams.isEmpty || roles.contains(where: { gridRoles.contains($0) }) else {
            throw cells.error(.teams, teamOrGridRole, found: "")
        }

        let phone = cells.value(.phone)
        if ValueSyntax.isScientificNumber(phone) {
            throw cells.error(
                .phone,
                LocalizedText(
                    zh: "完整的电话号码（Excel 把电话转成了科学计数法：请把该列设为文本）",
                    en: "the whole phone number (Excel turned it into scientific notation: format the column as text)"),
                found: phone,
                withheld: LocalizedText(zh: "科学计数法的数字", en: "a number in scientific notation"))
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
        for part in ValueSyntax.splitList(cells.value(.unavailable), separators: ValueSyntax.periodSeparators) {
            guard let absence = ValueSyntax.absence(part) else {
                // The dates may be shown; the reason after them is personal.
                let dates = String(part.prefix { !$0.isWhitespace })
                throw cells.error(
                    .unavailable, .absence, found: part,
                    withheld: LocalizedText(zh: " “\(dates) …”（原因不显示）", en: "\"\(dates) …\" (reason not shown)"))
            }
            absences.append(absence)
        }

        return Member(
            id: id, name: name, phone: phone, teams: teams, roles: roles, village: village, grid: grid,
            absences: absences)
    }
}
