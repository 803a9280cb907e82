import DrillWeb
import HTTPTypes
import Hummingbird
import NIOCore

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

    /// The same from a socket address and request headers (also used by `FeedFastPath`).
    static func clientAddress(peer address: SocketAddress?, headers: HTTPFields, trusting proxies: Set<String>)
        -> String
    {
        let peer = address?.ipAddress ?? "unknown"
        guard !proxies.isEmpty else { return peer }
        let forwarded = headers[values: HTTPField.Name("X-Forwarded-For")!]
        return ClientAddress.resolve(
            peer: peer, forwardedFor: forwarded.isEmpty ? nil : forwarded.joined(separator: ","),
            trusted: proxies)
    }
}
