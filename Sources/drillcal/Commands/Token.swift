import ArgumentParser
import DrillCore
import DrillServer
import DrillStore
import Foundation

extension Drillcal {
    /// `drillcal token`: private feed links for members.
    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "个人日历链接 / private feed links",
            discussion: """
                drillcal token issue DIR m001 --base-url http://192.168.1.10:8080   发放（再次发放即作废旧链接）
                drillcal token revoke DIR m001                                      作废
                链接只显示一次；数据库只保存令牌的 SHA-256 摘要。
                The link is shown once; the database keeps only the token's SHA-256 digest.
                """,
            subcommands: [Issue.self, Revoke.self])

        /// `drillcal token issue DIR MEMBER`.
        struct Issue: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "发放（或重新发放）个人日历链接 / issue (or reissue) a member's private feed link")

            @OptionGroup var town: TownOptions

            @Argument(help: "队员编号 / member id (roster.csv)")
            var member: String

            @Option(help: "服务地址 / the server's base URL as members reach it")
            var baseURL = "http://127.0.0.1:8080"

            func validate() throws {
                guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://") else {
                    throw ValidationError(
                        town.lang.pick(
                            "--base-url 应以 http:// 或 https:// 开头",
                            "--base-url must start with http:// or https://"))
                }
            }

            func run() async throws {
                let l = town.lang
                let input = try town.load()
                guard let person = input.roster.member(member) else {
                    Console.error(
                        l.pick(
                            "名册中没有队员编号 “\(member)”（\(input.rosterFile)）",
                            "no member \"\(member)\" in \(input.rosterFile)"))
                    throw ExitCode(2)
                }
                let store = try town.requireStore()
                let token = FeedToken.generate()
                do {
                    try await store.issueToken(
                        member: member, hash: FeedToken.digest(token), at: Int(Date().timeIntervalSince1970))
                } catch {
                    Console.error(error.message(l))
                    throw ExitCode(3)
                }
                let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
                let http = "\(base)/feeds/\(token).ics"
                let webcal = "webcal://" + http.drop { $0 != ":" }.dropFirst(3)
                print(
                    l.pick(
                        "\(person.name)（\(member)）的个人日历链接（旧链接已作废）：",
                        "Private feed of \(person.name) (\(member)); any earlier link no longer works:"))
                print(http)
                print(webcal)
            }
        }

        /// `drillcal token revoke DIR MEMBER`.
        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "作废个人日历链接 / revoke a member's private feed link")

            @OptionGroup var town: TownOptions

            @Argument(help: "队员编号 / member id")
            var member: String

            func run() async throws {
                let l = town.lang
                let store = try town.requireStore()
                let revoked: Bool
                do {
                    revoked = try await store.revokeToken(
                        member: member, at: Int(Date().timeIntervalSince1970))
                } catch {
                    Console.error(error.message(l))
                    throw ExitCode(3)
                }
                print(
                    revoked
                        ? l.pick("已作废 \(member) 的个人日历链接。", "Revoked the private feed link of \(member).")
                        : l.pick("\(member) 没有有效的个人日历链接。", "\(member) has no active private feed link."))
            }
        }
    }
}
