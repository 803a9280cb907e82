import DrillCore
import Logging
import PostgresNIO
import Synchronization

/// The two point reads every check-in makes — the session by UID and the session a leader code
/// opens — answered from memory in a long-running server, kept right across processes by
/// PostgreSQL's LISTEN/NOTIFY.
///
/// Every write transaction that can change a session row or a leader code (everything but the
/// recording batches, logins, shared throttle counts and store keys) sends a NOTIFY before its
/// commit; PostgreSQL delivers it to every listening connection when (and only if) the commit
/// happens. While this cache's own connection is listening, an answer read from the database is
/// kept until the next notification; when the listener is not connected (not started, database
/// restarting, connection lost), nothing is kept and every read goes to the database, as without it.
///
/// A read that was in flight when a notification arrived is not kept (a generation counter): a
/// value read before a change can never outlive it. What remains is the delivery delay of a
/// notification (a few milliseconds on a LAN) during which another process's change is not yet seen
/// here — the same as a request that arrived a moment earlier. The store's own writes empty the cache
/// at once, and the integrity rules (a finalized session refuses marks, a revoked code cannot issue a
/// login) are checked again inside the write transactions, never from this cache.
final class PostgresReadCache: Sendable {
    /// The LISTEN/NOTIFY channel: `drillcal_changes`, or `drillcal_changes_<schema>` for a store in
    /// a schema of its own (`?search_path=`), since a channel spans the whole database and towns
    /// sharing one database should not empty each other's caches.
    let channel: String

    init(schema: String?) {
        channel = "drillcal_changes" + (schema.map { "_" + $0 } ?? "")
    }
    /// More keys than this (UIDs nobody published, say) and the cache starts again from empty.
    static let maxEntries = 4096

    private struct State {
        var live = false
        var generation = 0
        var sessions: [String: SessionRecord?] = [:]
        var codes: [String: String] = [:]
        var hits = 0
        var misses = 0
        var invalidations = 0
    }

    private let state = Mutex(State())
    private let listener = Mutex<Task<Void, Never>?>(nil)

    /// Starts listening (once; later calls do nothing).
    func start(configuration: PostgresConnection.Configuration, logger: Logger) {
        listener.withLock { task in
            guard task == nil else { return }
            task = Task { await self.listen(configuration: configuration, logger: logger) }
        }
    }

    /// The listening connection, closed by `stop()` (a notification sequence waits for the next
    /// notification or the connection's end, not for a task's cancellation).
    private let connection = Mutex<PostgresConnection?>(nil)

    /// Stops listening; every read goes to the database again.
    func stop() {
        listener.withLock { $0?.cancel() }
        invalidate(live: false)
        if let open = connection.withLock({ $0 }) { Task { try? await open.close() } }
    }

    /// Reads served from memory, reads that went to the database, and notifications (or own writes)
    /// that emptied the cache.
    var statistics: (hits: Int, misses: Int, invalidations: Int) {
        state.withLock { ($0.hits, $0.misses, $0.invalidations) }
    }

    /// Whether answers are being kept (the listener is connected).
    var isLive: Bool { state.withLock { $0.live } }

    /// A change was committed (or the listener came up or went down): forget everything.
    func invalidate(live: Bool? = nil) {
        state.withLock {
            if let live { $0.live = live }
            $0.generation += 1
            $0.invalidations += 1
            $0.sessions.removeAll(keepingCapacity: true)
            $0.codes.removeAll(keepingCapacity: true)
        }
    }

    /// The session row for `uid` (nil: never published), from memory or from `read`.
    func session(_ uid: String, read: () async throws(StoreError) -> SessionRecord?) async throws(StoreError)
        -> SessionRecord?
    {
        enum Look { case hit(SessionRecord?), miss(Int?) }
        let look: Look = state.withLock {
            if let hit = $0.sessions[uid] {
                $0.hits += 1
                return .hit(hit)
            }
            $0.misses += 1
            return .miss($0.live ? $0.generation : nil)
        }
        switch look {
        case .hit(let value): return value
        case .miss(let generation):
            let value = try await read()
            if let generation { keep(generation) { $0.sessions[uid] = .some(value) } }
            return value
        }
    }

    /// The session a leader code's hash opens, from memory or from `read`; only codes that open a
    /// session are kept (wrong guesses are many and each is asked once).
    func session(forCode hash: String, read: () async throws(StoreError) -> String?) async throws(StoreError)
        -> String?
    {
        let look: (hit: String?, generation: Int?) = state.withLock {
            if let hit = $0.codes[hash] {
                $0.hits += 1
                return (hit, nil)
            }
            $0.misses += 1
            return (nil, $0.live ? $0.generation : nil)
        }
        if let hit = look.hit { return hit }
        let value = try await read()
        if let generation = look.generation, let value { keep(generation) { $0.codes[hash] = value } }
        return value
    }

    /// Stores a value read at `generation` unless a change came in since.
    private func keep(_ generation: Int, _ update: (inout State) -> Void) {
        state.withLock {
            guard $0.live, $0.generation == generation else { return }
            if $0.sessions.count + $0.codes.count >= Self.maxEntries {
                $0.sessions.removeAll()
                $0.codes.removeAll()
            }
            update(&$0)
        }
    }

    /// Listens on its own connection until cancelled, reconnecting a second after a failure; live
    /// only between a confirmed LISTEN and the connection's end.
    func listen(configuration: PostgresConnection.Configuration, logger: Logger) async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 1, logger: logger)
                self.connection.withLock { $0 = connection }
                if Task.isCancelled {
                    self.connection.withLock { $0 = nil }
                    try? await connection.close()
                    break
                }
                do {
                    try await connection.listen(on: channel) { notifications in
                        invalidate(live: true)
                        for try await _ in notifications { invalidate() }
                    }
                } catch {}
                self.connection.withLock { $0 = nil }
                try? await connection.close()
            } catch {}
            invalidate(live: false)
            try? await Task.sleep(for: .seconds(1))
        }
        invalidate(live: false)
    }
}
