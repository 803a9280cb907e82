import ArgumentParser
import DrillCore
import DrillIO
import DrillStore
import Foundation

extension TownOptions {
    /// Loads the town, its plan's demands and the attendance data (the store's when `build` has
    /// published, else the freshly computed schedule), and makes a compliance check as of `asOf`.
    func compliance(asOf: String?, threshold: Double) async throws -> (TownInput, Compliance) {
        let input = try await loadWithNotices()
        let demands = try demands(input)
        let data: AttendanceData
        if let store = try await openStore(create: false) {
            _ = try await CarriedActionsFile.load(into: store, directory: directory, lang: lang)
            data = try await attendanceData(store)
        } else {
            data = AttendanceData.unpublished(try schedule(input), plan: input.plan, roster: input.roster)
        }
        let day = try today(asOf, timeZone: input.plan.timeZone, lang: lang)
        return (input, Compliance(plan: input.plan, roster: input.roster, demands: demands, data: data, asOf: day, threshold: threshold))
    }
}
