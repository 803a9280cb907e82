import DrillCore
import Testing

@testable import DrillStore

/// Each team's live count, as every store answers it (SQLite in one aggregate query).
@Suite("Turnout conformance")
struct TurnoutConformanceTests {
    @Test("present and late count, excused and absent do not, guests never; equal to the rows' own count",
        arguments: StoreKind.allCases)
    func counts(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let drill = Sample.drill.uid
        #expect(
            try await store.turnout(session: drill) == [
                "t1": LiveTeamCount(rosterSize: 2, counted: 0), "t2": LiveTeamCount(rosterSize: 1, counted: 0),
            ])
        _ = try await store.record([
            Sample.mark("m1", .late, session: drill),
            Sample.mark("m2", .excused, session: drill, reason: "外出"),
            Sample.mark("m3", .present, session: drill),
            Sample.mark("guest:陈七", .present, session: drill, guest: true),
        ])
        let counted = try await store.turnout(session: drill)
        #expect(
            counted == [
                "t1": LiveTeamCount(rosterSize: 2, counted: 1), "t2": LiveTeamCount(rosterSize: 1, counted: 1),
            ])
        #expect(
            counted
                == LiveTeamCount.counts(
                    roster: try await store.roster(of: drill), marks: try await store.marks(session: drill)))
        _ = try await store.record([Sample.mark("m3", .absent, session: drill)])
        #expect(try await store.turnout(session: drill)["t2"] == LiveTeamCount(rosterSize: 1, counted: 0))
        await #expect(throws: StoreError.unknownSession("nope")) { try await store.turnout(session: "nope") }
    }
}
