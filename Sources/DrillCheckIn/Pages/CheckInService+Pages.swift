import DrillCore
import DrillStore
import DrillWeb
import Foundation
import Hummingbird

extension CheckInService {
    /// `GET /checkin`: today's sessions, then the last two weeks' (most recent first, for marks
    /// recorded afterwards), then the coming week's; not the whole year.
    /// The list is built again only when a session, the town or the day changed (`SessionListCache`).
    func sessionListPage(_ request: Request) async throws -> Response {
        let l = language(of: request)
        let today = town.localDate(options.now())
        let version = try await storeCall(l) { try await store.sessionsVersion() }
        let body = try await pageLists.value("page|\(l.rawValue)|\(today)", version: version, revision: town.revision) {
            try await sessionListBody(l: l, today: today)
        }
        return HTML.page(title: l.pick("出勤签到", "Check-in"), language: l, body: body)
    }

    private func sessionListBody(l: Language, today: CivilDate) async throws -> String {
        let sessions = try await storeCall(l) { try await store.sessions() }
            .filter { !$0.cancelled && $0.kind != .deadline }
        func items(_ list: [SessionRecord]) -> String {
            list.map { s -> String in
                let teams = s.teamIDs.map { town.teamName($0, l) }.joined(separator: "、")
                return """
                    <li class="session"><a href="/checkin/\(HTML.escape(s.uid))\(langQuery(l))">\
                    <strong>\(HTML.escape(town.title(of: s, l)))</strong><br>\
                    <span class="muted">\(HTML.escape(when(s))) · \(HTML.escape(teams))</span></a></li>
                    """
            }.joined(separator: "\n")
        }
        func section(_ title: String, _ list: [SessionRecord], empty: String) -> String {
            "<h2>\(title)</h2>\n"
                + (list.isEmpty ? "<p class=\"muted\">\(empty)</p>" : "<ul>\(items(list))</ul>")
        }
        let todays = sessions.filter { $0.slot.date == today }
        let recent = sessions.filter { $0.slot.date < today && $0.slot.date.dayNumber >= today.dayNumber - 14 }
            .reversed()
        let upcoming = sessions.filter { $0.slot.date > today && $0.slot.date.dayNumber <= today.dayNumber + 7 }
        let body = """
            \(HTML.languageSwitch(path: "/checkin", current: l))
            <h1>\(HTML.escape(town.name.text(l))) · \(l.pick("出勤签到", "Check-in"))</h1>
            \(section(l.pick("今天", "Today"), todays, empty: l.pick("今天没有活动", "No session today")))
            \(section(l.pick("最近两周", "Last two weeks"), Array(recent), empty: l.pick("最近两周没有活动", "No session in the last two weeks")))
            \(section(l.pick("未来一周（开始后才能签到）", "Coming week (marks open once a session starts)"), upcoming, empty: l.pick("未来一周没有活动", "No session in the coming week")))
            """
        return body
    }

    /// `GET /checkin/{uid}`: the login form, or for the session's leader the roster with buttons.
    func checkInPage(_ request: Request, uid: String, ip: String) async throws -> Response {
        let l = language(of: request)
        let session = try await liveSession(uid, l: l)
        guard let auth = try? await leader(request, uid: uid, ip: ip, l: l), case .cookie(let nonce, _) = auth
        else {
            return loginPage(session, l: l, error: nil)
        }
        let detail = try await detail(session, leader: true, l: l)
        // Members who said in advance on their own page that they cannot come (the leader only).
        let notices = Dictionary(
            try await storeCall(l) { try await store.absences() }.filter { $0.sessionUID == uid }
                .map { ($0.memberID, $0.reason) }, uniquingKeysWith: { a, _ in a })
        let rows = (detail.roster ?? []).map { member -> String in
            let teams = member.teams.map { town.teamName($0, l) }.joined(separator: "、")
            let notice = notices[member.member].map {
                "<br><span class=\"notice\">\(l.pick("本人已请假", "said they can't come"))：\(HTML.escape($0))</span>"
            } ?? ""
            return """
                <li class="member" data-member="\(HTML.escape(member.member))">\
                <span class="name">\(HTML.escape(member.name))</span> <span class="muted">\(HTML.escape(teams))</span>\(notice)<br>\
                <span class="status"></span><span class="badge"></span>
                <div class="actions">\
                <button type="button" data-status="present">\(AttendanceStatus.present.label(l))</button>\
                <button type="button" data-status="late">\(AttendanceStatus.late.label(l))</button>\
                <input class="reason" type="text" maxlength="200" placeholder="\(l.pick("请假原因", "reason"))" \
                aria-label="\(l.pick("请假原因", "reason"))">\
                <button type="button" data-status="excused">\(AttendanceStatus.excused.label(l))</button></div></li>
                """
        }.joined(separator: "\n")
        let counts = detail.teams.map { team -> String in
            "<div>\(HTML.escape(team.name))：\(l.pick("实到", "counted")) <b data-team-count=\"\(HTML.escape(team.id))\">"
                + "\(team.counted) / \(team.minimum)</b></div>"
        }.joined()
        let state = PageState(
            uid: session.uid, csrf: signer.csrfToken(nonce: nonce),
            marksURL: "/api/sessions/\(Self.pathComponent(session.uid))/marks\(langQuery(l))",
            detailURL: "/api/sessions/\(Self.pathComponent(session.uid))\(langQuery(l))",
            marks: Dictionary(
                (detail.marks ?? []).map {
                    ($0.member, PageState.Mark(status: $0.status, reason: $0.reason, source: $0.source))
                },
                uniquingKeysWith: { a, _ in a }),
            teams: detail.teams, text: PageState.Text(l))
        let path = "/checkin/\(Self.pathComponent(session.uid))"
        let body = """
            \(HTML.languageSwitch(path: path, current: l))
            <h1>\(HTML.escape(town.title(of: session, l)))</h1>
            <p class="muted">\(HTML.escape(when(session)))\(session.finalized ? " · " + l.pick("记录已锁定", "record finalized") : "")</p>
            \(hasOpened(session) ? "" : "<p class=\"error\" role=\"alert\">" + l.pick("活动尚未开始，开始前 \(options.selfCheckInMargin) 分钟起才能签到", "The session has not started; marks open \(options.selfCheckInMargin) minutes before it") + "</p>")
            <div class="counts">\(counts)</div>
            <p id="sync" role="status"></p>
            <p id="relogin" class="error" hidden><a href="\(path)\(langQuery(l))">\(l.pick("登录已失效，请重新输入签到码（未上传的记录保存在本机）", "Logged out: enter the code again (unsent marks are kept on this phone)"))</a></p>
            <ul id="roster">
            \(rows)
            </ul>
            <p><a href="\(path)/qr\(langQuery(l))">\(l.pick("显示队员自助签到二维码", "Show the members' self check-in QR code"))</a> · \
            <a href="/checkin\(langQuery(l))">\(l.pick("其他活动", "Other sessions"))</a></p>
            <script type="application/json" id="state">\(try HTML.scriptJSON(state))</script>
            """
        return HTML.page(
            title: town.title(of: session, l), language: l, body: body, script: CheckInScript.source)
    }

    func loginPage(_ session: SessionRecord, l: Language, error: String?, status: HTTPResponse.Status = .ok)
        -> Response
    {
        let path = "/checkin/\(Self.pathComponent(session.uid))"
        let body = """
            \(HTML.languageSwitch(path: path, current: l))
            <h1>\(HTML.escape(town.title(of: session, l)))</h1>
            <p class="muted">\(HTML.escape(when(session)))</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            <p id="queued" class="error" hidden data-uid="\(HTML.escape(session.uid))" \
            data-text="\(HTML.escape(l.pick("本机有 {n} 条未上传的签到记录，登录后自动上传", "{n} marks wait on this phone; they are sent after you log in")))"></p>
            <form class="stack" method="post" action="\(path)/login\(langQuery(l))">
            <label for="code">\(l.pick("带队签到码", "Drill-leader code"))</label>
            <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" \
            maxlength="24" placeholder="ABCD-EFGH-JKLM" required>
            <p><input type="submit" value="\(l.pick("登录", "Log in"))"></p>
            </form>
            """
        return HTML.page(
            title: town.title(of: session, l), language: l, body: body, script: CheckInScript.loginNotice,
            status: status)
    }

    /// `POST /checkin/{uid}/login`: checks the code and sets the signed leader cookie.
    func login(_ request: Request, uid: String, ip: String) async throws -> Response {
        let l = language(of: request)
        let session = try await liveSession(uid, l: l)
        guard isSameOrigin(request) else { throw CheckInError.origin(l) }
        // Reserved before the body is read or the store asked (GuessThrottle); counted per address
        // and per session.
        let hash: String?
        do {
            hash = try await guess(codeAttempts, ip: ip, target: "code|\(uid)", l: l) {
                let typed = try await RequestBodyReader.form(request)["code"] ?? ""
                guard let code = LeaderCode.normalize(typed) else {
                    if LeaderCode.isOldFormat(typed) { throw CheckInError.oldCode(l) }
                    return (nil, .miss)
                }
                let hash = LeaderCode.hash(code, key: try await storeCall(l) { try await codeKey.key() })
                let opens = try await storeCall(l) { try await store.session(forLeaderCodeHash: hash) }
                return opens == uid ? (hash, .hit) : (nil, .miss)
            }
        } catch let error as CheckInError where error.status.code < 500 {
            return loginPage(session, l: l, error: error.message.text(l), status: error.status)
        }
        guard let hash else {
            return loginPage(
                session, l: l, error: l.pick("签到码不正确或已作废", "Wrong or revoked code"), status: .unauthorized)
        }
        let expiry = now + options.loginLifetime
        let nonce = try await storeCall(l) {
            try await logins.add(session: uid, codeHash: hash, expiry: expiry, now: now)
        }
        var response = Response(
            status: .seeOther, headers: [.location: "/checkin/\(Self.pathComponent(uid))\(langQuery(l))"])
        response.setCookie(loginCookie(nonce: nonce, expiry: expiry))
        return response
    }

    /// A UID as one URL path segment.
    static func pathComponent(_ uid: String) -> String {
        uid.addingPercentEncoding(
            withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#")))
            ?? uid
    }
}

/// What the check-in script starts from (embedded as JSON in the page).
struct PageState: Encodable {
    struct Mark: Encodable {
        var status: String
        var reason: String?
        var source: String
    }

    /// The script's words in the page's language.
    struct Text: Encodable {
        var status: [String: String]
        var none, pending, confirmed, rejected, allSent, pendingCount, offline, reasonNeeded,
            selfCheckIn, busy: String

        init(_ l: Language) {
            status = Dictionary(
                uniqueKeysWithValues: AttendanceStatus.allCases.map { ($0.rawValue, $0.label(l)) })
            none = l.pick("未登记", "not marked")
            pending = l.pick("待上传", "pending")
            confirmed = l.pick("已确认", "confirmed")
            rejected = l.pick("被拒绝", "refused")
            allSent = l.pick("全部已上传", "all marks confirmed")
            pendingCount = l.pick("{n} 条待上传，将自动重试", "{n} pending, retrying automatically")
            offline = l.pick("离线", "offline")
            reasonNeeded = l.pick("请先填写请假原因", "enter a reason first")
            selfCheckIn = l.pick("自助签到", "self check-in")
            busy = l.pick("网络或服务器繁忙，稍后自动重试", "network or server busy, retrying automatically")
        }
    }

    var uid: String
    var csrf: String
    var marksURL: String
    var detailURL: String
    var marks: [String: Mark]
    var teams: [TeamCount]
    var text: Text
}
