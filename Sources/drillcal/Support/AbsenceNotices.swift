import ArgumentParser
import DrillCore
import DrillIO
import DrillStore
import Foundation

extension TownOptions {
    /// The town as `load()` reads it, with the members' absence notices from the store (when
    /// `build` has created one) added to the roster as one-day absences on each session's
    /// published date: the scheduler, the rosters published per session and the forecast then
    /// expect them away. DrillCore stays pure: the store is read here.
    func loadWithNotices() async throws -> TownInput {
        var input = try load()
        guard let store = try await openStore(create: false) else { return input }
        do {
            let notices = try await store.absences()
            guard !notices.isEmpty else { return input }
            let dates = Dictionary(
                try await store.sessions().map { ($0.uid, $0.slot.date) }, uniquingKeysWith: { a, _ in a })
            input.roster = input.roster.addingNotices(notices, dates: dates)
        } catch {
            Console.error("\(databasePath): " + error.message(lang))
            throw ExitCode(3)
        }
        return input
    }
}
