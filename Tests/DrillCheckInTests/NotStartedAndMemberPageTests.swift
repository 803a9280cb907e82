import Crypto
import DrillCheckIn
import DrillCore
import DrillStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

private typealias F = CheckInFixture

/// Marks only once a session is under way, and the member's own absence page (issue 8, items 4 and 8).
@Suite("Not started, member page")
struct NotStartedAndMemberPageTests {
    func body(_ member: String, _ status: String, _ client: String) -> ByteBuffer {
        ByteBuffer(string: "{\"marks\":[{\"member\":\"\(member)\",\"status\":\"\(status)\",\"clientID\":\"\(client)\"}]}")
    }

    @Test("marks for a session still ahead are 409 not_started; from 30 minutes before the start they go in")
    func notStarted() async throws {
        let store = try await F.store()
        let headers: HTTPFields = [.authorization: "Bearer \(F.code)", .contentType: "application/json"]
        try await F.app(store: store, now: F.instant(hour: 8, minute: 0)).test(.router) { client in
            let early = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: headers, body: body("m1", "present", "a1"))
            #expect(early.status == .conflict)
            #expect(String(buffer: early.body).contains("not_started"))
        }
        #expect(try await store.marks(session: F.uid).isEmpty)
        try await F.app(store: store, now: F.instant(hour: 8, minute: 35)).test(.router) { client in
            let arriving = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: headers, body: body("m1", "present", "a2"))
            #expect(arriving.status == .ok)
        }
    }

    static let token = String(repeating: "a", count: 40) + "Zz9"
    static let otherToken = String(repeating: "b", count: 40) + "Yy8"

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    @Test("the member page lists the member's coming session; a notice is stored for that member only; unknown token 404")
    func memberPage() async throws {
        let store = try await F.store()
        try await store.issueToken(member: "m1", hash: Self.digest(Self.token), at: 1)
        try await store.issueToken(member: "m3", hash: Self.digest(Self.otherToken), at: 1)
        let dayBefore = F.instant(hour: 9, minute: 0).addingTimeInterval(-86_400)
        try await F.app(store: store, now: dayBefore).test(.router) { client in
            let page = try await client.execute(uri: "/me/\(Self.token)", method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("张三") && html.contains("我不能参加") && html.contains(F.uid))
            #expect(!html.contains("王五"), "nobody else's name")
            let csrf = try #require(html.range(of: "name=\"csrf\" value=\"").map { html[$0.upperBound...].prefix(64) })
            let form = "csrf=\(csrf)&action=report&uid=\(F.uid.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&reason=%E7%94%9F%E7%97%85"
            let noOrigin = try await client.execute(
                uri: "/me/\(Self.token)", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
            #expect(noOrigin.status == .forbidden, "no same-site Origin: refused")
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: F.origin]
            let wrongCSRF = try await client.execute(
                uri: "/me/\(Self.otherToken)", method: .post, headers: headers, body: ByteBuffer(string: form))
            #expect(wrongCSRF.status == .forbidden, "one member's form token does not work for another")
            let posted = try await client.execute(
                uri: "/me/\(Self.token)", method: .post, headers: headers, body: ByteBuffer(string: form))
            #expect(posted.status == .seeOther)
            #expect(try await store.absences() == [AbsenceNotice(sessionUID: F.uid, memberID: "m1", reason: "生病", at: Int(dayBefore.timeIntervalSince1970))])
            let other = String(buffer: try await client.execute(uri: "/me/\(Self.otherToken)", method: .get).body)
            #expect(!other.contains("生病") && !other.contains("张三"))
            // The session's leader sees the notice on the check-in page and in the API, as an
            // excused pre-mark of source `member`; without the leader's cookie the API has none.
            let leader = try await LeaderSession.login(client)
            #expect(leader.page.contains("本人已请假") && leader.page.contains("生病"))
            let api = "/api/sessions/\(F.uid)"
            let detail = String(buffer: try await client.execute(uri: api, method: .get, headers: [.cookie: leader.cookie]).body)
            #expect(detail.contains("\"notices\":[{") && detail.contains("\"source\":\"member\"") && detail.contains("生病"), "\(detail)")
            let anonymous = String(buffer: try await client.execute(uri: api, method: .get).body)
            #expect(!anonymous.contains("生病") && !anonymous.contains("notices"), "\(anonymous)")
            // Moved by hand after the notice: the notice stays, and the page says the day changed.
            #expect(!String(buffer: try await client.execute(uri: "/me/\(Self.token)", method: .get).body).contains("活动时间已改为"))
            let session = try #require(try await store.session(F.uid))
            try await store.saveOverride(
                SessionOverride(
                    sessionUID: F.uid, action: .postpone, slot: session.slot, reason: "暴雨红色预警", by: "站长",
                    at: Int(dayBefore.timeIntervalSince1970) + 1))
            let moved = String(buffer: try await client.execute(uri: "/me/\(Self.token)", method: .get).body)
            #expect(moved.contains("活动时间已改为") && moved.contains("生病"))
            let unknown = try await client.execute(uri: "/me/" + String(repeating: "c", count: 43), method: .get)
            #expect(unknown.status == .notFound)
        }
        // Once the session has started the notice can no longer change.
        try await F.app(store: store, now: F.duringDrill).test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/me/\(Self.token)", method: .get).body)
            #expect(!page.contains(F.uid), "a started session is no longer listed")
        }
        try await store.revokeToken(member: "m1", at: 2)
        try await F.app(store: store, now: dayBefore).test(.router) { client in
            let revoked = try await client.execute(uri: "/me/\(Self.token)", method: .get)
            #expect(revoked.status == .notFound)
        }
    }
}
