import DrillCore
import DrillStore
import DrillWeb
import Foundation
import Hummingbird

/// Everything the check-in routes share: the store, the town, the keys and the per-process state
/// (logins, attempt counters). The route closures capture one of these.
struct CheckInService<Store: AttendanceStore>: Sendable {
    let store: Store
    let townSource: @Sendable () -> CheckInTown
    let language: Language
    let options: CheckInOptions
    let signer: Signer
    let logins: LeaderLogins
    /// Wrong leader codes, per address and per session.
    let codeAttempts: GuessThrottle
    /// Wrong phone digits at self check-in, per address and per session.
    let selfAttempts: GuessThrottle
    /// Wrong private tokens at the member page (`/me/<token>`), per address and over the token space.
    let tokenAttempts: GuessThrottle
    /// The store's key for leader-code hashes (`LeaderCode.hash(_:key:)`), read once.
    let codeKey: CodeKeyCache<Store>
    /// `GET /api/sessions` bodies and `GET /checkin` page bodies, per store version and town.
    let apiLists = SessionListCache<Data>()
    let pageLists = SessionListCache<String>()

    static var cookieName: String { "drillcal_leader" }

    init(
        store: Store, town: @escaping @Sendable () -> CheckInTown, language: Language, options: CheckInOptions
    ) {
        self.store = store
        self.townSource = town
        self.language = language
        self.options = options
        signer = Signer(secret: options.secret)
        logins = LeaderLogins(store: store)
        codeAttempts = GuessThrottle(
            policy: .init(
                freeMisses: options.maxFailedAttempts * 2,
                targetFreeMisses: options.maxFailedAttemptsPerSession),
            clock: options.throttleClock, ledger: options.throttleLedger, name: "leader-code")
        selfAttempts = GuessThrottle(
            policy: .init(
                freeMisses: options.maxFailedAttempts, targetFreeMisses: options.maxFailedAttemptsPerSession),
            clock: options.throttleClock, ledger: options.throttleLedger, name: "self-check-in")
        tokenAttempts = GuessThrottle(
            policy: .init(freeMisses: options.maxFailedAttempts, targetFreeMisses: 50), clock: options.throttleClock,
            ledger: options.throttleLedger, name: "member-page")
        codeKey = CodeKeyCache(store: store)
    }

    /// The town as of now: the server swaps in a new one when roster.csv or plan.yaml changes.
    var town: CheckInTown { townSource() }

    /// The client address limits count against (see `ClientAddress`).
    func clientAddress(_ request: Request, peer: String) -> String {
        guard !options.trustedProxies.isEmpty else { return peer }
        let forwarded = request.headers[values: HTTPFields.Element.Name("X-Forwarded-For")!]
        return ClientAddress.resolve(
            peer: peer, forwardedFor: forwarded.isEmpty ? nil : forwarded.joined(separator: ","),
            trusted: options.trustedProxies)
    }

    /// Runs one guess of a secret under `throttle`: reserved before anything is awaited (so parallel
    /// guesses cannot all pass the check), then counted as a miss, refunded on a hit, or refunded
    /// without counting when `body` throws (the store failed). Refused guesses throw 429.
    func guess<T>(
        _ throttle: GuessThrottle, ip: String, target: String, secret: String? = nil, l: Language,
        _ body: () async throws -> (T, GuessThrottle.Outcome)
    ) async throws -> T {
        let ticket: GuessThrottle.Ticket
        switch throttle.reserve(address: ip, target: target, secret: secret) {
        case .refused(let wait): throw CheckInError.tooManyAttempts(l, retryAfter: wait)
        case .granted(let granted): ticket = granted
        }
        do {
            let (value, outcome) = try await body()
            throttle.settle(ticket, outcome)
            return value
        } catch {
            throttle.settle(ticket, .undecided)
            throw error
        }
    }

    var now: Int { Int(options.now().timeIntervalSince1970) }

    /// `?lang=en` or `?lang=zh`, else the server's language.
    func language(of request: Request) -> Language {
        request.uri.queryParameters.get("lang").flatMap { Language(rawValue: $0) } ?? language
    }

    /// `?lang=…` to carry into links and form actions.
    func langQuery(_ l: Language) -> String { "?lang=\(l.rawValue)" }

    // MARK: - Who is asking

    /// How a leader proved who they are.
    enum LeaderAuth: Sendable {
        /// The signed cookie of a login (writes also need its CSRF token and a same-site origin).
        case cookie(nonce: String, codeHash: String)
        /// `Authorization: Bearer <code>` from another app: no ambient credential, so no CSRF check.
        case bearer(codeHash: String)

        var codeHash: String {
            switch self {
            case .cookie(_, let hash), .bearer(let hash): hash
            }
        }

        /// Who recorded a mark, for the audit trail: the code's hash prefix names which code it was.
        var recorder: String { "leader:\(codeHash.prefix(8))" }
    }

    /// The leader's proof for session `uid`, nil if the request carries none, or an error for a bad one.
    func leader(_ request: Request, uid: String, ip: String, l: Language) async throws -> LeaderAuth? {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw CheckInError.unauthenticated(l)
            }
            let typed = String(parts[1])
            // A code right a moment ago (an app sends it with every request) is not a guess.
            let known = LeaderCode.normalize(typed).map { LeaderCode.memoryDigest($0, uid: uid) }
            let hash: String? = try await guess(
                codeAttempts, ip: ip, target: "code|\(uid)", secret: known, l: l
            ) {
                guard let code = LeaderCode.normalize(typed) else {
                    if LeaderCode.isOldFormat(typed) { throw CheckInError.oldCode(l) }
                    return (nil, .miss)
                }
                let hash = LeaderCode.hash(code, key: try await storeCall(l) { try await codeKey.key() })
                let opens = try await storeCall(l) { try await store.session(forLeaderCodeHash: hash) }
                guard let opens else { return (nil, .miss) }
                // A right code for another session: not a wrong guess (thrown, so refunded), but refused.
                guard opens == uid else { throw CheckInError.wrongSession(l) }
                return (hash, .hit)
            }
            guard let hash else { throw CheckInError.unauthenticated(l) }
            return .bearer(codeHash: hash)
        }
        guard let nonce = cookieNonce(request),
            let login = try await storeCall(l, { try await logins.login(nonce, now: now) })
        else {
            return nil
        }
        guard login.sessionUID == uid else { return nil }
        let opens = try await storeCall(l) { try await store.session(forLeaderCodeHash: login.codeHash) }
        guard opens == uid else { return nil }  // revoked or replaced since the login
        return .cookie(nonce: nonce, codeHash: login.codeHash)
    }

    /// The nonce of a well-signed, unexpired leader cookie.
    func cookieNonce(_ request: Request) -> String? {
        guard let value = request.cookies[Self.cookieName]?.value else { return nil }
        let parts = value.split(separator: ".").map(String.init)
        guard parts.count == 3, let expiry = Int(parts[1]), expiry > now else { return nil }
        guard constantTimeEqual(signer.cookieSignature("\(parts[0]).\(parts[1])"), parts[2]) else {
            return nil
        }
        return parts[0]
    }

    /// The cookie that carries a new login.
    func loginCookie(nonce: String, expiry: Int) -> Cookie {
        let payload = "\(nonce).\(expiry)"
        return Cookie(
            name: Self.cookieName, value: "\(payload).\(signer.cookieSignature(payload))",
            maxAge: options.loginLifetime, path: "/", secure: options.cookiesSecure, httpOnly: true,
            sameSite: .strict)
    }

    /// Refuses a write that did not come from this site's own pages (cookie logins only).
    func checkWrite(_ request: Request, auth: LeaderAuth, l: Language) throws {
        guard case .cookie(let nonce, _) = auth else { return }
        guard isSameOrigin(request) else { throw CheckInError.origin(l) }
        guard let token = request.headers[.csrfToken],
            constantTimeEqual(token, signer.csrfToken(nonce: nonce))
        else { throw CheckInError.csrf(l) }
    }

    /// Whether Origin (or, without it, Referer) names this site. A request with neither is refused:
    /// every browser sends one of them on a POST from our pages.
    func isSameOrigin(_ request: Request) -> Bool {
        let allowed = allowedOrigins(request)
        if let origin = request.headers[.origin] {
            return allowed.contains(origin)
        }
        if let referer = request.headers[.referer] {
            return allowed.contains { referer == $0 || referer.hasPrefix($0 + "/") }
        }
        return false
    }

    private func allowedOrigins(_ request: Request) -> [String] {
        if !options.allowedOrigins.isEmpty { return options.allowedOrigins }
        guard let host = request.head.authority ?? request.headers[HTTPFields.Element.Name("Host")!] else {
            return []
        }
        return ["http://\(host)", "https://\(host)"]
    }

    /// The base URL for links that leave the page (the QR code).
    func baseURL(_ request: Request) -> String {
        if let base = options.publicBaseURL { return base }
        return "http://\(request.head.authority ?? "localhost")"
    }

    // MARK: - Store plumbing

    /// Runs a store call, turning its refusal into a JSON error in the asker's language (a database
    /// failure into 503 with a fixed message; its detail only reaches the log).
    func storeCall<T: Sendable>(_ l: Language, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as StoreError {
            throw CheckInError(error, language: l)
        }
    }

    /// A published (not cancelled) session, or 404.
    func liveSession(_ uid: String, l: Language) async throws -> SessionRecord {
        let session = try await storeCall(l) { try await store.session(uid) }
        guard let session, !session.cancelled else {
            throw CheckInError(StoreError.unknownSession(uid), language: l)
        }
        return session
    }

    /// Per-team turnout of a session: members on the team's roster marked present or late.
    func turnout(
        _ session: SessionRecord, roster: [RosterEntry], marks: [AttendanceMark], l: Language
    ) -> [TeamCount] {
        teamCounts(session, LiveTeamCount.counts(roster: roster, marks: marks), l: l)
    }

    /// The session's teams, in its order, with their counts (a team without roster counts 0 of 0).
    func teamCounts(_ session: SessionRecord, _ counts: [String: LiveTeamCount], l: Language) -> [TeamCount] {
        session.teamIDs.map { team in
            TeamCount(
                id: team, name: town.teamName(team, l), counted: counts[team]?.counted ?? 0,
                minimum: town.minimum(of: team), rosterSize: counts[team]?.rosterSize ?? 0)
        }
    }

    /// `2027-05-12 09:00–11:00`.
    func when(_ session: SessionRecord) -> String {
        let start = LocalTime(minutes: session.slot.startMinute % 1440)?.description ?? ""
        let end = LocalTime(minutes: session.slot.endMinute % 1440)?.description ?? ""
        return "\(session.slot.date) \(start)–\(end)"
    }

    /// When the QR code of a session works: its start minus the margin to its end plus the margin.
    func selfWindow(_ session: SessionRecord) -> ClosedRange<Int> {
        let margin = options.selfCheckInMargin * 60
        return
            (town.epochSeconds(localMinutes: session.slot.absoluteStart) - margin)...(town.epochSeconds(
                localMinutes: session.slot.absoluteEnd) + margin)
    }

    /// Whether marks are taken yet: from the margin before the start (members arrive early, as for
    /// the QR code), never for a session still ahead.
    func hasOpened(_ session: SessionRecord) -> Bool {
        now >= selfWindow(session).lowerBound
    }

    /// The QR token of a session as now scheduled.
    func selfToken(_ session: SessionRecord) -> String {
        signer.selfToken(uid: session.uid, slot: "\(session.slot.absoluteStart)-\(session.slot.absoluteEnd)")
    }
}

/// One team's live count at a session against its minimum.
struct TeamCount: Codable, Sendable, Hashable {
    var id: String
    var name: String
    var counted: Int
    var minimum: Int
    var rosterSize: Int
}

/// Reading small request bodies.
enum RequestBodyReader {
    /// The body as text, at most 64 KiB.
    static func text(_ request: Request) async throws -> String {
        var request = request
        let buffer = try await request.collectBody(upTo: 64 * 1024)
        return String(buffer: buffer)
    }

    /// An `application/x-www-form-urlencoded` body, as a dictionary (the last value of a repeated field wins).
    static func form(_ request: Request) async throws -> [String: String] {
        var fields: [String: String] = [:]
        for pair in try await text(request).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(kv[0])] = kv.count > 1 ? decode(kv[1]) : ""
        }
        return fields
    }
}
