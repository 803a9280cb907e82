import DrillCore
import Testing

@testable import DrillStore

/// Changes made by hand (move, postpone, cancel) and short session codes, in every store.
@Suite("Override conformance")
struct OverrideConformanceTests {
    @Test(
        "overrides are stored with who, when and why, oldest first; bad ones refused",
        arguments: StoreKind.allCases)
    func overrides(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.overrides().isEmpty)
        let slot = TimeSlot(date: CivilDate(year: 2027, month: 5, day: 15)!, startMinute: 540, endMinute: 720)
        let a = try await store.saveOverride(
            SessionOverride(
                sessionUID: Sample.drill.uid, action: .postpone, slot: slot, reason: "暴雨红色预警", by: "站长",
                at: 100))
        let b = try await store.saveOverride(
            SessionOverride(
                sessionUID: Sample.drill.uid, action: .cancel, slot: nil, reason: "上级通知", by: "站长", at: 200))
        #expect(a.id == 1 && b.id == 2)
        let stored = try await store.overrides()
        #expect(stored == [a, b])
        #expect(
            stored[0].slot == slot && stored[0].reason == "暴雨红色预警" && stored[0].by == "站长"
                && stored[0].at == 100)
        #expect(OverrideRules.latest(stored)[Sample.drill.uid]?.action == .cancel)

        await #expect(throws: StoreError.unknownSession("nope")) {
            try await store.saveOverride(
                SessionOverride(sessionUID: "nope", action: .cancel, slot: nil, reason: "x", by: "站长", at: 1))
        }
        await #expect(throws: StoreError.self) {  // no reason
            try await store.saveOverride(
                SessionOverride(
                    sessionUID: Sample.drill.uid, action: .cancel, slot: nil, reason: " ", by: "站长", at: 1))
        }
        await #expect(throws: StoreError.self) {  // a move without a slot
            try await store.saveOverride(
                SessionOverride(
                    sessionUID: Sample.drill.uid, action: .move, slot: nil, reason: "x", by: "站长", at: 1))
        }
        #expect(try await store.overrides().count == 2)
    }

    @Test("codes are given once, in order, and kept", arguments: StoreKind.allCases)
    func codes(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let uids = try await store.sessions().map(\.uid)
        try #require(uids.count >= 2)
        let first = try await store.assignCodes([uids[1]])
        #expect(first == [uids[1]: "S001"])
        let all = try await store.assignCodes(uids)
        #expect(all[uids[1]] == "S001")
        #expect(all[uids[0]] == "S002")
        #expect(Set(all.values).count == uids.count)
        #expect(try await store.codes() == all)
        await #expect(throws: StoreError.unknownSession("nope")) { try await store.assignCodes(["nope"]) }
    }

    /// What a build calls: the publication and its codes in one step, with the result of the two
    /// calls; a publication refused leaves sessions, rosters and codes as they were.
    @Test("a publication with its codes matches the two calls, and a refused one changes nothing", arguments: StoreKind.allCases)
    func publishAssigningCodes(kind: StoreKind) async throws {
        let one = try await kind.make()
        defer { one.cleanUp() }
        let two = try await kind.make()
        defer { two.cleanUp() }
        let order = [Sample.drill, Sample.training, Sample.deadline]
        let codes = try await one.store.publishAssigningCodes(sessions: order, rosters: Sample.rosters)
        try await two.store.publish(sessions: order, rosters: Sample.rosters)
        #expect(try await two.store.assignCodes(order.map(\.uid)) == codes)
        #expect(codes == [Sample.drill.uid: "S001", Sample.training.uid: "S002", Sample.deadline.uid: "S003"])
        #expect(try await one.store.codes() == codes)
        #expect(try await one.store.sessions() == two.store.sessions())
        for uid in order.map(\.uid) {
            #expect(try await one.store.roster(of: uid) == two.store.roster(of: uid))
        }
        // A later build keeps the codes and numbers only what is new.
        let extra = Sample.session("s4-new", day: 21)
        let again = try await one.store.publishAssigningCodes(sessions: order + [extra], rosters: Sample.rosters)
        #expect(again == codes.merging([extra.uid: "S004"]) { a, _ in a })
        // Refused (a UID twice): nothing changes.
        let before = try await one.store.sessions()
        await #expect(throws: StoreError.self) {
            try await one.store.publishAssigningCodes(sessions: [Sample.training, Sample.training], rosters: [:])
        }
        #expect(try await one.store.sessions() == before)
        #expect(try await one.store.codes() == again)
    }
}
