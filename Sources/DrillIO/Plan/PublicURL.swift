import DrillCore
import Foundation

/// The server's public address (`feeds: {public_url: https://yj.example.cn}` in plan.yaml, or
/// `serve --public-url`): an http or https URL with a host and no query, kept without a trailing slash.
public enum PublicURL {
    /// The URL normalised (no trailing slash), or nil when it is not an http(s) URL with a host.
    public static func normalize(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else { return nil }
        return trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
    }

    /// Whether the URL's host is a loopback address (127.0.0.0/8, ::1, localhost): a phone
    /// scanning a QR code with it reaches itself, not the server.
    public static func isLoopback(_ text: String) -> Bool {
        guard let host = URL(string: text)?.host?.lowercased() else { return false }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || bare.hasSuffix(".localhost") || bare == "::1" || bare.hasPrefix("127.")
            || bare == "0.0.0.0" || bare == "::"
    }

    static let expected = LocalizedText(
        zh: "以 http:// 或 https:// 开头、含主机名的地址，如 https://yj.example.cn",
        en: "an http:// or https:// address with a host, such as https://yj.example.cn")

    static func read(_ node: YAMLValue) throws(InputError) -> String {
        let text = try node.scalar(expected)
        guard let url = normalize(text) else { throw node.error(expected, found: text) }
        return url
    }
}
