import ArgumentParser
import DrillCore
import DrillIO
import DrillStore
import Foundation

extension TownOptions {
    /// The town as `load()` reads it, with the members' absence notices from the store (when
    /// `build` has created one) added to the roster as one-day absences on each session's day
    /// (the published one, or the one it was moved or postponed to by hand: a notice follows its
    /// session): the scheduler, the rosters published per session and the forecast then expect
    /// them away. DrillCore stays pure: the store is read here.
    func loadWithNotices() async throws -> TownInput {
        var input = try load()
        guard let store = try await openStore(create: false) else { return input }
        do {
            input.roster = input.roster.addingNotices(try await store.noticeDays())
        } catch {
            Console.error("\(databasePath): " + error.message(lang))
            throw ExitCode(3)
        }
        return input
    }
}
