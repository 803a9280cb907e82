import DrillCore
import DrillWeb

/// How the feed server listens and behaves. Everything has a default fit for a town station's
/// own machine; tests change the throttle and the reload interval.
public struct ServerConfiguration: Sendable {
    /// Address to bind (loopback by default: put a TLS proxy in front to go public).
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (the server logs and prints which).
    public var port: Int = 8080
    /// Public base URL for links on the index page (`https://yj.example.cn`); nil derives it
    /// from the request's Host header.
    public var baseURL: String?
    /// Default language of the index page (`?lang=` overrides).
    public var language: Language = .zh
    /// How often the town folder is checked for changes.
    public var reloadInterval: Duration = .seconds(1)
    /// Limits on bad private-feed tokens.
    public var throttle = TokenThrottle.Policy()
    /// Reverse proxies (`127.0.0.1`) whose `X-Forwarded-For` names the client that limits count
    /// against; from any other peer the header is ignored. Empty: the connecting address counts.
    public var trustedProxies: Set<String> = []
    /// When several servers share one database: the ledger through which every throttle of this
    /// process (feed tokens here, leader codes and the rest in the check-in routes) shares its misses
    /// with the others, and how often (`ThrottleSync`). Nil: the throttles count alone.
    public var throttleLedger: ThrottleLedger?
    /// How often the ledger is exchanged with the store.
    public var throttleSyncInterval: Duration = .seconds(1)

    /// Whether public feeds are answered on the event loop before the router (`FeedFastPath`).
    /// Off only to compare both paths (tests, benchmarks): the answers are the same.
    public var feedFastPath = true

    /// The defaults.
    public init() {}
}
