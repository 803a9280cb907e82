import GRDB
import GRDBSQLite

/// A statement prepared on a GRDB connection and run through SQLite's C API, for the bulk writes
/// that are hot: a town's first publish inserts every session's roster (thousands of rows; a
/// province's first build, millions), every session and every session's short code.
///
/// Why not GRDB's cached statement there: each `execute(arguments:)` built a `StatementArguments`
/// from an array of existentials, boxed every value as a `DatabaseValue` and bound it through a
/// protocol call. Measured with perf on a 100-town province build (2 cores, release): 4.2 % of the
/// whole build's CPU was in that path, against 1.7 % in SQLite's own `sqlite3VdbeExec`.
///
/// It runs inside a GRDB write (`db` is the writer's connection, in its transaction), so it commits
/// or rolls back with everything else there. Values are bound as GRDB binds them (text through
/// `withCString`, the length to the first NUL; `Bool` as the integer 0 or 1; `Int` as a 64-bit
/// integer; nil as NULL), so the rows are the same bytes GRDB would have written. Nothing observes the store through GRDB's transaction
/// observers, which would not see these rows.
struct RawStatement: ~Copyable {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let sql: String

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, sql: sql) }
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_finalize(prepared)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        handle = prepared
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// One value of a row.
    enum Value {
        case text(String)
        case bool(Bool)
        case int(Int)
        case null

        /// Text, or NULL for nil.
        static func text(_ text: String?) -> Value { text.map(Value.text) ?? .null }
    }

    /// Binds `values` to the statement's parameters in order, runs it to completion and resets it.
    func run(_ values: Value...) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .text(let text):
                code = text.withCString { sqlite3_bind_text(handle, index, $0, -1, Self.transient) }
            case .bool(let flag):
                code = sqlite3_bind_int64(handle, index, flag ? 1 : 0)
            case .int(let number):
                code = sqlite3_bind_int64(handle, index, Int64(number))
            case .null:
                code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
            message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }

    /// SQLite copies the text before the bind returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
