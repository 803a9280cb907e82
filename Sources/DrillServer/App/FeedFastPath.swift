import DrillStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Synchronization

/// Answers GET and HEAD of feeds on the connection's event loop, before the request reaches
/// Hummingbird's async router: public feeds (`/calendars/{town}/{file}.ics`), and members' feeds
/// (`/feeds/{token}.ics`) when the store can look a token up at once (SQLite) and the token is right,
/// and the index page (`/`, `/?lang=zh|en`; see `indexPage`) when the server passes its settings.
///
/// Every member's phone polls these feeds, mostly to hear 304; the answer is already prepared per
/// feed version (`ServedFeed`: bytes, gzip bytes, headers), yet through the router each request
/// paid a hop from the event loop to a task and back, the middleware chain, a response writer
/// and NIO's response encoder: on this 2-core machine 141 µs of CPU per 304 against nginx's 29.
/// Here a request is matched against the current catalog and answered with the same
/// `ServedFeed.answer` the router uses — the same status, headers and bytes, plus `Date` and
/// `X-Request-Id` as Hummingbird adds them — written as bytes (public feeds' heads prepared once
/// per version) and logged with the same line as `RequestLogMiddleware` writes (see the README).
///
/// It sits below Hummingbird's conversion of NIO's HTTP/1 parts into HTTP types
/// (`HTTP1ToHTTPServerCodec`, placed there by `FeedFastPath.Installer`): that conversion built a
/// `HTTPRequest` for every request (header fields copied one by one, the target run through
/// `URLComponents`), 8 % of a 304's CPU, which a feed answered here never needs.
///
/// Anything else passes through untouched: other paths, other methods, paths with percent-escapes
/// or dot segments, unknown towns or feeds (so the one 404 stays the router's), and every token
/// that is not a hit (see `memberFeed`). HTTP/1.1 pipelining keeps its order: while a
/// passed-through request is unanswered, later requests on the same connection pass through too,
/// so answers leave in the order requests came.
final class FeedFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let library: FeedLibrary
    private let logger: Logger
    /// The logger's handler when it is the server's `SinkLogHandler`: request lines written
    /// directly (`SinkLogHandler.logRequest`, the same bytes).
    private let sinkHandler: SinkLogHandler?
    /// Members' feeds: the store's immediate token lookup (nil: members' feeds go to the router),
    /// the router's own token throttle, and the proxies whose X-Forwarded-For is believed.
    private let tokens: (any ImmediateTokenLookup)?
    private let throttle: TokenThrottle
    private let trustedProxies: Set<String>
    /// The index page's settings (nil: `GET /` goes to the router).
    private let index: IndexSettings?

    /// Requests passed on whose response has not ended yet.
    private var unanswered = 0
    /// The answer prepared for the request being read (sent at its end), and whether to close after.
    private var pending:
        (answer: ServedFeed.Answer, wireHead: ByteBuffer, method: HTTPRequest.Method, path: String, close: Bool)?
    /// Whether the request being read was passed on (its body and end follow it).
    private var passing = false
    /// The context of NIO's HTTP/1 response encoder: writes there go straight to the socket.
    private var wire: ChannelHandlerContext?
    /// `Date` header for the current second.
    private var date: (second: Int, text: String) = (-1, "")

    init(
        library: FeedLibrary, logger: Logger, tokens: (any ImmediateTokenLookup)? = nil,
        throttle: TokenThrottle = TokenThrottle(), trustedProxies: Set<String> = [], index: IndexSettings? = nil
    ) {
        self.index = index
        self.library = library
        self.logger = logger
        sinkHandler = logger.handler as? SinkLogHandler
        self.tokens = tokens
        self.throttle = throttle
        self.trustedProxies = trustedProxies
    }

    func handlerAdded(context: ChannelHandlerContext) {
        wire = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        wire = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            // A client that sends requests without reading the answers fills the socket; from then
            // on its requests go to the router, whose writer waits for the socket (backpressure),
            // instead of queueing answers here without limit.
            if unanswered == 0, context.channel.isWritable, wire != nil, let method = Self.method(head.method),
                let (answer, path) = answer(head, method: method, context)
            {
                pending = (answer, answer.wireHead, method, path, Self.asksToClose(head.headers))
                passing = false
            } else {
                passing = true
                unanswered += 1
                context.fireChannelRead(data)
            }
        case .body:
            // A GET with a body (allowed, meaningless): read and dropped when answered here.
            if passing { context.fireChannelRead(data) }
        case .end:
            if passing {
                passing = false
                context.fireChannelRead(data)
            } else if let pending, let wire {
                self.pending = nil
                send(
                    pending.answer, wireHead: pending.wireHead, method: pending.method, path: pending.path,
                    close: pending.close, context, below: wire)
            }
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), unanswered > 0 { unanswered -= 1 }
        context.write(data, promise: promise)
    }

    /// `Connection: close` as the router sees it: the Connection fields joined with ", ", then
    /// compared whole, i.e. exactly one such field, reading `close` (without building the joined
    /// array and string for every request).
    static func asksToClose(_ headers: HTTPHeaders) -> Bool {
        var fields = 0
        var close = false
        for (name, value) in headers where name.utf8.count == 10 && name.equalsIgnoringASCIICase("connection") {
            fields += 1
            close = value == "close"
        }
        return fields == 1 && close
    }

    /// GET and HEAD, the methods answered here.
    private static func method(_ method: HTTPMethod) -> HTTPRequest.Method? {
        switch method {
        case .GET: .get
        case .HEAD: .head
        default: nil
        }
    }

    /// The answer for a public feed's GET or HEAD, or a member's with a known token; nil to pass
    /// the request on. Only origin-form targets (`/…`): absolute forms go to the router.
    private func answer(_ head: HTTPRequestHead, method: HTTPRequest.Method, _ context: ChannelHandlerContext)
        -> (ServedFeed.Answer, path: String)?
    {
        let target = head.uri
        guard target.utf8.first == UInt8(ascii: "/") else { return nil }
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        if path.utf8.count == 1, let index {
            return indexPage(head, query: target.utf8.dropFirst(2), method: method, index).map { ($0, "/") }
        }
        // `/feeds/{file}` or `/calendars/{town}/{file}`, cut by bytes (splitting into an array of
        // substrings by Characters was a few per cent of answering a 304).
        let slash = UInt8(ascii: "/")
        var rest = path.utf8.dropFirst()
        guard let end = rest.firstIndex(of: slash) else { return nil }
        let first = rest[..<end]
        rest = rest[rest.index(after: end)...]
        if first.elementsEqual("feeds".utf8) {
            guard !rest.contains(slash) else { return nil }
            return memberFeed(file: Substring(rest), head, method: method, context).map { ($0, String(path)) }
        }
        guard first.elementsEqual("calendars".utf8), let townEnd = rest.firstIndex(of: slash) else { return nil }
        let town = rest[..<townEnd]
        let fileBytes = rest[rest.index(after: townEnd)...]
        guard !fileBytes.contains(slash) else { return nil }
        let catalog = library.catalog
        let file = String(Substring(fileBytes))
        guard town.elementsEqual(catalog.townID.utf8), FeedName.isPlain(file), let feed = catalog.publicFeeds[file] else {
            return nil
        }
        return (feed.answer(method: method, conditions: ServedFeed.Conditions(head.headers)), String(path))
    }

    /// The index page (`GET /`, `HEAD /`) as the router draws it, when the query is none, `lang=zh` or
    /// `lang=en` and there is at most one Host field; anything else goes to the router. Through the
    /// router the page (103 KB for the example town, drawn once per feed version) cost about twice the
    /// CPU of a feed of its size answered here: 156–220 µs a request against the 200.
    private func indexPage(
        _ head: HTTPRequestHead, query: Substring.UTF8View.SubSequence, method: HTTPRequest.Method,
        _ index: IndexSettings
    ) -> ServedFeed.Answer? {
        var language = index.language
        if !query.isEmpty {
            if query.elementsEqual("lang=zh".utf8) {
                language = .zh
            } else if query.elementsEqual("lang=en".utf8) {
                language = .en
            } else {
                return nil
            }
        }
        var authority: String?
        for (name, value) in head.headers where name.utf8.count == 4 && name.equalsIgnoringASCIICase("host") {
            guard authority == nil else { return nil }
            authority = value
        }
        let page = library.catalog.indexAnswer(language: language, baseURL: index.baseURL(authority: authority))
        return ServedFeed.Answer(
            status: .ok, headers: page.headers, body: method == .head ? nil : page.page, wireHead: page.wireHead)
    }

    /// A member's feed when its token is right and the throttle lets the guess through. Only a hit
    /// is answered here: a malformed or unknown token, a refusal or a store error gives its
    /// reservation back uncounted and passes the request on, and the router then reserves, looks
    /// up and counts it exactly as it always has (one 404, one 429, one 503 for every path).
    /// The lookup blocks this event loop for one indexed read (microseconds in WAL mode, where
    /// readers never wait for the writer); it would wait longer only if every reader of the
    /// store's pool were held by long reads, which the server's own reads are not.
    private func memberFeed(
        file: Substring, _ head: HTTPRequestHead, method: HTTPRequest.Method, _ context: ChannelHandlerContext
    )
        -> ServedFeed.Answer?
    {
        guard let tokens, file.utf8.count > 4, file.utf8.suffix(4).elementsEqual(".ics".utf8),
            FeedToken.isWellFormed(file.dropLast(4))
        else { return nil }
        let digest = FeedToken.digest(file.dropLast(4))
        let address = FeedRequestContext.clientAddress(
            peer: context.channel.remoteAddress, headers: head.headers, trusting: trustedProxies)
        guard case .granted(let ticket) = throttle.reserve(address: address, target: TokenThrottle.tokenSpace, secret: digest)
        else { return nil }
        guard let member = try? tokens.memberNow(forTokenHash: digest), let feed = library.catalog.memberFeeds[member]
        else {
            throttle.settle(ticket, .undecided)
            return nil
        }
        throttle.settle(ticket, .hit)
        return feed.answer(method: method, conditions: ServedFeed.Conditions(head.headers))
    }

    /// Writes the answer as bytes below NIO's HTTP encoder: the prepared head, this request's id
    /// and date, the prepared body. Nothing above is pending (see `unanswered`), so the bytes
    /// cannot overtake another answer; the encoder keeps no state between responses.
    private func send(
        _ answer: ServedFeed.Answer, wireHead: ByteBuffer, method: HTTPRequest.Method, path: String,
        close: Bool, _ context: ChannelHandlerContext, below wire: ChannelHandlerContext
    ) {
        let started = ContinuousClock.now
        let requestID = FastRequestID()
        // The prepared head copied in front of this request's lines: one write for the head
        // instead of two.
        var head = context.channel.allocator.buffer(capacity: wireHead.readableBytes + 128)
        head.writeImmutableBuffer(wireHead)
        head.writeString("X-Request-Id: ")
        requestID.withDigits { _ = head.writeBytes($0) }
        head.writeString("\r\nDate: ")
        head.writeString(currentDate())
        head.writeString(close ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n")
        if let body = answer.body, body.readableBytes > 0 {
            wire.write(NIOAny(head), promise: nil)
            if close {
                let channel = context.channel
                wire.writeAndFlush(NIOAny(body)).whenComplete { _ in channel.close(promise: nil) }
            } else {
                wire.writeAndFlush(NIOAny(body), promise: nil)
            }
        } else if close {
            let channel = context.channel
            wire.writeAndFlush(NIOAny(head)).whenComplete { _ in channel.close(promise: nil) }
        } else {
            wire.writeAndFlush(NIOAny(head), promise: nil)
        }
        library.fastAnswers.add(1, ordering: .relaxed)
        guard logger.logLevel <= .info else { return }
        typealias Log = RequestLogMiddleware<FeedRequestContext>
        // `source` is what swift-log would record for the middleware's call: its module.
        if let sinkHandler,
            requestID.withDigits({
                sinkHandler.logRequest(
                    requestID: $0, method: method.rawValue, path: Log.redacted(path), status: answer.status.code,
                    micros: Log.microseconds(since: started), source: "DrillServer")
            })
        {
            return
        }
        var requestLogger = logger
        requestLogger[metadataKey: "hb.request.id"] = .string(requestID.description)
        Log.log(requestLogger, method: method, path: path, status: answer.status, since: started)
    }

    private func currentDate() -> String {
        let now = Int(Date.now.timeIntervalSince1970)
        if now != date.second { date = (now, HTTPDate.format(now)) }
        return date.text
    }
}

/// The id of a request answered on the fast path, in the form of Hummingbird's `RequestID` (a
/// random per-process part, then a counter that starts at a random value, in hex): 32 lowercase hex
/// digits. Its own, because `RequestID`'s only text is its `description`, a `String` built from two
/// more (`String(_:radix:)`, then padding), 3 % of a 304's CPU; these digits go straight into the
/// answer's head and the log line. Unique among the fast path's answers (one counter per process)
/// and, with its own random part, distinct from the router's ids.
struct FastRequestID: CustomStringConvertible {
    private static let high = UInt64.random(in: .min ... .max)
    private static let next = Atomic<UInt64>(UInt64.random(in: .min ... .max))
    let low: UInt64

    init() {
        low = Self.next.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// The 32 digits, for the length of `body`.
    func withDigits<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { out in
            // Two calls, not a loop over an array literal of the two halves (a heap allocation per
            // request on the hot path).
            func put(_ value: UInt64, at offset: Int) {
                for i in 0..<16 {
                    let nibble = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * i)) & 0x0f
                    out[offset + i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // like Hex.lower
                }
            }
            put(Self.high, at: 0)
            put(low, at: 16)
            return body(UnsafeRawBufferPointer(out))
        }
    }

    var description: String { withDigits { String(decoding: $0, as: UTF8.self) } }
}

extension FeedFastPath {
    /// Puts its `FeedFastPath` below `HTTP1ToHTTPServerCodec` and leaves. Hummingbird adds extra
    /// handlers only above that codec (`HTTP1Channel.Configuration.additionalChannelHandlers`);
    /// this one is added there and, while the pipeline is being set up on the channel's event
    /// loop, moves the fast path one step down. Without the codec (a pipeline of another shape)
    /// the fast path is not installed and every request goes to the router.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        private let make: () -> FeedFastPath

        init(_ make: @escaping () -> FeedFastPath) {
            self.make = make
        }

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                do {
                    try pipeline.addHandler(make(), position: .before(codec))
                } catch {
                    context.fireErrorCaught(error)
                }
            }
            pipeline.removeHandler(context: context, promise: nil)
        }
    }
}
