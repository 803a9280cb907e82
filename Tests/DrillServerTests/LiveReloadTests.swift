import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DrillFeeds
@testable import DrillServer

@Suite("Live server")
struct LiveReloadTests {
    @Test("a roster change shows in the feeds without a restart (new ETag, new bytes)")
    func rosterChange() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let app = fixture.app { $0.reloadInterval = .milliseconds(100) }
        try await app.testPatiently { client in
            let before = try await client.execute(uri: "/calendars/qingshan/team-town.ics", method: .get)
            #expect(before.status == .ok)
            let oldTag = try #require(before.headers[.eTag])
            // Public feeds name nobody (feeds.public_attendees is off): the roster shows as a count.
            #expect(!before.body.text.contains("龚旺生"))
            let counted = try Regex("青山镇综合性应急救援队（在册 ([0-9]+) 人")
            let unfoldedBefore = before.body.text.replacingOccurrences(of: "\r\n ", with: "")
            let match = try #require(unfoldedBefore.firstMatch(of: counted))
            let digits = try #require(match.output[1].substring)
            let size = try #require(Int(String(digits)))

            // A town-team member leaves, as deleting a row of roster.csv in a spreadsheet would.
            let roster = fixture.town.appendingPathComponent("roster.csv")
            let text = try String(contentsOf: roster, encoding: .utf8)
            let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("m001,") }
            try Data(kept.joined(separator: "\n").utf8).write(to: roster)

            var after = before
            // A rebuild of the example takes seconds on a loaded machine: wait up to a minute.
            for _ in 0..<600 {
                try await Task.sleep(for: .milliseconds(100))
                after = try await client.execute(uri: "/calendars/qingshan/team-town.ics", method: .get)
                if after.headers[.eTag] != oldTag { break }
            }
            #expect(after.status == .ok)
            #expect(after.headers[.eTag] != oldTag)
            let unfoldedAfter = after.body.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfoldedAfter.contains("青山镇综合性应急救援队（在册 \(size - 1) 人"))
            #expect(!unfoldedAfter.contains("青山镇综合性应急救援队（在册 \(size) 人"))
            let stale = try await client.execute(
                uri: "/calendars/qingshan/team-town.ics", method: .get,
                headers: .make([("If-None-Match", oldTag)]))
            #expect(stale.status == .ok, "the old tag no longer validates")
            // Last-Modified moved forward.
            let was = HTTPDate.parse(before.headers[.lastModified]!)!
            let now = HTTPDate.parse(after.headers[.lastModified]!)!
            #expect(now >= was)
        }
    }

    @Test("a build swapped in behind the feeds link is noticed: the server reads the new manifest")
    func swappedGeneration() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let folder = fixture.town.appendingPathComponent("feeds")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path).hasPrefix("feeds.d/"))
        #expect(fixture.library.reloadIfChanged(logger: .init(label: "test")) == false)
        // Another build published a manifest in which one event has a higher SEQUENCE.
        var manifest = try FeedWriter.previousManifest(in: folder)
        let uid = try #require(manifest.events.keys.sorted().first)
        let sequence = try #require(manifest.events[uid]).sequence + 5
        manifest.events[uid]?.sequence = sequence
        let texts = fixture.expected.sorted { $0.key < $1.key }
        try FeedWriter.write(
            FeedSet(
                files: texts.map { FeedFile(name: $0.key, text: $0.value, eventCount: 0) }, manifest: manifest,
                renderedEvents: 0),
            to: folder)
        #expect(fixture.library.reloadIfChanged(logger: .init(label: "test")) == true)
        try await fixture.app().test(.router) { client in
            let town = try await client.execute(uri: "/calendars/qingshan/town.ics", method: .get)
            let unfolded = town.body.text.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains("UID:\(uid)\r\nSEQUENCE:\(sequence)\r\n"))
        }
    }

    @Test("a plan that stops loading keeps the last good feeds online")
    func brokenPlan() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let catalog = fixture.library.catalog
        let plan = fixture.town.appendingPathComponent("plan.yaml")
        try Data("town: [unclosed\n".utf8).write(to: plan)
        #expect(fixture.library.reloadIfChanged(logger: .init(label: "test")) == false)
        #expect(fixture.library.catalog === catalog)
        #expect(
            fixture.library.reloadIfChanged(logger: .init(label: "test")) == false,
            "not retried until it changes again")
    }
}
