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

/// A town's first build makes its database in memory (`SQLiteStore.firstPublicationImage`), writes
/// it beside the final name and links it into place once durable: the file must hold exactly what
/// opening a new file and publishing into it holds, and placing it must never replace a file.
@Suite("SQLite first publication")
struct SQLiteFirstPublicationTests {
    /// Every row of every table as text, sorted (some tables have no rowid): what `.dump` compares.
    static func contents(_ reader: some DatabaseReader) throws -> [String] {
        try reader.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            return try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0)" }.sorted()
            }
        }
    }

    @Test("the image holds what publishing into a new file holds, and opens as that file would")
    func imageEqualsAPublishedFile() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let order = [Sample.drill, Sample.training, Sample.deadline]
        let published = folder.appendingPathComponent("published.sqlite").path
        let store = try SQLiteStore(path: published)
        let codes = try await store.publishAssigningCodes(sessions: order, rosters: Sample.rosters)
        try store.close()

        let path = folder.appendingPathComponent("image.sqlite").path
        let image = try SQLiteStore.firstPublicationImage(sessions: order, rosters: Sample.rosters)
        let staged = try SQLiteStore.stageNewFile(image, for: path)
        #expect(staged.hasPrefix(path + ".new-"))
        #expect(try SQLiteStore.placeStagedFile(staged, at: path, syncFolder: true))
        unlink(staged)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(image))
        // In WAL mode as it lies on disk, like the template.
        #expect(image[18] == 2 && image[19] == 2)

        let expected = try Self.contents(DatabaseQueue(path: published))
        let made = try Self.contents(DatabaseQueue(path: path))
        #expect(made == expected)
        #expect(made.contains { $0.hasPrefix("session_code: ") && $0.contains("S003") })
        #expect(try SQLiteTemplateTests.schema(DatabaseQueue(path: path)) == SQLiteTemplateTests.schema(DatabaseQueue(path: published)))

        // A store opens it without migrating and reads the publication; later builds add to it.
        let opened = try SQLiteStore(path: path)
        #expect(try await opened.pragma("journal_mode") == "wal")
        #expect(try await opened.codes() == codes)
        let reference = try SQLiteStore(path: published)
        for session in order {
            #expect(try await opened.roster(of: session.uid) == reference.roster(of: session.uid))
        }
        #expect(try await opened.roster(of: Sample.drill.uid).count == 3)
        try reference.close()
        // The session counter (made without the insert trigger, which is put back): one more
        // session inserted counts one more change, as in the file published into.
        let counted = try await opened.sessionsVersion()
        #expect(counted == Int64(order.count))
        let extra = Sample.session("s4-new", day: 21)
        let again = try await opened.publishAssigningCodes(sessions: order + [extra], rosters: Sample.rosters)
        #expect(again[extra.uid] == "S004")
        #expect(try await opened.sessionsVersion() == counted.map { $0 + 1 })
        try opened.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".new-") }.isEmpty)
    }

    @Test("a refused publication gives the error publishing into a file gives")
    func refusedPublication() async throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("a.sqlite").path)
        defer { try? store.close() }
        let refusals: [([SessionRecord], [String: [RosterEntry]])] = [
            ([Sample.training], ["nope": []]),
            ([Sample.training, Sample.training], [:]),
        ]
        for (sessions, rosters) in refusals {
            var expected: StoreError?
            do { _ = try await store.publishAssigningCodes(sessions: sessions, rosters: rosters) } catch { expected = error }
            #expect(expected != nil)
            #expect(throws: expected!) { try SQLiteStore.firstPublicationImage(sessions: sessions, rosters: rosters) }
        }
    }

    @Test("placing never replaces a file, nor a name whose write-ahead log is left")
    func placingKeepsWhatIsThere() throws {
        let folder = try StoreFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = try SQLiteStore.firstPublicationImage(sessions: Sample.all, rosters: Sample.rosters)
        let path = folder.appendingPathComponent("town.sqlite").path
        try Data("someone else's".utf8).write(to: URL(fileURLWithPath: path))
        let staged = try SQLiteStore.stageNewFile(image, for: path)
        #expect(try !SQLiteStore.placeStagedFile(staged, at: path, syncFolder: false))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "someone else's")

        let orphan = folder.appendingPathComponent("orphan.sqlite").path
        try Data("not a log".utf8).write(to: URL(fileURLWithPath: orphan + "-wal"))
        #expect(try !SQLiteStore.placeStagedFile(staged, at: orphan, syncFolder: false))
        #expect(!FileManager.default.fileExists(atPath: orphan))
        unlink(staged)
        // What a killed build left is removed by the next staging; a running build's is kept.
        let dead = path + ".new-4194305-7"
        let running = path + ".new-\(getppid())-7"
        for file in [dead, running] { try Data("x".utf8).write(to: URL(fileURLWithPath: file)) }
        let next = try SQLiteStore.stageNewFile(image, for: path)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: running))
        unlink(next)
        unlink(running)
        // A folder that is not there: an error naming why, nothing made.
        #expect(throws: StoreError.self) {
            try SQLiteStore.stageNewFile(image, for: folder.appendingPathComponent("no/such/a.sqlite").path)
        }
    }
}
