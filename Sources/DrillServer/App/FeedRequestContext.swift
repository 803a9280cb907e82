import DrillWeb
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// The request context: Hummingbird's core storage plus the peer's address, which the token
/// throttle keys on.
public struct FeedRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected client (nil in router tests, which have no socket).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text, or `unknown`: the connecting peer, or the client a trusted
    /// proxy names in `X-Forwarded-For` (see `ClientAddress`).
    func clientAddress(_ request: Request, trusting proxies: Set<String>) -> String {
        Self.clientAddress(peer: remoteAddress, headers: request.headers, trusting: proxies)
    }

    /// The same from a socket address and request headers.
    static func clientAddress(peer address: SocketAddress?, headers: HTTPFields, trusting proxies: Set<String>)
        -> String
    {
        clientAddress(peer: address, trusting: proxies) { headers[values: HTTPField.Name("X-Forwarded-For")!] }
    }

    /// The same from NIO's HTTP/1 fields (`FeedFastPath`, below the conversion to HTTP types).
    static func clientAddress(peer address: SocketAddress?, headers: HTTPHeaders, trusting proxies: Set<String>)
        -> String
    {
        clientAddress(peer: address, trusting: proxies) { headers["X-Forwarded-For"] }
    }

    /// `forwardedFor`: the request's X-Forwarded-For values, read only when a proxy is trusted.
    private static func clientAddress(
        peer address: SocketAddress?, trusting proxies: Set<String>, forwardedFor: () -> [String]
    ) -> String {
        let peer = address?.ipAddress ?? "unknown"
        guard !proxies.isEmpty else { return peer }
        let forwarded = forwardedFor()
        return ClientAddress.resolve(
            peer: peer, forwardedFor: forwarded.isEmpty ? nil : forwarded.joined(separator: ","),
            trusted: proxies)
    }
}
