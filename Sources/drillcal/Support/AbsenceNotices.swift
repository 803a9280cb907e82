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
        try await loadWithNoticesKeepingStore().input
    }

    /// The same, with the store it read (nil when `build` has not made one yet), for `build` to
    /// replan from and publish into: each opening of a town's database was a few milliseconds of
    /// GRDB and SQLite set-up and, at its close, a checkpoint with two syncs.
    func loadWithNoticesKeepingStore() async throws -> (input: TownInput, store: (any AttendanceStore)?) {
        var input = try load()
        guard let store = try await openStore(create: false) else { return (input, nil) }
        do {
            input.roster = input.roster.addingNotices(try await store.noticeDays())
        } catch {
            Console.error("\(databasePath): " + error.message(lang))
            throw ExitCode(3)
        }
        return (input, store)
    }
}
