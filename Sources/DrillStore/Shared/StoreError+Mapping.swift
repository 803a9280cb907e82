import GRDB

extension StoreError {
    /// Any error thrown inside a store's transaction, as a `StoreError`: store errors pass through,
    /// everything else (SQLite, decoding, cancellation) becomes `.database` with its description.
    init(_ error: any Error) {
        switch error {
        case let error as StoreError: self = error
        case let error as DatabaseError: self = .database(error.description)
        default: self = .database(String(describing: error))
        }
    }
}
