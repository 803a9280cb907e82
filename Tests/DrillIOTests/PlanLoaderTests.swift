import DrillCore
import Foundation
import Testing

@testable import DrillIO

@Suite struct PlanLoaderTests {
    /// Parses `yaml` and returns its error, checked to name file and line in both languages.
    func failure(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
        inputError({ _ = try PlanLoader.parse(yaml: yaml, file: "calendars/qingshan/plan.yaml", recurrence: fake) },
            sourceLocation: sourceLocation)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var field: String
        var found: String?
        var testDescription: String { "\(field): \(new)" }
    }

    static let cases: [Case] = [
        Case(old: "teams: [town]", new: "teams: [v-nowhere]", field: "rules[1].teams", found: "v-nowhere"),
        Case(old: "teams: [level:village]\n\n", new: "teams: [level:hamlet]\n\n", field: "blackouts[0].teams", found: "level:hamlet"),
        Case(old: "teams: [level:village]\n\n", new: "teams: [ghost]\n\n", field: "blackouts[0].teams", found: "ghost"),
        Case(old: "every: 2 per half-year", new: "every: 2 per fortnight", field: "rules[2].every", found: "2 per fortnight"),
        Case(old: "every: 2 per half-year", new: "every: twice per year", field: "rules[2].every", found: "twice per year"),
        Case(old: "kind: training", new: "kind: exercise", field: "rules[1].kind", found: "exercise"),
        Case(old: "form: live", new: "form: virtual", field: "rules[0].form", found: "virtual"),
        Case(old: "scope: single", new: "scope: partial", field: "rules[2].scope", found: "partial"),
        Case(old: "  - id: wang", new: "  - id: liu", field: "supervisors[1].id", found: "liu"),
        Case(old: "  - id: v-longtan", new: "  - id: town", field: "teams[2].id", found: "town"),
        Case(old: "  - id: longtan\n", new: "  - id: shangcun\n", field: "villages[1].id", found: "shangcun"),
        Case(old: "  - id: longtan-hall", new: "  - id: town-square", field: "venues[2].id", found: "town-square"),
        Case(old: "  - id: fire", new: "  - id: flood_season", field: "seasons[1].id", found: "flood_season"),
        Case(old: "  - id: tabletop", new: "  - id: flood-evacuation", field: "rules[2].id", found: "flood-evacuation"),
        Case(old: "  - id: monthly-training", new: "  - id: Monthly Training", field: "rules[1].id", found: "Monthly Training"),
        Case(old: "    level: village\n    village: longtan\n", new: "    level: village\n    village: xiacun\n", field: "teams[2].village", found: "xiacun"),
        Case(old: "    level: village\n    village: longtan\n", new: "    level: village\n", field: "teams[2].village", found: ""),
        Case(old: "    village: longtan\n", new: "", field: "rules[0].venue", found: "own-village"),
        Case(old: "    capacity: 40\n    village: longtan", new: "    capacity: 40\n    village: nowhere", field: "venues[2].village", found: "nowhere"),
        Case(old: "season: flood_season", new: "season: monsoon", field: "rules[0].season", found: "monsoon"),
        Case(old: "venue: town-square", new: "venue: moon-base", field: "rules[1].venue", found: "moon-base"),
        Case(old: "supervisor: liu", new: "supervisor: zhang", field: "rules[1].supervisor", found: "zhang"),
        Case(old: "allow_blackouts: [double_rush]", new: "allow_blackouts: [harvest]", field: "rules[0].allow_blackouts", found: "harvest"),
        Case(old: "from: 2027-10-01", new: "from: 2027-02-30", field: "seasons[1].from", found: "2027-02-30"),
        Case(old: "from: 04-01", new: "from: 13-01", field: "seasons[0].from", found: "13-01"),
        Case(old: "to: 2027-12-31", new: "to: 2027-09-30", field: "seasons[1].to", found: "2027-09-30"),
        Case(old: "times: [\"09:00\", \"14:30\"]", new: "times: [\"09:00\", \"25:00\"]", field: "rules[0].times", found: "25:00"),
        Case(old: "times: [\"09:00\", \"14:30\"]", new: "times: [\"9h\"]", field: "rules[0].times", found: "9h"),
        Case(old: "duration: 180", new: "duration: 0", field: "rules[0].duration", found: "0"),
        Case(old: "weekdays: [SA, SU]", new: "weekdays: [SA, SUN]", field: "rules[0].weekdays", found: "SUN"),
        Case(old: "rrule: FREQ=MONTHLY;BYDAY=1SA", new: "rrule: MONTHLY", field: "rules[1].rrule", found: "MONTHLY"),
        Case(old: "rrule: FREQ=MONTHLY;BYDAY=1SA", new: "rrule: FREQ=WEEKLY;BYDAY=2MO", field: "rules[1].rrule", found: "FREQ=WEEKLY;BYDAY=2MO"),
        Case(old: "time_zone: Asia/Shanghai", new: "time_zone: ../../etc/passwd", field: "time_zone", found: "../../etc/passwd"),
        Case(old: "time_zone: Asia/Shanghai", new: "time_zone: /etc/localtime", field: "time_zone", found: "/etc/localtime"),
        Case(old: "time_zone: Asia/Shanghai", new: "time_zone: Asia/Atlantis", field: "time_zone", found: "Asia/Atlantis"),
        Case(old: "time_zone: Asia/Shanghai", new: "time_zone: Asia", field: "time_zone", found: "Asia"),
        Case(old: "    times: [\"10:00\"]", new: "    times: [\"10:00\"]\n    teams: [town]", field: "rules[3].teams", found: nil),
        Case(old: "    date: 01-31", new: "    every: 1 per year", field: "rules[3].every", found: nil),
        Case(old: "    date: 01-31", new: "    date: 02-30", field: "rules[3].date", found: "02-30"),
        Case(old: "    every: 1 per year\n", new: "    every: 1 per year\n    rrule: FREQ=YEARLY\n", field: "rules[0].rrule", found: "every, rrule"),
        Case(old: "    every: 1 per year\n", new: "", field: "rules[0]", found: ""),
        Case(old: "    season: flood_season\n", new: "    season: flood_season\n    anchor: {date: 05-12}\n", field: "rules[0].anchor", found: "season, anchor"),
        Case(old: "    duration: 180", new: "    duraton: 180", field: "rules[0].duraton", found: "duraton"),
        Case(old: "county: 某某县", new: "country: 某某县", field: "town.country", found: "country"),
        Case(old: "    grids: [longtan-1]", new: "    grids: [shangcun-1]", field: "villages[1].grids", found: "shangcun-1"),
        Case(old: "    capacity: 40", new: "    capacity: many", field: "venues[2].capacity", found: "many"),
        Case(old: "      police: 1", new: "      pirate: 1", field: "teams[0].requires", found: "pirate"),
        Case(old: "  - id: v-longtan\n    name: 龙潭村应急救援队\n", new: "  - id: v-longtan\n", field: "teams[2].name", found: ""),
        Case(old: "    away: [\"2027-03-01..2027-03-07 县里培训\"]", new: "    away: [\"2027-03-07..2027-03-01 县里培训\"]", field: "supervisors[0].away", found: "2027-03-07..2027-03-01 县里培训"),
    ]

    @Test(arguments: cases) func badValueNamesLineAndField(_ c: Case) throws {
        let (yaml, changedLine) = edit(validPlan, c.old, c.new)
        let e = try #require(failure(yaml))
        #expect(e.field == c.field, "\(e.message(.en))")
        if let found = c.found { #expect(e.found == found, "\(e.message(.en))") }
        // The offending node's line: the first changed line, or the rule's own line when a key is missing.
        if !c.new.isEmpty, c.found != "" {
            #expect(e.line == changedLine, "\(e.message(.en))")
        } else {
            #expect(e.line != nil)
        }
    }

    @Test func unknownTeamMessageReadsAsDocumented() throws {
        let yaml = plan(replacing: "teams: [town]", with: "teams: [v-nowhere]")
        let e = try #require(failure(yaml))
        let line = lineOf("teams: [v-nowhere]", in: yaml)
        #expect(e.message(.zh) == "calendars/qingshan/plan.yaml 第 \(line) 行，字段 rules[1].teams：应为 plan.yaml 中定义的队伍编号，实际为 “v-nowhere”")
        #expect(e.message(.en) == "calendars/qingshan/plan.yaml:\(line): field rules[1].teams: expected a team id defined in plan.yaml, found \"v-nowhere\"")
        #expect(e.description == e.message(.zh))
    }

    @Test func rruleProblemIsInTheExpectation() throws {
        let e = try #require(failure(plan(replacing: "rrule: FREQ=MONTHLY;BYDAY=1SA", with: "rrule: FREQ=WEEKLY;BYDAY=2MO")))
        #expect(e.expected.en.contains("BYDAY ordinal not allowed with WEEKLY"))
        #expect(e.expected.zh.contains("BYDAY ordinal not allowed with WEEKLY"))
    }

    @Test func malformedYAMLReportsYamsLine() throws {
        let yaml = plan(replacing: "    duration: 180", with: "    duration: [180")
        let e = try #require(failure(yaml))
        #expect(e.line != nil)
        #expect(e.line! >= lineOf("duration: [180", in: yaml))
    }

    /// A repeated key is named where it is repeated, with its path and the line it first appeared on.
    @Test func duplicateKeyNamesTheRepeatedLine() throws {
        let yaml = plan(replacing: "    duration: 180", with: "    duration: 180\n    duration: 90")
        let e = try #require(failure(yaml))
        let first = lineOf("duration: 180", in: yaml)
        #expect(e.field == "rules[0].duration")
        #expect(e.line == first + 1)
        #expect(e.column == 5)
        #expect(e.found == "duration")
        #expect(e.message(.zh).contains("已在第 \(first) 行"))
        // At the top level the field is the key itself.
        let top = plan(replacing: "year: 2027\n", with: "year: 2027\nyear: 2028\n")
        let t = try #require(failure(top))
        #expect(t.field == "year")
        #expect(t.line == lineOf("year: 2028", in: top))
        // The same key in two mappings is no repeat.
        #expect(throws: Never.self) { try YAMLDocument.root("a: {k: 1}\nb: {k: 2}\n", file: "x.yaml") }
    }

    /// Keys are read as text, so keys equal as text are duplicates whatever YAML would type them as
    /// (`1` an integer, `"1"` a string): the composer resolves every plain scalar as a string.
    @Test func keysEqualAsTextAreDuplicatesWhateverTheirImplicitType() throws {
        for yaml in ["1: a\n\"1\": b\n", "true: a\n'true': b\n", "~: a\n\"~\": b\n"] {
            #expect(throws: InputError.self, "\(yaml)") { try YAMLDocument.root(yaml, file: "x.yaml") }
        }
        // Distinct texts stay distinct keys.
        #expect(throws: Never.self) { try YAMLDocument.root("1: a\n\"01\": b\n", file: "x.yaml") }
    }

    @Test func emptyPlanIsAnError() throws {
        let e = try #require(failure(""))
        #expect(e.line == 1)
    }

    @Test func missingTopLevelKeyNamesIt() throws {
        let e = try #require(failure(plan(replacing: "year: 2027\n", with: "")))
        #expect(e.field == "year")
    }

    @Test func loadReadsTheFile() throws {
        let t = try TempTown()
        defer { t.remove() }
        try t.write("calendars/qingshan/plan.yaml", "\u{FEFF}" + validPlan)
        let plan = try PlanLoader.load(file: t.town + "/plan.yaml", recurrence: fake)
        #expect(plan.town.id == "qingshan")
        let e = inputError { _ = try PlanLoader.load(file: t.town + "/nope.yaml", recurrence: fake) }
        #expect(e?.file == t.town + "/nope.yaml")
    }
}
