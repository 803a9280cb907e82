import Crypto
import DrillWeb
import Foundation

/// Settings of the check-in routes that a server may change; the defaults suit one process behind
/// HTTPS or a local test.
public struct CheckInOptions: Sendable {
    /// Whether the leader cookie is sent with `Secure`: as set, or when the public URL is https.
    var cookiesSecure: Bool { secureCookies ?? (publicBaseURL?.lowercased().hasPrefix("https://") ?? false) }

    /// Key for the leader cookie's HMAC-SHA256, the CSRF tokens and the QR tokens. Random per process
    /// by default, so a restart logs every leader out (queued marks stay on the phone) and voids
    /// printed QR codes; `drillcal serve --secret-file` gives every server of a deployment the same
    /// one, so a cookie or a QR code made by one server is good on all.
    public var secret: SymmetricKey
    /// The clock; tests pass a fixed one.
    public var now: @Sendable () -> Date
    /// Origins (`https://drill.example.cn`) that writes may come from. Empty: the request's own
    /// `Host`, over http or https.
    public var allowedOrigins: [String]
    /// Base URL put into QR codes (`https://drill.example.cn`). Nil: `http://` plus the request's `Host`.
    public var publicBaseURL: String?
    /// Whether the leader cookie carries `Secure`. Nil (the default): when `publicBaseURL` is https.
    public var secureCookies: Bool?
    /// How long a leader stays logged in, in seconds.
    public var loginLifetime: Int
    /// Minutes before the start and after the end of a session during which its QR code works.
    public var selfCheckInMargin: Int
    /// Wrong phone digits allowed per address before blocks start (wrong leader codes: twice as
    /// many). Then 1 s, 2 s, 4 s … 5 minutes, remembered for a day (`GuessThrottle`).
    public var maxFailedAttempts: Int
    /// Wrong guesses allowed per session (from every address together) before that session's
    /// code or self check-in starts refusing addresses that have already guessed wrong.
    public var maxFailedAttemptsPerSession: Int
    /// Reverse proxies whose `X-Forwarded-For` names the client that limits count against
    /// (`ClientAddress`); empty: the connecting address.
    public var trustedProxies: Set<String>
    /// Monotonic seconds for the throttles; tests pass a simulated clock. Nil: the system's.
    public var throttleClock: (@Sendable () -> Double)?
    /// Where the throttles' misses are shared with other servers over the store (`ThrottleLedger`);
    /// nil: this process's throttles count alone.
    public var throttleLedger: ThrottleLedger?

    /// Makes options; every parameter has the default described on its property.
    public init(
        secret: SymmetricKey = SymmetricKey(size: .bits256), now: @escaping @Sendable () -> Date = { Date() },
        allowedOrigins: [String] = [], publicBaseURL: String? = nil, secureCookies: Bool? = nil,
        loginLifetime: Int = 12 * 3600, selfCheckInMargin: Int = 30, maxFailedAttempts: Int = 5,
        maxFailedAttemptsPerSession: Int = 30, trustedProxies: Set<String> = [],
        throttleClock: (@Sendable () -> Double)? = nil, throttleLedger: ThrottleLedger? = nil
    ) {
        self.secret = secret
        self.now = now
        self.allowedOrigins = allowedOrigins
        self.publicBaseURL = publicBaseURL
        self.secureCookies = secureCookies
        self.loginLifetime = loginLifetime
        self.selfCheckInMargin = selfCheckInMargin
        self.maxFailedAttempts = maxFailedAttempts
        self.maxFailedAttemptsPerSession = maxFailedAttemptsPerSession
        self.trustedProxies = trustedProxies
        self.throttleClock = throttleClock
        self.throttleLedger = throttleLedger
    }
}
