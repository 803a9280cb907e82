import DrillCore
import DrillStore
import Foundation
import Testing

/// A member's absence notice lowers the expected turnout the next build and check use (issue 8, item 4).
@Suite(.serialized) struct AbsenceNoticeBuildTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"

    @Test("after a notice the rebuilt roster of the session expects the member away; the feeds never carry the reason")
    func noticeCountsAsAway() async throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        let before = try await store.roster(of: drill)
        #expect(before.first { $0.memberID == "m048" }?.away == false)
        try await store.reportAbsence(
            AbsenceNotice(sessionUID: drill, memberID: "m048", reason: "去广东务工私事", at: 1_790_000_000))
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try await store.roster(of: drill)
        #expect(after.first { $0.memberID == "m048" }?.away == true, "the notice counts as away for that day")
        let feeds = town.appendingPathComponent("feeds")
        for name in try FileManager.default.contentsOfDirectory(atPath: feeds.path) {
            let text = try String(contentsOf: feeds.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("去广东务工私事"), "\(name) carries the reason")
        }
    }
}
