import Foundation
import Testing

/// The calendar text is a setting of the town (`feeds: {language: …}` in plan.yaml); `--lang`
/// changes only what the console prints (issue 8, item 7).
@Suite struct FeedLanguageTests {
    let now = "2026-11-29T00:00:00Z"

    func townFeed(_ town: URL) throws -> String {
        try CLI.read(town.appendingPathComponent("feeds/town.ics"))
    }

    @Test("build --lang en prints English but writes the same Chinese feeds, byte for byte")
    func consoleLanguageLeavesFeedsAlone() throws {
        let zh = try CLI.scratchTown()
        let en = try CLI.scratchTown()
        #expect(try CLI.run(["build", zh.path, "--now", now]).status == 0)
        let r = try CLI.run(["build", en.path, "--now", now, "--lang", "en"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Every demand was placed."))
        let zhFeeds = try CLI.snapshot(zh.appendingPathComponent("feeds"))
        let enFeeds = try CLI.snapshot(en.appendingPathComponent("feeds"))
        #expect(zhFeeds.keys.sorted() == enFeeds.keys.sorted())
        for (name, bytes) in zhFeeds where name != "manifest.json" {
            #expect(enFeeds[name] == bytes, "\(name) differs with --lang en")
        }
        #expect(try townFeed(en).contains("X-WR-CALNAME:青山镇应急培训演练日历（2027）"))
    }

    @Test("feeds: {language: en} writes English calendar text whatever --lang says; a bad value names line and field")
    func planSetsTheFeedLanguage() throws {
        let town = try CLI.scratchTown()
        let plan = town.appendingPathComponent("plan.yaml")
        let original = try CLI.read(plan)
        try CLI.write(original + "\nfeeds:\n  language: en\n", plan)
        let r = try CLI.run(["build", town.path, "--now", now])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("排期"), "the console stays Chinese: \(r.stdout.prefix(200))")
        let feed = try townFeed(town)
        #expect(feed.contains("X-WR-CALNAME:Qingshan Town training and drills 2027"))
        #expect(!feed.contains("X-WR-CALNAME:青山镇"))

        try CLI.write(original + "\nfeeds:\n  language: fr\n", plan)
        let bad = try CLI.run(["build", town.path, "--now", now])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("plan.yaml"))
        #expect(bad.stderr.contains("language"), "\(bad.stderr)")
        #expect(bad.stderr.contains("fr"))
    }
}
