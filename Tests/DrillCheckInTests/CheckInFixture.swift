import Crypto
import DrillCheckIn
import DrillCore
import DrillStore
import Foundation
import Hummingbird
import HummingbirdTesting

/// One village drill with three members (one named like an attack), a leader code, and an app
/// built around an in-memory store with a fixed clock and key.
enum CheckInFixture {
    static let origin = "https://drill.example"
    static let code = "K7QX-3MPA-W9RT"
    static let uid = "qs-2027-flood-v-test-01@drillcal"
    static let path = "/checkin/qs-2027-flood-v-test-01@drillcal"
    static let apiPath = "/api/sessions/qs-2027-flood-v-test-01@drillcal"
    static let hostile = "<script>alert(1)</script>"
    static let key = SymmetricKey(data: Data(repeating: 7, count: 32))

    /// 2027-05-12 09:30 in Shanghai: half an hour into the 09:00–11:00 drill.
    static var duringDrill: Date { instant(hour: 9, minute: 30) }
    /// Two hours after the drill ended.
    static var afterDrill: Date { instant(hour: 13, minute: 0) }

    static func instant(hour: Int, minute: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return calendar.date(from: DateComponents(year: 2027, month: 5, day: 12, hour: hour, minute: minute))!
    }

    static let session = SessionRecord(
        uid: uid, sequence: 0, ruleID: "flood", kind: .drill(.live, .comprehensive), teamIDs: ["v-test"],
        slot: TimeSlot(date: CivilDate(year: 2027, month: 5, day: 12)!, startMinute: 540, endMinute: 660),
        venueID: nil, supervisorID: nil)

    static let roster = [
        RosterEntry(memberID: "m1", name: "张三", teamID: "v-test", roles: [.militia], away: false),
        RosterEntry(memberID: "m2", name: hostile, teamID: "v-test", roles: [.volunteer], away: false),
        RosterEntry(memberID: "m3", name: "王五", teamID: "v-test", roles: [.volunteer], away: false),
    ]

    static let town = CheckInTown(
        name: LocalizedText(zh: "青山镇", en: "Qingshan"),
        teams: [Team(id: "v-test", name: "测试村应急救援队", level: .village, minimumMembers: 3)],
        phones: ["m1": "138-0000-1234", "m2": "13900005678"],
        ruleNames: ["flood": LocalizedText(zh: "防汛转移演练", en: "Flood evacuation drill")])

    /// A store with the drill published and the leader code issued.
    static func store() async throws -> InMemoryStore {
        let store = InMemoryStore()
        try await store.publish(sessions: [session], rosters: [uid: roster])
        try await store.issueLeaderCode(session: uid, hash: try await codeHash(code, store), by: "站长", at: 1)
        return store
    }

    /// A code's hash as the store keeps it: HMAC-SHA256 under the store's own key.
    static func codeHash(_ code: String, _ store: some AttendanceStore) async throws -> String {
        LeaderCode.hash(code, key: try await store.storeKey(named: LeaderCode.keyName))
    }

    static func app(
        store: some AttendanceStore, now: Date = duringDrill,
        town: @escaping @Sendable () -> CheckInTown = { town },
        options: (inout CheckInOptions) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        var settings = CheckInOptions(secret: key, now: { now }, allowedOrigins: [origin])
        options(&settings)
        addCheckInRoutes(to: router, store: store, town: town, language: .zh, options: settings)
        return Application(router: router)
    }
}

/// A logged-in leader: the cookie and the page's CSRF token.
struct LeaderSession {
    var cookie: String
    var csrf: String
    var page: String

    static func login(_ client: some TestClientProtocol) async throws -> LeaderSession {
        let response = try await client.execute(
            uri: CheckInFixture.path + "/login", method: .post,
            headers: [.origin: CheckInFixture.origin, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "code=k7qx-3mpa w9rt"))
        guard response.status == .seeOther, let setCookie = response.headers[.setCookie] else {
            throw LoginFailed(status: response.status.code)
        }
        let cookie = String(setCookie.prefix { $0 != ";" })
        let page = try await client.execute(
            uri: CheckInFixture.path, method: .get, headers: [.cookie: cookie])
        let html = String(buffer: page.body)
        guard let range = html.range(of: #""csrf":"[0-9a-f]{64}""#, options: .regularExpression) else {
            throw LoginFailed(status: page.status.code)
        }
        let csrf = String(html[range].dropFirst(8).dropLast())
        return LeaderSession(cookie: cookie, csrf: csrf, page: html)
    }

    struct LoginFailed: Error {
        var status: Int
    }

    /// Headers of a write from the page: cookie, CSRF token, same-site Origin, JSON.
    func writeHeaders(csrf: Bool = true, origin: String? = CheckInFixture.origin) -> HTTPFields {
        var headers: HTTPFields = [.cookie: cookie, .contentType: "application/json"]
        if csrf { headers[.csrf] = self.csrf }
        if let origin { headers[.origin] = origin }
        return headers
    }
}

extension HTTPFields.Element.Name {
    static let csrf = Self("X-CSRF-Token")!
}

/// A marks request body.
func marksBody(_ marks: [(member: String, status: String, clientID: String)], reason: String? = nil)
    -> ByteBuffer
{
    let items = marks.map { m in
        "{\"member\":\"\(m.member)\",\"status\":\"\(m.status)\",\"clientID\":\"\(m.clientID)\""
            + (reason.map { ",\"reason\":\"\($0)\"" } ?? "") + "}"
    }
    return ByteBuffer(string: "{\"marks\":[\(items.joined(separator: ","))]}")
}
