import DrillCore
import DrillStore
import StoreDoubles
import Testing

/// The forwarding store the check-in and server tests count with: it must count what it claims and
/// forward everything else unchanged, or those tests measure nothing.
@Suite("CountingStore")
struct CountingStoreTests {
    @Test("counts code, token and roster lookups; forwards them and the rest; fails writes on demand")
    func countsAndForwards() async throws {
        let inner = InMemoryStore()
        let store = CountingStore(inner)
        let session = SessionRecord(
            uid: "s1", sequence: 0, ruleID: "r", kind: .training, teamIDs: ["t"],
            slot: TimeSlot(date: CivilDate(year: 2027, month: 5, day: 12)!, startMinute: 540, endMinute: 600),
            venueID: nil, supervisorID: nil)
        let entry = RosterEntry(memberID: "m1", name: "张三", teamID: "t", roles: [.militia], away: false)
        try await store.publish(sessions: [session], rosters: ["s1": [entry]])
        #expect(try await inner.sessions().map(\.uid) == ["s1"], "publish reached the inner store")
        #expect(try await store.roster(of: "s1") == [entry])
        let hash = String(repeating: "a", count: 64)
        try await store.issueLeaderCode(session: "s1", hash: hash, by: "站长", at: 1)
        #expect(try await store.session(forLeaderCodeHash: hash) == "s1")
        #expect(try await store.member(forTokenHash: "nope") == nil)
        #expect(store.rosterReads.load(ordering: .relaxed) == 1)
        #expect(store.codeLookups.load(ordering: .relaxed) == 1)
        #expect(store.tokenLookups.load(ordering: .relaxed) == 1)
        let mark = AttendanceMark(
            sessionUID: "s1", memberID: "m1", status: .present, recordedBy: "x", recordedAt: 1, source: .cli)
        store.failWrites.store(true, ordering: .relaxed)
        await #expect(throws: StoreError.self) { try await store.record([mark]) }
        store.failWrites.store(false, ordering: .relaxed)
        #expect(try await store.record([mark]) == 1)
        #expect(try await inner.marks(session: "s1").count == 1)
    }
}
