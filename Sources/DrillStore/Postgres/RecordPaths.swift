import Synchronization

/// Counters of `PostgresStore`'s two ways of writing a batch.
final class RecordPaths: Sendable {
    let atOnce = Atomic<Int>(0)
    let callByCall = Atomic<Int>(0)
    /// Live-count queries made for whole batches (`recordAndCount`), one per batch that asked.
    let countReads = Atomic<Int>(0)
    /// Batches that took the write lock and read their snapshot in one round trip
    /// (`LockedSnapshotFunction`).
    let lockedInOne = Atomic<Int>(0)
}
