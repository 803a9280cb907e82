import Foundation
import Testing

/// `drillcal serve --secret-file` as an operator runs several servers over one database: a leader
/// who logs in on one server is logged in on the others with the same secret, and on none with
/// another; a bad secret stops the server before it starts.
@Suite("serve: a secret shared by several servers")
struct SharedSecretTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"

    @Test("a missing or short secret file is refused with exit 2, naming the file and what it found")
    func badSecrets() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drillcal-secret-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let town = CLI.root.appendingPathComponent("calendars/qingshan").path
        let missing = folder.appendingPathComponent("no-such-secret").path
        let r1 = try CLI.run(["serve", town, "--port", "0", "--secret-file", missing])
        #expect(r1.status == 2)
        #expect(r1.stderr.contains(missing) && r1.stderr.contains("无法读取服务密钥文件"), "\(r1.stderr)")
        let short = folder.appendingPathComponent("short").path
        try CLI.write("  0123456789\n", URL(fileURLWithPath: short))
        let r2 = try CLI.run(["serve", town, "--port", "0", "--secret-file", short, "--lang", "en"])
        #expect(r2.status == 2)
        #expect(
            r2.stderr.contains(short) && r2.stderr.contains("at least 32 bytes")
                && r2.stderr.contains("found 10 bytes"),
            "\(r2.stderr)")
        let r3 = try CLI.run(["serve", town, "--port", "0"], env: ["DRILLCAL_SECRET": "too short"])
        #expect(r3.status == 2)
        #expect(r3.stderr.contains("DRILLCAL_SECRET") && r3.stderr.contains("9 字节"), "\(r3.stderr)")
    }

    @Test("a login made on one server opens the check-in page on another with the same secret only")
    func loginOnEveryServer() async throws {
        let town = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: town.deletingLastPathComponent().deletingLastPathComponent())
        }
        #expect(try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"]).status == 0)
        let issued = try CLI.run(["code", "issue", town.path, drill])
        #expect(issued.status == 0, "\(issued.stderr)")
        let code = String(issued.stdout.prefix { $0 != "\n" })
        let secret = town.deletingLastPathComponent().appendingPathComponent("secret")
        try CLI.write("3q2+7wAAAAAexampleOnlyNotARealSecret0000==\n", secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secret.path)

        let a = try await LiveServer(town: town, extra: ["--secret-file", secret.path])
        let b = try await LiveServer(
            town: town, env: ["DRILLCAL_SECRET_FILE": secret.path])
        let c = try await LiveServer(
            town: town, env: ["DRILLCAL_SECRET": "another-secret-of-at-least-32-bytes!!"])
        defer { for s in [a, b, c] { Task { try? await s.stop() } } }

        let headers = try runTool(
            "/usr/bin/curl",
            [
                "-s", "--max-time", "60", "-D", "-", "-o", "/dev/null", "-X", "POST", "-H",
                "Origin: \(a.base)",
                "--data-urlencode", "code=\(code)", "\(a.base)/checkin/\(drill)/login",
            ]
        ).out
        let cookieLine = try #require(
            headers.split(separator: "\r\n").first {
                $0.lowercased().hasPrefix("set-cookie: drillcal_leader=")
            },
            "no login cookie from server A: \(headers)")
        let cookie = String(cookieLine.dropFirst("set-cookie: ".count).prefix { $0 != ";" })

        func page(_ server: LiveServer) throws -> String {
            try runTool(
                "/usr/bin/curl",
                ["-s", "--max-time", "60", "-H", "Cookie: \(cookie)", "\(server.base)/checkin/\(drill)"]
            ).out
        }
        #expect(try page(a).contains("\"csrf\""), "logged in on A")
        #expect(try page(b).contains("\"csrf\""), "the same login on B (same secret, same database)")
        #expect(!(try page(c).contains("\"csrf\"")), "not on C, whose secret differs")
        for s in [a, b, c] { try await s.stop() }
        #expect(!a.logged.contains(code), "the code is never logged")
    }
}
