import DrillCore
import DrillStore
import DrillWeb
import HTTPTypes
import Hummingbird
import Logging

/// Builds the feed server: the router, plus the service that reloads the town folder. Tests call
/// it with their own store, folder and configuration and drive it with `app.test(.router)`.
///
/// ```swift
/// let library = try FeedLibrary(folder: TownFolder(directory: "calendars/qingshan"))
/// let app = buildApplication(configuration: ServerConfiguration(), store: try SQLiteStore(path: db), town: library)
/// try await app.runService()   // SIGTERM/SIGINT: stop accepting, finish in-flight requests, exit
/// ```
/// - Parameters:
///   - configuration: address, links, throttle and reload interval.
///   - store: where private feed tokens are looked up (by digest).
///   - town: the feeds to serve.
///   - logger: the server's logger; each request's lines carry its request id.
///   - onServerRunning: called with the bound port once listening (for port 0).
public func buildApplication(
    configuration: ServerConfiguration, store: any AttendanceStore, town: FeedLibrary,
    logger: Logger = Logger(label: "drillcal.serve"),
    additionalRoutes: (Router<FeedRequestContext>) -> Void = { _ in },
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let throttle = TokenThrottle(policy: configuration.throttle, ledger: configuration.throttleLedger, name: "feed-token")
    let router = buildRouter(configuration: configuration, store: store, town: town, throttle: throttle)
    let tokens = store as? any ImmediateTokenLookup
    // Other modules' routes (the check-in page) join the same router, context and logging.
    additionalRoutes(router)
    return Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: configuration.feedFastPath
                    ? [
                        FeedFastPath.Installer {
                            FeedFastPath(
                                library: town, logger: logger, tokens: tokens, throttle: throttle,
                                trustedProxies: configuration.trustedProxies, index: IndexSettings(configuration))
                        }
                    ] : [])),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
        services: [FeedReloader(library: town, interval: configuration.reloadInterval, logger: logger)]
            + (configuration.throttleLedger.map {
                [ThrottleSync(ledger: $0, store: store, interval: configuration.throttleSyncInterval, logger: logger)]
            } ?? []),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The routes:
/// - `GET|HEAD /calendars/{town}/town.ics`, `team-{id}.ics`, `village-{id}.ics`: public feeds.
/// - `GET|HEAD /feeds/{token}.ics`: a member's private feed.
/// - `GET /`: the index page (`?lang=en`); `GET /healthz`.
public func buildRouter(
    configuration: ServerConfiguration, store: any AttendanceStore, town: FeedLibrary, throttle: TokenThrottle
) -> Router<FeedRequestContext> {
    let router = Router(context: FeedRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.middlewares.add(RequestLogMiddleware<FeedRequestContext>())

    router.get("/healthz") { _, _ in Responses.health() }

    router.get("/") { request, _ in
        let catalog = town.catalog
        let language =
            request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:))
            ?? configuration.language
        let base = IndexSettings(configuration).baseURL(authority: request.head.authority)
        return Responses.html(catalog.indexAnswer(language: language, baseURL: base).page)
    }

    @Sendable func publicFeed(_ request: Request, _ context: FeedRequestContext) -> Response {
        let catalog = town.catalog
        // Names are only ever dictionary keys; the shape check just makes that obvious.
        guard context.parameters.get("town") == catalog.townID, let file = context.parameters.get("file"),
            FeedName.isPlain(file), let feed = catalog.publicFeeds[file]
        else { return Responses.notFound() }
        return feed.response(to: request)
    }
    router.get("/calendars/:town/:file") { request, context in publicFeed(request, context) }
    router.head("/calendars/:town/:file") { request, context in publicFeed(request, context) }

    @Sendable func privateFeed(_ request: Request, _ context: FeedRequestContext) async -> Response {
        let address = context.clientAddress(request, trusting: configuration.trustedProxies)
        guard let file = context.parameters.get("file"), file.hasSuffix(".ics"),
            FeedToken.isWellFormed(file.dropLast(4))
        else {
            // No lookup to guard, but still a miss: a malformed link counts like a wrong one.
            switch throttle.reserve(address: address, target: TokenThrottle.tokenSpace) {
            case .refused(let wait): return Responses.tooManyRequests(retryAfter: wait)
            case .granted(let ticket):
                throttle.settle(ticket, .miss)
                return Responses.notFound()
            }
        }
        // Reserved before the store is awaited, so parallel guesses cannot all slip past the check.
        let digest = FeedToken.digest(file.dropLast(4))
        let ticket: TokenThrottle.Ticket
        switch throttle.reserve(address: address, target: TokenThrottle.tokenSpace, secret: digest) {
        case .refused(let wait): return Responses.tooManyRequests(retryAfter: wait)
        case .granted(let granted): ticket = granted
        }
        let member: String?
        do {
            member = try await store.member(forTokenHash: digest)
        } catch {
            throttle.settle(ticket, .undecided)
            context.logger.error("token lookup failed", metadata: ["error": "\(error)"])
            return Responses.unavailable()
        }
        guard let member, let feed = town.catalog.memberFeeds[member] else {
            throttle.settle(ticket, .miss)
            return Responses.notFound()
        }
        throttle.settle(ticket, .hit)
        return feed.response(to: request)
    }
    router.get("/feeds/:file") { request, context in await privateFeed(request, context) }
    router.head("/feeds/:file") { request, context in await privateFeed(request, context) }

    return router
}

/// What the index page depends on besides the catalog: the configured base URL and language, and
/// the address to fall back on. Shared by the router and `FeedFastPath`, so both draw the same page.
struct IndexSettings: Sendable {
    var baseURL: String?
    var language: Language
    var host: String
    var port: Int

    init(_ configuration: ServerConfiguration) {
        baseURL = configuration.baseURL
        language = configuration.language
        host = configuration.host
        port = configuration.port
    }

    /// The configured base URL, else `http://<Host>` when the Host header is a plain host[:port],
    /// else the configured address: the page is only as good as the links on it.
    func baseURL(authority: String?) -> String {
        if let baseURL { return baseURL }
        if let host = authority, !host.isEmpty,
            host.utf8.allSatisfy({ c in
                (97...122).contains(c) || (65...90).contains(c) || (48...57).contains(c) || c == 46 || c == 45
                    || c == 58
                    || c == 91 || c == 93
            })
        {
            return "http://\(host)"
        }
        return "http://\(self.host):\(port)"
    }
}

/// Feed names the public routes accept: lowercase letters, digits, `-`, `_`, one `.ics` at the
/// end; no `..`, no slash, no backslash, no percent sign.
enum FeedName {
    static func isPlain(_ name: String) -> Bool {
        guard name.hasSuffix(".ics"), name.utf8.count <= 200 else { return false }
        let stem = name.utf8.dropLast(4)
        return !stem.isEmpty
            && stem.allSatisfy { c in
                (97...122).contains(c) || (48...57).contains(c) || c == 45 || c == 95 || (65...90).contains(c)
            }
    }
}
