import ArgumentParser
import DrillCore
import Foundation

/// The clock of the commands that compare "now" with the schedule (`attend`, `sheet`, `serve`'s
/// check-in and absence pages): the system clock, or `DRILLCAL_NOW` (a UTC time such as
/// `2027-03-20T02:00:00Z`) for rehearsals and tests. Marks are stamped with the same time.
enum Clock {
    static let variable = "DRILLCAL_NOW"

    /// Now, or exits 2 when `DRILLCAL_NOW` is set but not a UTC time.
    static func now(_ lang: Language) throws -> Date {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return Date() }
        guard let date = ISO8601DateFormatter().date(from: text) else {
            Console.error(
                lang.pick(
                    "环境变量 \(variable)：应为 UTC 时间如 2027-03-20T02:00:00Z，实际为 “\(text)”",
                    "\(variable): expected a UTC time such as 2027-03-20T02:00:00Z, found \"\(text)\""))
            throw ExitCode(2)
        }
        return date
    }
}
