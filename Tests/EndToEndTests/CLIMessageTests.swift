import ChildProcess
import Foundation
import Testing

/// Issue 12's messages: file-system errors, missing actions, ranges, version, exit codes, colour,
/// and Excel's "Unicode 文本" through the real binary.
@Suite(.serialized) struct CLIMessageTests {
    @Test func missingTownFolderIsNamedAsSuch() throws {
        let r = try CLI.run(["check", "/nonexistent/town"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("找不到镇文件夹 /nonexistent/town"), "\(r.stderr)")
        #expect(!r.stderr.contains("no such file"))
        let en = try CLI.run(["check", "/nonexistent/town", "--lang", "en"])
        #expect(en.status == 2)
        #expect(en.stderr.contains("expected a town folder"), "\(en.stderr)")
    }

    @Test func unwritableOutFolderIsToldInChineseBeforeAnythingIsWritten() throws {
        let town = try CLI.scratchTown()
        // Running as root, permissions would not stop us: a file where a folder should be does.
        let blocker = town.appendingPathComponent("not-a-folder")
        try CLI.write("x", blocker)
        let out = blocker.appendingPathComponent("feeds").path
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z", "--out", out])
        #expect(r.status == 3)
        #expect(r.stderr.contains(out), "\(r.stderr)")
        #expect(r.stderr.contains("应为可写入的文件夹"), "\(r.stderr)")
        #expect(r.stderr.contains("是文件而不是文件夹"), "\(r.stderr)")
        for raw in ["Error Domain", "NSCocoaErrorDomain", "NSFilePath", "The operation"] {
            #expect(!r.stderr.contains(raw))
        }
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func attendWithoutAnActionSaysWhichToChoose() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let r = try CLI.run(["attend", town.path, "qingshan-2027-x@drillcal"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("请指定一种操作：--present"), "\(r.stderr)")
        #expect(
            r.stderr.contains("--import") && r.stderr.contains("--finalize") && r.stderr.contains("--reopen"))
        let two = try CLI.run(["attend", town.path, "u@drillcal", "--finalize", "--reopen", "--reason", "x"])
        #expect(two.status == 2)
        #expect(two.stderr.contains("请只选一种操作"))
    }

    @Test func versionIsPrinted() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("drillcal "))
    }

    @Test(arguments: [
        (["check", "TOWN", "--threshold", "1.5"], "--threshold"),
        (["check", "TOWN", "--threshold", "-0.1"], "--threshold"),
        (["check", "TOWN", "--threshold", "nan"], "--threshold"),
        (["report", "TOWN", "--format", "csv", "--out", "/tmp/x.csv", "--threshold", "2"], "--threshold"),
        (["report", "TOWN", "--format", "csv", "--out", "/tmp/x.csv", "--year", "99999"], "--year"),
        (["serve", "TOWN", "--port", "70000"], "--port"),
    ])
    func numericOptionsAreRangeChecked(args: [String], option: String) throws {
        let town = try CLI.scratchTown()
        let r = try CLI.run(args.map { $0 == "TOWN" ? town.path : $0 })
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.stderr.contains(option), "\(r.stderr)")
        #expect(!r.stderr.contains("Error:"), "\(r.stderr)")
    }

    @Test func parserMistakesAreInChineseByDefault() throws {
        let r = try CLI.run(["check"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("命令行有误：缺少参数"), "\(r.stderr)")
        let unknown = try CLI.run(["check", "x", "--bogus"])
        #expect(unknown.stderr.contains("未知的选项 --bogus"), "\(unknown.stderr)")
        let en = try CLI.run(["check", "x", "--bogus", "--lang", "en"])
        #expect(en.stderr.contains("Unknown option"), "\(en.stderr)")
    }

    @Test func corruptManifestIsExplained() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let manifest = town.appendingPathComponent("feeds/manifest.json")
        for bad in ["{\"events\": 5}", "{not json", ""] {
            try CLI.write(bad, manifest)
            let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
            #expect(r.status == 2)
            #expect(r.stderr.contains("manifest.json"), "\(r.stderr)")
            #expect(r.stderr.contains("应为 drillcal build 写出的日历清单"), "\(r.stderr)")
            #expect(!r.stderr.contains("DecodingError") && !r.stderr.contains("codingPath"), "\(r.stderr)")
        }
    }

    /// build and serve agree: unmet demand is exit 1 for both (serve used to exit 2).
    @Test func serveExitsLikeBuildOnUnmetDemand() throws {
        let town = try CLI.scratchTown()
        let plan = town.appendingPathComponent("plan.yaml")
        // One day a year, and that day a holiday: the rule cannot be placed.
        let text = try CLI.read(plan).replacingOccurrences(
            of: "window: {from: 11-01, to: 12-15}", with: "window: {from: 10-01, to: 10-01}")
        try CLI.write(text, plan)
        let build = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(build.status == 1, "\(build.stdout)")
        guard build.status == 1 else { return }  // else serve would start and never return
        let serve = try CLI.run(["serve", town.path, "--port", "0"])
        #expect(serve.status == 1, "\(serve.stderr)")
    }

    @Test func noColourWhenNotATerminalOrWithNoColor() throws {
        let town = try CLI.scratchTown()
        for env in [[:], ["NO_COLOR": "1"]] {
            let r = try CLI.run(["check", town.path, "--as-of", "2026-12-01"], env: env)
            #expect(r.status == 1)
            #expect(!r.stdout.contains("\u{1B}["))
            #expect(!r.stderr.contains("\u{1B}["))
        }
        // Under a pseudo-terminal (script(1)) the ✗ lines are coloured, unless NO_COLOR is set.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return }
        let command = "\(CLI.binary.path) check \(town.path) --as-of 2026-12-01"
        let tty = try CLI.runScript(command, env: [:])
        #expect(tty.contains("\u{1B}[31m"), "\(tty)")
        let plain = try CLI.runScript(command, env: ["NO_COLOR": "1"])
        #expect(!plain.contains("\u{1B}["), "\(plain)")
    }

    @Test func unicodeTextRosterBuildsTheSameFeeds() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let before = try CLI.snapshot(town.appendingPathComponent("feeds"))
        // Excel's "Unicode 文本": UTF-16 LE with a BOM, tab-separated, CRLF, padded with a trailing tab.
        let roster = town.appendingPathComponent("roster.csv")
        let text = try CLI.read(roster).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : $0.replacingOccurrences(of: ",", with: "\t") + "\t\r\n" }.joined()
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: roster)
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try CLI.snapshot(town.appendingPathComponent("feeds")) == before)
    }
}

extension CLI {
    /// Runs `command` under a pseudo-terminal with script(1); returns what the terminal showed.
    static func runScript(_ command: String, env: [String: String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment["TERM"] = "xterm"
        for (k, v) in env { environment[k] = v }
        return try ChildProcess.run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment, stderr: .discard).stdoutText
    }
}
