import DrillCore
import DrillStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import StoreDoubles
import Testing

@testable import DrillServer

@Suite("Private feeds and tokens")
struct PrivateFeedTests {
    @Test(
        "an issued token serves the member's feed; reissue and revoke end old links; unknown looks the same")
    func issueRevoke() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        let first = FeedToken.generate()
        try await store.issueToken(member: "m001", hash: FeedToken.digest(first), at: 1)
        try await fixture.app().test(.router) { client in
            let ok = try await client.execute(uri: "/feeds/\(first).ics", method: .get)
            #expect(ok.status == .ok)
            #expect(ok.body.text == fixture.expected["member-m001.ics"])
            #expect(ok.headers[.cacheControl] == "private, max-age=300")
            #expect(ok.headers[.eTag] != nil)

            let unknown = try await client.execute(uri: "/feeds/\(FeedToken.generate()).ics", method: .get)
            #expect(unknown.status == .notFound)

            // Reissuing replaces the link.
            let second = FeedToken.generate()
            try await store.issueToken(member: "m001", hash: FeedToken.digest(second), at: 2)
            let replaced = try await client.execute(uri: "/feeds/\(first).ics", method: .get)
            #expect(replaced.status == .notFound)
            #expect(try await client.execute(uri: "/feeds/\(second).ics", method: .get).status == .ok)

            try await store.revokeToken(member: "m001", at: 3)
            let revoked = try await client.execute(uri: "/feeds/\(second).ics", method: .get)
            #expect(revoked.status == .notFound)
            #expect(revoked.body.bytes == unknown.body.bytes, "revoked and unknown are indistinguishable")
            #expect(revoked.headers[.contentType] == unknown.headers[.contentType])
            #expect(revoked.headers[.contentLength] == unknown.headers[.contentLength])
        }
    }

    @Test("private feeds honour ETag and gzip like public ones")
    func conditionalPrivate() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let token = FeedToken.generate()
        try await fixture.store.issueToken(member: "m002", hash: FeedToken.digest(token), at: 1)
        try await fixture.app().test(.router) { client in
            let uri = "/feeds/\(token).ics"
            let ok = try await client.execute(
                uri: uri, method: .get, headers: .make([("Accept-Encoding", "gzip")]))
            #expect(try Gzip.decompress(ok.body.bytes) == Array(fixture.expected["member-m002.ics"]!.utf8))
            let again = try await client.execute(
                uri: uri, method: .get, headers: .make([("If-None-Match", ok.headers[.eTag]!)]))
            #expect(again.status == .notModified)
            let head = try await client.execute(uri: uri, method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
        }
    }

    @Test("after five misses an address is answered 429, even with a good token not yet seen")
    func throttled() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let token = FeedToken.generate()
        let unseen = FeedToken.generate()
        try await fixture.store.issueToken(member: "m003", hash: FeedToken.digest(token), at: 1)
        try await fixture.store.issueToken(member: "m004", hash: FeedToken.digest(unseen), at: 1)
        // Time stands still: the 1 s block cannot lapse between requests on a slow machine.
        let frozen = TokenThrottle(clock: { 1_000 })
        try await fixture.app(throttle: frozen).test(.router) { client in
            #expect(try await client.execute(uri: "/feeds/\(token).ics", method: .get).status == .ok)
            for i in 0..<4 {
                let miss = try await client.execute(uri: "/feeds/guess-\(i).ics", method: .get)
                #expect(miss.status == .notFound)
            }
            let fifth = try await client.execute(uri: "/feeds/\(FeedToken.generate()).ics", method: .get)
            #expect(fifth.status == .notFound, "the fifth miss is answered, then the address waits")
            let blocked = try await client.execute(uri: "/feeds/\(unseen).ics", method: .get)
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // A link that was right a moment ago is no guess: the member's calendar keeps working.
            #expect(try await client.execute(uri: "/feeds/\(token).ics", method: .get).status == .ok)
            // Public feeds are not throttled.
            #expect(try await client.execute(uri: PublicFeedTests.town, method: .get).status == .ok)
        }
    }

    @Test("64 and 256 parallel wrong tokens from one address: at most five reach the store")
    func parallelGuesses() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        for count in [64, 256] {
            let store = CountingStore(fixture.store)
            let frozen = TokenThrottle(clock: { 1_000 })
            let statuses = try await fixture.app(throttle: frozen, store: store).test(.router) { client in
                try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<count {
                        group.addTask {
                            try await client.execute(uri: "/feeds/\(FeedToken.generate()).ics", method: .get)
                                .status
                        }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
            }
            #expect(store.tokenLookups.load(ordering: .relaxed) <= 5)
            #expect(statuses.filter { $0 == .notFound }.count <= 5)
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= count - 5)
        }
    }

    @Test("behind a trusted proxy the forwarded client is throttled, not the proxy; others pass")
    func trustedProxy() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let token = FeedToken.generate()
        try await fixture.store.issueToken(member: "m003", hash: FeedToken.digest(token), at: 1)
        let frozen = TokenThrottle(clock: { 1_000 })
        // Router tests have no socket, so the peer is "unknown": trusted here as the proxy.
        try await fixture.app(throttle: frozen, { $0.trustedProxies = ["unknown"] }).test(.router) { client in
            for _ in 0..<8 {
                _ = try await client.execute(
                    uri: "/feeds/\(FeedToken.generate()).ics", method: .get,
                    headers: .make([("X-Forwarded-For", "203.0.113.9")]))
            }
            let guesser = try await client.execute(
                uri: "/feeds/\(token).ics", method: .get, headers: .make([("X-Forwarded-For", "203.0.113.9")])
            )
            #expect(guesser.status == .tooManyRequests)
            let member = try await client.execute(
                uri: "/feeds/\(token).ics", method: .get,
                headers: .make([("X-Forwarded-For", "198.51.100.4")]))
            #expect(member.status == .ok)
        }
        // Without trusting it, the header is ignored: everyone is the one peer.
        let untrusting = TokenThrottle(clock: { 1_000 })
        try await fixture.app(throttle: untrusting).test(.router) { client in
            for i in 0..<8 {
                _ = try await client.execute(
                    uri: "/feeds/\(FeedToken.generate()).ics", method: .get,
                    headers: .make([("X-Forwarded-For", "203.0.113.\(i)")]))
            }
            #expect(untrusting.retryAfter(address: "unknown") != nil)
        }
    }

    @Test("tokens carry 256 random bits as 43 base64url characters; digests are hex SHA-256")
    func tokens() {
        let a = FeedToken.generate()
        let b = FeedToken.generate()
        #expect(a != b)
        #expect(a.count == 43 && FeedToken.isWellFormed(a))
        #expect(!FeedToken.isWellFormed(a + "x"))
        #expect(!FeedToken.isWellFormed(String(a.dropLast()) + "/"))
        #expect(FeedToken.base64url([0xfb, 0xff]) == "-_8")
        #expect(FeedToken.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
