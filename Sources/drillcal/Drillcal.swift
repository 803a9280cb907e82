import ArgumentParser
import Foundation

/// The `drillcal` command: plans a town's year of training and drills and publishes calendars.
///
/// Exit codes, the same for every command: 0 ok; 1 findings or unmet demand (`build` and
/// `serve` alike); 2 bad input (files or command line); 3 feeds or files could not be written.
/// The version `drillcal --version` prints.
let drillcalVersion = "0.9.0"

@main
struct Drillcal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drillcal",
        abstract: "基层应急培训演练排期 / grassroots emergency training and drill scheduler",
        discussion: """
            退出码 / exit codes: 0 正常 ok · 1 有问题或未排入 findings or unmet demand · \
            2 输入错误 bad input · 3 无法写入 cannot write
            """,
        version: "drillcal \(drillcalVersion)",
        subcommands: [
            Build.self, Check.self, Explain.self, Sessions.self, Move.self, Postpone.self, Cancel.self, Attend.self, Sheet.self, Summary.self, Done.self, Actions.self, Report.self, Serve.self, Token.self, Code.self,
            RegionWorker.self,
        ]
    )

    /// Parses and runs, mapping command-line mistakes to exit 2 like any other bad input.
    static func main() async {
        Foundation.exit(await execute(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs one command line (without the executable's name) and gives its exit status: what
    /// `main` does for the process, and what a region worker does for each town it builds.
    /// `parsed`: the command `arguments` parse into, when the caller has it already (a region worker
    /// reusing one parse for its towns).
    static func execute(_ arguments: [String], parsed: (any ParsableCommand)? = nil) async -> Int32 {
        do {
            var command = try parsed ?? parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
            return 0
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            // Our own ValidationErrors are already in the chosen language; the parser's own
            // messages are English and are put into Chinese where their form is known.
            let language = CommandLineText.language(arguments)
            let short = message(for: error)
            let text: String
            if error is ValidationError {
                text = short + language.pick("（用法：drillcal help）", " (usage: drillcal help)")
            } else if language == .zh {
                text = CommandLineText.chinese(short) + "（用法：drillcal help）"
            } else {
                text = fullMessage(for: error)
            }
            Console.error(text)
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}
