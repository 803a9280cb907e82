import DrillCore
import DrillStore
import Hummingbird
import Logging

/// Adds the drill leaders' check-in pages, their JSON API, members' QR self check-in and the API's
/// OpenAPI document to an app's router.
///
/// Pages (zh-CN by default, `?lang=en` for English):
/// - `GET /checkin`: today's and upcoming sessions.
/// - `GET /checkin/{uid}`: the code form, then (for the leader) the roster with present / late /
///   excused buttons and the live count against each team's minimum. Marks wait in the phone's
///   localStorage until the server confirms them, so poor signal loses nothing.
/// - `POST /checkin/{uid}/login`: form field `code`; sets an HttpOnly, SameSite=Strict cookie signed
///   with HMAC-SHA256, and redirects back.
/// - `GET /checkin/{uid}/qr` (leader only): the QR code of `/self/{uid}?t=…`, valid from 30 minutes
///   before the session to 30 minutes after it.
/// - `GET /self/{uid}?t=…`, `POST /self/{uid}`: a member checks in with their id or name and the last
///   four digits of their phone (rate-limited per address and session, compared in constant time).
///
/// - `GET /me/{token}`, `POST /me/{token}`: a member's own page behind their private feed token: their
///   coming sessions with “我不能参加” + reason (an absence notice) and its withdrawal until the start.
///
/// JSON (`GET /openapi.yaml` describes it):
/// - `GET /api/sessions`, `GET /api/sessions/{uid}` (roster and marks only for the leader),
/// - `POST /api/sessions/{uid}/marks`: the leader cookie plus an `X-CSRF-Token` header and a
///   same-site Origin, or `Authorization: Bearer <code>`; answers `{changed, counted, minimum, teams}`.
///
/// A remote address for rate limits is read when the context conforms to
/// `RemoteAddressRequestContext` (or from `X-Forwarded-For` when the peer is one of
/// `options.trustedProxies`); otherwise all clients share one counter.
///
/// - Parameters:
///   - router: the app's router.
///   - store: where sessions, rosters, marks and leader codes live.
///   - town: team minimums, names, time zone and phone tails (`CheckInTown(plan:roster:)`).
///   - language: the pages' default language.
///   - options: keys, clock, allowed origins, cookie and window settings.
///
/// ```swift
/// let router = Router(context: AppRequestContext.self)
/// addCheckInRoutes(to: router, store: store, town: CheckInTown(plan: plan, roster: roster), language: .zh)
/// let app = Application(router: router, configuration: .init(address: .hostname("0.0.0.0", port: 8080)))
/// ```
public func addCheckInRoutes<Context: RequestContext>(
    to router: Router<Context>, store: some AttendanceStore, town: CheckInTown, language: Language = .zh,
    options: CheckInOptions = CheckInOptions()
) {
    addCheckInRoutes(to: router, store: store, town: { town }, language: language, options: options)
}

/// The same routes over a town that may change while serving: `town` is asked on each request
/// (the server passes the town of its current feed version, so a phone changed in roster.csv
/// reaches self check-in with the next reload, without a restart). Keep it cheap.
public func addCheckInRoutes<Context: RequestContext>(
    to router: Router<Context>, store: some AttendanceStore, town: @escaping @Sendable () -> CheckInTown,
    language: Language = .zh, options: CheckInOptions = CheckInOptions()
) {
    let service = CheckInService(store: store, town: town, language: language, options: options)
    @Sendable func remoteIP(_ request: Request, _ context: Context) -> String {
        service.clientAddress(request, peer: peerIP(context))
    }

    // Pages answer a failing store with an HTML page (retry later), not the API's JSON.
    router.get("/checkin") { request, context in
        try await service.asPage(request, context) { try await service.sessionListPage(request) }
    }
    router.get("/checkin/{uid}") { request, context in
        try await service.asPage(request, context) {
            try await service.checkInPage(
                request, uid: context.parameters.require("uid"), ip: remoteIP(request, context))
        }
    }
    router.post("/checkin/{uid}/login") { request, context in
        try await service.asPage(request, context) {
            try await service.login(
                request, uid: context.parameters.require("uid"), ip: remoteIP(request, context))
        }
    }
    router.get("/checkin/{uid}/qr") { request, context in
        try await service.asPage(request, context) {
            try await service.qrPage(
                request, uid: context.parameters.require("uid"), ip: remoteIP(request, context))
        }
    }
    router.get("/self/{uid}") { request, context in
        try await service.asPage(request, context) {
            try await service.selfPage(request, uid: context.parameters.require("uid"))
        }
    }
    router.post("/self/{uid}") { request, context in
        try await service.selfCheckIn(
            request, uid: context.parameters.require("uid"), ip: remoteIP(request, context),
            logFailure: { context.logger.error("self check-in store failure", metadata: ["error": "\($0)"]) })
    }
    // The member's own page behind their private token: next sessions with “我不能参加”.
    router.get("/me/{token}") { request, context in
        try await service.asPage(request, context) {
            try await service.memberPage(
                request, token: context.parameters.require("token"), ip: remoteIP(request, context))
        }
    }
    router.post("/me/{token}") { request, context in
        try await service.asPage(request, context) {
            try await service.memberAction(
                request, token: context.parameters.require("token"), ip: remoteIP(request, context))
        }
    }
    router.get("/api/sessions") { request, _ in try await service.apiSessions(request) }
    router.get("/api/sessions/{uid}") { request, context in
        try await service.apiSession(
            request, uid: context.parameters.require("uid"), ip: remoteIP(request, context))
    }
    router.post("/api/sessions/{uid}/marks") { request, context in
        try await service.apiRecord(
            request, uid: context.parameters.require("uid"), ip: remoteIP(request, context))
    }
    router.get("/openapi.yaml") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
}

/// The connecting peer's address when the context knows it, else one shared key for every client.
private func peerIP(_ context: some RequestContext) -> String {
    guard let address = (context as? any RemoteAddressRequestContext)?.remoteAddress else { return "unknown" }
    return address.ipAddress ?? "unknown"
}
