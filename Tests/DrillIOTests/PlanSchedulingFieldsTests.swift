import DrillCore
import Foundation
import Testing

@testable import DrillIO

/// The plan.yaml fields of the optimising scheduler (issue 7): hard day rules, team gaps, turnout
/// floors, wrapping windows and objective weights are read as written, and a bad value names the
/// file, the line and the field.
@Suite struct PlanSchedulingFieldsTests {
    func parse(_ yaml: String) throws -> Plan {
        try PlanLoader.parse(yaml: yaml, file: "calendars/qingshan/plan.yaml", recurrence: fake)
    }

    func failure(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
        inputError({ _ = try parse(yaml) }, sourceLocation: sourceLocation)
    }

    /// The example plan with every new field set.
    static let withFields: String = {
        var text = validPlan
        text =
            edit(
                text, "    min_gap_days: 14\n",
                "    min_gap_days: 14\n    only_weekdays: [SA, SU]\n    only_days: restday\n    min_turnout: 80%\n    turnout: hard\n"
            ).text
        text =
            edit(text, "window: {from: 03-01, to: 11-30}", "window: {from: 11-01, to: 02-28, wrap: true}")
            .text
        text =
            edit(
                text, "    level: village\n    village: longtan\n",
                "    level: village\n    village: longtan\n    min_gap_days: 10\n    ideal_gap_days: 60\n    min_turnout: 8\n    turnout: soft\n"
            ).text
        text =
            edit(
                text, "time_zone: Asia/Shanghai\n",
                "time_zone: Asia/Shanghai\nweights: {off_preferred_weekday: 20, spacing_per_day: 2, off_preferred_time: 3, turnout_below_floor: 40, supervisor_load: 0, unmet_demand: 5000}\n"
            ).text
        return text
    }()

    @Test func newFieldsAreReadAsWritten() throws {
        let plan = try parse(Self.withFields)
        let flood = try #require(plan.rules.first { $0.id == "flood-evacuation" })
        #expect(flood.onlyWeekdays == [.saturday, .sunday])
        #expect(flood.onlyDays == .restday)
        #expect(flood.minTurnout == .percent(80))
        #expect(flood.turnoutHard)
        let monthly = try #require(plan.rules.first { $0.id == "monthly-training" })
        #expect(
            monthly.onlyWeekdays.isEmpty && monthly.onlyDays == nil && monthly.minTurnout == nil
                && !monthly.turnoutHard)
        let longtan = try #require(plan.teams.first { $0.id == "v-longtan" })
        #expect(longtan.minGapDays == 10)
        #expect(longtan.idealGapDays == 60)
        #expect(longtan.minTurnout == .count(8))
        #expect(!longtan.turnoutHard)
        let shangcun = try #require(plan.teams.first { $0.id == "v-shangcun" })
        #expect(shangcun.minGapDays == nil && shangcun.idealGapDays == nil && shangcun.minTurnout == nil)
        let w = plan.weights
        let weights: [Int] = [
            w.offPreferredWeekday, w.spacingPerDay, w.offPreferredTime, w.turnoutBelowFloor, w.supervisorLoad,
            w.unmetDemand,
        ]
        #expect(weights == [20, 2, 3, 40, 0, 5000])
    }

    @Test func defaultWeightsAreTheDocumentedOnes() throws {
        let w = try parsedPlan().weights
        let weights: [Int] = [
            w.offPreferredWeekday, w.spacingPerDay, w.offPreferredTime, w.turnoutBelowFloor,
        ]
        #expect(weights == [10, 1, 2, 50])
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var old: String
        var new: String
        var field: String
        var found: String
        var testDescription: String { "\(field): \(new)" }
    }

    static let cases: [Case] = [
        Case(
            old: "only_weekdays: [SA, SU]", new: "only_weekdays: [SA, SUN]", field: "rules[0].only_weekdays",
            found: "SUN"),
        Case(
            old: "only_days: restday", new: "only_days: weekend", field: "rules[0].only_days",
            found: "weekend"),
        Case(old: "min_turnout: 80%", new: "min_turnout: 120%", field: "rules[0].min_turnout", found: "120%"),
        Case(old: "min_turnout: 80%", new: "min_turnout: most", field: "rules[0].min_turnout", found: "most"),
        Case(old: "turnout: hard", new: "turnout: strict", field: "rules[0].turnout", found: "strict"),
        Case(old: "wrap: true", new: "wrap: perhaps", field: "rules[1].window.wrap", found: "perhaps"),
        Case(
            old: "    min_gap_days: 10", new: "    min_gap_days: -3", field: "teams[2].min_gap_days",
            found: "-3"),
        Case(
            old: "ideal_gap_days: 60", new: "ideal_gap_days: 0", field: "teams[2].ideal_gap_days", found: "0"),
        Case(
            old: "min_turnout: 8", new: "min_turnout: 8 people", field: "teams[2].min_turnout",
            found: "8 people"),
        Case(old: "turnout: soft", new: "turnout: maybe", field: "teams[2].turnout", found: "maybe"),
        Case(
            old: "spacing_per_day: 2", new: "spacing_per_day: -1", field: "weights.spacing_per_day",
            found: "-1"),
        Case(
            old: "unmet_demand: 5000", new: "unmet_demand: 2000000", field: "weights.unmet_demand",
            found: "2000000"),
        Case(
            old: "supervisor_load: 0", new: "supervisor_lode: 0", field: "weights.supervisor_lode",
            found: "supervisor_lode"),
    ]

    @Test(arguments: cases) func badValueNamesLineAndField(_ c: Case) throws {
        let (yaml, line) = edit(Self.withFields, c.old, c.new)
        let e = try #require(failure(yaml))
        #expect(e.field == c.field, "\(e.message(.en))")
        #expect(e.found == c.found, "\(e.message(.en))")
        #expect(e.line == line, "\(e.message(.en))")
    }

    @Test func emptyOnlyWeekdaysIsAnError() throws {
        let (yaml, line) = edit(Self.withFields, "only_weekdays: [SA, SU]", "only_weekdays: []")
        let e = try #require(failure(yaml))
        #expect(e.field == "rules[0].only_weekdays")
        #expect(e.line == line)
    }

    /// A reversed window (from after to) is not silently read as wrapping over New Year.
    @Test func reversedWindowNeedsWrap() throws {
        let (yaml, line) = edit(
            Self.withFields, "window: {from: 11-01, to: 02-28, wrap: true}",
            "window: {from: 12-20, to: 10-21}")
        let e = try #require(failure(yaml))
        #expect(e.field == "rules[1].window.to")
        #expect(e.line == line)
        #expect(e.message(.en).contains("wrap: true"))
        #expect(e.message(.zh).contains("wrap: true"))
        #expect(e.message(.zh).contains("第 \(line) 行"))
        // The same window with wrap: true is accepted.
        _ = try parse(edit(Self.withFields, "wrap: true", "wrap: true").text)
    }
}
