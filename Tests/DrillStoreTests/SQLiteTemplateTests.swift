import DrillCore
import Foundation
import GRDB
import Testing

@testable import DrillStore

/// A new database file is a copy of the migrated template (`SQLiteStore.createFromTemplate`): it must
/// hold exactly what running the migrations makes, and it must never replace a file that is there.
@Suite("SQLite template")
struct SQLiteTemplateTests {
    /// Every schema object's type, name, table and SQL, and GRDB's applied migrations.
    static func schema(_ reader: some DatabaseReader) throws -> [String] {
        try reader.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT type || '|' || name || '|' || tbl_name || '|' || coalesce(sql, '') FROM sqlite_master
                    ORDER BY type, name
                    """)
                + String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }

    @Test("a new file holds exactly what the migrations make")
    func newFileIsTheMigratedSchema() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path

        #expect(SQLiteStore.createFromTemplate(path))
        // In WAL mode as it lies on disk (file format versions 2): no switch, through a rollback
        // journal, when a store opens it.
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(100)
        #expect(header.prefix(16) == Data("SQLite format 3\0".utf8) && header[18] == 2 && header[19] == 2)
        // Read as it lies on disk, before any store (and its migrator) opens it.
        let copied = try Self.schema(DatabaseQueue(path: path))
        let migrated = try DatabaseQueue()
        try StoreSchema.migrator.migrate(migrated)
        let expected = try Self.schema(migrated)
        #expect(copied == expected)
        #expect(copied.contains { $0.hasPrefix("table|session_roster|") })
        #expect(copied.contains { $0.hasPrefix("view|roster_entry|") })
        #expect(copied.contains { $0.hasPrefix("trigger|session_counted_insert|") })
        #expect(copied.contains("v11-packed-rosters"))
        // Nothing left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["attendance.sqlite"])

        // A store opened on it is in WAL mode with foreign keys, and works.
        let store = try SQLiteStore(path: path)
        #expect(try await store.pragma("journal_mode") == "wal")
        #expect(try await store.pragma("foreign_keys") == "1")
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        #expect(try await store.roster(of: Sample.drill.uid).count == 3)
        #expect(try await store.appliedMigrations().count == StoreSchema.migrator.migrations.count)
        try store.close()
    }

    @Test("a file that is there is never replaced, nor one whose write-ahead log is left")
    func existingFilesAreKept() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("attendance.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        try store.close()

        #expect(!SQLiteStore.createFromTemplate(path))
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.sessions().count == Sample.all.count)
        try reopened.close()

        let orphan = folder.appendingPathComponent("orphan.sqlite").path
        try Data("not a log".utf8).write(to: URL(fileURLWithPath: orphan + "-wal"))
        #expect(!SQLiteStore.createFromTemplate(orphan))
        #expect(!FileManager.default.fileExists(atPath: orphan))

        // A folder that is not there: no file, and no temporary file anywhere.
        let missing = folder.appendingPathComponent("no/such/folder/a.sqlite").path
        #expect(!SQLiteStore.createFromTemplate(missing))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left.contains("orphan.sqlite-wal") && !left.contains("orphan.sqlite") && !left.contains("no"), "\(left)")
        #expect(!left.contains { $0.contains(".template-") }, "\(left)")
    }
}
