import DrillCore
import Foundation
import GRDB
import Testing

@testable import DrillStore

/// The SQLite store's packed roster text (`PackedRoster`): JSON any reader parses back to the same
/// entries, in the one shape the `roster_entry` view lists.
@Suite("Packed roster")
struct PackedRosterTests {
    /// Text with what JSON must escape (quote, backslash, every C0 control) and what it must not
    /// (DEL, U+2028, CJK, a combining mark, an emoji, a slash).
    /// Without U+0000 where SQLite reads it back: GRDB reads text to its first NUL (and
    /// `RawStatement` binds it so), packed or not.
    static func randomText(_ rng: inout SeededGenerator, nul: Bool = true) -> String {
        let pool: [Character] = ["\"", "\\", "/", "\u{7F}", "\u{2028}", "张", "三", "e\u{301}", "🚒", "a", " "]
            + ((nul ? 0 : 1)..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }
        return String((0..<Int.random(in: 0...12, using: &rng)).map { _ in pool.randomElement(using: &rng)! })
    }

    static func randomRoster(_ rng: inout SeededGenerator, nul: Bool = true) -> [RosterEntry] {
        (0..<Int.random(in: 1...6, using: &rng)).map { index in
            RosterEntry(
                memberID: "m\(index)" + randomText(&rng, nul: nul), name: randomText(&rng, nul: nul),
                teamID: randomText(&rng, nul: nul),
                roles: Array(Role.allCases.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))),
                away: Bool.random(using: &rng))
        }
    }

    @Test("Foundation's JSON parser reads back every entry, field for field")
    func foundationReadsItBack() throws {
        var rng = SeededGenerator(seed: 20_261_203)
        for _ in 0..<500 {
            let roster = Self.randomRoster(&rng)
            let text = try #require(PackedRoster.text(roster))
            let parsed = try #require(
                try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? [[Any]])
            #expect(parsed.count == roster.count)
            for (fields, entry) in zip(parsed, roster) {
                #expect(fields.count == 5)
                #expect(fields[0] as? String == entry.memberID)
                #expect(fields[1] as? String == entry.name)
                #expect(fields[2] as? String == entry.teamID)
                #expect(fields[3] as? [String] == entry.roles.map(\.rawValue))
                #expect((fields[4] as? NSNumber)?.intValue == (entry.away ? 1 : 0))
            }
            #expect(!text.contains { $0.asciiValue.map { $0 < 0x20 } ?? false }, "no raw control character")
        }
    }

    @Test("SQLite's view lists each entry as the row it stood for")
    func sqliteViewListsTheRows() async throws {
        var rng = SeededGenerator(seed: 11)
        let store = try SQLiteStore.inMemory()
        let sessions = (0..<40).map { index in
            SessionRecord(
                uid: "s\(index)", sequence: 0, ruleID: "r", kind: .training, teamIDs: ["t"],
                slot: TimeSlot(date: CivilDate(iso: "2027-03-01")!, startMinute: 540, endMinute: 600),
                venueID: nil, supervisorID: nil)
        }
        var rosters: [String: [RosterEntry]] = [:]
        for session in sessions {
            // Distinct (team, member) pairs, as a publication requires.
            var seen = Set<[String]>()
            rosters[session.uid] = Self.randomRoster(&rng, nul: false).filter { seen.insert([$0.teamID, $0.memberID]).inserted }
        }
        try await store.publish(sessions: sessions, rosters: rosters)
        for session in sessions {
            let expected = rosters[session.uid]!.sorted(by: StoreOrder.roster)
            #expect(try await store.roster(of: session.uid) == expected)
            for entry in expected {
                #expect(try await store.dbWriter.read { db in
                    try Bool.fetchOne(
                        db, sql: "SELECT away FROM roster_entry WHERE session_uid = ? AND team_id = ? AND member_id = ?",
                        arguments: [session.uid, entry.teamID, entry.memberID])
                } == entry.away)
            }
        }
    }

    @Test("check-in reads follow a roster another connection republished, and refuse a malformed text")
    func checkInReadsFollowTheStoredText() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let server = try SQLiteStore(path: path)
        defer { try? server.close() }
        try await server.publish(sessions: Sample.all, rosters: Sample.rosters)
        #expect(try await server.record([Sample.mark("m1", .present, session: Sample.drill.uid)]) == 1)
        #expect(
            try await server.turnout(session: Sample.drill.uid)
                == ["t1": LiveTeamCount(rosterSize: 2, counted: 1), "t2": LiveTeamCount(rosterSize: 1, counted: 0)])

        // Another process (a rebuild) moves m1 to t2 and drops m2: the server's next reads see it.
        let builder = try SQLiteStore(path: path)
        defer { try? builder.close() }
        var rosters = Sample.rosters
        rosters[Sample.drill.uid] = [Sample.entry("m3", "王五", team: "t2"), Sample.entry("m1", "张三", team: "t2")]
        try await builder.publish(sessions: Sample.all, rosters: rosters)
        #expect(try await server.turnout(session: Sample.drill.uid) == ["t2": LiveTeamCount(rosterSize: 2, counted: 1)])
        await #expect(throws: StoreError.self) {
            try await server.record([Sample.mark("m2", .present, session: Sample.drill.uid)])
        }
        #expect(try await server.record([Sample.mark("m3", .late, session: Sample.drill.uid)]) == 1)
        #expect(try await server.turnout(session: Sample.drill.uid) == ["t2": LiveTeamCount(rosterSize: 2, counted: 2)])

        // A hand edit that leaves a list, but not of entries, is an error, not a wrong count.
        try await builder.execute(
            sql: "UPDATE session_roster SET entries = '[[1, 2]]' WHERE session_uid = '\(Sample.drill.uid)'")
        await #expect {
            try await server.turnout(session: Sample.drill.uid)
        } throws: { error in
            guard case .database(let text) = error as? StoreError else { return false }
            return text.contains(Sample.drill.uid)
        }
        await #expect(throws: StoreError.unknownSession("ghost")) { try await server.turnout(session: "ghost") }
    }

    @Test("an empty roster is no text (stored as no row)")
    func emptyRosterIsNoText() {
        #expect(PackedRoster.text([]) == nil)
    }
}
