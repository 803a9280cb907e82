import Crypto
import DrillCheckIn
import DrillCore
import DrillStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import StoreDoubles

@Suite("Check-in routes")
struct CheckInRoutesTests {
    typealias F = CheckInFixture

    @Test("writes without a code are refused: 401, and 401 for a wrong bearer code")
    func writesNeedACode() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let anonymous = try await client.execute(
                uri: F.apiPath + "/marks", method: .post,
                headers: [.contentType: "application/json", .origin: F.origin],
                body: marksBody([("m1", "present", "c1")]))
            #expect(anonymous.status == .unauthorized)
            let wrong = try await client.execute(
                uri: F.apiPath + "/marks", method: .post,
                headers: [.contentType: "application/json", .authorization: "Bearer ABCDEFGH"],
                body: marksBody([("m1", "present", "c1")]))
            #expect(wrong.status == .unauthorized)
            #expect(String(buffer: wrong.body).contains("\"message_en\""))
            let badLogin = try await client.execute(
                uri: F.path + "/login", method: .post,
                headers: [.origin: F.origin, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "code=ABCDEFGH"))
            #expect(badLogin.status == .unauthorized)
            #expect(badLogin.headers[.setCookie] == nil)
        }
        #expect(try await store.marks(session: F.uid).isEmpty)
    }

    @Test("session lists are built once per store version and town: a change anywhere shows at the next request")
    func sessionListsFollowTheStore() async throws {
        let store = CountingStore(try await F.store())
        let towns = Mutex(F.town)
        let later = SessionRecord(
            uid: "qs-2027-later@drillcal", sequence: 1, ruleID: "flood", kind: .training, teamIDs: ["v-test"],
            slot: TimeSlot(date: CivilDate(year: 2027, month: 5, day: 13)!, startMinute: 540, endMinute: 600),
            venueID: nil, supervisorID: nil)
        try await F.app(store: store, town: { towns.withLock { $0 } }).test(.router) { client in
            func list(_ uri: String = "/api/sessions") async throws -> String {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                // Each page has a fresh CSP nonce; the rest is what is compared.
                return String(buffer: response.body).replacingOccurrences(
                    of: "nonce[-=]\"?[0-9a-f]+", with: "", options: .regularExpression)
            }
            let first = try await list()
            let second = try await list()
            let third = try await list()
            #expect(second == first && third == first)
            #expect(store.sessionLists.load(ordering: .relaxed) == 1, "three answers, one list read")
            let page = try await list("/checkin")
            #expect(try await list("/checkin") == page)
            #expect(store.sessionLists.load(ordering: .relaxed) == 2, "the page is kept apart from the API")
            #expect(try await list("/api/sessions?lang=en") != first, "per language")
            #expect(store.sessionLists.load(ordering: .relaxed) == 3)

            // A session published in the store (by any process): the next answer has it.
            try await store.publish(sessions: [F.session, later], rosters: [F.uid: F.roster, later.uid: F.roster])
            #expect(try await list().contains(later.uid))
            #expect(try await list("/checkin").contains("2027-05-13"), "tomorrow's training on the page")
            // Finalized: the API says so at once.
            try await store.finalize(F.uid, by: "站长", at: 2)
            let finalized = try await list()
            #expect(finalized.contains("\"finalized\":true"), "\(finalized)")
            let reads = store.sessionLists.load(ordering: .relaxed)

            // The town reloaded (a renamed rule): titles follow without a store change.
            towns.withLock {
                $0 = CheckInTown(
                    name: F.town.name, teams: Array(F.town.teams.values),
                    phones: [:], ruleNames: ["flood": LocalizedText(zh: "山洪转移演练", en: "Flash flood drill")])
            }
            #expect(try await list().contains("山洪转移演练"))
            #expect(store.sessionLists.load(ordering: .relaxed) == reads + 1)

            // A store that cannot tell its version: every request reads the list.
            store.untrackedVersion.store(true, ordering: .relaxed)
            _ = try await list()
            _ = try await list()
            #expect(store.sessionLists.load(ordering: .relaxed) == reads + 3)
        }
    }

    @Test("the login cookie is HttpOnly and SameSite=Strict")
    func cookieAttributes() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let response = try await client.execute(
                uri: F.path + "/login", method: .post,
                headers: [.origin: F.origin, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "code=\(F.code)"))
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let hash = try await F.codeHash(F.code, store)
            #expect(!cookie.contains(F.code) && !cookie.contains(hash))
            #expect(!cookie.contains("Secure"), "no Secure over plain http")
        }
        // Behind https (the public URL says so) the cookie is Secure.
        try await F.app(store: store, options: { $0.publicBaseURL = "https://drill.example" }).test(.router) {
            client in
            let response = try await client.execute(
                uri: F.path + "/login", method: .post,
                headers: [.origin: F.origin, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "code=\(F.code)"))
            #expect(try #require(response.headers[.setCookie]).contains("Secure"))
        }
    }

    @Test("codes are 12 characters (60 bits) in groups of four; the store holds a keyed hash, per database")
    func codeShapeAndKeyedHash() async throws {
        let code = LeaderCode.generate()
        #expect(code.count == 14 && code.split(separator: "-").map(\.count) == [4, 4, 4])
        #expect(LeaderCode.normalize(code.lowercased().replacingOccurrences(of: "-", with: " ")) != nil)
        #expect(LeaderCode.normalize("K7QX3MPA") == nil && LeaderCode.isOldFormat("k7qx-3mpa"))
        let a = InMemoryStore(), b = InMemoryStore()
        let hashA = try await F.codeHash(code, a), hashB = try await F.codeHash(code, b)
        #expect(hashA != hashB, "each database has its own key, so one table cannot serve every copy")
        #expect(hashA == (try await F.codeHash(code, a)), "the key is kept")
        let plain = SHA256.hash(data: Data(LeaderCode.normalize(code)!.utf8)).map {
            String(format: "%02x", $0)
        }
        .joined()
        #expect(hashA != plain)
    }

    @Test("an old 8-character code is refused with a message to ask for a new one")
    func oldCode() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let page = try await client.execute(
                uri: F.path + "/login", method: .post,
                headers: [.origin: F.origin, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "code=K7QX-3MPA"))
            #expect(page.status == .unauthorized)
            #expect(String(buffer: page.body).contains("旧格式"))
            let api = try await client.execute(
                uri: F.apiPath + "/marks", method: .post,
                headers: [.authorization: "Bearer K7QX3MPA", .contentType: "application/json"],
                body: marksBody([("m1", "present", "old-1")]))
            #expect(api.status == .unauthorized)
            #expect(String(buffer: api.body).contains("old_code"))
        }
    }

    @Test("cookie without CSRF header → 403; wrong Origin → 403; both right → 200, stored as .page")
    func csrfAndOrigin() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let leader = try await LeaderSession.login(client)
            let noToken = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(csrf: false),
                body: marksBody([("m1", "present", "c1")]))
            #expect(noToken.status == .forbidden)
            let evil = try await client.execute(
                uri: F.apiPath + "/marks", method: .post,
                headers: leader.writeHeaders(origin: "https://evil.example"),
                body: marksBody([("m1", "present", "c1")]))
            #expect(evil.status == .forbidden)
            let noOrigin = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(origin: nil),
                body: marksBody([("m1", "present", "c1")]))
            #expect(noOrigin.status == .forbidden)
            #expect(try await store.marks(session: F.uid).isEmpty)

            let ok = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(),
                body: marksBody([("m1", "present", "c1"), ("m3", "late", "c2")]))
            #expect(ok.status == .ok)
            let answer = try JSONSerialization.jsonObject(with: Data(buffer: ok.body)) as? [String: Any]
            #expect(answer?["changed"] as? Int == 2)
            #expect(answer?["counted"] as? Int == 2)
            #expect(answer?["minimum"] as? Int == 3)
        }
        let marks = try await store.marks(session: F.uid)
        #expect(marks.map(\.memberID) == ["m1", "m3"])
        #expect(marks.allSatisfy { $0.source == .page && $0.recordedBy.hasPrefix("leader:") })
    }

    @Test("the same clientID posted twice is counted once")
    func retryCountsOnce() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let leader = try await LeaderSession.login(client)
            for expected in [1, 0] {
                let response = try await client.execute(
                    uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(),
                    body: marksBody([("m1", "present", "retry-1")]))
                #expect(response.status == .ok)
                let answer =
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(answer?["changed"] as? Int == expected)
                #expect(answer?["counted"] as? Int == 1)
            }
        }
        #expect(try await store.marks(session: F.uid).count == 1)
        #expect(try await store.audit(session: F.uid).count == 1)
    }

    @Test("a bearer code works without cookie or CSRF; store errors come back as 4xx JSON in zh and en")
    func bearerAndStoreErrors() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(F.code)", .contentType: "application/json"]
            let ok = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: headers,
                body: marksBody([("m1", "excused", "b1")], reason: "生病"))
            #expect(ok.status == .ok)
            let unknown = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: headers,
                body: marksBody([("m9", "present", "b2")]))
            #expect(unknown.status == .unprocessableContent)
            let body = try JSONSerialization.jsonObject(with: Data(buffer: unknown.body)) as? [String: String]
            #expect(body?["error"] == "unknown_member")
            #expect(body?["message_zh"]?.contains("不在活动") == true)
            #expect(body?["message_en"]?.contains("not on the roster") == true)

            let detail = try await client.execute(uri: F.apiPath, method: .get, headers: headers)
            let json = String(buffer: detail.body)
            #expect(json.contains("\"reason\":\"生病\""))
            #expect(!json.contains("1234") && !json.contains("5678"), "phones never leave the server")
            let anonymous = String(buffer: try await client.execute(uri: F.apiPath, method: .get).body)
            #expect(
                !anonymous.contains("生病") && !anonymous.contains("张三"), "marks and names for the leader only")
        }
    }

    @Test("a revoked code logs its leader out at once")
    func revocation() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let leader = try await LeaderSession.login(client)
            try await store.revokeLeaderCodes(session: F.uid, at: 2)
            let response = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(),
                body: marksBody([("m1", "present", "c1")]))
            #expect(response.status == .unauthorized)
        }
    }

    @Test("a member named <script> is escaped on every page")
    func escaping() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let leader = try await LeaderSession.login(client)
            #expect(
                leader.page.contains(
                    "<li class=\"member\" data-member=\"m2\"><span class=\"name\">&lt;script&gt;alert(1)&lt;/script&gt;</span>"
                ))
            #expect(
                leader.page.components(separatedBy: "<li class=\"member\"").count == 4, "three roster rows")
            #expect(!leader.page.contains(F.hostile))
            #expect(!leader.page.contains("1234"), "no phone digits on the page")
            let qr = String(
                buffer: try await client.execute(
                    uri: F.path + "/qr", method: .get, headers: [.cookie: leader.cookie]
                ).body)
            let token = try #require(qr.range(of: "t=[0-9a-f]{32}", options: .regularExpression)).upperBound
            let t = String(qr[qr.index(token, offsetBy: -32)..<token])
            let selfPage = String(
                buffer: try await client.execute(uri: "/self/\(F.uid)?t=\(t)", method: .get).body)
            #expect(selfPage.contains("<option value=\"m2\">&lt;script&gt;alert(1)&lt;/script&gt;</option>"))
            #expect(!selfPage.contains(F.hostile))
        }
    }

    @Test("the session list shows today's drill, in English with ?lang=en")
    func sessionList() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let zh = String(buffer: try await client.execute(uri: "/checkin", method: .get).body)
            #expect(zh.contains("防汛转移演练") && zh.contains("今天") && zh.contains("lang=\"zh-CN\""))
            let en = String(buffer: try await client.execute(uri: "/checkin?lang=en", method: .get).body)
            #expect(en.contains("Flood evacuation drill") && en.contains("Today"))
            let api = try await client.execute(uri: "/api/sessions", method: .get)
            #expect(String(buffer: api.body).contains(F.uid))
        }
    }

    @Test("OpenAPI 3.1 document is served")
    func openAPI() async throws {
        let store = try await F.store()
        try await F.app(store: store).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.hasPrefix("openapi: 3.1.0"))
            for path in ["/api/sessions:", "/api/sessions/{uid}:", "/api/sessions/{uid}/marks:"] {
                #expect(text.contains(path))
            }
        }
    }

    @Test("a code or login for one session opens no other; excused without a reason is a 422")
    func oneSessionPerCode() async throws {
        let store = InMemoryStore()
        let other = {
            var session = F.session
            session.uid = "qs-2027-flood-v-test-02@drillcal"
            return session
        }()
        try await store.publish(
            sessions: [F.session, other], rosters: [F.uid: F.roster, other.uid: F.roster])
        try await store.issueLeaderCode(
            session: F.uid, hash: try await F.codeHash(F.code, store), by: "站长", at: 3)
        try await store.issueLeaderCode(
            session: other.uid, hash: try await F.codeHash("ZZZZ-2222-ZZZZ", store), by: "站长", at: 3)
        try await F.app(store: store).test(.router) { client in
            let leader = try await LeaderSession.login(client)
            let crossCookie = try await client.execute(
                uri: "/api/sessions/\(other.uid)/marks", method: .post, headers: leader.writeHeaders(),
                body: marksBody([("m1", "present", "x1")]))
            #expect(crossCookie.status == .unauthorized)
            let crossBearer = try await client.execute(
                uri: F.apiPath + "/marks", method: .post,
                headers: [.authorization: "Bearer ZZZZ-2222-ZZZZ", .contentType: "application/json"],
                body: marksBody([("m1", "present", "x2")]))
            #expect(crossBearer.status == .forbidden)
            let noReason = try await client.execute(
                uri: F.apiPath + "/marks", method: .post, headers: leader.writeHeaders(),
                body: marksBody([("m1", "excused", "x3")]))
            #expect(noReason.status == .unprocessableContent)
        }
        #expect(try await store.allMarks().isEmpty)
    }
}
