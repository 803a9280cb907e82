import Crypto
import Foundation

/// Settings of the check-in routes that a server may change; the defaults suit one process behind
/// HTTPS or a local test.
public struct CheckInOptions: Sendable {
    /// Key for the leader cookie's HMAC-SHA256, the CSRF tokens and the QR tokens. Random per process
    /// by default, so a restart logs every leader out (queued marks stay on the phone) and voids
    /// printed QR codes.
    public var secret: SymmetricKey
    /// The clock; tests pass a fixed one.
    public var now: @Sendable () -> Date
    /// Origins (`https://drill.example.cn`) that writes may come from. Empty: the request's own
    /// `Host`, over http or https.
    public var allowedOrigins: [String]
    /// Base URL put into QR codes (`https://drill.example.cn`). Nil: `http://` plus the request's `Host`.
    public var publicBaseURL: String?
    /// Whether the leader cookie carries `Secure` (set it when served over HTTPS).
    public var secureCookies: Bool
    /// How long a leader stays logged in, in seconds.
    public var loginLifetime: Int
    /// Minutes before the start and after the end of a session during which its QR code works.
    public var selfCheckInMargin: Int
    /// Wrong phone digits allowed per address and session in `attemptWindow` (wrong leader codes:
    /// twice as many per address).
    public var maxFailedAttempts: Int
    /// The window for `maxFailedAttempts`, in seconds.
    public var attemptWindow: Int

    /// Makes options; every parameter has the default described on its property.
    public init(
        secret: SymmetricKey = SymmetricKey(size: .bits256), now: @escaping @Sendable () -> Date = { Date() },
        allowedOrigins: [String] = [], publicBaseURL: String? = nil, secureCookies: Bool = false,
        loginLifetime: Int = 12 * 3600, selfCheckInMargin: Int = 30, maxFailedAttempts: Int = 5,
        attemptWindow: Int = 15 * 60
    ) {
        self.secret = secret
        self.now = now
        self.allowedOrigins = allowedOrigins
        self.publicBaseURL = publicBaseURL
        self.secureCookies = secureCookies
        self.loginLifetime = loginLifetime
        self.selfCheckInMargin = selfCheckInMargin
        self.maxFailedAttempts = maxFailedAttempts
        self.attemptWindow = attemptWindow
    }
}
