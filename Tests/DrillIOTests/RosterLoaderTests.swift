import DrillCore
import Foundation
import Testing

@testable import DrillIO

@Suite struct RosterLoaderTests {
    let header = "id,name,phone,teams,roles,village,grid,unavailable\n"

    func failure(_ csv: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> InputError? {
        let plan = try parsedPlan()
        return inputError({ _ = try RosterLoader.parse(text: csv, file: "roster.csv", plan: plan) }, sourceLocation: sourceLocation)
    }

    @Test func chineseHeadersAndQuotedNamesAreKeptExactly() throws {
        let csv = "编号,姓名,队伍,来源,不可用时段\r\nm1,\"Li, \"\"Big\"\" Hu;\",town,警务,\r\nm2,王五,town,police,2027-01-01..2027-01-02 出差；2027-03-01..2027-03-01 会议\r\n"
        let roster = try RosterLoader.parse(text: csv, file: "roster.csv", plan: parsedPlan())
        #expect(roster.members.map(\.name) == ["Li, \"Big\" Hu;", "王五"])
        #expect(roster.members[1].absences.map(\.reason) == ["出差", "会议"])
    }

    @Test func englishHeadersAreCaseInsensitive() throws {
        let roster = try RosterLoader.parse(text: "ID,Name,TEAMS,Roles\nm1,张三,town,police\n", file: "r.csv", plan: parsedPlan())
        #expect(roster.members.first?.id == "m1")
    }

    @Test func linesCountNewlinesInsideQuotedFields() throws {
        let csv = header + "m1,张三,,town,police,,,\n\nm2,李四,,ghost,police,,,\n"
        let e = try #require(try failure(csv))
        #expect(e.line == 4)
        #expect(e.field == "teams")
        #expect(e.found == "ghost")
    }

    /// A line break inside a quoted name would reach calendar text and pages: refused where it is.
    @Test func lineBreakInsideAQuotedNameIsRefused() throws {
        let e = try #require(try failure(header + "m1,\"张\n三\",,town,police,,,\n"))
        #expect(e.line == 2)
        #expect(e.field == "name")
        #expect(e.message(.zh).contains("换行"))
    }

    @Test func wrongFieldCountNamesTheLine() throws {
        let e = try #require(try failure(header + "m1,张三,,town,police,,,\nm2,李四,town\n"))
        #expect(e.line == 3)
        #expect(e.found == "3")
        #expect(e.expected.en.contains("8"))
    }

    @Test func duplicateMemberNamesBothLines() throws {
        let e = try #require(try failure(header + "m1,张三,,town,police,,,\nm1,李四,,town,police,,,\n"))
        #expect(e.line == 3)
        #expect(e.field == "id")
        #expect(e.message(.en).contains("line 2"))
        #expect(e.message(.zh).contains("第 2 行"))
    }

    @Test(arguments: [
        ("m1,张三,,town,pirate,,,", "roles", "pirate"),
        ("m1,张三,,town,police,nowhere,,", "village", "nowhere"),
        ("m1,张三,,town,police,shangcun,longtan-1,", "grid", "longtan-1"),
        // Absence reasons are personal: the error names the cell, `found` stays empty (see below).
        ("m1,张三,,town,police,,,2027-02-30..2027-03-01 x", "unavailable", ""),
        ("m1,张三,,town,police,,,2027-03-05..2027-03-01", "unavailable", ""),
        ("m1,张三,,town,police,,,soon", "unavailable", ""),
        ("M 1,张三,,town,police,,,", "id", "M 1"),
        ("m1,,,town,police,,,", "name", ""),
        ("m1,张三,,,police,,,", "teams", ""),
    ])
    func badCellNamesLineAndColumn(row: String, field: String, found: String) throws {
        let e = try #require(try failure(header + "m0,甲,,town,police,,,\n" + row + "\n"))
        #expect(e.line == 3)
        #expect(e.field == field)
        #expect(e.found == found)
    }

    @Test func unknownHeaderIsAnError() throws {
        let e = try #require(try failure("id,name,teams,roles,age\nm1,张三,town,police,40\n"))
        #expect(e.line == 1)
        #expect(e.field == "age")
    }

    @Test func missingRequiredColumnIsAnError() throws {
        let e = try #require(try failure("id,name,teams\nm1,张三,town\n"))
        #expect(e.line == 1)
        #expect(e.field == "roles")
    }
}

@Suite struct TextDecoderTests {
    let text = "编号,姓名,队伍,来源\nm1,张三,town,警务\n"

    @Test func utf8WithBOMIsStripped() throws {
        let decoded = try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), encoding: .auto, file: "r.csv")
        #expect(decoded == text)
        let forced = try TextDecoder.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), encoding: .utf8, file: "r.csv")
        #expect(forced == text)
    }

    @Test func autoFallsBackToGB18030() throws {
        let bytes = gb18030Bytes(text)
        #expect(bytes != Array(text.utf8))
        #expect(try TextDecoder.decode(bytes, encoding: .auto, file: "r.csv") == text)
        #expect(try TextDecoder.decode(bytes, encoding: .gb18030, file: "r.csv") == text)
        #expect(try TextDecoder.decode(Array(text.utf8), encoding: .auto, file: "r.csv") == text)
    }

    @Test func forcedUTF8OnGB18030BytesNamesTheLine() throws {
        let bytes = Array("id,name\n".utf8) + gb18030Bytes("m1,张三\n")
        let e = inputError { _ = try TextDecoder.decode(bytes, encoding: .utf8, file: "roster.csv") }
        #expect(e?.line == 2)
        #expect(e?.expected.en == "UTF-8 text (or --encoding gb18030)")
    }

    @Test func undecodableBytesFailInAutoToo() throws {
        let e = inputError { _ = try TextDecoder.decode(Array("a\nb\n".utf8) + [0xFF, 0xFF], encoding: .auto, file: "roster.csv") }
        #expect(e?.line == 3)
    }

    @Test func rosterFileInGB18030WithForcedEncoding() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/roster.csv", bytes: gb18030Bytes(text))
        let roster = try RosterLoader.load(file: t.town + "/roster.csv", plan: parsedPlan(), encoding: .gb18030)
        #expect(roster.members.first?.name == "张三")
        #expect(roster.members.first?.roles == [.police])
        let e = inputError { _ = try RosterLoader.load(file: t.town + "/roster.csv", plan: parsedPlan(), encoding: .utf8) }
        #expect(e?.line == 1)  // the Chinese header is the first undecodable line
    }
}

@Suite struct HolidayLoaderTests {
    @Test func badDatesNameTheirLine() throws {
        for (old, new, field) in [
            ("workdays: [2027-02-14, 2027-02-20]", "workdays: [2027-02-14, 2027-02-30]", "workdays"),
            ("to: 2027-01-03", "to: 2026-12-31", "holidays[0].to"),
            ("from: 2027-02-05", "from: 2027-13-05", "holidays[1].from"),
        ] {
            let (yaml, line) = edit(validHolidays, old, new)
            let e = inputError { _ = try HolidayLoader.parse(yaml: yaml, file: "holidays/2027.yaml") }
            #expect(e?.line == line)
            #expect(e?.field == field)
        }
    }

    /// A region's towns share one holidays file, read once per process (`HolidayLoader.last`):
    /// another text under the same name, or the same text under another name, is read again.
    @Test func aRememberedFileIsUsedOnlyForTheSameNameAndText() throws {
        let file = "holidays-memo/2027.yaml"
        let first = try HolidayLoader.parse(yaml: validHolidays, file: file)
        #expect(!first.isWorkingDay(CivilDate(iso: "2027-03-06")!))  // a Saturday
        let (moved, _) = edit(validHolidays, "workdays: [2027-02-14, 2027-02-20]", "workdays: [2027-02-14, 2027-03-06]")
        let changed = try HolidayLoader.parse(yaml: moved, file: file)
        #expect(changed.isWorkingDay(CivilDate(iso: "2027-03-06")!))
        let (broken, line) = edit(validHolidays, "to: 2027-01-03", "to: 2026-12-31")
        let e = inputError { _ = try HolidayLoader.parse(yaml: broken, file: file) }
        #expect(e?.line == line)
        #expect(e?.file == file)
        #expect(try HolidayLoader.parse(yaml: validHolidays, file: file) == first)
        let elsewhere = inputError { _ = try HolidayLoader.parse(yaml: broken, file: "other/2027.yaml") }
        #expect(elsewhere?.file == "other/2027.yaml")
        // Canonically equal texts with other bytes (a precomposed and a combining accent) are two texts.
        let (composed, _) = edit(validHolidays, "name: 元旦", "name: Fête")
        let (decomposed, _) = edit(validHolidays, "name: 元旦", "name: Fe\u{302}te")
        #expect(composed == decomposed)
        let names = try [composed, decomposed, composed].map {
            try HolidayLoader.parse(yaml: $0, file: file).holiday(on: CivilDate(iso: "2027-01-01")!).map { Array($0.name.utf8) }
        }
        #expect(names == [Array("Fête".utf8), Array("Fe\u{302}te".utf8), Array("Fête".utf8)])
    }

    @Test func parsesAValidFile() throws {
        let h = try HolidayLoader.parse(yaml: validHolidays, file: "2027.yaml")
        #expect(h.years == [2027])
        #expect(h.isWorkingDay(CivilDate(iso: "2027-02-14")!))
        #expect(!h.isWorkingDay(CivilDate(iso: "2027-02-08")!))
    }
}
