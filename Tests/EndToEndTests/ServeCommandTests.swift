import ChildProcess
import Foundation
import Testing

/// `drillcal serve` as a user runs it: the built binary on a free port, fetched with curl, stopped
/// with SIGTERM.
@Suite("serve command")
struct ServeCommandTests {
    @Test("serves the exported town.ics byte for byte, a token link, and exits 0 on SIGTERM")
    func serveAndStop() async throws {
        let town = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: town.deletingLastPathComponent().deletingLastPathComponent())
        }
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T08:00:00Z"]).status == 0)
        let issued = try CLI.run(["token", "issue", town.path, "m001", "--base-url", "http://127.0.0.1:1"])
        #expect(issued.status == 0, "\(issued.stderr)")
        let lines = issued.stdout.split(separator: "\n").map(String.init)
        let tokenPath = try #require(lines.first { $0.hasPrefix("http://") }).replacingOccurrences(
            of: "http://127.0.0.1:1", with: "")
        #expect(lines.contains { $0.hasPrefix("webcal://127.0.0.1:1/feeds/") })

        let server = try RunningProcess(CLI.binary.path, ["serve", town.path, "--port", "0"])
        defer { server.signal(SIGTERM) }

        // "Serving … at http://127.0.0.1:PORT/" once listening (at the default log level, which the
        // test reads below; LiveServer starts servers at warning).
        let url = try #require(
            try await LiveServer.listeningBase(of: server), "server did not start: \(server.stderrText)")

        let body = try curl(["-sf", "\(url)/calendars/qingshan/town.ics"])
        let exported = try Data(contentsOf: town.appendingPathComponent("feeds/town.ics"))
        #expect(body == exported)
        let headers = String(
            decoding: try curl(["-sI", "\(url)/calendars/qingshan/town.ics"]), as: UTF8.self)
        #expect(headers.lowercased().contains("etag: \""))
        let member = try curl(["-sf", url + tokenPath])
        #expect(member == (try Data(contentsOf: town.appendingPathComponent("feeds/member-m001.ics"))))

        server.signal(SIGTERM)
        #expect(try await server.waitUntilExit(seconds: 10) == .exited(0))
        let log = server.stderrText
        #expect(log.contains("path=/feeds/REDACTED"))
        #expect(log.contains("回环地址") && log.contains("--public-url"), "serve warns that it advertises a loopback address")
        #expect(
            !log.contains(String(tokenPath.dropFirst("/feeds/".count).dropLast(4))),
            "the token is never logged")
        #expect(!log.contains("13800000001"))
    }

    private func curl(_ args: [String]) throws -> Data {
        try ChildProcess.run("/usr/bin/curl", ["--max-time", "20"] + args, stderr: .discard).stdout
    }
}
