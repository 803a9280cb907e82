import DrillCore
import Foundation
import Testing

@testable import DrillStore

/// What only the PostgreSQL store has: its URL, its migration table, its errors.
@Suite("PostgresStore")
struct PostgresStoreTests {
    @Test("a postgres:// URL is taken apart; messages never show its password")
    func urls() throws {
        let url = try PostgresURL("postgres://drill%20cal:p%40ss@db.example:6543/county?search_path=town_a")
        #expect(
            url
                == PostgresURL(
                    host: "db.example", port: 6543, user: "drill cal", password: "p@ss", database: "county",
                    searchPath: "town_a"))
        #expect(url.redacted == "postgres://drill cal:***@db.example:6543/county?search_path=town_a")
        #expect(try PostgresURL("postgresql://u@h/d").port == 5432)
        #expect(PostgresStore.redacted("postgres://u:secret@h:1/d") == "postgres://u:***@h:1/d")
        #expect(!PostgresStore.redacted("postgres://u:secret@h:1").contains("secret"), "even when malformed")
        for bad in [
            "postgres://h/d", "postgres://u@h", "postgres://u:secret@h:5432", "mysql://u@h/d",
            "postgres://u@h/d?search_path=Bad-Name",
        ] {
            #expect(throws: StoreError.self) { try PostgresURL(bad) }
            do { _ = try PostgresURL(bad) } catch { #expect(!error.message(.en).contains("secret")) }
        }
    }

    @Test("concurrent check-ins are written a batch at a time in three statements; a refused call falls back alone")
    func batchesAtOnce() async throws {
        let fixture = try await Sample.published(.postgres)
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? PostgresStore)
        let members = ["m1", "m2"]
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await store.record([
                        Sample.mark(
                            members[i % 2], i % 3 == 0 ? .late : .present, source: .page, clientID: "batch-\(i)")
                    ])
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(answers.count == 40)
        #expect(store.recordPaths.atOnce >= 1 && store.recordPaths.callByCall == 0, "\(store.recordPaths)")
        // Every call's audit row is there, in order, and each member's record is its last mark.
        let audit = try await store.audit(session: Sample.training.uid).filter { $0.action == "mark" }
        #expect(audit.count == answers.reduce(0, +))
        let marks = try await store.marks(session: Sample.training.uid)
        #expect(marks.map(\.memberID) == ["m1", "m2"])
        for mark in marks {
            #expect(audit.last { $0.memberID == mark.memberID }?.after == mark.status.rawValue)
        }
        // A call the plan refuses (a member not on the roster) sends its batch call by call: only it fails.
        await #expect(throws: StoreError.self) {
            try await store.record([Sample.mark("stranger", .present, clientID: "batch-x")])
        }
        #expect(store.recordPaths.callByCall == 1, "the refused call's batch went call by call")
        #expect(try await store.marks(session: Sample.training.uid).count == 2, "nothing of it was stored")
    }

    @Test("an unreachable server is a database error naming the URL without its password")
    func unreachable() async throws {
        do {
            _ = try await PostgresStore(url: "postgres://drillcal:topsecret@127.0.0.1:1/postgres")
            Issue.record("opened a store on port 1")
        } catch {
            guard case .database(let text) = error else { throw error }
            #expect(text.hasPrefix("postgres://drillcal:***@127.0.0.1:1/postgres"), "\(text)")
            #expect(!text.contains("topsecret"))
        }
    }

    @Test("every SQLite migration is applied to PostgreSQL under the same name, once, even opened twice")
    func migrations() async throws {
        let url = try await PostgresCluster.shared().freshURL()
        let store = try await PostgresStore(url: url)
        defer { store.close() }
        let again = try await PostgresStore(url: url)
        defer { again.close() }
        let sqlite = try await SQLiteStore.inMemory().appliedMigrations()
        #expect(try await store.appliedMigrations() == sqlite)
        #expect(PostgresSchema.migrations.map(\.name) == sqlite)
    }
}
