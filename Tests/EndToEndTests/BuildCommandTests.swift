import Foundation
import ICal
import Testing

@Suite(.serialized) struct BuildCommandTests {
    let now = "2026-11-29T00:00:00Z"

    @Test func buildsTheExampleTownAndEveryFeedParses() throws {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", now])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("全部需求均已排入"))
        let feeds = town.appendingPathComponent("feeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: feeds.path).filter { $0.hasSuffix(".ics") }
        #expect(names.contains("town.ics"))
        #expect(names.contains("team-town.ics"))
        #expect(names.contains("village-longtan.ics"))
        #expect(names.contains("member-m001.ics"))
        #expect(names.filter { $0.hasPrefix("member-") }.count == 150)

        let roster = try CLI.read(town.appendingPathComponent("roster.csv"))
        let phones = roster.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst(2).first }
        #expect(phones.count == 150)
        for name in names {
            let text = try CLI.read(feeds.appendingPathComponent(name))
            let cal = try ICalParser.parse(text, source: name)
            #expect(cal.timeZoneIDs == ["Asia/Shanghai"], "\(name)")
            #expect(cal.properties["METHOD"] == "PUBLISH")
            #expect(cal.properties["X-WR-TIMEZONE"] == "Asia/Shanghai")
            #expect(cal.properties["REFRESH-INTERVAL"] != nil)
            #expect(cal.properties["X-PUBLISHED-TTL"] != nil)
            for ev in cal.events {
                #expect(ev.startTimeZone == "Asia/Shanghai" && ev.endTimeZone == "Asia/Shanghai")
                #expect(ev.uid.hasSuffix("@drillcal"))
            }
            // PIPL: no phone number in any feed.
            for phone in phones where !phone.isEmpty { #expect(!text.contains(phone), "\(name) leaks \(phone)") }
        }
        let town0 = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent("town.ics")), source: "town.ics")
        let drill = try #require(town0.events.first { $0.uid.contains("flood") })
        #expect(drill.summary?.contains("应急救援队") == true)
        #expect(drill.alarmCount == 2)
        #expect(drill.organizer?.name == "青山镇应急站")
        // Public feeds name nobody (plan feeds.public_attendees defaults to false); member feeds do.
        #expect(drill.attendees.isEmpty)
        let memberFeeds = names.filter { $0.hasPrefix("member-") }
        let named = try memberFeeds.contains { name in
            let cal = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent(name)), source: name)
            return cal.events.contains { $0.uid == drill.uid && !$0.attendees.isEmpty }
        }
        #expect(named)
        let report = try #require(town0.events.first { $0.uid.contains("-station-") })
        #expect(report.start?.date.month == 1)
    }

    @Test func rebuildIsByteIdenticalAndAnEditRaisesOnlyItsSequence() throws {
        let town = try CLI.scratchTown()
        let feeds = town.appendingPathComponent("feeds")
        #expect(try CLI.run(["build", town.path, "--now", now]).status == 0)
        let first = try CLI.snapshot(feeds)
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-05T00:00:00Z"]).status == 0)
        #expect(try CLI.snapshot(feeds) == first)

        // An unrelated roster edit: a new volunteer's phone and a changed phone number.
        let rosterURL = town.appendingPathComponent("roster.csv")
        var roster = try CLI.read(rosterURL)
        roster = roster.replacingOccurrences(of: "13800000150", with: "13900000150")
        try CLI.write(roster, rosterURL)
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-06T00:00:00Z"]).status == 0)
        let before = try ICalParser.parse(String(decoding: first["town.ics"]!, as: UTF8.self), source: "before")
        let after = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent("town.ics")), source: "after")
        #expect(before.events.map(\.uid) == after.events.map(\.uid))
        #expect(before.events.map(\.sequence) == after.events.map(\.sequence))
        #expect(before.events.map(\.stamp) == after.events.map(\.stamp))

        // Renaming a member changes the events they attend: same UIDs, SEQUENCE raised, nothing else touched.
        let first001 = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent("member-m001.ics")), source: "m001")
        roster = roster.replacingOccurrences(of: "m001,龚旺生", with: "m001,龚旺盛")
        try CLI.write(roster, rosterURL)
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-07T00:00:00Z"]).status == 0)
        let renamed = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent("town.ics")), source: "renamed")
        let touched = Set(first001.events.map(\.uid))
        #expect(renamed.events.map(\.uid) == before.events.map(\.uid))
        for (old, new) in zip(before.events, renamed.events) {
            #expect(new.sequence == old.sequence + (touched.contains(old.uid) ? 1 : 0), "\(old.uid)")
        }
    }

    @Test func removedSessionIsPublishedAsCancelled() throws {
        let town = try CLI.scratchTown()
        let feeds = town.appendingPathComponent("feeds")
        #expect(try CLI.run(["build", town.path, "--now", now]).status == 0)
        let planURL = town.appendingPathComponent("plan.yaml")
        let plan = try CLI.read(planURL)
        // Cut the June safety-month drill from the plan.
        let lines = plan.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.contains("- id: safety-month-drill") })
        var end = start + 1
        while end < lines.count, !lines[end].trimmingCharacters(in: .whitespaces).hasPrefix("- id:") { end += 1 }
        let removedID = lines[start].components(separatedBy: "id:")[1].trimmingCharacters(in: .whitespaces)
        try CLI.write((lines[..<start] + lines[end...]).joined(separator: "\n"), planURL)
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-01T00:00:00Z"]).status == 0)
        let cal = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent("team-town.ics")), source: "team")
        let gone = cal.events.filter { $0.uid.contains("-\(removedID)-") }
        #expect(!gone.isEmpty)
        #expect(gone.allSatisfy { $0.status == "CANCELLED" && $0.sequence == 1 })
        // 31 days later the cancelled event is dropped.
        #expect(try CLI.run(["build", town.path, "--now", "2027-01-02T00:00:00Z"]).status == 0)
        let later = try ICalParser.parse(try CLI.read(feeds.appendingPathComponent("team-town.ics")), source: "team")
        #expect(!later.events.contains { $0.uid.contains("-\(removedID)-") })
    }

    @Test func jsonAndEnglishOutput() throws {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", now, "--json"])
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["town"] as? String == "qingshan")
        #expect((json["sessions"] as? [Any])?.isEmpty == false)
        #expect((json["unmet"] as? [Any])?.isEmpty == true)
        let perTeam = try #require(json["sessionsPerTeam"] as? [String: Int])
        #expect(perTeam["v-longtan"]! > 0)
        let en = try CLI.run(["build", town.path, "--now", now, "--lang", "en"])
        #expect(en.stdout.contains("Every demand was placed."))
    }

    @Test func explainTellsWhyASessionMoved() throws {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", now, "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let sessions = json["sessions"] as! [[String: Any]]
        let uid = sessions.first { ($0["uid"] as! String).contains("flood") }!["uid"] as! String
        let e = try CLI.run(["explain", town.path, uid])
        #expect(e.status == 0, "\(e.stderr)")
        #expect(e.stdout.contains("排定："))
        #expect(e.stdout.contains("目标日期："))
        let missing = try CLI.run(["explain", town.path, "nope@drillcal"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("未找到"))
    }

    @Test func unmetDemandExitsOneAndWritesNothingUnlessAllowed() throws {
        let town = try CLI.scratchTown()
        let planURL = town.appendingPathComponent("plan.yaml")
        // A rule that can only fall in the National Day holiday.
        let extra = """

              - id: impossible
                name: 国庆期间演练
                kind: training
                teams: [town]
                every: 1 per year
                window: {from: 10-02, to: 10-04}

            """
        try CLI.write(try CLI.read(planURL) + extra, planURL)
        let r = try CLI.run(["build", town.path, "--now", now])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("qingshan-2027-impossible-town-01@drillcal"))
        #expect(r.stdout.contains("节假日"))
        #expect(!FileManager.default.fileExists(atPath: town.appendingPathComponent("feeds").path))
        let partial = try CLI.run(["build", town.path, "--now", now, "--allow-partial"])
        #expect(partial.status == 0)
        #expect(FileManager.default.fileExists(atPath: town.appendingPathComponent("feeds/town.ics").path))
    }
}
