import Foundation
import GRDB

extension SQLiteStore {
    /// The value of a read-only PRAGMA (`journal_mode`, `foreign_keys`), as text.
    func pragma(_ name: String) async throws(StoreError) -> String? {
        do {
            return try await dbWriter.read { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        } catch {
            throw StoreError(error)
        }
    }

    /// The value of a PRAGMA on the writer's connection (`synchronous`, `busy_timeout`), as text.
    func writerPragma(_ name: String) async throws(StoreError) -> String? {
        do {
            return try await dbWriter.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
        } catch {
            throw StoreError(error)
        }
    }

    /// Runs raw SQL in one write transaction: for checking that the schema itself refuses bad rows.
    func execute(sql: String) async throws(StoreError) {
        do {
            try await dbWriter.write { db in try db.execute(sql: sql) }
        } catch {
            throw StoreError(error)
        }
    }

    /// Names of the migrations already applied, in order.
    func appliedMigrations() async throws(StoreError) -> [String] {
        do {
            return try await dbWriter.read { db in try StoreSchema.migrator.appliedMigrations(db) }
        } catch {
            throw StoreError(error)
        }
    }

    /// Holds the write lock for `seconds` in a transaction that changes nothing, as another process
    /// writing would: for testing that other writers wait.
    func holdWriteLock(seconds: Double, locked: @escaping @Sendable () -> Void = {}) async throws(StoreError) {
        do {
            try await dbWriter.write { db in
                try db.execute(sql: "UPDATE session SET sequence = sequence WHERE 0")
                locked()
                usleep(UInt32(seconds * 1_000_000))
            }
        } catch {
            throw StoreError(error)
        }
    }
}

extension SQLiteStore {
    /// Opens the file migrated only up to `migration` (inclusive): for testing later migrations on an
    /// old database.
    init(path: String, migrateUpTo migration: String) throws(StoreError) {
        do {
            Self.configureSQLite()
            let pool = try DatabasePool(path: path, configuration: Self.configuration)
            try StoreSchema.migrator.migrate(pool, upTo: migration)
            try self.init(writer: pool, migrate: false)
        } catch {
            throw StoreError(error)
        }
    }
}

extension SQLiteStore {
    /// Runs `PRAGMA wal_checkpoint(TRUNCATE)` on the writer: whether a reader held it back (busy)
    /// and the WAL's frames left. For checking that lookups keep no read snapshot open.
    func checkpointTruncate() async throws(StoreError) -> (busy: Int, walFrames: Int) {
        do {
            return try await dbWriter.writeWithoutTransaction { db in
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                return (row?[0] ?? -1, row?[1] ?? -1)
            }
        } catch {
            throw StoreError(error)
        }
    }
}
