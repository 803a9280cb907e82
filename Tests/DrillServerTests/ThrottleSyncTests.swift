import DrillStore
import DrillWeb
import Foundation
import Logging
import Testing

@testable import DrillServer

/// Two servers over one database file (two `SQLiteStore`s on it, as two processes would open it),
/// each with its throttles, ledger and `ThrottleSync`.
@Suite("Throttles shared through the store")
struct ThrottleSyncTests {
    struct Server {
        let ledger = ThrottleLedger()
        let throttle: GuessThrottle
        let sync: ThrottleSync

        init(store: any AttendanceStore) {
            throttle = GuessThrottle(
                policy: .init(freeMisses: 5, targetFreeMisses: 50), clock: { 1_000 }, ledger: ledger,
                name: "feed-token")
            sync = ThrottleSync(
                ledger: ledger, store: store, interval: .milliseconds(20), logger: Logger(label: "test"))
        }

        func miss(_ address: String) -> Bool {
            guard case .granted(let ticket) = throttle.reserve(address: address, target: "feed-tokens") else {
                return false
            }
            throttle.settle(ticket, .miss)
            return true
        }

        var blocked: Bool {
            if case .refused = throttle.reserve(address: "198.51.100.7", target: "feed-tokens") {
                return true
            }
            return false
        }
    }

    /// Runs the servers' syncs while `body` runs, then cancels them (each hands over its last misses).
    static func running(_ servers: [Server], _ body: () async throws -> Void) async throws {
        let tasks = servers.map { server in Task { try await server.sync.run() } }
        defer { tasks.forEach { $0.cancel() } }
        try await body()
        for task in tasks {
            task.cancel()
            _ = try? await task.value
        }
    }

    /// Waits (polling) up to 10 s for `condition`.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test("misses spread over two servers add up; a server started later learns the day's misses")
    func sharedAndRemembered() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("throttle-sync-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("drillcal.sqlite").path
        let a = Server(store: try SQLiteStore(path: path))
        let b = Server(store: try SQLiteStore(path: path))
        try await Self.running([a, b]) {
            // Three wrong tokens on each: five are free on one server, six together are not.
            for _ in 0..<3 {
                #expect(a.miss("198.51.100.7"))
                #expect(b.miss("198.51.100.7"))
            }
            let both = try await Self.eventually { a.blocked && b.blocked }
            #expect(both, "each server counts the other's misses")
        }
        // A third server, started after both stopped, reads the day's guesses on its first exchange.
        let c = Server(store: try SQLiteStore(path: path))
        #expect(!c.blocked)
        try await Self.running([c]) {
            let remembered = try await Self.eventually { c.blocked }
            #expect(remembered, "a (re)started server remembers the misses")
        }
    }
}
