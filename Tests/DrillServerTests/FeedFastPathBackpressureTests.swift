import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Testing

@testable import DrillServer

/// `FeedFastPath` on an in-memory channel: what it answers itself and what it hands on.
@Suite("Feed fast path on an embedded channel")
struct FeedFastPathBackpressureTests {
    static func channel(_ fixture: ServerFixture) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPResponseEncoder())
        try channel.pipeline.syncOperations.addHandler(
            FeedFastPath(library: fixture.library, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }))
        return channel
    }

    static func request(_ path: String, method: HTTPMethod = .GET) -> [HTTPServerRequestPart] {
        [.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: ["Host": "t"])), .end(nil)]
    }

    @Test("a writable channel gets the feed's bytes from the handler; a full one sends the request on to the router")
    func backpressure() throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let channel = try Self.channel(fixture)
        defer { _ = try? channel.finish() }

        for part in Self.request("/calendars/qingshan/town.ics") { try channel.writeInbound(part) }
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil, "answered here, not handed on")
        var written: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written += buffer.readableBytesView }
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.hasSuffix(fixture.expected["town.ics"]!))

        // The client stopped reading: the socket is full.
        channel.isWritable = false
        for part in Self.request("/calendars/qingshan/town.ics") { try channel.writeInbound(part) }
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the request head was not handed on")
            return
        }
        #expect(head.uri == "/calendars/qingshan/town.ics")
        guard case .end = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the request end was not handed on")
            return
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "nothing queued by the handler")
    }

    @Test("other paths and methods are handed on untouched")
    func handsOn() throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        // A fresh connection each: after a request it hands on, a connection hands on everything
        // until the router's answer ends (to keep pipelined answers in order).
        for path in [
            "/healthz", "/calendars/qingshan/nope.ics", "/calendars/other/town.ics", "/calendars/qingshan/%74own.ics",
            "http://t/calendars/qingshan/town.ics", "/calendars/qingshan/town.ics/x", "/feeds/a/b.ics", "calendars",
        ] {
            let channel = try Self.channel(fixture)
            defer { _ = try? channel.finish() }
            for part in Self.request(path) { try channel.writeInbound(part) }
            guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
                Issue.record("\(path) was not handed on")
                return
            }
            #expect(head.uri == path)
            #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        }
        let channel = try Self.channel(fixture)
        defer { _ = try? channel.finish() }
        try channel.writeInbound(Self.request("/calendars/qingshan/town.ics", method: .POST)[0])
        guard case .head(let post) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("a POST was not handed on")
            return
        }
        #expect(post.method == .POST)
    }

    static func logger() -> Logger { Logger(label: "test") { _ in SwiftLogNoOpLogHandler() } }

    /// A channel with NIO's response encoder and Hummingbird's codec (or neither) and the installer
    /// added after them, as Hummingbird adds extra handlers; the installer must have left.
    static func installed(_ fixture: ServerFixture, withCodec: Bool) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let pipeline = channel.pipeline.syncOperations
        if withCodec {
            try pipeline.addHandler(HTTPResponseEncoder())
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        }
        try pipeline.addHandler(FeedFastPath.Installer { FeedFastPath(library: fixture.library, logger: Self.logger()) })
        #expect((try? pipeline.handler(type: FeedFastPath.Installer.self)) == nil, "the installer left")
        return channel
    }

    @Test("the installer puts the fast path below the conversion to HTTP types, and leaves")
    func installer() throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let channel = try Self.installed(fixture, withCodec: true)
        defer { _ = try? channel.finish() }
        #expect((try? channel.pipeline.syncOperations.handler(type: FeedFastPath.self)) != nil)

        // NIO's parts reach the fast path first: a feed is answered as bytes, other requests come
        // out of the codec above it as HTTP types.
        for part in Self.request("/calendars/qingshan/town.ics") { try channel.writeInbound(part) }
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        var written: [UInt8] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written += buffer.readableBytesView }
        #expect(String(decoding: written, as: UTF8.self).hasSuffix(fixture.expected["town.ics"]!))
        for part in Self.request("/healthz") { try channel.writeInbound(part) }
        guard case .head(let head) = try channel.readInbound(as: HTTPRequestPart.self) else {
            Issue.record("/healthz did not come out of the codec")
            return
        }
        #expect(head.path == "/healthz")
    }

    @Test("without the codec the installer adds nothing and leaves: requests pass untouched")
    func installerWithoutCodec() throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let channel = try Self.installed(fixture, withCodec: false)
        defer { _ = try? channel.finish() }
        #expect((try? channel.pipeline.syncOperations.handler(type: FeedFastPath.self)) == nil)
        for part in Self.request("/calendars/qingshan/town.ics") { try channel.writeInbound(part) }
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("the request was not passed on")
            return
        }
        #expect(head.uri == "/calendars/qingshan/town.ics")
    }
}
