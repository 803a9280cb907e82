import DrillStore
import DrillWeb
import Foundation
import Logging
import ServiceLifecycle

/// Exchanges wrong guesses with the other servers of a deployment through the store, once per
/// `interval`: this server's misses (drained from the `ThrottleLedger`) go in, the others' come out
/// and are counted in this server's throttles. A guesser who spreads guesses over N servers is held
/// to the same allowance as one who uses one, give or take one interval's worth.
///
/// The request path never waits for this: a store that is away only delays the sharing (the misses
/// are kept for the next exchange), and each server's own throttle still counts every guess.
/// A server starting (or restarting) reads the day's guesses first, so a restart forgets nothing.
struct ThrottleSync: Service {
    let ledger: ThrottleLedger
    let store: any AttendanceStore
    let interval: Duration
    let logger: Logger
    /// This process among the servers (random per start).
    let instance = UUID().uuidString.lowercased()

    func run() async throws {
        var cursor: Int64 = 0
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let mine = ledger.drain()
            do {
                let theirs = try await store.shareGuesses(
                    mine.map { SharedGuess(throttle: $0.throttle, address: $0.address, target: $0.target) },
                    instance: instance, now: Int(Date().timeIntervalSince1970), after: cursor)
                cursor = theirs.cursor
                ledger.absorb(
                    theirs.guesses.map {
                        ThrottleLedger.Miss(throttle: $0.throttle, address: $0.address, target: $0.target)
                    })
                if failing { logger.notice("throttle sharing resumed") }
                failing = false
            } catch {
                ledger.restore(mine)
                if !failing {
                    logger.warning("throttle sharing failed; retrying", metadata: ["error": "\(error)"])
                }
                failing = true
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
        }
        // Hand over what this server counted last, so the others keep it after it stops.
        let last = ledger.drain()
        if !last.isEmpty {
            _ = try? await store.shareGuesses(
                last.map { SharedGuess(throttle: $0.throttle, address: $0.address, target: $0.target) },
                instance: instance, now: Int(Date().timeIntervalSince1970), after: cursor)
        }
    }
}
