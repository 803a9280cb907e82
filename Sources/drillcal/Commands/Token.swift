import ArgumentParser
import DrillCore
import DrillIO
import DrillReports
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

        /// `drillcal token issue DIR MEMBER` or `--all --out links.csv`.
        struct Issue: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "发放（或重新发放）个人日历链接 / issue (or reissue) a member's private feed link",
                discussion: """
                    drillcal token issue DIR m001                    一名队员（链接只显示一次）
                    drillcal token issue DIR --all --out links.csv   全体队员，写入 CSV 供站里分发（请妥善保管）
                    链接地址取 --public-url，否则取 plan.yaml 的 public_url；无需服务正在运行。
                    The address is --public-url, else public_url in plan.yaml; no server needs to be running.
                    """)

            @OptionGroup var town: TownOptions

            @Argument(help: "队员编号 / member id (roster.csv)")
            var member: String?

            @Flag(help: "为名册中每名队员发放（需 --out）/ issue for every member on the roster (needs --out)")
            var all = false

            @Option(help: "--all 时写入的 CSV 文件 / the CSV file --all writes")
            var out: String?

            @Option(
                name: [.customLong("public-url"), .customLong("base-url")],
                help: "手机访问服务的地址，默认 plan.yaml 的 public_url / the address phones reach the server at")
            var baseURL: String?

            func validate() throws {
                let l = town.lang
                if let baseURL, PublicURL.normalize(baseURL) == nil {
                    throw ValidationError(
                        l.pick(
                            "--public-url 应为以 http:// 或 https:// 开头、含主机名的地址，实际为 “\(baseURL)”",
                            "--public-url must be an http:// or https:// address with a host, found \"\(baseURL)\""))
                }
                guard all != (member != nil) else {
                    throw ValidationError(l.pick("请给出一个队员编号，或用 --all", "give one member id, or --all"))
                }
                guard all == (out != nil) else {
                    throw ValidationError(
                        l.pick("--all 需要 --out 文件（且只与 --all 一起用）", "--all needs --out FILE (and --out goes with --all)"))
                }
            }

            func run() async throws {
                let l = town.lang
                let input = try town.load()
                let base: String
                if let given = baseURL.flatMap(PublicURL.normalize) {
                    base = given
                } else if let planned = input.plan.feeds.publicURL {
                    base = planned
                } else {
                    base = "http://127.0.0.1:8080"
                    Console.warning(
                        l.pick(
                            "注意：plan.yaml 没有 public_url，也没有 --public-url，链接用本机地址 \(base)，手机打不开",
                            "warning: no public_url in plan.yaml and no --public-url: the links use \(base), which phones cannot reach"
                        ))
                }
                let people = all ? input.roster.members : []
                if let member, input.roster.member(member) == nil {
                    Console.error(
                        l.pick(
                            "名册中没有队员编号 “\(member)”（\(input.rosterFile)）",
                            "no member \"\(member)\" in \(input.rosterFile)"))
                    throw ExitCode(2)
                }
                let store = try await town.requireStore()
                let targets = member.map { [input.roster.member($0)!] } ?? people
                var rows: [(id: String, name: String, links: MemberLinks, replaced: Bool)] = []
                let at = Int(try Clock.now(l).timeIntervalSince1970)
                // Checked before any token changes, so a bad --out leaves every link as it was.
                if let out, let problem = FileProblem.checkWritableFolder((out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent) {
                    Console.error(problem.message(l))
                    throw ExitCode(3)
                }
                for person in targets {
                    let token = FeedToken.generate()
                    do {
                        // Revoked first, so the message says 旧链接已作废 only when there was one.
                        let replaced = try await store.revokeToken(member: person.id, at: at)
                        try await store.issueToken(member: person.id, hash: FeedToken.digest(token), at: at)
                        rows.append((person.id, person.name, MemberLinks(base: base, token: token), replaced))
                    } catch {
                        Console.error(error.message(l))
                        throw ExitCode(3)
                    }
                }
                if let out {
                    var csv = CSVText.line(["编号", "姓名", "个人日历链接", "订阅链接（webcal）", "请假页面"]) + "\r\n"
                    for row in rows {
                        csv += CSVText.line([row.id, row.name, row.links.feed, row.links.webcal, row.links.page]) + "\r\n"
                    }
                    do {
                        // UTF-8 with BOM, so Excel in China opens it; temp file + rename.
                        try FeedWriterBridge.replace(out, CSVText.byteOrderMark + Array(csv.utf8))
                    } catch {
                        Console.error(FileProblem.writeError(error, path: out, folder: false).message(l))
                        throw ExitCode(3)
                    }
                    let replaced = rows.filter(\.replaced).count
                    print(
                        l.pick(
                            "已为 \(rows.count) 名队员发放个人链接，写入 \(out)（其中 \(replaced) 人的旧链接已作废）。文件含全部私人链接，请妥善保管、分发后删除。",
                            "Issued private links for \(rows.count) members into \(out) (\(replaced) earlier links no longer work). The file holds every private link: keep it safe and delete it once sent."
                        ))
                    return
                }
                let row = rows[0]
                print(
                    row.replaced
                        ? l.pick(
                            "\(row.name)（\(row.id)）的个人日历链接（旧链接已作废）：",
                            "Private feed of \(row.name) (\(row.id)); the earlier link no longer works:")
                        : l.pick("\(row.name)（\(row.id)）的个人日历链接：", "Private feed of \(row.name) (\(row.id)):"))
                print(row.links.feed)
                print(row.links.webcal)
                print(l.pick("请假页面（我不能参加）：", "Absence page (I can't come):"))
                print(row.links.page)
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
                let store = try await town.requireStore()
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
