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
