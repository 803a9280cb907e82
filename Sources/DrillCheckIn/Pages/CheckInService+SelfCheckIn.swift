import DrillCore
import DrillStore
import DrillWeb
import Foundation
import Hummingbird
import Logging

extension CheckInService {
    /// `GET /checkin/{uid}/qr`: for the session's leader, the QR code members scan to check themselves in.
    func qrPage(_ request: Request, uid: String, ip: String) async throws -> Response {
        let l = language(of: request)
        let session = try await liveSession(uid, l: l)
        guard let auth = try? await leader(request, uid: uid, ip: ip, l: l), case .cookie = auth else {
            return Response(
                status: .seeOther, headers: [.location: "/checkin/\(Self.pathComponent(uid))\(langQuery(l))"])
        }
        let url = "\(baseURL(request))/self/\(Self.pathComponent(uid))?t=\(selfToken(session))"
        let window = selfWindow(session)
        let open = window.contains(now)
        let svg = QRCode.svg(url, pixels: 320, label: language.pick("签到二维码", "check-in QR code")) ?? ""
        let body = """
            <h1>\(HTML.escape(town.title(of: session, l)))</h1>
            <p class="muted">\(HTML.escape(when(session)))</p>
            <p>\(l.pick("队员用手机扫码，输入队员编号或选择姓名，再输入手机号后四位即可签到。", "Members scan this, give their member id or pick their name, and the last four digits of their phone."))</p>
            <p>\(l.pick("二维码仅在活动开始前 \(options.selfCheckInMargin) 分钟至结束后 \(options.selfCheckInMargin) 分钟内有效。", "The code works from \(options.selfCheckInMargin) minutes before the start to \(options.selfCheckInMargin) minutes after the end."))\
            \(open ? "" : " <span class=\"error\">" + l.pick("现在不在有效时间内。", "It is outside that window now.") + "</span>")</p>
            <div>\(svg)</div>
            <p class="muted url">\(HTML.escape(url))</p>
            <p><a href="/checkin/\(Self.pathComponent(uid))\(langQuery(l))">\(l.pick("返回签到", "Back to check-in"))</a></p>
            """
        return HTML.page(title: l.pick("自助签到二维码", "Self check-in QR code"), language: l, body: body)
    }

    /// Runs a page handler; a failing or busy store (503) becomes an HTML page saying to try again
    /// shortly, with the request id, instead of the API's JSON. The detail goes to the log.
    func asPage(_ request: Request, _ context: some RequestContext, _ body: () async throws -> Response)
        async throws -> Response
    {
        do {
            return try await body()
        } catch let error as CheckInError where error.status.code >= 500 {
            let l = language(of: request)
            let requestID = context.logger[metadataKey: "hb.request.id"]?.description ?? "-"
            context.logger.error(
                "check-in store failure", metadata: ["error": "\(error.logDetail ?? error.description)"])
            var response = refusalPage(
                Refusal(
                    status: error.status,
                    text: error.message.text(l) + l.pick("（请求编号 \(requestID)）", " (request \(requestID))")),
                l: l)
            response.headers[.retryAfter] = "2"
            return response
        }
    }

    /// Checks the QR token and the time; returns the session or a refusal page.
    private func selfSession(_ uid: String, token: String, l: Language) async throws -> Result<
        SessionRecord, Refusal
    > {
        guard let session = try await storeCall(l, { try await store.session(uid) }), !session.cancelled,
            constantTimeEqual(token, selfToken(session))
        else {
            return .failure(
                Refusal(
                    status: .forbidden,
                    text: l.pick(
                        "二维码无效，请重新扫描现场的二维码", "This QR code is not valid; scan the one shown at the drill")))
        }
        guard selfWindow(session).contains(now) else {
            return .failure(
                Refusal(
                    status: .forbidden,
                    text: l.pick("现在不在该活动的签到时间内", "It is not check-in time for this session")))
        }
        return .success(session)
    }

    struct Refusal: Error {
        var status: HTTPResponse.Status
        var text: String
    }

    private func refusalPage(_ refusal: Refusal, l: Language) -> Response {
        HTML.page(
            title: l.pick("自助签到", "Self check-in"), language: l,
            body:
                "<h1>\(l.pick("自助签到", "Self check-in"))</h1><p class=\"error\" role=\"alert\">\(HTML.escape(refusal.text))</p>",
            status: refusal.status)
    }

    /// `GET /self/{uid}?t=…`: the member's form.
    func selfPage(_ request: Request, uid: String) async throws -> Response {
        let l = language(of: request)
        let token = request.uri.queryParameters.get("t") ?? ""
        switch try await selfSession(uid, token: token, l: l) {
        case .failure(let refusal): return refusalPage(refusal, l: l)
        case .success(let session):
            return try await selfForm(session, token: token, l: l, error: nil, status: .ok)
        }
    }

    private func selfForm(
        _ session: SessionRecord, token: String, l: Language, error: String?, status: HTTPResponse.Status,
        roster known: [RosterEntry]? = nil
    ) async throws -> Response {
        let roster: [RosterEntry]
        if let known { roster = known } else { roster = try await storeCall(l) { try await store.roster(of: session.uid) } }
        var seen = Set<String>()
        let options = roster.filter { seen.insert($0.memberID).inserted }.sorted { $0.name < $1.name }
            .map { (entry: RosterEntry) -> String in
                "<option value=\"\(HTML.escape(entry.memberID))\">\(HTML.escape(entry.name))</option>"
            }.joined()
        let body = """
            <h1>\(HTML.escape(town.title(of: session, l)))</h1>
            <p class="muted">\(HTML.escape(when(session)))</p>
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            <form class="stack" method="post" action="/self/\(Self.pathComponent(session.uid))\(langQuery(l))">
            <input type="hidden" name="t" value="\(HTML.escape(token))">
            <label for="member">\(l.pick("选择姓名", "Pick your name"))</label>
            <select id="member" name="member"><option value="">—</option>\(options)</select>
            <label for="member_id">\(l.pick("或输入队员编号", "or enter your member id"))</label>
            <input id="member_id" name="member_id" type="text" autocomplete="off" maxlength="64">
            <label for="digits">\(l.pick("手机号后四位", "Last four digits of your phone"))</label>
            <input id="digits" name="digits" type="password" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" \
            autocomplete="off" required>
            <p><input type="submit" value="\(l.pick("签到", "Check in"))"></p>
            </form>
            """
        return HTML.page(title: l.pick("自助签到", "Self check-in"), language: l, body: body, status: status)
    }

    /// `POST /self/{uid}`: records the member present (source `self`) when the digits match.
    /// Wrong digits are counted per address and per session (reserved before anything is awaited);
    /// the digits are never logged or echoed. A store failure is an HTML page asking to try again,
    /// never a JSON body.
    func selfCheckIn(
        _ request: Request, uid: String, ip: String, logFailure: (String) -> Void
    ) async throws -> Response {
        let l = language(of: request)
        guard isSameOrigin(request) else { throw CheckInError.origin(l) }
        do {
            return try await selfCheckInChecked(request, uid: uid, ip: ip, l: l)
        } catch let error as CheckInError where error.status.code >= 500 || error.status == .tooManyRequests {
            var response = refusalPage(Refusal(status: error.status, text: error.message.text(l)), l: l)
            if let wait = error.retryAfter { response.headers[.retryAfter] = "\(wait)" }
            if error.status.code >= 500 {
                response.headers[.retryAfter] = "2"
                // Logged like the JSON routes' failures: the store's words, not the member or digits.
                logFailure(error.logDetail ?? error.description)
            }
            return response
        }
    }

    private func selfCheckInChecked(_ request: Request, uid: String, ip: String, l: Language) async throws
        -> Response
    {
        let ticket: GuessThrottle.Ticket
        switch selfAttempts.reserve(address: ip, target: "self|\(uid)") {
        case .refused(let wait): throw CheckInError.tooManyAttempts(l, retryAfter: wait)
        case .granted(let granted): ticket = granted
        }
        var outcome = GuessThrottle.Outcome.undecided
        defer { selfAttempts.settle(ticket, outcome) }
        let form = try await RequestBodyReader.form(request)
        let token = form["t"] ?? ""
        let session: SessionRecord
        switch try await selfSession(uid, token: token, l: l) {
        case .failure(let refusal): return refusalPage(refusal, l: l)
        case .success(let s): session = s
        }
        let town = self.town
        let typedID = (form["member_id"] ?? "").trimmingCharacters(in: .whitespaces)
        let memberID = typedID.isEmpty ? (form["member"] ?? "") : typedID
        let digits = form["digits"] ?? ""
        let roster = try await storeCall(l) { try await store.roster(of: uid) }
        let entry = roster.first { $0.memberID == memberID }
        // Compare against a dummy when the member is unknown, so timing does not tell ids apart.
        let expected = entry.flatMap { town.phoneTails[$0.memberID] } ?? "\u{0}\u{0}\u{0}\u{0}"
        let matches = constantTimeEqual(digits, expected)
        guard let entry, matches, town.phoneTails[entry.memberID] != nil else {
            outcome = .miss
            return try await selfForm(
                session, token: token, l: l,
                error: l.pick("队员编号或手机号后四位不正确", "Member id or phone digits do not match"), status: .forbidden,
                roster: roster)
        }
        outcome = .hit
        let current = try await storeCall(l) { try await store.marks(session: uid) }.first {
            $0.memberID == entry.memberID
        }
        if current == nil || current?.status == .absent {
            let mark = AttendanceMark(
                sessionUID: uid, memberID: entry.memberID, status: .present, recordedBy: "self",
                recordedAt: now,
                source: .selfCheckIn, clientID: "self:\(Signer.randomHex(bytes: 16))")
            _ = try await storeCall(l) { try await store.record([mark]) }
        }
        let shown = current.map { $0.status == .absent ? AttendanceStatus.present : $0.status } ?? .present
        let body = """
            <h1>\(HTML.escape(town.title(of: session, l)))</h1>
            <p class="ok" role="status">\(HTML.escape(entry.name))：\(l.pick("已签到", "checked in")) \
            (\(shown.label(l)))</p>
            """
        return HTML.page(title: l.pick("签到成功", "Checked in"), language: l, body: body)
    }
}
