import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import DrillServer
@testable import DrillStore

/// Public feeds answered on the event loop (`FeedFastPath`) must be indistinguishable from the
/// router's answers, keep pipelined answers in order, and leave everything else to the router.
@Suite("Feed fast path")
struct FeedFastPathTests {
    /// The requests compared: every answer shape a feed has.
    static let variants: [(String, [(String, String)], HTTPRequest.Method)] = [
        ("plain GET", [], .get),
        ("gzip GET", [("Accept-Encoding", "gzip, deflate")], .get),
        ("gzip refused", [("Accept-Encoding", "gzip;q=0")], .get),
        ("HEAD", [], .head),
        ("HEAD gzip", [("Accept-Encoding", "gzip")], .head),
        ("stale tag", [("If-None-Match", "\"0000\"")], .get),
        ("far past If-Modified-Since", [("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")], .get),
        ("far future If-Modified-Since", [("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")], .get),
    ]

    /// One answer without the two fields that differ per request.
    struct Seen: Equatable, Sendable, CustomStringConvertible {
        let status: HTTPResponse.Status
        let headers: [String]
        let body: [UInt8]
        var description: String { "\(status.code) \(headers) \(body.count) bytes" }
    }

    static func seen(_ response: TestClient.Response) -> Seen {
        Seen(
            status: response.status,
            headers: response.headers.filter { $0.name != .date && $0.name.rawName != "X-Request-Id" }
                .map { "\($0.name.rawName): \($0.value)" },
            body: response.body.map { Array($0.readableBytesView) } ?? [])
    }

    /// Every variant of every public feed, plus 304s with each tag, through one app.
    static func answers(_ fixture: ServerFixture, fastPath: Bool) async throws -> [String: Seen] {
        let app = fixture.app { $0.feedFastPath = fastPath }
        return try await app.testPatiently { client in
            var out: [String: Seen] = [:]
            for name in fixture.expected.keys.sorted() where !name.hasPrefix("member-") {
                let uri = "/calendars/qingshan/\(name)"
                for (label, headers, method) in variants {
                    let response = try await client.execute(uri: uri, method: method, headers: .make(headers))
                    out["\(name) \(label)"] = seen(response)
                }
                let plain = try await client.execute(uri: uri + "?from=calendar-app", method: .get)
                out["\(name) query"] = seen(plain)
                let zipped = try await client.execute(
                    uri: uri, method: .get, headers: .make([("Accept-Encoding", "gzip")]))
                for (label, tag) in [
                    ("304", plain.headers[.eTag]!), ("304 gzip tag", zipped.headers[.eTag]!),
                    ("304 weak", "W/" + plain.headers[.eTag]!), ("304 star", "*"),
                ] {
                    let response = try await client.execute(
                        uri: uri, method: .get,
                        headers: .make([("If-None-Match", tag), ("Accept-Encoding", "gzip")]))
                    out["\(name) \(label)"] = seen(response)
                }
            }
            return out
        }
    }

    @Test("every public feed answers the same on the fast path as through the router, and the fast path answered them")
    func sameAnswers() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let routed = try await Self.answers(fixture, fastPath: false)
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 0)
        let fast = try await Self.answers(fixture, fastPath: true)
        let publicFeeds = fixture.expected.keys.filter { !$0.hasPrefix("member-") }.count
        #expect(publicFeeds > 3)
        // 13 answers compared per feed, plus the gzip GET that fetched the gzip tag.
        #expect(routed.count == publicFeeds * (Self.variants.count + 5))
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == publicFeeds * (Self.variants.count + 6))
        for key in routed.keys.sorted() {
            #expect(fast[key] == routed[key], "\(key)")
        }
        // The answers are the right ones, not merely equal: bytes as built, 304s without a body.
        let town = try #require(fast["town.ics plain GET"])
        #expect(town.status == .ok && town.body == Array(fixture.expected["town.ics"]!.utf8))
        #expect(fast["town.ics 304"]?.status == .notModified && fast["town.ics 304"]?.body.isEmpty == true)
        #expect(fast["town.ics 304 gzip tag"]?.status == .notModified)
        #expect(fast["town.ics far future If-Modified-Since"]?.status == .notModified)
        #expect(fast["town.ics stale tag"]?.status == .ok)
        #expect(fast["town.ics HEAD"]?.body.isEmpty == true)
        #expect(fast["town.ics HEAD"]?.headers.contains("Content-Length: \(town.body.count)") == true)
        #expect(fast["town.ics gzip GET"]?.headers.contains("Content-Encoding: gzip") == true)
        #expect(fast["town.ics gzip refused"]?.headers.contains("Content-Encoding: gzip") == false)
    }

    @Test("pipelined requests get their answers in order when the router answers some of them")
    func pipelinedOrder() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let tag = try #require(
            fixture.library.catalog.publicFeeds["town.ics"]?.etag)
        try await fixture.app().testPatiently { client in
            let port = try #require(client.port)
            let requests = [
                "GET /calendars/qingshan/town.ics HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(tag)\r\n\r\n",  // fast
                "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n",  // router
                "GET /calendars/qingshan/town.ics HTTP/1.1\r\nHost: t\r\n\r\n",  // after a routed one: router
                "GET /calendars/qingshan/nope.ics HTTP/1.1\r\nHost: t\r\n\r\n",  // router's 404
                "HEAD /calendars/qingshan/town.ics HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /calendars/qingshan/town.ics HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(tag)\r\nConnection: close\r\n\r\n",
            ]
            let before = fixture.library.fastAnswers.load(ordering: .relaxed)
            let raw = try RawConnection.exchange(port: port, send: requests.joined())
            let answers = try RawConnection.split(raw, heads: [4])
            #expect(answers.map(\.status) == [304, 200, 200, 404, 200, 304])
            #expect(answers[1].body == #"{"status":"ok"}"#)
            #expect(answers[2].body.utf8.count == fixture.expected["town.ics"]!.utf8.count)
            #expect(answers[4].body.isEmpty, "HEAD has no body")
            // The exchange read until the server closed: `Connection: close` was honoured.
            #expect(fixture.library.fastAnswers.load(ordering: .relaxed) > before, "some answered on the fast path")
            // Every answer carries its own request id.
            let ids = answers.compactMap { $0.field("X-Request-Id") }
            #expect(ids.count == answers.count && Set(ids).count == ids.count)

            // Alone on its connection, a fast-path answer with `Connection: close` says so and closes.
            let alone = try RawConnection.split(
                RawConnection.exchange(
                    port: port,
                    send: "GET /calendars/qingshan/town.ics HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(tag)\r\nConnection: close\r\n\r\n"))
            #expect(alone.map(\.status) == [304])
            #expect(alone.first?.field("Connection") == "close")
        }
    }

    @Test("the index page answers the same on the fast path as through the router, per language and Host")
    func indexPageSame() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let requests: [(String, HTTPRequest.Method, String)] = [
            ("/", .get, "localhost"), ("/?lang=en", .get, "localhost"), ("/?lang=zh", .get, "localhost"),
            ("/", .head, "localhost"), ("/", .get, "h1.example.cn:8443"), ("/", .get, "bad host!"),
            ("/?lang=fr", .get, "localhost"), ("/?lang=en&x=1", .get, "localhost"),
        ]
        @Sendable func run(_ fastPath: Bool) async throws -> [Seen] {
            try await fixture.app { $0.feedFastPath = fastPath }.testPatiently { client in
                var out: [Seen] = []
                for (uri, method, authority) in requests {
                    out.append(Self.seen(try await client.execute(uri: uri, method: method, authority: authority)))
                }
                return out
            }
        }
        let routed = try await run(false)
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 0)
        let fast = try await run(true)
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 6, "all but the two other queries")
        for (i, request) in requests.enumerated() {
            #expect(fast[i] == routed[i], "\(request)")
        }
        let text = fast.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(fast[0].status == .ok && text[0].contains("webcal://localhost/calendars/qingshan/town.ics"))
        #expect(text[1].contains("lang=\"en\"") && text[2].contains("lang=\"zh"))
        #expect(fast[3].body.isEmpty && fast[3].headers.contains("Content-Length: \(fast[0].body.count)"))
        #expect(text[4].contains("webcal://h1.example.cn:8443/calendars/qingshan/town.ics"))
        #expect(!text[5].contains("bad host"), "a Host that is no host name is not put into links")
    }

    @Test("a fast-path answer is logged like a routed one, under the id the client saw")
    func logged() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let lines = Lines()
        let logger = Logger(label: "drillcal.serve") { _ in CapturingLogHandler(lines: lines) }
        try await fixture.app(logger: logger).testPatiently { client in
            let response = try await client.execute(uri: "/calendars/qingshan/town.ics?x=1", method: .get)
            #expect(response.status == .ok)
            let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
            #expect(!id.isEmpty && id.allSatisfy(\.isHexDigit))
            let line = try #require(lines.all.first { $0.contains(id) })
            #expect(line.contains("method=GET"))
            #expect(line.contains("path=/calendars/qingshan/town.ics "), "query left out: \(line)")
            #expect(line.contains("status=200"))
        }
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 1)
    }
}

extension FeedFastPathTests {
    /// A SQLite store beside the fixture's town (the store that answers token lookups at once).
    static func sqliteStore(_ fixture: ServerFixture) throws -> SQLiteStore {
        try SQLiteStore(path: fixture.town.appendingPathComponent("drillcal.sqlite").path)
    }

    @Test("a member's feed behind a good token answers the same on the fast path as through the router")
    func memberFeedSame() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let store = try Self.sqliteStore(fixture)
        let token = FeedToken.generate()
        try await store.issueToken(member: "m001", hash: FeedToken.digest(token), at: 1)
        let uri = "/feeds/\(token).ics"
        @Sendable func run(_ client: PatientClient) async throws -> [Seen] {
            var out: [Seen] = []
            let plain = try await client.execute(uri: uri, method: .get)
            out.append(Self.seen(plain))
            out.append(Self.seen(try await client.execute(uri: uri, method: .get, headers: .make([("Accept-Encoding", "gzip")]))))
            out.append(Self.seen(try await client.execute(uri: uri, method: .head)))
            out.append(
                Self.seen(try await client.execute(uri: uri, method: .get, headers: .make([("If-None-Match", plain.headers[.eTag]!)]))))
            return out
        }
        let routed = try await fixture.app(store: store) { $0.feedFastPath = false }.testPatiently(run)
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 0)
        let fast = try await fixture.app(store: store).testPatiently(run)
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 4)
        #expect(fast == routed)
        #expect(fast.map(\.status) == [.ok, .ok, .ok, .notModified])
        #expect(fast[0].body == Array(fixture.expected["member-m001.ics"]!.utf8))
        #expect(fast[0].headers.contains("Cache-Control: private, max-age=300"))
    }

    @Test("revoked and wrong tokens get the router's answers and count once each: the same statuses with and without the fast path")
    func memberFeedRefusals() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let wrong = (0..<7).map { _ in FeedToken.generate() }
        @Sendable func run(_ store: SQLiteStore, _ client: PatientClient) async throws -> [HTTPResponse.Status] {
            let token = FeedToken.generate()
            try await store.issueToken(member: "m002", hash: FeedToken.digest(token), at: 1)
            var statuses: [HTTPResponse.Status] = []
            statuses.append(try await client.execute(uri: "/feeds/\(token).ics", method: .get).status)
            try await store.revokeToken(member: "m002", at: 2)
            statuses.append(try await client.execute(uri: "/feeds/\(token).ics", method: .get).status)
            for guess in wrong {
                statuses.append(try await client.execute(uri: "/feeds/\(guess).ics", method: .get).status)
            }
            return statuses
        }
        let store = try Self.sqliteStore(fixture)
        // Blocks of ten minutes: under load a request can take longer than the default 1 s block,
        // which would make the statuses depend on timing (seen in CI).
        @Sendable func slowBlocks(_ configuration: inout ServerConfiguration) {
            configuration.throttle.address = .init(freeMisses: 5, baseDelay: 600, maxDelay: 600)
            configuration.throttle.target = .init(freeMisses: 50, baseDelay: 600, maxDelay: 600)
        }
        let routed = try await fixture.app(store: store) {
            slowBlocks(&$0)
            $0.feedFastPath = false
        }.testPatiently { try await run(store, $0) }
        let other = try SQLiteStore(path: fixture.town.appendingPathComponent("other.sqlite").path)
        let fast = try await fixture.app(store: other) { slowBlocks(&$0) }.testPatiently { try await run(other, $0) }
        // Good; revoked (404, not counted: the link was right a moment ago); five wrong ones (404),
        // the fifth blocking the address; then 429.
        #expect(
            routed == [
                .ok, .notFound, .notFound, .notFound, .notFound, .notFound, .notFound, .tooManyRequests,
                .tooManyRequests,
            ])
        #expect(fast == routed)
        #expect(fixture.library.fastAnswers.load(ordering: .relaxed) == 1, "only the good token was answered on the fast path")
    }
}

/// Lines a `CapturingLogHandler` saw, rendered as `key=value` pairs.
final class Lines: Sendable {
    private let store = Mutex<[String]>([])
    var all: [String] { store.withLock { $0 } }
    func add(_ line: String) { store.withLock { $0.append(line) } }
}

struct CapturingLogHandler: LogHandler {
    let lines: Lines
    var logLevel: Logger.Level = .info
    var metadata = Logger.Metadata()
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        lines.add(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + " \(event.message)")
    }
}

/// A plain TCP connection: send bytes, read until the server closes.
enum RawConnection {
    struct Answer {
        let head: String
        let body: String
        var status: Int { Int(head.split(separator: " ")[1]) ?? 0 }
        func field(_ name: String) -> String? {
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func exchange(port: Int, send text: String) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 180, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(errno)") }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw Failure(description: "short write")
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { throw Failure(description: "read: errno \(errno) after \(received.count) bytes") }
            received += chunk[..<n]
        }
        return received
    }

    /// Answers in a byte stream, each body by its Content-Length (none for 304s and for the answers
    /// at `heads`, the positions of HEAD requests, whose Content-Length describes the GET's body).
    static func split(_ bytes: [UInt8], heads: Set<Int> = []) throws -> [Answer] {
        var answers: [Answer] = []
        var rest = bytes[...]
        let end = Array("\r\n\r\n".utf8)
        while !rest.isEmpty {
            guard let cut = rest.firstRange(of: end) else { throw Failure(description: "no end of head") }
            let head = String(decoding: rest[..<cut.lowerBound], as: UTF8.self)
            rest = rest[cut.upperBound...]
            let status = Int(head.split(separator: " ")[1]) ?? 0
            let length =
                head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
            // Answers to HEAD (positions in `heads`) and 304s carry no body whatever their length says.
            let bodyless = status == 304 || heads.contains(answers.count)
            let take = bodyless ? 0 : length
            guard rest.count >= take else { throw Failure(description: "short body") }
            answers.append(Answer(head: head, body: String(decoding: rest.prefix(take), as: UTF8.self)))
            rest = rest.dropFirst(take)
        }
        return answers
    }
}

/// A live-server client that waits up to three minutes for an answer. HummingbirdTesting's live
/// client gives up after a fixed 20 s; under the full suite on two cores, with other tests holding
/// the cooperative threads while their child processes run, a routed answer waited longer than that
/// (seen in CI). Answers on the fast path do not wait for those threads.
struct PatientClient: Sendable {
    let client: TestClient
    let port: Int?

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], authority: String = "localhost")
        async throws -> TestClient.Response
    {
        var headers = headers
        headers[.connection] = "keep-alive"
        return try await client.execute(TestClient.Request(uri, method: method, authority: authority, headers: headers))
    }
}

extension ApplicationProtocol {
    /// `test(.live)` with a `PatientClient`.
    func testPatiently<Value: Sendable>(_ body: @escaping @Sendable (PatientClient) async throws -> Value)
        async throws -> Value
    {
        try await test(.live) { live in
            let client = TestClient(
                host: "localhost", port: live.port!, configuration: .init(timeout: .seconds(180)))
            client.connect()
            do {
                let value = try await body(PatientClient(client: client, port: live.port))
                try await client.shutdown()
                return value
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }
}

extension Optional where Wrapped == ByteBuffer {
    /// A `PatientClient` answer's body as text (empty when there is none).
    var text: String { map { String(buffer: $0) } ?? "" }
}
