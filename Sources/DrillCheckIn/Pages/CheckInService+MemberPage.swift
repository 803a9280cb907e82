import Crypto
import DrillCore
import DrillStore
import DrillWeb
import Foundation
import Hummingbird

/// The member's own page behind their private feed token (`/me/<token>`): their next sessions,
/// each with “我不能参加” and a reason, or the notice already given with “撤回”. Only the token's
/// member is ever shown or changed; an unknown or revoked token is a 404 like a wrong feed link.
extension CheckInService {
    /// How many coming sessions the page lists.
    static var memberPageSessions: Int { 12 }

    /// SHA-256 of a token in lowercase hex, as `drillcal token issue` stores it (`FeedToken.digest`).
    static func tokenDigest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).withUnsafeBytes { Hex.lower($0) }
    }

    /// Tokens are 43 base64url characters; anything else is a miss without a lookup.
    static func isTokenShaped(_ token: String) -> Bool {
        token.utf8.count == 43
            && token.utf8.allSatisfy { c in
                (65...90).contains(c) || (97...122).contains(c) || (48...57).contains(c) || c == 45 || c == 95
            }
    }

    /// The member the token belongs to, under the token throttle (a wrong token is a guess; a
    /// token right within the hour is not), or a 404 for an unknown or revoked one.
    func member(ofToken token: String, ip: String, l: Language) async throws -> (member: String, digest: String) {
        let digest = Self.tokenDigest(token)
        let member: String? = try await guess(tokenAttempts, ip: ip, target: "member-token", secret: digest, l: l) {
            guard Self.isTokenShaped(token) else { return (nil, .miss) }
            let found = try await storeCall(l) { try await store.member(forTokenHash: digest) }
            return (found, found == nil ? .miss : .hit)
        }
        guard let member else { throw CheckInError(.notFound, code: "not_found", message: LocalizedText(zh: "未找到", en: "not found"), language: l) }
        return (member, digest)
    }

    /// One of the member's coming sessions with its notice, if any.
    struct MemberSession {
        var session: SessionRecord
        var name: String
        var notice: AbsenceNotice?
        /// Moved or postponed by hand after the notice was given: the notice went with it.
        var movedSinceNotice = false
    }

    /// The member's sessions that have not started, soonest first, with their notices.
    func comingSessions(of member: String, l: Language) async throws -> (name: String?, [MemberSession]) {
        let sessions = try await storeCall(l) { try await store.sessions() }
        let notices = try await storeCall(l) { try await store.absences() }.filter { $0.memberID == member }
        let changes = notices.isEmpty ? [] : try await storeCall(l) { try await store.overrides() }
        var out: [MemberSession] = []
        var name: String?
        for s in sessions where !s.cancelled && s.kind != .deadline && hasNotStarted(s) {
            let roster = try await storeCall(l) { try await store.roster(of: s.uid) }
            guard let entry = roster.first(where: { $0.memberID == member }) else { continue }
            name = name ?? entry.name
            let notice = notices.first { $0.sessionUID == s.uid }
            let moved = notice.map { n in
                changes.contains { $0.sessionUID == s.uid && $0.slot != nil && $0.at >= n.at }
            } ?? false
            out.append(MemberSession(session: s, name: entry.name, notice: notice, movedSinceNotice: moved))
            if out.count == Self.memberPageSessions { break }
        }
        return (name, out)
    }

    /// Whether the session is still ahead (a notice can be given or withdrawn until it starts).
    func hasNotStarted(_ session: SessionRecord) -> Bool {
        now < town.epochSeconds(localMinutes: session.slot.absoluteStart)
    }

    /// `GET /me/{token}`.
    func memberPage(_ request: Request, token: String, ip: String, message: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok) async throws -> Response
    {
        let l = language(of: request)
        let (member, digest) = try await member(ofToken: token, ip: ip, l: l)
        let (name, coming) = try await comingSessions(of: member, l: l)
        let path = "/me/\(token)"
        let csrf = signer.csrfToken(nonce: "member|\(digest)")
        let items = coming.map { item -> String in
            let s = item.session
            let venue = s.venueID.map { town.venueNames[$0] ?? $0 }.map { " · " + HTML.escape($0) } ?? ""
            let head = """
                <strong>\(HTML.escape(town.title(of: s, l)))</strong><br>\
                <span class="muted">\(HTML.escape(when(s)))\(venue)</span>
                """
            let form: String
            let movedNote: String =
                item.movedSinceNotice
                ? "<p class=\"moved\">"
                    + l.pick(
                        "活动时间已改为上面的新时间，请假仍然有效；如新时间能参加，请撤回。",
                        "The session moved to the time above; your notice still stands. If you can come then, withdraw it.")
                    + "</p>" : ""
            if let notice = item.notice {
                form = """
                    <p class="ok">\(l.pick("已请假", "You said you can't come"))：\(HTML.escape(notice.reason))</p>\
                    \(movedNote)
                    <form method="post" action="\(path)\(langQuery(l))">\
                    <input type="hidden" name="csrf" value="\(csrf)">\
                    <input type="hidden" name="action" value="withdraw">\
                    <input type="hidden" name="uid" value="\(HTML.escape(s.uid))">\
                    <input type="submit" value="\(l.pick("撤回请假（我能参加）", "Withdraw (I can come)"))"></form>
                    """
            } else {
                form = """
                    <form class="stack" method="post" action="\(path)\(langQuery(l))">\
                    <input type="hidden" name="csrf" value="\(csrf)">\
                    <input type="hidden" name="action" value="report">\
                    <input type="hidden" name="uid" value="\(HTML.escape(s.uid))">\
                    <input class="reason" name="reason" type="text" maxlength="200" required \
                    placeholder="\(l.pick("原因，如：外出务工", "reason, e.g. working away"))" aria-label="\(l.pick("原因", "reason"))">\
                    <input type="submit" value="\(l.pick("我不能参加", "I can't come"))"></form>
                    """
            }
            return "<li class=\"member\" data-uid=\"\(HTML.escape(s.uid))\">\(head)\n\(form)</li>"
        }.joined(separator: "\n")
        let body = """
            \(HTML.languageSwitch(path: path, current: l))
            <h1>\(HTML.escape(name ?? member)) · \(l.pick("我的培训演练", "My sessions"))</h1>
            <p class="muted">\(l.pick("不能参加时请在活动开始前告知，开始前可随时撤回。原因只有你和带队人能看到。", "Tell the station before a session starts if you can't come; you can withdraw until it starts. Only you and the drill leader see the reason."))</p>
            \(message.map { "<p class=\"ok\" role=\"status\">\(HTML.escape($0))</p>" } ?? "")
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            \(coming.isEmpty ? "<p class=\"muted\">\(l.pick("近期没有你的活动", "No sessions ahead for you"))</p>" : "<ul id=\"sessions\">\n\(items)\n</ul>")
            """
        // The token is in the path: keep it out of Referer headers and caches.
        return HTML.page(
            title: l.pick("我的培训演练", "My sessions"), language: l, body: body, status: status,
            headers: [HTTPFields.Element.Name("Referrer-Policy")!: "no-referrer"])
    }

    /// `POST /me/{token}`: `action=report` (with `uid` and `reason`) or `action=withdraw` (with `uid`),
    /// then back to the page (303). Same-site and CSRF-checked; only the token's member changes.
    func memberAction(_ request: Request, token: String, ip: String) async throws -> Response {
        let l = language(of: request)
        let (member, digest) = try await member(ofToken: token, ip: ip, l: l)
        guard isSameOrigin(request) else { throw CheckInError.origin(l) }
        let form = try await RequestBodyReader.form(request)
        guard let csrf = form["csrf"], constantTimeEqual(csrf, signer.csrfToken(nonce: "member|\(digest)")) else {
            throw CheckInError.csrf(l)
        }
        let uid = form["uid"] ?? ""
        // Only the member's own coming sessions: anything else is refused the same way.
        guard let session = try await storeCall(l, { try await store.session(uid) }), !session.cancelled,
            try await storeCall(l, { try await store.roster(of: uid) }).contains(where: { $0.memberID == member })
        else {
            return try await memberPage(
                request, token: token, ip: ip, error: l.pick("没有这场活动", "No such session for you"),
                status: .unprocessableContent)
        }
        guard hasNotStarted(session) else {
            return try await memberPage(
                request, token: token, ip: ip,
                error: l.pick("活动已开始，不能再请假或撤回；请联系带队人", "The session has started; ask the drill leader"),
                status: .conflict)
        }
        do {
            switch form["action"] {
            case "report":
                let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                try await store.reportAbsence(AbsenceNotice(sessionUID: uid, memberID: member, reason: reason, at: now))
            case "withdraw":
                try await store.withdrawAbsence(session: uid, member: member, at: now)
            default:
                throw CheckInError.badRequest(l, zh: "未知操作", en: "unknown action")
            }
        } catch let error as StoreError where !error.isDatabaseFailure {
            let text: String
            switch error {
            case .finalized: text = l.pick("该活动记录已锁定，请联系带队人", "The record is locked; ask the drill leader")
            case .invalid: text = l.pick("请填写原因（最多 200 字）", "Give a reason (at most 200 characters)")
            default: text = l.pick("没有这场活动", "No such session for you")
            }
            return try await memberPage(request, token: token, ip: ip, error: text, status: .unprocessableContent)
        } catch let error as StoreError {
            throw CheckInError(error, language: l)
        }
        return Response(status: .seeOther, headers: [.location: "/me/\(token)\(langQuery(l))"])
    }
}
