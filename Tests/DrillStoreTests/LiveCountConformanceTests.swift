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
        #expect(try await store.turnout(session: Sample.deadline.uid) == [:], "a session without a roster: no team")
        await #expect(throws: StoreError.unknownSession("nope")) { try await store.turnout(session: "nope") }
    }

    @Test("recordAndCount answers record's count and a live count that holds the caller's own mark, also in a batch",
        arguments: StoreKind.allCases)
    func recordAndCount(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let drill = Sample.drill.uid
        let first = try await store.recordAndCount([Sample.mark("m1", .late, session: drill)], session: drill)
        #expect(first.changed == 1)
        #expect(first.turnout == (try await store.turnout(session: drill)))
        #expect(first.turnout["t1"] == LiveTeamCount(rosterSize: 2, counted: 1))
        let same = try await store.recordAndCount([Sample.mark("m1", .late, session: drill)], session: drill)
        #expect(same.changed == 0 && same.turnout == first.turnout, "nothing new: record's 0, the same count")

        // Concurrent calls (a group-committed store shares transactions between them): the one call
        // that marks m3, the only member of t2, must see t2 counted once, whatever batch it was in.
        let answers = try await withThrowingTaskGroup(of: (Int, RecordedCount).self) { group in
            for i in 0..<30 {
                group.addTask {
                    let mark =
                        i == 17
                        ? Sample.mark("m3", .present, session: drill, clientID: "rc-\(i)")
                        : Sample.mark(i % 2 == 0 ? "m1" : "m2", i % 3 == 0 ? .late : .present, session: drill,
                            clientID: "rc-\(i)")
                    return (i, try await store.recordAndCount([mark], session: drill))
                }
            }
            return try await group.reduce(into: [Int: RecordedCount]()) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 30)
        #expect(answers[17]?.turnout["t2"] == LiveTeamCount(rosterSize: 1, counted: 1), "\(answers[17]!)")
        for (_, answer) in answers {
            #expect(answer.turnout["t1"]?.rosterSize == 2 && (answer.turnout["t1"]?.counted ?? 0) >= 1)
        }
        let audit = try await store.audit(session: drill).filter { $0.action == "mark" }
        #expect(audit.count == answers.values.reduce(0) { $0 + $1.changed } + first.changed)
        #expect(
            try await store.turnout(session: drill)
                == LiveTeamCount.counts(
                    roster: try await store.roster(of: drill), marks: try await store.marks(session: drill)))
        await #expect(throws: StoreError.self) {
            try await store.recordAndCount([Sample.mark("m1", .present, session: "nope")], session: "nope")
        }
    }
}
