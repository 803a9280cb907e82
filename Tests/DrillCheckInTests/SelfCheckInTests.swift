import DrillCheckIn
import DrillCore
import DrillStore
import Foundation
import Hummingbird
import HummingbirdTesting
import StoreDoubles
import Synchronization
import Testing

@Suite("QR self check-in")
struct SelfCheckInTests {
    typealias F = CheckInFixture

    /// The QR token, read off the leader's QR page.
    static func token(_ client: some TestClientProtocol) async throws -> String {
        let leader = try await LeaderSession.login(client)
        let page = try await client.execute(
            uri: F.path + "/qr", method: .get, headers: [.cookie: leader.cookie])
        let html = String(buffer: page.body)
        #expect(html.contains("<svg"))
        let end = try #require(html.range(of: "t=[0-9a-f]{32}", options: .regularExpression)).upperBound
        return String(html[html.index(end, offsetBy: -32)..<end])
    }

    static func checkIn(
        _ client: some TestClientProtocol, token: String, member: String, digits: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/self/\(F.uid)", method: .post,
            headers: [.origin: F.origin, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "t=\(token)&member=\(member)&digits=\(digits)"))
    }

    @Test("the QR page is for the leader only")
    func qrNeedsLeader() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let response = try await client.execute(uri: F.path + "/qr", method: .get)
            #expect(response.status == .seeOther)
        }
    }

    @Test("right digits inside the window → present, source .selfCheckIn; wrong digits → refused")
    func rightAndWrongDigits() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let token = try await Self.token(client)
            let wrong = try await Self.checkIn(client, token: token, member: "m1", digits: "9999")
            #expect(wrong.status == .forbidden)
            #expect(!String(buffer: wrong.body).contains("9999"), "digits are never echoed")
            #expect(try await store.marks(session: F.uid).isEmpty)

            let right = try await Self.checkIn(client, token: token, member: "m1", digits: "1234")
            #expect(right.status == .ok)
            #expect(String(buffer: right.body).contains("张三"))
            #expect(!String(buffer: right.body).contains("1234"))
        }
        let marks = try await store.marks(session: F.uid)
        #expect(marks.count == 1)
        #expect(marks.first?.memberID == "m1")
        #expect(marks.first?.status == .present)
        #expect(marks.first?.source == .selfCheckIn)
    }

    @Test("outside the session's window ±30 min the QR code is refused")
    func outsideWindow() async throws {
        let store = try await F.store()
        let token = try await F.app(store: store).test(.router) { client in try await Self.token(client) }
        try await F.app(store: store, now: F.afterDrill).test(.router) { client in
            let late = try await Self.checkIn(client, token: token, member: "m1", digits: "1234")
            #expect(late.status == .forbidden)
            let page = try await client.execute(uri: "/self/\(F.uid)?t=\(token)", method: .get)
            #expect(page.status == .forbidden)
        }
        try await F.app(store: store, now: F.instant(hour: 8, minute: 35)).test(.router) { client in
            let early = try await Self.checkIn(client, token: token, member: "m1", digits: "1234")
            #expect(early.status == .ok, "25 minutes before the start is inside the window")
        }
        #expect(try await store.marks(session: F.uid).count == 1)
    }

    @Test("a forged token is refused; wrong digits are rate-limited per address and session")
    func forgedTokenAndRateLimit() async throws {
        let store = try await F.store()
        // Time stands still: the first block (1 s) cannot lapse between requests on a slow machine.
        try await F.app(store: store, options: { $0.throttleClock = { 1_000 } }).test(.router) { client in
            let forged = try await Self.checkIn(
                client, token: String(repeating: "0", count: 32), member: "m1", digits: "1234")
            #expect(forged.status == .forbidden)
            let token = try await Self.token(client)
            for _ in 0..<5 {
                let wrong = try await Self.checkIn(client, token: token, member: "m2", digits: "0000")
                #expect(wrong.status == .forbidden)
            }
            let blocked = try await Self.checkIn(client, token: token, member: "m2", digits: "5678")
            #expect(blocked.status == .tooManyRequests)
            let noPhone = try await Self.checkIn(client, token: token, member: "m3", digits: "0000")
            #expect(noPhone.status == .tooManyRequests)
        }
        #expect(try await store.marks(session: F.uid).isEmpty)
    }

    @Test("a phone changed in the roster works at the next request, without a restart")
    func phoneFollowsRoster() async throws {
        let store = try await F.store()
        let town = Mutex(F.town)
        let token = try await F.app(store: store).test(.router) { client in try await Self.token(client) }
        try await F.app(store: store, town: { town.withLock { $0 } }).test(.router) { client in
            let before = try await Self.checkIn(client, token: token, member: "m3", digits: "4321")
            #expect(before.status == .forbidden)
            town.withLock {
                $0 = CheckInTown(
                    name: F.town.name, teams: Array(F.town.teams.values), phones: ["m3": "13700004321"],
                    ruleNames: F.town.ruleNames)
            }
            let after = try await Self.checkIn(client, token: token, member: "m3", digits: "4321")
            #expect(after.status == .ok)
        }
        #expect(try await store.marks(session: F.uid).map(\.memberID) == ["m3"])
    }

    @Test("a busy store answers an HTML retry page: no JSON, no SQL")
    func busyStore() async throws {
        let store = CountingStore()
        try await store.publish(sessions: [F.session], rosters: [F.uid: F.roster])
        try await store.issueLeaderCode(
            session: F.uid, hash: try await F.codeHash(F.code, store), by: "站长", at: 1)
        let token = try await F.app(store: store).test(.router) { client in try await Self.token(client) }
        store.failWrites.store(true, ordering: .relaxed)
        try await F.app(store: store).test(.router) { client in
            let response = try await Self.checkIn(client, token: token, member: "m1", digits: "1234")
            let text = String(buffer: response.body)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(text.contains("网络或服务器繁忙，稍后自动重试"))
            #expect(!text.contains("INSERT") && !text.contains("SQLite") && !text.contains("{\""))
            // The leaders' JSON API: 503 with a fixed message and the request id, never the SQL.
            let api = try await client.execute(
                uri: F.apiPath + "/marks", method: .post,
                headers: [.authorization: "Bearer \(F.code)", .contentType: "application/json"],
                body: marksBody([("m1", "present", "busy-1")]))
            let body = String(buffer: api.body)
            #expect(api.status == .serviceUnavailable && api.headers[.retryAfter] != nil)
            #expect(
                body.contains("\"error\":\"busy\"") && !body.contains("INSERT") && !body.contains("SQLite"))
        }
    }
}
