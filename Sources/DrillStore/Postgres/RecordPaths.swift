import Synchronization

/// Counters of `PostgresStore`'s two ways of writing a batch.
final class RecordPaths: Sendable {
    let atOnce = Atomic<Int>(0)
    let callByCall = Atomic<Int>(0)
}
