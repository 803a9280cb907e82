import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import Foundation

/// Options every command that reads a town folder shares.
struct TownOptions: ParsableArguments {
    @Argument(help: "城镇目录（含 plan.yaml 与 roster.csv）/ town folder with plan.yaml and roster.csv")
    var directory: String

    @Option(help: "输出语言 / output language: zh or en")
    var lang: Language = .zh

    @Option(help: "名册编码 / roster encoding: auto, utf8 or gb18030")
    var encoding: RosterEncoding = .auto

    /// Reads the town or exits 2 with the loader's message (file, line, field, expected, found).
    func load() throws -> TownInput {
        do {
            return try TownLoader.load(directory: directory, encoding: encoding, recurrence: LibicalRecurrence())
        } catch {
            Console.error(error.message(lang))
            throw ExitCode(2)
        }
    }

    /// Schedules the town or exits 2.
    func schedule(_ input: TownInput, recordRejections: Bool = false) throws -> Schedule {
        do {
            return try Scheduler(
                plan: input.plan, roster: input.roster, holidays: input.holidays, recurrence: LibicalRecurrence()
            ).schedule(recordRejections: recordRejections)
        } catch {
            Console.error("\(input.planFile): " + error.message.text(lang))
            throw ExitCode(2)
        }
    }
}

extension Language: ExpressibleByArgument {}
extension RosterEncoding: ExpressibleByArgument {}

/// Writing to the terminal.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
