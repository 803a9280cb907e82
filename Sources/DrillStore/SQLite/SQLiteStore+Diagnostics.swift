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
}
