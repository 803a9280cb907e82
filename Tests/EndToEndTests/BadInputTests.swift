import Foundation
import ICal
import Testing

/// Each bad input after a good build: exit 2, one message naming file, line and field, and the
/// feeds already exported left exactly as they were.
@Suite(.serialized) struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String  // plan.yaml or roster.csv
        var edit: @Sendable (String) -> String
        var bytes: (@Sendable (String) -> [UInt8])? = nil
        var needles: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed YAML", file: "plan.yaml", edit: { $0.replacingOccurrences(of: "year: 2027", with: "year: [2027") },
             needles: ["plan.yaml", "YAML"]),
        Case(name: "unknown team in a rule", file: "plan.yaml",
             edit: { $0.replacingOccurrences(of: "teams: [town, volunteers]\n    joint: true\n    every: 1 per year\n    anchor: {date: 05-12", with: "teams: [town, v-nowhere]\n    joint: true\n    every: 1 per year\n    anchor: {date: 05-12") },
             needles: ["plan.yaml", "teams", "v-nowhere"]),
        Case(name: "invalid RRULE", file: "plan.yaml", edit: { $0.replacingOccurrences(of: "FREQ=MONTHLY;BYDAY=2SA", with: "FREQ=MONTHLY;BYDAY=XX") },
             needles: ["plan.yaml", "rrule", "BYDAY=XX"]),
        Case(name: "RRULE libical accepts wrongly", file: "plan.yaml", edit: { $0.replacingOccurrences(of: "FREQ=MONTHLY;BYDAY=2SA", with: "FREQ=WEEKLY;BYDAY=2MO") },
             needles: ["plan.yaml", "rrule", "FREQ=WEEKLY;BYDAY=2MO"]),
        Case(name: "bad date", file: "plan.yaml", edit: { $0.replacingOccurrences(of: "window: {from: 11-01, to: 12-15}", with: "window: {from: 11-01, to: 02-30}") },
             needles: ["plan.yaml", "02-30"]),
        Case(name: "duplicate member id", file: "roster.csv", edit: { $0.replacingOccurrences(of: "\nm002,", with: "\nm001,") },
             needles: ["roster.csv", "第 3 行", "m001", "第 2 行"]),
        Case(name: "wrong number of columns", file: "roster.csv", edit: { $0.replacingOccurrences(of: "m003,朱良,13800000003,town,police,,,", with: "m003,朱良,13800000003,town,police,,") },
             needles: ["roster.csv", "第 4 行", "8"]),
        Case(name: "undecodable bytes", file: "roster.csv", edit: { $0 },
             bytes: { text in Array(text.utf8.prefix(200)) + [0xFF, 0xFE, 0x81] + Array(text.utf8.dropFirst(200)) },
             needles: ["roster.csv"]),
    ]

    @Test(arguments: cases) func badInputExitsTwoAndLeavesFeedsAlone(_ c: Case) throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let feeds = town.appendingPathComponent("feeds")
        let before = try CLI.snapshot(feeds)
        let url = town.appendingPathComponent(c.file)
        let original = try CLI.read(url)
        let edited = c.edit(original)
        if let bytes = c.bytes {
            try Data(bytes(original)).write(to: url)
        } else {
            #expect(edited != original, "the edit did not apply")
            try CLI.write(edited, url)
        }
        for args in [["build", town.path], ["check", town.path], ["build", town.path, "--lang", "en"]] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(c.name) \(args): \(r.stdout)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(c.name): one message, got \(r.stderr)")
            if args.last != "en" {
                for n in c.needles { #expect(r.stderr.contains(n), "\(c.name): \(n) missing in \(r.stderr)") }
                #expect(r.stderr.contains("应为") && r.stderr.contains("实际为"))
            } else {
                #expect(r.stderr.contains("expected") && r.stderr.contains("found"))
            }
        }
        #expect(try CLI.snapshot(feeds) == before, "\(c.name): feeds changed")
        #expect(!FileManager.default.fileExists(atPath: feeds.appendingPathComponent("town.ics.tmp").path))
    }

    @Test func nameWithPunctuationAndLineBreakReachesTheFeedIntact() throws {
        let town = try CLI.scratchTown()
        let rosterURL = town.appendingPathComponent("roster.csv")
        let odd = "欧阳,\"小\";明\n二"
        let roster = try CLI.read(rosterURL).replacingOccurrences(of: "m001,龚旺生,", with: "m001,\"欧阳,\"\"小\"\";明\n二\",")
        try CLI.write(roster, rosterURL)
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try CLI.read(town.appendingPathComponent("feeds/member-m001.ics"))
        let cal = try ICalParser.parse(text, source: "member-m001.ics")
        #expect(!cal.events.isEmpty)
        for event in cal.events {
            #expect(event.attendees.contains { $0.name == odd && $0.address.hasSuffix(":member:m001") })
        }
        // The calendar name is one line: the break becomes a space.
        #expect(cal.properties["X-WR-CALNAME"]?.hasPrefix("欧阳,\"小\";明 二") == true)
    }

    @Test func checkReportsTheShortVillageAndExitsOne() throws {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["check", town.path, "--as-of", "2026-12-01"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("龙潭村应急救援队人数不足：现有 9 人，最少应为 10 人（缺 1 人）"))
        #expect(r.stdout.contains("zhulin-3 没有应急管理员"))
        let en = try CLI.run(["check", town.path, "--as-of", "2026-12-01", "--lang", "en"])
        #expect(en.stdout.contains("below its minimum: 9 members, needs at least 10"))
    }
}
