/// The address a request's limits are counted against.
///
/// Behind a reverse proxy every request arrives from the proxy, so counting per connecting address
/// would let one guesser lock everyone out. With `serve --trusted-proxy ADDR`, a request whose
/// connecting peer is one of those addresses is counted against the client the proxy names in
/// `X-Forwarded-For`: the rightmost entry that is not itself a trusted proxy (entries further left
/// are whatever the client chose to send, so they are never believed). From any other peer the
/// header is ignored.
///
/// ```swift
/// ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: "203.0.113.7", trusted: ["127.0.0.1"])  // "203.0.113.7"
/// ClientAddress.resolve(peer: "198.51.100.2", forwardedFor: "203.0.113.7", trusted: ["127.0.0.1"])  // "198.51.100.2"
/// ```
public enum ClientAddress {
    /// The client's address.
    /// - Parameters:
    ///   - peer: the connecting socket's address (`unknown` when there is none).
    ///   - forwardedFor: the `X-Forwarded-For` header(s), comma-joined, or nil.
    ///   - trusted: addresses of proxies whose header is believed.
    public static func resolve(peer: String, forwardedFor: String?, trusted: Set<String>) -> String {
        guard trusted.contains(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { normalize($0) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !trusted.contains(hop) {
            return hop
        }
        return hops.first ?? peer
    }

    /// One hop as text: trimmed, brackets and an IPv4 port dropped, at most 64 characters
    /// (anything longer is not an address and must not grow the throttle's table keys).
    static func normalize(_ hop: Substring) -> String {
        var text = hop.trimmingSpaces
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") {
            text = text[text.index(after: text.startIndex)..<end]
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = text[..<colon]
        }
        return String(text.prefix(64))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
