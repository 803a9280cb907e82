import DrillCore
import DrillStore
import Foundation
import Hummingbird
import Logging

/// Why a check-in API request was refused, as an HTTP status and a JSON body in Chinese and English:
/// `{"error": "csrf", "message": "…", "message_zh": "…", "message_en": "…"}`.
public struct CheckInError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// Machine-readable reason (`unauthenticated`, `csrf`, `origin`, `unknown_member`…).
    public var code: String
    /// The message, in both languages.
    public var message: LocalizedText
    /// The language the `message` field is given in.
    public var language: Language
    /// What went wrong inside, for the server log only (a store's own text may hold SQL); never
    /// put in the body.
    var logDetail: String?
    /// Seconds to wait, for a 429.
    var retryAfter: Int?

    /// Makes an error.
    public init(_ status: HTTPResponse.Status, code: String, message: LocalizedText, language: Language = .zh)
    {
        self.status = status
        self.code = code
        self.message = message
        self.language = language
    }

    /// A store's refusal: unknown session 404, finalized 409, a bad mark 422. A database failure or
    /// a database still busy after the wait is 503 with `Retry-After` and a fixed message plus the
    /// request id, so no SQL or stored text reaches a phone; the detail goes to the log.
    public init(_ error: StoreError, language: Language) {
        if error.isDatabaseFailure {
            self.init(
                .serviceUnavailable, code: "busy",
                message: LocalizedText(
                    zh: "网络或服务器繁忙，稍后自动重试", en: "network or server busy; retrying automatically"),
                language: language)
            logDetail = error.description
            return
        }
        let status: HTTPResponse.Status
        let code: String
        switch error {
        case .unknownSession: (status, code) = (.notFound, "unknown_session")
        case .unknownMember: (status, code) = (.unprocessableContent, "unknown_member")
        case .duplicateMark: (status, code) = (.unprocessableContent, "duplicate_mark")
        case .finalized: (status, code) = (.conflict, "finalized")
        case .notFinalized: (status, code) = (.conflict, "not_finalized")
        case .invalid: (status, code) = (.unprocessableContent, "invalid")
        case .database, .busy: (status, code) = (.serviceUnavailable, "busy")
        }
        self.init(
            status, code: code, message: LocalizedText(zh: error.message(.zh), en: error.message(.en)),
            language: language)
    }

    public var description: String { "\(status.code) \(code): \(message.en)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: String] = [
            "error": code, "message": message.text(language), "message_zh": message.zh,
            "message_en": message.en,
        ]
        if status.code >= 500 {
            let requestID = context.logger[metadataKey: "hb.request.id"]?.description ?? "-"
            body["request_id"] = requestID
            body["message"] =
                (body["message"] ?? "") + language.pick("（请求编号 \(requestID)）", " (request \(requestID))")
            // The detail is a store's description: SQL text and SQLite's words, no bound values
            // (GRDB hides statement arguments), so no personal data reaches the log either.
            context.logger.error("check-in store failure", metadata: ["error": "\(logDetail ?? description)"])
        }
        var response = try JSONBody.response(body, status: status)
        if status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer realm=\"drillcal\""
        }
        if status == .serviceUnavailable || status == .tooManyRequests {
            response.headers[.retryAfter] = status == .serviceUnavailable ? "2" : "\(retryAfter ?? 60)"
        }
        return response
    }

    static func unauthenticated(_ l: Language) -> CheckInError {
        CheckInError(
            .unauthorized, code: "unauthenticated",
            message: LocalizedText(
                zh: "请先输入带队签到码登录，或使用 Authorization: Bearer <签到码>",
                en: "log in with the drill-leader code first, or send Authorization: Bearer <code>"),
            language: l)
    }

    /// Marks for a session that has not started yet (409 `not_started`).
    static func notStarted(_ l: Language, when: String) -> CheckInError {
        CheckInError(
            .conflict, code: "not_started",
            message: LocalizedText(
                zh: "活动尚未开始（\(when)），开始后才能签到", en: "the session has not started (\(when)); marks open once it starts"),
            language: l)
    }

    static func wrongSession(_ l: Language) -> CheckInError {
        CheckInError(
            .forbidden, code: "wrong_session",
            message: LocalizedText(zh: "该签到码不能用于这场活动", en: "this code does not open this session"),
            language: l)
    }

    static func csrf(_ l: Language) -> CheckInError {
        CheckInError(
            .forbidden, code: "csrf",
            message: LocalizedText(
                zh: "缺少或错误的 X-CSRF-Token 请求头，请刷新页面",
                en: "missing or wrong X-CSRF-Token header; reload the page"),
            language: l)
    }

    static func origin(_ l: Language) -> CheckInError {
        CheckInError(
            .forbidden, code: "origin",
            message: LocalizedText(
                zh: "请求来源（Origin/Referer）不是本站，已拒绝", en: "the request's Origin/Referer is not this site"),
            language: l)
    }

    static func tooManyAttempts(_ l: Language, retryAfter seconds: Double = 60) -> CheckInError {
        let wait = max(1, Int(seconds.rounded(.up)))
        let zh = wait >= 120 ? "\(wait / 60) 分钟" : "\(wait) 秒"
        let en = wait >= 120 ? "\(wait / 60) minutes" : "\(wait) seconds"
        var error = CheckInError(
            .tooManyRequests, code: "too_many_attempts",
            message: LocalizedText(
                zh: "错误次数过多，请 \(zh) 后再试", en: "too many wrong attempts; try again in \(en)"),
            language: l)
        error.retryAfter = wait
        return error
    }

    static func oldCode(_ l: Language) -> CheckInError {
        CheckInError(
            .unauthorized, code: "old_code",
            message: LocalizedText(
                zh: "这是旧格式（8 位）的签到码，已于升级时作废。请联系镇应急办重新发放 12 位签到码（drillcal code issue）",
                en:
                    "this is an old 8-character code, revoked at the upgrade; ask the town office for a new 12-character code (drillcal code issue)"
            ),
            language: l)
    }

    static func badRequest(_ l: Language, zh: String, en: String) -> CheckInError {
        CheckInError(.badRequest, code: "bad_request", message: LocalizedText(zh: zh, en: en), language: l)
    }
}

/// JSON responses with sorted keys, whatever encoder the app's request context uses.
enum JSONBody {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        response(bytes: try encode(value), status: status)
    }

    /// A response of JSON already encoded.
    static func response(bytes: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
