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

    /// The defaults.
    public init() {}
}
