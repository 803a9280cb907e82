import DrillCheckIn
import DrillCore
import DrillStore
import Foundation
import Hummingbird
import HummingbirdTesting
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
        try await F.app(store: store).test(.router) { client in
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
}
