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

    @Test("a notice follows its session when it is postponed: the member is expected away on the new day")
    func noticeFollowsAPostponedSession() async throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        let old = try #require(try await store.session(drill))
        try await store.reportAbsence(
            AbsenceNotice(sessionUID: drill, memberID: "m048", reason: "去广东务工", at: 1_790_000_000))
        let p = try CLI.run([
            "postpone", town.path, drill, "--reason", "暴雨红色预警", "--now", "2027-03-01T00:00:00Z",
        ])
        #expect(p.status == 0, "\(p.stderr)")
        let moved = try #require(try await store.session(drill))
        #expect(moved.slot.date != old.slot.date)
        // The notice stays with the session (not with the old day) and counts on the new day, in
        // the build the postpone ran itself and in every later one.
        #expect(try await store.absences().map(\.sessionUID) == [drill])
        #expect(try await store.roster(of: drill).first { $0.memberID == "m048" }?.away == true, "away on the new day")
        #expect(try CLI.run(["build", town.path, "--now", "2027-03-02T00:00:00Z"]).status == 0)
        #expect(try await store.roster(of: drill).first { $0.memberID == "m048" }?.away == true)
        // Withdrawn (the member can come on the new day): expected again.
        #expect(try await store.withdrawAbsence(session: drill, member: "m048", at: 1_800_000_000))
        #expect(try CLI.run(["build", town.path, "--now", "2027-03-02T00:00:00Z"]).status == 0)
        #expect(try await store.roster(of: drill).first { $0.memberID == "m048" }?.away == false)
    }
}
