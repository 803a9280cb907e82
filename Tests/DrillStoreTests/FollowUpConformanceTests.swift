import DrillCore
import Testing

@testable import DrillStore

/// Deadlines recorded as done and corrective actions, in every store.
@Suite("Follow-up conformance")
struct FollowUpConformanceTests {
    let due = CivilDate(year: 2027, month: 6, day: 30)!

    @Test("a deadline is done only once recorded, once, and only a deadline", arguments: StoreKind.allCases)
    func deadlines(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.deadlineRecords().isEmpty)
        try await store.recordDeadlineDone(
            Sample.deadline.uid, note: "青应〔2027〕3号", by: "站长", at: 1_800_000_000)
        #expect(
            try await store.deadlineRecords()
                == [
                    DeadlineRecord(
                        sessionUID: Sample.deadline.uid, note: "青应〔2027〕3号", by: "站长", at: 1_800_000_000)
                ])
        await #expect(throws: StoreError.self) {
            try await store.recordDeadlineDone(
                Sample.deadline.uid, note: "again", by: "站长", at: 1_800_000_100)
        }
        await #expect(throws: StoreError.self) {
            try await store.recordDeadlineDone(Sample.drill.uid, note: "", by: "站长", at: 1_800_000_100)
        }
        await #expect(throws: StoreError.unknownSession("nope")) {
            try await store.recordDeadlineDone("nope", note: "", by: "站长", at: 1_800_000_100)
        }
        #expect(try await store.deadlineRecords().count == 1)
    }

    @Test(
        "actions are numbered, deduplicated per session and closed once with a note",
        arguments: StoreKind.allCases)
    func actions(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let a = try await store.addAction(
            sessionUID: Sample.drill.uid, text: "增设应急广播", owner: "上村村委会", due: due, by: "站长", at: 1)
        let b = try await store.addAction(
            sessionUID: nil, text: "更新网格台账", owner: "镇应急站", due: due.adding(days: -30), by: "站长", at: 2)
        #expect((a.id, b.id) == (1, 2))
        #expect(a.status == .open && a.note.isEmpty && a.closedAt == nil)
        let again = try await store.addAction(
            sessionUID: Sample.drill.uid, text: "增设应急广播", owner: "别人", due: due, by: "站长", at: 3)
        #expect(again == a, "the same improvement of the same drill is not added twice")
        #expect(try await store.actions().map(\.id) == [2, 1], "by due date")

        await #expect(throws: StoreError.self) { try await store.closeAction(1, note: " ", by: "站长", at: 4) }
        await #expect(throws: StoreError.self) {
            try await store.closeAction(9, note: "done", by: "站长", at: 4)
        }
        let closed = try await store.closeAction(1, note: "已安装4套", by: "站长", at: 5)
        #expect(closed.status == .done && closed.note == "已安装4套" && closed.closedAt == 5)
        await #expect(throws: StoreError.self) {
            try await store.closeAction(1, note: "again", by: "站长", at: 6)
        }
        #expect(try await store.actions().first { $0.id == 1 } == closed)

        await #expect(throws: StoreError.self) {
            try await store.addAction(sessionUID: nil, text: "", owner: "x", due: due, by: "站长", at: 7)
        }
        await #expect(throws: StoreError.self) {
            try await store.addAction(sessionUID: nil, text: "x", owner: " ", due: due, by: "站长", at: 7)
        }
        await #expect(throws: StoreError.self) {
            try await store.addAction(sessionUID: "nope", text: "x", owner: "y", due: due, by: "站长", at: 7)
        }
        #expect(try await store.actions().count == 2, "refused calls add nothing")
    }

    @Test(
        "actions carried over from last year are stored once per origin, with no session, and close like others",
        arguments: StoreKind.allCases)
    func carried(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let own = try await store.addAction(
            sessionUID: Sample.drill.uid, text: "增设应急广播", owner: "上村村委会", due: due, by: "站长", at: 1)
        let origin = CarriedFrom(town: "qingshan", year: 2026, id: 1, source: "防汛演练（上村应急救援队）")
        let carried = try await store.carryAction(
            from: origin, text: "增设应急广播", owner: "上村村委会", due: due.adding(days: -200), by: "站长", at: 2)
        #expect(carried.id == 2 && carried.sessionUID == nil && carried.status == .open)
        #expect(carried.carriedFrom == origin && own.carriedFrom == nil, "same text, other origin: a second action")
        let again = try await store.carryAction(
            from: CarriedFrom(town: "qingshan", year: 2026, id: 1), text: "改过的文字", owner: "别人", due: due, by: "x",
            at: 3)
        #expect(again == carried, "loading the carried file again adds nothing")
        let other = try await store.carryAction(
            from: CarriedFrom(town: "qingshan", year: 2025, id: 1), text: "更新台账", owner: "镇应急站", due: due, by: "x",
            at: 4)
        #expect(other.id == 3)
        await #expect(throws: StoreError.self) {
            try await store.carryAction(
                from: CarriedFrom(town: "qingshan", year: 2026, id: 2), text: " ", owner: "x", due: due, by: "x", at: 5)
        }
        #expect(try await store.actions().map(\.id) == [2, 1, 3])
        #expect(try await store.actions().first?.carriedFrom == origin, "the origin is read back")
        let closed = try await store.closeAction(2, note: "已整改", by: "站长", at: 6)
        #expect(closed.status == .done && closed.carriedFrom == origin)
    }
}
