import DrillStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
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

    @Test("after five misses in a minute an address is answered 429, even with a good token")
    func throttled() async throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let token = FeedToken.generate()
        try await fixture.store.issueToken(member: "m003", hash: FeedToken.digest(token), at: 1)
        // Time stands still: the 1 s block cannot lapse between requests on a slow machine.
        let frozen = TokenThrottle(clock: { 1_000 })
        try await fixture.app(throttle: frozen).test(.router) { client in
            #expect(try await client.execute(uri: "/feeds/\(token).ics", method: .get).status == .ok)
            for i in 0..<5 {
                let miss = try await client.execute(uri: "/feeds/guess-\(i).ics", method: .get)
                #expect(miss.status == .notFound)
            }
            let sixth = try await client.execute(uri: "/feeds/\(FeedToken.generate()).ics", method: .get)
            #expect(sixth.status == .notFound, "the sixth miss is answered, then the address waits")
            let blocked = try await client.execute(uri: "/feeds/\(token).ics", method: .get)
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Public feeds are not throttled.
            #expect(try await client.execute(uri: PublicFeedTests.town, method: .get).status == .ok)
        }
    }

    @Test("the throttle's delay doubles, caps, forgives after a quiet window, and stays bounded")
    func throttlePolicy() {
        let now = Mutex<Double>(0)
        var policy = TokenThrottle.Policy()
        policy.maxDelay = 8
        policy.maxAddresses = 4
        let throttle = TokenThrottle(policy: policy, clock: { now.withLock { $0 } })
        for _ in 0..<5 { throttle.recordMiss("a") }
        #expect(throttle.retryAfter("a") == nil)
        var delays: [Double] = []
        for _ in 0..<6 {
            throttle.recordMiss("a")
            delays.append(throttle.retryAfter("a") ?? 0)
            now.withLock { $0 += delays.last! }  // wait it out, then miss again
        }
        #expect(delays == [1, 2, 4, 8, 8, 8])
        #expect(throttle.retryAfter("a") == nil)
        now.withLock { $0 += 61 }
        throttle.recordMiss("a")
        #expect(throttle.retryAfter("a") == nil, "a quiet minute forgives")

        for i in 0..<20 { throttle.recordMiss("10.0.0.\(i)") }
        #expect(throttle.trackedAddresses <= 4)
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
