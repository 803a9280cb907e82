import DrillCore
import Foundation
import Testing

@testable import DrillIO

/// Files saved the way Excel saves them, byte for byte: "Unicode 文本" (UTF-16 LE with a BOM,
/// tab-separated, CRLF), CSV UTF-8 with a BOM, a trailing comma on every line (the used range is
/// one column wider than the header), rows of bare commas, phones turned into `1.39707E+10`.
@Suite struct ExcelInputTests {
    /// UTF-16 code units of `text` with a byte-order mark, as Excel's "Unicode 文本" writes them.
    static func utf16(_ text: String, bigEndian: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let (hi, lo) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
            bytes += bigEndian ? [hi, lo] : [lo, hi]
        }
        return bytes
    }

    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    func load(_ bytes: [UInt8], encoding: RosterEncoding = .auto) throws -> Roster {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/roster.csv", bytes: bytes)
        return try RosterLoader.load(file: t.town + "/roster.csv", plan: parsedPlan(), encoding: encoding)
    }

    func loadError(_ bytes: [UInt8]) throws -> InputError? {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/roster.csv", bytes: bytes)
        let plan = try parsedPlan()
        return inputError {
            _ = try RosterLoader.load(file: t.town + "/roster.csv", plan: plan, encoding: .auto)
        }
    }

    @Test(arguments: [false, true])
    func unicodeTextIsReadWhateverEncodingWasAsked(bigEndian: Bool) throws {
        let text = "编号\t姓名\t电话\t队伍\t来源\r\nm1\t张三\t13800000001\ttown\t警务\r\nm2\t李四\t\tv-shangcun\t基干民兵\r\n"
        for encoding in RosterEncoding.allCases {
            let roster = try load(Self.utf16(text, bigEndian: bigEndian), encoding: encoding)
            #expect(roster.members.map(\.name) == ["张三", "李四"])
            #expect(roster.members[0].phone == "13800000001")
            #expect(roster.members[1].roles == [.coreMilitia])
        }
    }

    @Test func cutOffUnicodeTextNamesItsLine() throws {
        let bytes = Self.utf16("编号\t姓名\t队伍\t来源\r\nm1\t张三\ttown\t警务\r\n") + [0x41]
        let e = try #require(try loadError(bytes))
        #expect(e.line == 3)
        #expect(e.message(.zh).contains("CSV UTF-8"))
    }

    @Test func trailingEmptyColumnsAndEmptyRowsAreIgnored() throws {
        // Excel's CSV UTF-8 of a sheet whose used range had one more (empty) column and blank rows.
        let text =
            "id,name,phone,teams,roles,village,grid,unavailable,\r\n"
            + "m1,张三,13800000001,town,police,,,,\r\n"
            + ",,,,,,,,\r\n"
            + "m2,李四,,v-shangcun,core_militia,shangcun,,,\r\n"
            + ",,,,,,,,\r\n,,,,,,,,\r\n"
        let roster = try load(Self.bom + Array(text.utf8))
        #expect(roster.members.map(\.id) == ["m1", "m2"])
        #expect(roster.members[1].village == "shangcun")
    }

    @Test func aTrailingColumnWithTextIsStillAnError() throws {
        let text = "id,name,teams,roles,\r\nm1,张三,town,police,oops\r\n"
        let e = try #require(try loadError(Self.bom + Array(text.utf8)))
        #expect(e.line == 2)
    }

    @Test(arguments: ["1.39707E+10", "1.38E+10", "1E+10", "1.3800000001e10"])
    func phoneInScientificNotationIsRefusedWithTheHint(phone: String) throws {
        let text = "编号,姓名,电话,队伍,来源\r\nm1,张三,13800000001,town,警务\r\nm2,李四,\(phone),town,警务\r\n"
        let e = try #require(try loadError(Self.bom + Array(text.utf8)))
        #expect(e.line == 3)
        #expect(e.field == "电话")
        #expect(e.column == 3)
        let zh = e.message(.zh)
        #expect(zh.contains("Excel 把电话转成了科学计数法：请把该列设为文本"))
        // The number itself is personal data: named, not repeated.
        #expect(!zh.contains(phone) && !e.message(.en).contains(phone))
    }

    @Test func gridStaffMayBeOnNoTeam() throws {
        let text =
            "编号,姓名,队伍,来源,村,网格\r\n"
            + "m1,张三,town,警务,,\r\n"
            + "g1,王网格,,应急管理员,shangcun,shangcun-1\r\n"
            + "g2,赵信息,,灾害信息员、护林员,longtan,longtan-1\r\n"
        let roster = try load(Self.bom + Array(text.utf8))
        #expect(roster.members.map(\.id) == ["m1", "g1", "g2"])
        #expect(roster.members[1].teams.isEmpty)
        #expect(roster.members[1].grid == "shangcun-1")
        #expect(roster.members[2].roles == [.infoOfficer, .ranger])
    }

    @Test func someoneOnNoTeamWithoutAGridRoleIsAnError() throws {
        let text = "编号,姓名,队伍,来源\r\nm1,张三,,警务\r\n"
        let e = try #require(try loadError(Self.bom + Array(text.utf8)))
        #expect(e.line == 2)
        #expect(e.field == "队伍")
        #expect(e.expected.zh.contains("网格职责"))
    }

    @Test func fullWidthSpacesAndCommasAreSeparators() throws {
        // Typed with a Chinese input method: 全角 commas between teams, 全角 spaces around cells.
        let text =
            "编号,姓名,队伍,来源,不可用时段\r\n"
            + "m1,\u{3000}张三\u{3000},\"town，v-shangcun\",警务， 基干民兵,2027-07-01..2027-07-10\u{3000}外出务工\r\n"
        let roster = try load(Self.bom + Array(text.utf8))
        let m = try #require(roster.members.first)
        #expect(m.name == "张三")
        #expect(m.teams == ["town", "v-shangcun"])
        #expect(m.roles == [.police, .coreMilitia])
        #expect(m.absences.first?.reason == "外出务工")
    }

    @Test func signInSheetSavedAsUnicodeText() throws {
        let t = try TempTown()
        defer { t.remove() }
        let text =
            "活动\t编号\t姓名\t出勤\t原因\t\r\n"
            + "qingshan-2027-x@drillcal\tm1\t张三\t到场\t\t\r\n"
            + "\t\t\t\t\t\r\n"
            + "qingshan-2027-x@drillcal\tm2\t李四\t请假\t生病\t\r\n"
        try t.write("sheet.txt", bytes: Self.utf16(text))
        let rows = try SignInSheet.load(file: t.root + "/sheet.txt", encoding: .auto)
        #expect(rows.map(\.memberID) == ["m1", "m2"])
        #expect(rows.map(\.line) == [2, 4])
        #expect(rows[1].status == .excused)
        #expect(rows[1].reason == "生病")
    }

    @Test func signInSheetCSVWithTrailingCommas() throws {
        let t = try TempTown()
        defer { t.remove() }
        let text = "uid,member,name,status,reason,,\r\nu1@drillcal,m1,张三,present,,,\r\n,,,,,,\r\n"
        try t.write("sheet.csv", bytes: Self.bom + Array(text.utf8))
        let rows = try SignInSheet.load(file: t.root + "/sheet.csv", encoding: .auto)
        #expect(rows.count == 1)
        #expect(rows[0].status == .present)
    }

    @Test func signInErrorsDoNotRepeatAbsenceReasons() throws {
        let text = "uid,member,name,status,reason\r\nu1@drillcal,m1,张三,请假,\"住院\u{1B}[31m治疗\"\r\n"
        let e = try #require(inputError { _ = try SignInSheet.parse(text: text, file: "sheet.csv") })
        #expect(e.line == 2)
        #expect(e.field == "reason")
        for l in Language.allCases {
            #expect(!e.message(l).contains("住院"))
            #expect(!e.message(l).contains("\u{1B}"))
        }
        #expect(e.message(.zh).contains("U+001B"))
    }
}

/// Sizes, control characters and line breaks, refused at load with file, line and field.
@Suite struct BoundedInputTests {
    let header = "id,name,phone,teams,roles,village,grid,unavailable\n"

    @Test(arguments: ["\u{0}", "\u{1B}[2J", "\u{7}", "\u{85}"])
    func controlCharactersInANameAreRefused(bad: String) throws {
        let plan = try parsedPlan()
        let csv = header + "m1,张\(bad)三,,town,police,,,\n"
        let e = try #require(
            inputError { _ = try RosterLoader.parse(text: csv, file: "roster.csv", plan: plan) })
        #expect(e.line == 2)
        #expect(e.field == "name")
        #expect(e.column == 2)
        for l in Language.allCases {
            #expect(
                !e.message(l).unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        }
    }

    @Test func oversizeNameIsRefused() throws {
        let plan = try parsedPlan()
        let csv = header + "m1,\(String(repeating: "张", count: 10_000)),,town,police,,,\n"
        let e = try #require(
            inputError { _ = try RosterLoader.parse(text: csv, file: "roster.csv", plan: plan) })
        #expect(e.field == "name")
        #expect(e.expected.zh.contains("\(InputLimits.nameCharacters)"))
        #expect(e.message(.zh).count < 200)
    }

    @Test func tooManyRowsAreRefused() throws {
        let plan = try parsedPlan()
        var csv = header
        for i in 0...InputLimits.tableRows { csv += "m\(i),张三,,town,police,,,\n" }
        let e = try #require(
            inputError { _ = try RosterLoader.parse(text: csv, file: "roster.csv", plan: plan) })
        #expect(e.line == InputLimits.tableRows + 2)
    }

    @Test func oversizeFileIsRefusedBeforeReading() throws {
        let t = try TempTown()
        defer { t.remove() }
        let path = t.town + "/roster.csv"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(InputLimits.tableBytes + 1))
        try handle.close()
        let plan = try parsedPlan()
        let e = try #require(
            inputError { _ = try RosterLoader.load(file: path, plan: plan, encoding: .auto) })
        #expect(e.message(.zh).contains("MiB"))
    }

    @Test(arguments: [
        ("station: 青山镇应急站", "station: \"青山镇\\r\\n应急站\"", "town.station"),
        ("name: 青山镇\n", "name: \"青山\\0镇\"\n", "town.name"),
        ("name: 青山镇\n", "name: \"青山\\e[31m镇\"\n", "town.name"),
        ("name: 青山镇\n", "name: \"青山\\t镇\"\n", "town.name"),
    ])
    func controlCharactersAndLineBreaksInPlanTextAreRefused(old: String, new: String, field: String) throws {
        let (yaml, line) = edit(validPlan, old, new)
        let e = try #require(
            inputError { _ = try PlanLoader.parse(yaml: yaml, file: "plan.yaml", recurrence: fake) })
        #expect(e.line == line)
        #expect(e.field == field)
    }

    @Test func oversizePlanNameIsRefused() throws {
        let (yaml, line) = edit(validPlan, "name: 青山镇\n", "name: \(String(repeating: "青", count: 10_000))\n")
        let e = try #require(
            inputError { _ = try PlanLoader.parse(yaml: yaml, file: "plan.yaml", recurrence: fake) })
        #expect(e.line == line)
        #expect(e.field == "town.name")
    }

    /// 520 bytes: each level's key is a mapping whose keys are aliases of the level before.
    static let aliasBomb: String = {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            yaml += "a\(i): &a\(i) {? *a\(i - 1) : 1, ? [*a\(i - 1)] : 2}\n"
        }
        yaml += "? *a9\n: boom\n"
        return yaml
    }()

    @Test func aliasBombInMappingKeysIsRefusedFast() throws {
        #expect(Self.aliasBomb.utf8.count <= 600)
        let clock = ContinuousClock()
        for (parse, file) in [
            (
                { (y: String) throws -> Void in
                    _ = try PlanLoader.parse(yaml: y, file: "plan.yaml", recurrence: fake)
                }, "plan.yaml"
            ),
            (
                { (y: String) throws -> Void in _ = try SummaryFile.parse(yaml: y, file: "summary.yaml") },
                "summary.yaml"
            ),
            (
                { (y: String) throws -> Void in _ = try HolidayLoader.parse(yaml: y, file: "2027.yaml") },
                "2027.yaml"
            ),
        ] {
            let started = clock.now
            let e = try #require(inputError { try parse(Self.aliasBomb) })
            // A generous bound that still tells "refused up front" from "expanded": the bomb ran past 60 s.
            #expect(clock.now - started < .seconds(5))
            #expect(e.file == file)
            #expect(e.line == 2)
            #expect(e.field == "a1")
            #expect(e.message(.zh).contains("*a0"))
        }
    }

    @Test func aliasesExpandingPastTheNodeBudgetAreRefused() throws {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...6 {
            yaml += "a\(i): &a\(i) [\(Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", "))]\n"
        }
        let e = try #require(inputError { try YAMLBounds.check(yaml, file: "plan.yaml") })
        #expect(e.line == 6)
        #expect(e.field?.hasPrefix("a5") == true)
    }

    @Test func ordinaryAliasesStillWork() throws {
        let (yaml, _) = edit(
            validPlan, "alarms: [1440, 60]", "alarms: &alarms [1440, 60]\n  x_unused: *alarms")
        // An unknown key is still an error; the alias itself is not what is refused.
        let e = try #require(
            inputError { _ = try PlanLoader.parse(yaml: yaml, file: "plan.yaml", recurrence: fake) })
        #expect(e.field == "defaults.x_unused")
        try YAMLBounds.check("a: &x [1, 2]\nb: *x\n", file: "f.yaml")
    }

    @Test func deepNestingIsRefused() throws {
        let yaml = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        let e = try #require(inputError { _ = try SummaryFile.parse(yaml: yaml, file: "summary.yaml") })
        #expect(e.line == 1)
    }

    @Test func missingTownFolderIsSaidSo() throws {
        let e = try #require(
            inputError { _ = try TownLoader.load(directory: "/nonexistent/town", recurrence: fake) })
        #expect(e.message(.zh).contains("找不到镇文件夹"))
        #expect(e.file == "/nonexistent/town")
    }
}
