import GRDBSQLite
import Synchronization

/// One prepared single-row query (`SELECT text … WHERE key = ?`) on read-only SQLite connections
/// of its own, called through SQLite's C API directly: the lookup every member's feed request
/// makes (`memberNow`), on the feed server's event loop.
///
/// Why not GRDB here (GRDB stays the store's way in for everything else): a synchronous GRDB read
/// from a `DatabasePool` takes a reader from the pool and runs the block on that reader's dispatch
/// queue (`DispatchQueue.sync`, twice), checks the schema version (`PRAGMA schema_version`) and
/// goes through generic row decoding. Measured with perf on the member-feed benchmark (2 cores,
/// release): 65 µs of CPU per lookup, 31 % of answering the request, of which SQLite's own
/// `sqlite3_step` was 6 %. Here a lookup is reset, bind, step, read a column, reset.
///
/// Correctness as with GRDB: each statement is atomic by itself (its implicit read transaction
/// ends at the reset, so no snapshot is kept between lookups: another process's commit, a token
/// revoked by the CLI, is seen at the next lookup, and checkpoints are never held back);
/// connections are read-only (`SQLITE_OPEN_READONLY`), each used by one caller at a time (taken
/// from and returned to `idle` under a mutex), so SQLite's own mutex is off (`NOMUTEX`).
final class PointLookup: Sendable {
    private let path: String
    private let sql: String
    private let busyMilliseconds: Int32
    /// Connections not in use; at most `keep` are kept (a burst opens more, then closes them).
    private let idle = Mutex<[Connection]>([])
    private let keep = 8

    /// A lookup of `sql` (one `?` parameter, first column read as text) on the file at `path`.
    /// Nothing is opened until the first lookup.
    init(path: String, sql: String, busyTimeout: Double) {
        self.path = path
        self.sql = sql
        busyMilliseconds = Int32(busyTimeout * 1000)
    }

    /// The first row's first column as text, or nil when no row matches.
    /// - Throws: `PointLookup.Failure` with SQLite's message when the file cannot be opened or the
    ///   statement fails (a missing table, a corrupt file, a lock held past the busy timeout).
    func text(for key: String) throws(Failure) -> String? {
        let connection: Connection
        if let ready = idle.withLock({ $0.popLast() }) {
            connection = ready
        } else {
            connection = try Connection(path: path, sql: sql, busyMilliseconds: busyMilliseconds)
        }
        defer {
            idle.withLock { connections in
                if connections.count < keep { connections.append(connection) }
            }
        }
        return try connection.text(for: key)
    }

    /// Closes the idle connections (those in use close when their lookup ends and they are dropped).
    func close() {
        idle.withLock { $0.removeAll() }
    }

    /// SQLite's error code and message.
    struct Failure: Error, CustomStringConvertible {
        let code: Int32
        let message: String
        var description: String { "SQLite error \(code): \(message)" }
    }

    /// One read-only connection and its prepared statement. Not shared: `PointLookup` hands it to
    /// one caller at a time.
    private final class Connection: @unchecked Sendable {
        private let db: OpaquePointer
        private let statement: OpaquePointer

        init(path: String, sql: String, busyMilliseconds: Int32) throws(Failure) {
            var handle: OpaquePointer?
            let opened = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            guard opened == SQLITE_OK, let handle else {
                let failure = Failure(code: opened, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory")
                sqlite3_close_v2(handle)
                throw failure
            }
            sqlite3_busy_timeout(handle, busyMilliseconds)
            var prepared: OpaquePointer?
            let code = sqlite3_prepare_v2(handle, sql, -1, &prepared, nil)
            guard code == SQLITE_OK, let prepared else {
                let failure = Failure(code: code, message: String(cString: sqlite3_errmsg(handle)))
                sqlite3_finalize(prepared)
                sqlite3_close_v2(handle)
                throw failure
            }
            db = handle
            statement = prepared
        }

        deinit {
            sqlite3_finalize(statement)
            sqlite3_close_v2(db)
        }

        func text(for key: String) throws(Failure) -> String? {
            // Reset first, whatever the last call left; reset again after reading, which ends the
            // statement's read transaction (no snapshot is kept until the next lookup).
            sqlite3_reset(statement)
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            // SQLITE_TRANSIENT: SQLite copies the key (the C string lives only inside this call).
            let bound = sqlite3_bind_text(statement, 1, key, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            guard bound == SQLITE_OK else { throw failure(bound) }
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                guard let text = sqlite3_column_text(statement, 0) else { return nil }
                return String(cString: text)
            case SQLITE_DONE:
                return nil
            case let code:
                throw failure(code)
            }
        }

        private func failure(_ code: Int32) -> Failure {
            Failure(code: code, message: String(cString: sqlite3_errmsg(db)))
        }
    }
}
