import ChildProcess
import Foundation
import Testing

/// `drillcal build` switches feed sets whole: killed at any instant it leaves the old set or the
/// new one, never a mix and never temporary files in the feed folder; `--out` deletes nothing it
/// did not write.
@Suite(.serialized) struct FeedSwitchTests {
    /// The published set: every file behind the feeds link, by name.
    func published(_ town: URL) throws -> [String: Data] {
        let feeds = town.appendingPathComponent("feeds")
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: feeds.path)
        #expect(target.hasPrefix("feeds.d/"), "feeds is a link into feeds.d, found \(target)")
        return try CLI.snapshot(feeds)
    }

    func copy(_ town: URL) throws -> URL {
        let twin = town.deletingLastPathComponent().appendingPathComponent("twin-\(UUID().uuidString)")
        #expect(try ChildProcess.run("/bin/cp", ["-a", town.path, twin.path]).status == 0)
        return twin
    }

    /// Runs `build town --now now` and kills it with SIGKILL `seconds` after it started.
    func killedBuild(_ town: URL, now: String, after seconds: Double) throws {
        let p = try RunningProcess(CLI.binary.path, ["build", town.path, "--now", now], stdout: .discard, stderr: .discard)
        usleep(UInt32(seconds * 1_000_000))
        p.signal(SIGKILL)
        p.waitUntilExit()
    }

    @Test func aBuildKilledAtRandomInstantsLeavesTheOldSetOrTheNewOne() throws {
        let town = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: town.deletingLastPathComponent().deletingLastPathComponent())
        }
        let planURL = town.appendingPathComponent("plan.yaml")
        let plan = try CLI.read(planURL)
        // The station is in every event (ORGANIZER, DESCRIPTION) and every calendar (X-WR-CALDESC):
        // toggling it changes every feed, the worst case for mixing.
        let variants = [plan, plan.replacingOccurrences(of: "station: 青山镇应急站", with: "station: 青山镇应急管理站")]
        #expect(variants[0] != variants[1])
        var r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")

        var rng = SystemRandomNumberGenerator()
        var outcomes: [String] = []
        for round in 1...6 {
            let now = "2026-12-0\(round)T00:00:00Z"
            let old = try published(town)
            try CLI.write(variants[round % 2], planURL)
            // The set a finished build publishes, from a twin of the folder as it stands.
            let twin = try copy(town)
            defer { try? FileManager.default.removeItem(at: twin) }
            let started = Date()
            r = try CLI.run(["build", twin.path, "--now", now])
            let duration = Date().timeIntervalSince(started)
            #expect(r.status == 0, "\(r.stderr)")
            let new = try published(twin)
            #expect(new != old)

            // The same build here, killed with SIGKILL at a random instant of its run.
            try killedBuild(town, now: now, after: Double.random(in: 0...1, using: &rng) * duration)

            let seen = try published(town)
            #expect(seen == old || seen == new, "round \(round): a mixed set")
            outcomes.append(seen == new ? "new" : "old")
            for name in seen.keys { #expect(!name.contains(".tmp-"), "round \(round): \(name)") }
            let townEntries = try FileManager.default.contentsOfDirectory(atPath: town.path)
            #expect(townEntries.allSatisfy { !$0.contains(".tmp-") }, "round \(round): \(townEntries)")
            // Finish the round: the next build completes and cleans what the killed one left.
            r = try CLI.run(["build", town.path, "--now", now])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try published(town) == new)
            let generations = try FileManager.default.contentsOfDirectory(
                atPath: town.appendingPathComponent("feeds.d").path)
            #expect(generations.allSatisfy { !$0.contains(".tmp-") }, "round \(round): \(generations)")
            #expect(generations.filter { Int($0) != nil }.count <= 2)
        }
        print("kill outcomes: \(outcomes)")
    }

    /// A town's first build makes its database in memory and links it into place with the feeds:
    /// killed at any instant, it leaves no database or a whole one, no feeds or a whole set, and
    /// the next build completes and removes what the killed one left.
    @Test func aFirstBuildKilledAtRandomInstantsLeavesNoDatabaseOrAWholeOne() throws {
        let town = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: town.deletingLastPathComponent().deletingLastPathComponent())
        }
        let pristine = try copy(town)
        defer { try? FileManager.default.removeItem(at: pristine) }
        let now = "2026-11-29T00:00:00Z"
        let started = Date()
        var r = try CLI.run(["build", town.path, "--now", now])
        let duration = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stderr)")
        let complete = try published(town)
        let sessions = try CLI.run(["sessions", town.path, "--json"])
        #expect(sessions.status == 0, "\(sessions.stderr)")

        var rng = SystemRandomNumberGenerator()
        var outcomes: [String] = []
        for round in 1...6 {
            try FileManager.default.removeItem(at: town)
            try FileManager.default.copyItem(at: pristine, to: town)
            try killedBuild(town, now: now, after: Double.random(in: 0.3...2.5, using: &rng) * duration)

            let database = town.appendingPathComponent("drillcal.sqlite").path
            let feeds = town.appendingPathComponent("feeds").path
            let hasDatabase = FileManager.default.fileExists(atPath: database)
            let hasFeeds = FileManager.default.fileExists(atPath: feeds)
            outcomes.append("\(hasDatabase ? "db" : "-")/\(hasFeeds ? "feeds" : "-")")
            if hasDatabase {
                // A whole database: it opens and lists the sessions the complete build published.
                let listed = try CLI.run(["sessions", town.path, "--json"])
                #expect(listed.status == 0 && listed.stdout == sessions.stdout, "round \(round): \(listed.stderr)")
            }
            if hasFeeds { #expect(try published(town) == complete, "round \(round): a partial set") }
            // Feeds are switched after the database is in place, never before.
            #expect(!hasFeeds || hasDatabase, "round \(round): feeds without their database")
            r = try CLI.run(["build", town.path, "--now", now])
            #expect(r.status == 0, "round \(round): \(r.stderr)")
            #expect(try published(town) == complete)
            let entries = try FileManager.default.contentsOfDirectory(atPath: town.path)
            #expect(entries.allSatisfy { !$0.contains(".tmp-") && !$0.contains(".new-") }, "round \(round): \(entries)")
        }
        print("first-build kill outcomes: \(outcomes)")
    }

    @Test func outIntoAFolderWithAForeignCalendarKeepsIt() throws {
        let town = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: town.deletingLastPathComponent().deletingLastPathComponent())
        }
        let web = town.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("www")
        try FileManager.default.createDirectory(at: web, withIntermediateDirectories: true)
        let foreign = web.appendingPathComponent("county-holidays.ics")
        try CLI.write("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", foreign)
        try CLI.write("<h1>站点</h1>", web.appendingPathComponent("index.html"))

        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z", "--out", web.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("county-holidays.ics") || r.stderr.contains("index.html"), "\(r.stderr)")
        #expect(r.stderr.contains("未做任何改动"))
        #expect(try CLI.read(foreign) == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: web.path).sorted() == [
                "county-holidays.ics", "index.html",
            ])

        // A folder of its own inside it works, and rebuilding there deletes nothing else.
        let calendars = web.appendingPathComponent("calendars")
        let ok = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z", "--out", calendars.path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: calendars.appendingPathComponent("town.ics").path))
        #expect(try CLI.read(foreign) == "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: web.path).sorted()
                == ["calendars", "calendars.d", "county-holidays.ics", "index.html"])
        // The town folder got no feeds: --out was the only place written.
        #expect(!FileManager.default.fileExists(atPath: town.appendingPathComponent("feeds").path))
    }
}
