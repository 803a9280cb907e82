import DrillCore
import DrillStore
import Foundation
import Testing

/// Attendance is taken only for sessions that have started (issue 8, item 8).
@Suite(.serialized) struct NotStartedTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"

    func published() throws -> URL {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        return town
    }

    @Test("marks and imports for a session ahead are refused (exit 2, nothing written); --force records them, audited")
    func refusedUntilStarted() async throws {
        let town = try published()
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        let session = try #require(try await store.session(drill))
        // The day before the drill, in the plan's zone (Asia/Shanghai, UTC+8).
        let dayBefore = CivilDate(dayNumber: session.slot.date.dayNumber - 1)
        let before = ["DRILLCAL_NOW": "\(dayBefore)T12:00:00Z"]

        let marks = try CLI.run(["attend", town.path, drill, "--present", "m048"], env: before)
        #expect(marks.status == 2)
        #expect(marks.stderr.contains("尚未开始"), "\(marks.stderr)")
        #expect(marks.stderr.contains("--force"))
        let sheet = town.appendingPathComponent("sheet.csv")
        try CLI.write("活动,编号,姓名,出勤,原因\r\n\(drill),m048,李冬生,到场,\r\n", sheet)
        let imported = try CLI.run(["attend", town.path, "--import", sheet.path, "--lang", "en"], env: before)
        #expect(imported.status == 2)
        #expect(imported.stderr.contains("sheet.csv:2"), "\(imported.stderr)")
        #expect(imported.stderr.contains("a session that has started"))
        #expect(try await store.marks(session: drill).isEmpty, "nothing written")

        let forced = try CLI.run(["attend", town.path, drill, "--present", "m048", "--by", "刘建国", "--force"], env: before)
        #expect(forced.status == 0, "\(forced.stderr)")
        let audit = try await store.audit(session: drill)
        #expect(audit.count == 1)
        #expect(audit.first?.by == "刘建国 --force", "the override is in the audit trail")

        // Once the session has started (its start hour, local time), marks go in without --force.
        let start = LocalTime(minutes: session.slot.startMinute % 1440)!
        let utcHour = (start.minutes / 60 + 24 - 8) % 24
        let started = ["DRILLCAL_NOW": String(format: "%@T%02d:%02d:00Z", "\(session.slot.date)", utcHour, start.minutes % 60)]
        let after = try CLI.run(["attend", town.path, drill, "--late", "m049"], env: started)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try await store.audit(session: drill).last?.by.hasSuffix("--force") == false)
    }
}
