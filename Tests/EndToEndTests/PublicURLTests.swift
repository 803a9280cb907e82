import Foundation
import Testing

/// One public address for every link (issue 8, item 6).
@Suite(.serialized) struct PublicURLTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"

    func published(publicURL: String?) throws -> URL {
        let town = try CLI.scratchTown()
        if let publicURL {
            let plan = town.appendingPathComponent("plan.yaml")
            try CLI.write(try CLI.read(plan) + "\npublic_url: \(publicURL)\n", plan)
        }
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        return town
    }

    @Test("token issue uses plan.yaml's public_url; 旧链接已作废 only when there was an old link")
    func tokenLinks() throws {
        let town = try published(publicURL: "https://yj.example.cn/")
        let first = try CLI.run(["token", "issue", town.path, "m001"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdout.contains("旧链接已作废"), "\(first.stdout)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("https://yj.example.cn/feeds/") && $0.hasSuffix(".ics") })
        #expect(lines.contains { $0.hasPrefix("webcal://yj.example.cn/feeds/") })
        #expect(lines.contains { $0.hasPrefix("https://yj.example.cn/me/") })
        #expect(first.stderr.isEmpty, "no loopback warning: \(first.stderr)")
        let second = try CLI.run(["token", "issue", town.path, "m001"])
        #expect(second.stdout.contains("旧链接已作废"))
        let other = try CLI.run(["token", "issue", town.path, "m002", "--public-url", "http://192.168.1.10:8080"])
        #expect(other.stdout.contains("http://192.168.1.10:8080/feeds/"))
        #expect(try CLI.run(["token", "issue", town.path, "m002", "--public-url", "ftp://x"]).status == 2)
    }

    @Test("token issue --all --out writes every member's links once; without a public URL it warns")
    func allLinks() async throws {
        let town = try published(publicURL: nil)
        #expect(try CLI.run(["token", "issue", town.path, "m003"]).status == 0)
        let out = town.appendingPathComponent("links.csv")
        let r = try CLI.run(["token", "issue", town.path, "--all", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("public_url"), "loopback warning: \(r.stderr)")
        #expect(r.stdout.contains("1 人的旧链接已作废"), "\(r.stdout)")
        let bytes = try Data(contentsOf: out)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let rows = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n").map(String.init)
        let roster = try CLI.read(town.appendingPathComponent("roster.csv")).split(whereSeparator: \.isNewline)
            .dropFirst().filter { !$0.isEmpty }
        #expect(rows.count == roster.count + 1, "a header and one row per member")
        #expect(rows[0] == "编号,姓名,个人日历链接,订阅链接（webcal）,请假页面")
        let tokens = rows.dropFirst().map { $0.split(separator: ",")[2] }
        #expect(Set(tokens).count == roster.count, "every link differs")
        #expect(!rows.joined().contains("1380000"), "no phone numbers in the links file")
        #expect(try CLI.run(["token", "issue", town.path, "--all"]).status == 2, "--all needs --out")
    }

    @Test("code issue prints the code, then the check-in URL under the public URL")
    func codeURL() throws {
        let town = try published(publicURL: "https://yj.example.cn")
        let r = try CLI.run(["code", "issue", town.path, drill])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].count == 14)
        #expect(lines[1] == "签到页面：https://yj.example.cn/checkin/\(drill)")
    }

    @Test("a public_url that is not an http(s) address is bad input naming plan.yaml")
    func badPublicURL() throws {
        let town = try CLI.scratchTown()
        let plan = town.appendingPathComponent("plan.yaml")
        try CLI.write(try CLI.read(plan) + "\npublic_url: yj.example.cn\n", plan)
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("plan.yaml") && r.stderr.contains("public_url"), "\(r.stderr)")
    }
}
