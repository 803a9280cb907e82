import Foundation

/// A member's private links under one token: the feed (http and webcal) and the absence page
/// (请假页面), all under the server's public URL.
public struct MemberLinks: Sendable, Hashable {
    /// `https://yj.example.cn/feeds/<token>.ics`.
    public var feed: String
    /// The same feed as `webcal://…`, which phone calendars subscribe to.
    public var webcal: String
    /// `https://yj.example.cn/me/<token>`: the member's next sessions with “我不能参加”.
    public var page: String

    /// The links of `token` under `base` (no trailing slash).
    public init(base: String, token: String) {
        feed = "\(base)/feeds/\(token).ics"
        webcal = "webcal://" + feed.drop { $0 != ":" }.dropFirst(3)
        page = "\(base)/me/\(token)"
    }
}
