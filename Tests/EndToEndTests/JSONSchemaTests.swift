import ChildProcess
import Foundation
import Testing

/// The real `build --json` and `check --json` outputs validate against docs/schema/ with an
/// independent validator (Python jsonschema, Debian's python3-jsonschema, installed by
/// scripts/setup.sh), and name the same things with the same keys.
@Suite(.serialized) struct JSONSchemaTests {
    /// Runs scripts/validate_json.py on `json` against `schema` (a file name under docs/schema/).
    static func validate(_ json: String, against schema: String) throws -> CLI.Result {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drillcal-json-\(UUID().uuidString).json")
        try CLI.write(json, file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try ChildProcess.run(
            "/usr/bin/python3",
            [
                CLI.root.appendingPathComponent("scripts/validate_json.py").path,
                CLI.root.appendingPathComponent("docs/schema/\(schema)").path, file.path,
            ])
        let result = CLI.Result(status: r.status, stdout: r.stdoutText, stderr: r.stderrText)
        #expect(
            !result.stderr.contains("No module named 'jsonschema'"),
            "python3-jsonschema is missing: run scripts/setup.sh")
        return result
    }

    static func object(_ json: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    static func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func buildAndCheckOnTheRealisticTownFollowTheSchemas() async throws {
        let town = try RealisticTownTests.town()
        let build = try CLI.run([
            "build", town.path, "--now", "2026-11-29T00:00:00Z", "--json", "--allow-partial",
        ])
        #expect(build.status == 0 || build.status == 1, "\(build.stderr)")
        let b = try Self.validate(build.stdout, against: "build.schema.json")
        #expect(b.status == 0, "\(b.stdout)\(b.stderr)")
        _ = try await RealisticTownTests.recordYear(town)
        var kinds = Set<String>()
        for day in ["2027-07-01", "2027-12-31"] {
            let check = try CLI.run(["check", town.path, "--json", "--as-of", day])
            #expect(check.status == 1)
            let c = try Self.validate(check.stdout, against: "check.schema.json")
            #expect(c.status == 0, "\(day): \(c.stdout)\(c.stderr)")
            for f in try Self.object(check.stdout)["findings"] as! [[String: Any]] {
                kinds.insert(f["kind"] as! String)
            }
        }
        // The outputs cover the kinds a real year has, not only the roster ones.
        for kind in [
            "below_minimum", "turnout_below_minimum", "member_below_threshold", "summary_missing",
            "deadline_not_done",
        ] {
            #expect(kinds.contains(kind), "\(kind) not in \(kinds.sorted())")
        }

        // The same keys for the same things: a finding's `session` is a build session's `uid`.
        let sessions = try Self.object(build.stdout)["sessions"] as! [[String: Any]]
        let uids = Set(sessions.map { $0["uid"] as! String })
        let check = try Self.object(
            try CLI.run(["check", town.path, "--json", "--as-of", "2027-12-31"]).stdout)
        let referenced = (check["findings"] as! [[String: Any]]).compactMap { $0["session"] as? String }
        #expect(!referenced.isEmpty && referenced.allSatisfy(uids.contains))
        let joint = try #require(sessions.first { ($0["teams"] as! [String]).count > 1 })
        #expect((joint["title"] as! String).contains("、"), "a joint session's title names its teams")
        #expect(sessions.contains { $0["form"] as? String == "live" && $0["kind"] as? String == "drill" })
    }

    @Test func theValidatorRejectsWhatTheSchemasForbid() throws {
        let town = try CLI.scratchTown()
        let build = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z", "--json"])
        #expect(build.status == 0)
        #expect(try Self.validate(build.stdout, against: "build.schema.json").status == 0)
        // `sessions --json` lists the same sessions under the same keys (uid, title, kind…).
        let listed = try CLI.run(["sessions", town.path, "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let v = try Self.validate(listed.stdout, against: "sessions.schema.json")
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as! [[String: Any]]
        let built = (try Self.object(build.stdout)["sessions"] as! [[String: Any]]).map { $0["uid"] as! String }
        #expect(Set(rows.map { $0["uid"] as! String }) == Set(built))
        // The old snake_case key, a session kind that does not exist, a session without its title.
        var old = try Self.object(build.stdout)
        old["sessions_per_team"] = old.removeValue(forKey: "sessionsPerTeam")
        var sessions = old["sessions"] as! [[String: Any]]
        sessions[0]["kind"] = "exercise"
        sessions[1].removeValue(forKey: "title")
        sessions[2]["form"] = "live"
        sessions[2]["kind"] = "training"
        old["sessions"] = sessions
        let bad = try Self.validate(try Self.text(old), against: "build.schema.json")
        #expect(bad.status == 1)
        for expected in [
            "sessions_per_team", "sessionsPerTeam", "'exercise'", "'title' is a required property",
            "'drill' was expected",
        ] {
            #expect(bad.stdout.contains(expected), "\(expected) not in \(bad.stdout)")
        }

        let check = try CLI.run(["check", town.path, "--json", "--as-of", "2027-07-01"])
        #expect(check.status == 1)
        #expect(try Self.validate(check.stdout, against: "check.schema.json").status == 0)
        var wrong = try Self.object(check.stdout)
        wrong["asOf"] = "July"
        var findings = wrong["findings"] as! [[String: Any]]
        findings[0].removeValue(forKey: "message")
        findings[1]["session"] = "not a uid"
        wrong["findings"] = findings
        let rejected = try Self.validate(try Self.text(wrong), against: "check.schema.json")
        #expect(rejected.status == 1)
        #expect(rejected.stdout.contains("'July' does not match"), "\(rejected.stdout)")
        #expect(rejected.stdout.contains("'message' is a required property"), "\(rejected.stdout)")
        #expect(rejected.stdout.contains("'not a uid' does not match"), "\(rejected.stdout)")
    }
}
