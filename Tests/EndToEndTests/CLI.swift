import ChildProcess
import Foundation

/// Runs the built `drillcal` binary like a user would, in a scratch copy of the example town.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary SwiftPM built beside this test bundle (the test target depends on it).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["DRILLCAL_BIN"] { return URL(fileURLWithPath: path) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("drillcal")
    }

    /// The repository root (for calendars/).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A clock after every 2027 session (`DRILLCAL_NOW`): attendance is taken only for sessions
    /// that have started, and the example town's year lies ahead of the real clock.
    static let afterTheYear = ["DRILLCAL_NOW": "2027-12-31T12:00:00Z"]

    @discardableResult
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Result {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "SOURCE_DATE_EPOCH")
        for (k, v) in env { environment[k] = v }
        let r = try ChildProcess.run(binary.path, args, environment: environment)
        return Result(status: r.status, stdout: r.stdoutText, stderr: r.stderrText)
    }

    /// A scratch copy of `calendars/` (holidays + the example town) without its exported feeds.
    static func scratchTown() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drillcal-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let calendars = dir.appendingPathComponent("calendars")
        try FileManager.default.copyItem(at: root.appendingPathComponent("calendars"), to: calendars)
        let town = calendars.appendingPathComponent("qingshan")
        try? FileManager.default.removeItem(at: town.appendingPathComponent("feeds"))
        try? FileManager.default.removeItem(at: town.appendingPathComponent("feeds.d"))
        // A store left by running the example in the work tree would make every test start mid-year.
        for name in ["drillcal.sqlite", "drillcal.sqlite-wal", "drillcal.sqlite-shm"] {
            try? FileManager.default.removeItem(at: town.appendingPathComponent(name))
        }
        return town
    }

    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    static func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    /// Every file in a folder with its bytes, to prove nothing changed.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            out[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return out
    }
}
