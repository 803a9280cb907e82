import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DrillServer

@Suite("Live server")
struct LiveReloadTests {
    @Test("a roster change shows in the feeds without a restart (new ETag, new bytes)")
    func rosterChange() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let app = fixture.app { $0.reloadInterval = .milliseconds(100) }
        try await app.test(.live) { client in
            let before = try await client.execute(uri: "/calendars/qingshan/team-town.ics", method: .get)
            #expect(before.status == .ok)
            let oldTag = try #require(before.headers[.eTag])
            #expect(before.body.text.contains("龚旺生"))

            // Rename a town-team member, as an edit of roster.csv in a spreadsheet would.
            let roster = fixture.town.appendingPathComponent("roster.csv")
            let text = try String(contentsOf: roster, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "m001,龚旺生,", with: "m001,龚旺盛,").utf8).write(to: roster)

            var after = before
            for _ in 0..<100 {
                try await Task.sleep(for: .milliseconds(100))
                after = try await client.execute(uri: "/calendars/qingshan/team-town.ics", method: .get)
                if after.headers[.eTag] != oldTag { break }
            }
            #expect(after.status == .ok)
            #expect(after.headers[.eTag] != oldTag)
            #expect(after.body.text.contains("龚旺盛"))
            #expect(!after.body.text.contains("龚旺生"))
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
