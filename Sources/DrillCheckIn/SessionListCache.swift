import Synchronization

/// What the session lists (`GET /api/sessions`, `GET /checkin`) were last made of, per store
/// version (`AttendanceStore.sessionsVersion()`) and town revision: a list is built again only after
/// a session changed (in any process sharing the store) or the plan or roster was reloaded. A store
/// that cannot tell its version (nil) gets nothing kept.
///
/// Keys name the list and everything else it depends on (language; the day for the check-in page).
final class SessionListCache<Value: Sendable>: Sendable {
    private struct Entry {
        var version: Int64
        var revision: Int
        var value: Value
    }

    /// A handful of keys (two languages, a day); more means something unexpected: start again.
    static var maxEntries: Int { 64 }

    private let entries = Mutex<[String: Entry]>([:])
    private let counts = Mutex<(hits: Int, builds: Int)>((0, 0))

    /// Lists answered from memory, and lists built.
    var statistics: (hits: Int, builds: Int) { counts.withLock { $0 } }

    /// The value kept for `key` at this version and revision, else `build()`'s (kept when the
    /// version is known).
    func value(
        _ key: String, version: Int64?, revision: Int, build: () async throws -> Value
    ) async rethrows -> Value {
        if let version,
            let hit = entries.withLock({ $0[key] }), hit.version == version, hit.revision == revision
        {
            counts.withLock { $0.hits += 1 }
            return hit.value
        }
        let value = try await build()
        counts.withLock { $0.builds += 1 }
        if let version {
            entries.withLock {
                if $0.count >= Self.maxEntries { $0.removeAll() }
                $0[key] = Entry(version: version, revision: revision, value: value)
            }
        }
        return value
    }
}
