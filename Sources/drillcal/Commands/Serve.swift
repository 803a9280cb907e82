import ArgumentParser
import Crypto
import DrillCheckIn
import DrillCore
import DrillIO
import DrillServer
import DrillStore
import DrillWeb
import Foundation
import Logging
import Synchronization

extension Drillcal {
    /// `drillcal serve DIR`: publishes the town's feeds over HTTP, from memory.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "发布日历订阅服务 / serve the calendar feeds over HTTP",
            discussion: """
                GET /calendars/<town>/town.ics、team-<id>.ics、village-<id>.ics：公开日历，与 drillcal build 导出的字节相同；
                GET /feeds/<令牌>.ics：个人日历（令牌由 drillcal token issue 发放）；GET /：订阅页（二维码）；GET /healthz。
                每秒检查 plan.yaml、roster.csv、节假日文件与 feeds/manifest.json，有变化即重建，无需重启。
                SIGTERM/SIGINT：停止接收新连接，处理完进行中的请求后退出（退出码 0）。
                Public feeds are the bytes `drillcal build` exports; private feeds sit behind tokens; the folder is
                checked once a second and changes show without a restart. SIGTERM/SIGINT shut down gracefully.
                """)

        @OptionGroup var town: TownOptions

        @Option(help: "监听地址 / address to bind")
        var host = "127.0.0.1"

        @Option(help: "端口，0 为任选空闲端口 / port (0 picks a free one)")
        var port = 8080

        @Option(
            name: [.customLong("public-url"), .customLong("base-url")],
            help: "手机访问本服务的公开地址，用于所有二维码、webcal、个人链接和签到链接，默认取 plan.yaml 的 public_url（--base-url 为旧名）/ the address phones reach this server at, for every QR code and link; default: public_url in plan.yaml")
        var baseURL: String?

        @Flag(help: "有未排入的需求时仍发布 / publish even with unmet demand (as build --allow-partial)")
        var allowPartial = false

        @Option(
            name: .customLong("trusted-proxy"),
            help: ArgumentHelp(
                "可信反向代理的地址（可重复），仅来自它的 X-Forwarded-For 才用于按客户端限速 / address of a reverse proxy whose X-Forwarded-For names the client for rate limits (repeatable)",
                valueName: "ADDR"))
        var trustedProxies: [String] = []

        @Option(help: "优化器随机种子，与 build --seed 相同 / optimiser seed, as build --seed")
        var seed: UInt64 = 1

        @Option(help: "优化预算（评估的候选安排数），与 build --moves 相同 / optimiser budget in evaluated moves, as build --moves")
        var moves: Int = SearchOptions().moveBudget

        @Option(help: "日志级别 / log level: trace, debug, info, notice, warning, error, critical")
        var logLevel: String = "info"

        @Option(
            name: .customLong("secret-file"),
            help: ArgumentHelp(
                "服务密钥文件（至少 32 字节随机文本），多台服务器共用同一数据库时必须相同，使领队登录、二维码在每台上都有效；也可用环境变量 DRILLCAL_SECRET_FILE 或 DRILLCAL_SECRET。缺省时每次启动随机生成 / file holding the server secret (≥ 32 random bytes), the same for every server over one database so leader logins and QR codes work on all; or DRILLCAL_SECRET_FILE / DRILLCAL_SECRET. Default: random per start",
                valueName: "FILE"))
        var secretFile: String?

        func validate() throws {
            guard moves >= 0 else {
                throw ValidationError(town.lang.pick("--moves 不小于 0", "--moves must be at least 0"))
            }
            guard (0...65535).contains(port) else {
                throw ValidationError(town.lang.pick("--port 应在 0–65535 之间", "--port must be within 0–65535"))
            }
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ValidationError(
                    town.lang.pick("未知的日志级别 “\(logLevel)”", "unknown log level \"\(logLevel)\""))
            }
            for proxy in trustedProxies where !Self.isIPAddress(proxy) {
                throw ValidationError(
                    town.lang.pick(
                        "--trusted-proxy 应为 IP 地址（如 127.0.0.1 或 ::1），实际为 “\(proxy)”",
                        "--trusted-proxy must be an IP address (127.0.0.1, ::1), found \"\(proxy)\""))
            }
            if let baseURL, PublicURL.normalize(baseURL) == nil {
                throw ValidationError(
                    town.lang.pick(
                        "--public-url 应为以 http:// 或 https:// 开头、含主机名的地址，实际为 “\(baseURL)”",
                        "--public-url must be an http:// or https:// address with a host, found \"\(baseURL)\""))
            }
        }

        func run() async throws {
            let lang = town.lang
            HeapTuning.keepFreedPages()
            // StreamLogHandler's lines, rendered cheaply (`SinkLogHandler`) and written in batches
            // (`LogSink`), not one write each.
            let sink = LogSink()
            defer { sink.flush() }
            var logger = Logger(label: "drillcal.serve") { SinkLogHandler(label: $0, sink: sink) }
            logger.logLevel = Logger.Level(rawValue: logLevel)!

            // The deployment's shared secret, checked before anything else starts.
            let secret: SymmetricKey?
            do {
                secret = try ServerSecret.load(file: secretFile, environment: ProcessInfo.processInfo.environment)
            } catch {
                Console.error(error.message(lang))
                throw ExitCode(2)
            }
            if let path = secretFile ?? ProcessInfo.processInfo.environment[ServerSecret.fileVariable],
                secret != nil, ServerSecret.isReadableByOthers(path)
            {
                Console.warning(
                    lang.pick(
                        "注意：服务密钥文件 \(path) 其他用户可读，建议 chmod 600",
                        "warning: the server secret file \(path) is readable by other users; chmod 600 it"))
            }
            if secret == nil, town.usesPostgres {
                logger.notice(
                    "no --secret-file: leader logins and QR codes are valid on this server only (give every server of a deployment the same secret)"
                )
            }

            // Tokens live in the store `build` creates; without it no private feed can be found.
            let opened = try await town.openStore(create: false)
            let library: FeedLibrary
            do {
                library = try FeedLibrary(
                    folder: TownFolder(
                        directory: town.directory, language: lang, encoding: town.encoding,
                        allowPartial: allowPartial, seed: seed, moves: moves,
                        replan: storedReplan(opened), notices: storedNotices(opened)))
            } catch let error as TownLoadError {
                // The same exit code `build` gives for the same folder: 2 bad input, 1 unmet demand.
                Console.error(error.message)
                throw ExitCode(error.exitCode)
            }
            let store: any AttendanceStore
            if let opened {
                store = opened
                // Over PostgreSQL: check-ins' session and leader-code lookups from memory, kept
                // right by LISTEN/NOTIFY (PostgresReadCache).
                (opened as? PostgresStore)?.startReadCache()
            } else {
                logger.notice(
                    "no attendance database; private feeds answer 404 until one exists and the server restarts"
                )
                store = InMemoryStore()
            }

            // The check-in pages' clock (DRILLCAL_NOW shifts it for rehearsals and tests; it still runs).
            let offset = try Clock.now(lang).timeIntervalSinceNow
            var configuration = ServerConfiguration()
            configuration.host = host
            configuration.port = port
            configuration.baseURL = baseURL.flatMap(PublicURL.normalize) ?? library.catalog.plan.feeds.publicURL
            configuration.language = lang
            configuration.trustedProxies = Set(trustedProxies)
            // Wrong guesses are shared with every server over the same store (and kept over restarts).
            let ledger = ThrottleLedger()
            configuration.throttleLedger = ledger
            let catalog = library.catalog
            let host = self.host
            let publicURL = configuration.baseURL
            // The check-in page and its API (drill-leader codes from `drillcal code issue`), over the
            // town of the feeds' current version: a roster change reaches self check-in on reload.
            let checkInTown = CheckInTownFollower(library: library)
            let app = buildApplication(
                configuration: configuration, store: store, town: library, logger: logger,
                additionalRoutes: { router in
                    addCheckInRoutes(
                        to: router, store: store, town: { checkInTown.town }, language: lang,
                        options: CheckInOptions(
                            secret: secret ?? SymmetricKey(size: .bits256),
                            now: { Date(timeIntervalSinceNow: offset) },
                            publicBaseURL: configuration.baseURL, trustedProxies: configuration.trustedProxies,
                            throttleLedger: ledger
                        ))
                },
                onServerRunning: { port in
                    let shown = host.contains(":") ? "[\(host)]" : host
                    // Written straight to the descriptor (unbuffered), so a script waiting for it sees it.
                    let line = lang.pick(
                        "正在发布 \(catalog.townID)：http://\(shown):\(port)/ （Ctrl-C 停止）",
                        "Serving \(catalog.townID) at http://\(shown):\(port)/ (Ctrl-C to stop)")
                    FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    // Links and QR codes carry the public URL, else the address bound: a loopback
                    // one only works on this machine, so a phone that scans it reaches itself.
                    let advertised = publicURL ?? "http://\(shown):\(port)"
                    if PublicURL.isLoopback(advertised) {
                        Console.warning(
                            lang.pick(
                                "注意：二维码和链接中的地址 \(advertised) 是本机回环地址，手机扫码打不开；请用 --public-url 或 plan.yaml 的 public_url 给出手机能访问的地址（如 http://192.168.1.10:\(port)）",
                                "warning: QR codes and links carry \(advertised), a loopback address that phones cannot reach; give the address phones use with --public-url or public_url in plan.yaml (e.g. http://192.168.1.10:\(port))"
                            ))
                    }
                })
            try await app.runService()
            // How check-ins shared transactions (group commit), for the operator and bench-checkin.sh.
            let shared =
                (store as? SQLiteStore)?.recordStatistics ?? (store as? PostgresStore)?.recordStatistics
            if let shared, shared.items > 0 {
                logger.notice(
                    "group commit: \(shared.items) record calls in \(shared.transactions) transactions (largest \(shared.largest))"
                )
            }
            if let paths = (store as? PostgresStore)?.recordPaths, paths.atOnce + paths.callByCall > 0 {
                logger.notice("batches: \(paths.atOnce) written at once, \(paths.callByCall) call by call")
            }
            if let cache = (store as? PostgresStore)?.readCacheStatistics, cache.hits + cache.misses > 0 {
                logger.notice(
                    "read cache: \(cache.hits) lookups from memory, \(cache.misses) from the database, emptied \(cache.invalidations) times"
                )
            }
        }

        /// Whether `text` is an IPv4 or IPv6 address as a socket reports it.
        static func isIPAddress(_ text: String) -> Bool {
            var v4 = in_addr()
            var v6 = in6_addr()
            return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
        }
    }
}

/// The check-in routes' town, following the feed library: rebuilt (once) whenever the library
/// swaps in a new catalog, so phone tails and team minimums follow roster.csv and plan.yaml.
final class CheckInTownFollower: Sendable {
    private let library: FeedLibrary
    private let cache: Mutex<(catalog: FeedCatalog, town: CheckInTown)>

    init(library: FeedLibrary) {
        self.library = library
        let catalog = library.catalog
        cache = Mutex((catalog, CheckInTown(plan: catalog.plan, roster: catalog.roster)))
    }

    var town: CheckInTown {
        let catalog = library.catalog
        return cache.withLock { cache in
            if cache.catalog !== catalog {
                cache = (catalog, CheckInTown(plan: catalog.plan, roster: catalog.roster))
            }
            return cache.town
        }
    }
}
