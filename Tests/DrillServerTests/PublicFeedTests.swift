import DrillCore
import DrillStore
import FeedLint
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DrillServer

@Suite("Public feeds")
struct PublicFeedTests {
    static let town = "/calendars/qingshan/town.ics"

    @Test("each public feed answers 200 with exactly the bytes build exports, and cache headers")
    func exactBytes() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            for name in ["town.ics", "team-town.ics", "team-v-shangcun.ics", "village-longtan.ics"] {
                let response = try await client.execute(uri: "/calendars/qingshan/\(name)", method: .get)
                #expect(response.status == .ok)
                #expect(response.body.text == fixture.expected[name])
                let onDisk = try Data(contentsOf: fixture.town.appendingPathComponent("feeds/\(name)"))
                #expect(response.body.bytes == Array(onDisk), "\(name) is byte for byte the exported file")
                #expect(response.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(response.headers[.cacheControl] == "public, max-age=300")
                let etag = try #require(response.headers[.eTag])
                #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
                let modified = try #require(response.headers[.lastModified])
                #expect(HTTPDate.parse(modified) != nil)
                #expect(response.headers[.vary] == "Accept-Encoding")
                #expect(response.headers[.contentEncoding] == nil)
            }
        }
    }

    @Test("every feed served, public or behind a token, passes the strict lexical check (RFC 5545 §3.1)")
    func lexicallyStrict() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let token = FeedToken.generate()
        try await fixture.store.issueToken(member: "m001", hash: FeedToken.digest(token), at: 1)
        try await fixture.app().test(.router) { client in
            var served = 0
            for name in fixture.expected.keys.sorted() where !name.hasPrefix("member-") {
                let response = try await client.execute(uri: "/calendars/qingshan/\(name)", method: .get)
                #expect(response.status == .ok)
                let faults = FeedLint.faults(Array(response.body.bytes))
                #expect(faults.isEmpty, "\(name): \(faults.prefix(3))")
                served += 1
            }
            #expect(served > 10)
            let member = try await client.execute(uri: "/feeds/\(token).ics", method: .get)
            #expect(member.status == .ok)
            #expect(member.body.text.contains("ATTENDEE"))
            #expect(FeedLint.faults(Array(member.body.bytes)).isEmpty)
        }
    }

    @Test("If-None-Match and If-Modified-Since answer 304 without a body; stale validators get 200")
    func conditional() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let first = try await client.execute(uri: Self.town, method: .get)
            let etag = try #require(first.headers[.eTag])
            let modified = try #require(first.headers[.lastModified])

            let byTag = try await client.execute(
                uri: Self.town, method: .get, headers: .make([("If-None-Match", etag)]))
            #expect(byTag.status == .notModified)
            #expect(byTag.body.readableBytes == 0)
            #expect(byTag.headers[.eTag] == etag)

            let inList = try await client.execute(
                uri: Self.town, method: .get, headers: .make([("If-None-Match", "\"other\", W/\(etag)")]))
            #expect(inList.status == .notModified)

            let byDate = try await client.execute(
                uri: Self.town, method: .get, headers: .make([("If-Modified-Since", modified)]))
            #expect(byDate.status == .notModified)
            #expect(byDate.body.readableBytes == 0)

            let older = HTTPDate.format(HTTPDate.parse(modified)! - 1)
            let stale = try await client.execute(
                uri: Self.town, method: .get, headers: .make([("If-Modified-Since", older)]))
            #expect(stale.status == .ok)

            // If-None-Match wins over If-Modified-Since.
            let mismatch = try await client.execute(
                uri: Self.town, method: .get,
                headers: .make([("If-None-Match", "\"0000\""), ("If-Modified-Since", modified)]))
            #expect(mismatch.status == .ok)
            #expect(mismatch.body.text == fixture.expected["town.ics"])
        }
    }

    @Test("HEAD answers the GET headers without a body")
    func head() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let get = try await client.execute(uri: Self.town, method: .get)
            let head = try await client.execute(uri: Self.town, method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.eTag] == get.headers[.eTag])
            #expect(head.headers[.contentLength] == String(fixture.expected["town.ics"]!.utf8.count))
        }
    }

    @Test("Accept-Encoding: gzip gets a gzip body that inflates to the same bytes")
    func gzip() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let plain = try await client.execute(uri: Self.town, method: .get)
            let packed = try await client.execute(
                uri: Self.town, method: .get, headers: .make([("Accept-Encoding", "br, gzip;q=0.8")]))
            #expect(packed.status == .ok)
            #expect(packed.headers[.contentEncoding] == "gzip")
            #expect(packed.headers[.vary] == "Accept-Encoding")
            #expect(packed.body.readableBytes < plain.body.readableBytes / 3)
            #expect(try Gzip.decompress(packed.body.bytes) == plain.body.bytes)
            #expect(packed.headers[.eTag] != plain.headers[.eTag], "each representation has its own tag")

            // Its tag validates too.
            let again = try await client.execute(
                uri: Self.town, method: .get,
                headers: .make([("Accept-Encoding", "gzip"), ("If-None-Match", packed.headers[.eTag]!)]))
            #expect(again.status == .notModified)

            let refused = try await client.execute(
                uri: Self.town, method: .get, headers: .make([("Accept-Encoding", "gzip;q=0, identity")]))
            #expect(refused.headers[.contentEncoding] == nil)
            #expect(refused.body.bytes == plain.body.bytes)
        }
    }

    @Test("unknown towns, feeds and member feeds on the public path answer 404")
    func unknown() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            for uri in [
                "/calendars/qingshan/team-nope.ics", "/calendars/nowhere/town.ics",
                "/calendars/qingshan/member-m001.ics",
                "/calendars/qingshan/manifest.json", "/calendars/qingshan/town.ICS", "/calendars/qingshan",
                "/nothing/here",
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.body.text == "Not Found\n", "\(uri)")
            }
        }
    }

    /// Traversal attempts: encoded and plain dots, slashes and backslashes in town and feed names.
    static let traversals = [
        "/calendars/qingshan/..%2fplan.yaml", "/calendars/qingshan/team-..%2F..%2Froster.csv.ics",
        "/calendars/../plan.yaml", "/calendars/qingshan/../roster.csv",
        "/calendars/qingshan/%2e%2e%2froster.csv",
        "/calendars/qingshan/..%5croster.csv.ics", "/calendars/qingshan/team-..\\..\\roster.csv.ics",
        "/calendars/qingshan/..", "/calendars/%2e%2e/qingshan/town.ics",
        "/calendars/qingshan/feeds%2ftown.ics",
        "/calendars/qingshan//town.ics/..", "/calendars/qingshan/town.ics%00.yaml",
    ]

    @Test("path traversal answers 404 and never reaches a file")
    func traversal() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            for uri in Self.traversals {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.body.text == "Not Found\n", "\(uri)")
            }
        }
    }

    @Test("feed names are accepted only in their plain shape")
    func names() {
        #expect(FeedName.isPlain("team-v-shangcun.ics"))
        #expect(FeedName.isPlain("town.ics"))
        for bad in [
            "..ics", "../town.ics", "a/b.ics", "a\\b.ics", "%2e%2e.ics", ".ics", "town.yaml", "town.ics/..",
        ] {
            #expect(!FeedName.isPlain(bad), "\(bad)")
        }
    }

    @Test("GET /healthz answers ok")
    func health() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.body.text == #"{"status":"ok"}"#)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[HTTPField.Name("X-Request-Id")!] != nil)
        }
    }

    @Test("HTTP dates format and parse as IMF-fixdate")
    func httpDates() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        for s in [0, 951_782_400, 1_795_939_200, 4_107_542_399] {
            #expect(HTTPDate.parse(HTTPDate.format(s)) == s)
        }
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("garbage") == nil)
    }
}
