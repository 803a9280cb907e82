import ArgumentParser
import DrillCheckIn
import DrillCore
import DrillIO
import DrillStore
import Foundation

extension Drillcal {
    /// `drillcal code`: drill-leader codes (带队签到码) that open one session's check-in page.
    struct Code: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "带队签到码 / drill-leader codes for the check-in page",
            discussion: """
                drillcal code issue DIR UID    打印新签到码（12 位，旧码作废；只保存带密钥的哈希，请当场交给带队人）
                drillcal code revoke DIR UID   作废该活动的签到码
                The code (12 characters, 60 bits) is printed once; only its HMAC-SHA256 under the database's own key is stored.
                """,
            subcommands: [Issue.self, Revoke.self])

        /// `drillcal code issue DIR UID`.
        struct Issue: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "发放新签到码（作废旧码）/ issue a new code, revoking the old one")

            @OptionGroup var town: TownOptions
            @Argument(help: "活动 UID / session UID") var uid: String
            @Option(help: "发放人，默认当前用户 / who issues it") var by: String?
            @Option(
                name: [.customLong("public-url"), .customLong("base-url")],
                help: "手机访问服务的地址，默认 plan.yaml 的 public_url / the address phones reach the server at")
            var baseURL: String?

            func run() async throws {
                let uid = await town.uidFor(self.uid)  // a short code (S017) works too
                let input = try town.load()
                let store = try await town.requireStore()
                let code = LeaderCode.generate()
                let issuer = by ?? ProcessInfo.processInfo.environment["USER"] ?? "drillcal"
                do {
                    let key = try await store.storeKey(named: LeaderCode.keyName)
                    try await store.issueLeaderCode(
                        session: uid, hash: LeaderCode.hash(code, key: key), by: issuer,
                        at: Int(Date().timeIntervalSince1970))
                } catch {
                    Console.error(error.message(town.lang))
                    throw ExitCode(error.isInput ? 2 : 3)
                }
                // The code first, on a line of its own (scripts read it); then where to type it.
                print(code)
                let base =
                    baseURL.flatMap(PublicURL.normalize) ?? input.plan.feeds.publicURL ?? "http://127.0.0.1:8080"
                let path = uid.addingPercentEncoding(
                    withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? uid
                print(town.lang.pick("签到页面：\(base)/checkin/\(path)", "Check-in page: \(base)/checkin/\(path)"))
                if PublicURL.isLoopback(base) {
                    Console.warning(
                        town.lang.pick(
                            "注意：\(base) 是本机地址，手机打不开；请在 plan.yaml 设 public_url 或用 --public-url",
                            "warning: \(base) is this machine's own address, which phones cannot reach; set public_url in plan.yaml or pass --public-url"
                        ))
                }
            }
        }

        /// `drillcal code revoke DIR UID`.
        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "作废签到码 / revoke the session's code")

            @OptionGroup var town: TownOptions
            @Argument(help: "活动 UID / session UID") var uid: String

            func run() async throws {
                let uid = await town.uidFor(self.uid)  // a short code (S017) works too
                let store = try await town.requireStore()
                let l = town.lang
                do {
                    let revoked = try await store.revokeLeaderCodes(
                        session: uid, at: Int(Date().timeIntervalSince1970))
                    print(
                        revoked > 0
                            ? l.pick("已作废 \(uid) 的签到码。", "Revoked the code of \(uid).")
                            : l.pick("\(uid) 没有有效的签到码。", "\(uid) has no active code."))
                } catch {
                    Console.error(error.message(l))
                    throw ExitCode(error.isInput ? 2 : 3)
                }
            }
        }
    }
}
