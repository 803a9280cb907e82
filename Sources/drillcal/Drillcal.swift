import ArgumentParser
import Foundation

/// The `drillcal` command: plans a town's year of training and drills and publishes calendars.
///
/// Exit codes: 0 ok; 1 findings or unmet demand; 2 bad input (files or command line);
/// 3 feeds could not be written.
@main
struct Drillcal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drillcal",
        abstract: "基层应急培训演练排期 / grassroots emergency training and drill scheduler",
        discussion: """
            退出码 / exit codes: 0 正常 ok · 1 有问题或未排入 findings or unmet demand · \
            2 输入错误 bad input · 3 无法写入 cannot write
            """,
        subcommands: [
            Build.self, Check.self, Explain.self, Attend.self, Summary.self, Done.self, Actions.self, Report.self, Serve.self, Token.self, Code.self,
        ]
    )

    /// Parses and runs, mapping command-line mistakes to exit 2 like any other bad input.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
