import GRDB
import GRDBSQLite

extension StoreError {
    /// Any error thrown inside a store's transaction, as a `StoreError`: store errors pass through,
    /// everything else (SQLite, decoding, cancellation) becomes `.database` with its description
    /// (`.busy` when another process held the lock past the busy timeout).
    init(_ error: any Error) {
        switch error {
        case let error as StoreError: self = error
        case let error as DatabaseError
        where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED:
            self = .busy(error.description)
        case let error as DatabaseError: self = .database(error.description)
        case let error as PointLookup.Failure
        where error.code & 0xff == SQLITE_BUSY || error.code & 0xff == SQLITE_LOCKED:
            self = .busy(error.description)
        default: self = .database(String(describing: error))
        }
    }
}
