import DrillCore
import Testing

@testable import DrillStore

/// Members' absence notices (请假 from their own page), in every store.
@Suite("Absence notice conformance")
struct AbsenceNoticeConformanceTests {
    func notice(_ member: String, _ reason: String, session: String = Sample.training.uid, at: Int = 100)
        -> AbsenceNotice
    {
        AbsenceNotice(sessionUID: session, memberID: member, reason: reason, at: at)
    }

    @Test("report, replace the reason, withdraw once; every change is in the trail with source member",
        arguments: StoreKind.allCases)
    func reportAndWithdraw(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.absences().isEmpty)
        try await store.reportAbsence(notice("m1", " 外出务工 "))
        try await store.reportAbsence(notice("m3", "生病", session: Sample.drill.uid))
        try await store.reportAbsence(notice("m1", "在外地培训", at: 200))
        #expect(
            try await store.absences() == [
                notice("m1", "在外地培训", at: 200), notice("m3", "生病", session: Sample.drill.uid),
            ])
        #expect(try await store.withdrawAbsence(session: Sample.training.uid, member: "m1", at: 300))
        #expect(try await store.withdrawAbsence(session: Sample.training.uid, member: "m1", at: 301) == false)
        #expect(try await store.absences().map(\.memberID) == ["m3"])
        let log = try await store.absenceLog(session: Sample.training.uid)
        #expect(log.map(\.action) == ["report", "report", "withdraw"])
        #expect(log.map(\.reason) == ["外出务工", "在外地培训", nil])
        #expect(log.allSatisfy { $0.source == "member" && $0.memberID == "m1" })
        #expect(try await store.absenceLog(session: nil).count == 4)
        #expect(try await store.marks(session: Sample.training.uid).isEmpty, "a notice is not a mark")
    }

    @Test("refused: unknown session, member not on the roster, empty reason, locked record; nothing stored",
        arguments: StoreKind.allCases)
    func refusals(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        await #expect(throws: StoreError.unknownSession("nope")) {
            try await store.reportAbsence(notice("m1", "x", session: "nope"))
        }
        await #expect(throws: StoreError.unknownMember(session: Sample.training.uid, member: "m3")) {
            try await store.reportAbsence(notice("m3", "x"))
        }
        await #expect(throws: StoreError.self) { try await store.reportAbsence(notice("m1", "  ")) }
        await #expect(throws: StoreError.self) {
            try await store.reportAbsence(notice("m1", String(repeating: "长", count: 201)))
        }
        try await store.finalize(Sample.training.uid, by: "站长", at: 1)
        await #expect(throws: StoreError.finalized(Sample.training.uid)) {
            try await store.reportAbsence(notice("m1", "生病"))
        }
        await #expect(throws: StoreError.finalized(Sample.training.uid)) {
            try await store.withdrawAbsence(session: Sample.training.uid, member: "m1", at: 2)
        }
        #expect(try await store.absences().isEmpty)
        #expect(try await store.absenceLog(session: nil).isEmpty)
    }
}
