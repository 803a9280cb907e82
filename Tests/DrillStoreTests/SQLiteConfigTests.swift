import CSQLiteConfig
import DrillStore
import Foundation
import Testing

/// `SQLiteStore.configureSQLite` turns SQLite's allocation counting off before the first connection
/// (see the function for why). Checked in a fresh process (an exit test): in this one, other suites
/// may have opened SQLite first, after which the setting cannot change.
@Suite struct SQLiteConfigTests {
    @Test func memoryStatisticsAreOffInAProcessThatOpensAStore() async {
        await #expect(processExitsWith: .success) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-config-\(getpid())")
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            guard let store = try? SQLiteStore(path: folder.appendingPathComponent("s.sqlite").path) else { exit(2) }
            // A publish allocates: with counting on, SQLite would report bytes in use.
            guard (try? await store.publish(sessions: [], rosters: [:])) != nil else { exit(3) }
            // With counting off SQLite reports nothing in use; on, the open schema alone holds KBs.
            exit(sqlite3_memory_used() == 0 ? 0 : 1)
        }
    }

    /// The converse, so that the check above can fail: a process that counts sees its bytes.
    @Test func memoryStatisticsCountWhenLeftOn() async {
        await #expect(processExitsWith: .exitCode(1)) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqlite-config-on-\(getpid())")
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // Counting forced on before the store's own setting is tried (which SQLite then refuses).
            _ = drillcal_sqlite3_config_memstatus(1)
            _ = sqlite3_initialize()
            guard let store = try? SQLiteStore(path: folder.appendingPathComponent("s.sqlite").path) else { exit(2) }
            guard (try? await store.publish(sessions: [], rosters: [:])) != nil else { exit(3) }
            exit(sqlite3_memory_used() == 0 ? 0 : 1)
        }
    }
}
