import HTTPTypes
import Hummingbird

/// Fixed answers shared by every route.
enum Responses {
    /// The one 404: the same bytes for an unknown town, feed, route, or an unknown or revoked
    /// token, so nothing can be learnt from which it was.
    static func notFound() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .notFound, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Not Found\n")))
    }

    /// 429 with Retry-After in whole seconds.
    static func tooManyRequests(retryAfter seconds: Double) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.retryAfter] = String(Int(seconds.rounded(.up)))
        headers[.cacheControl] = "no-store"
        return Response(
            status: .tooManyRequests, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Too Many Requests\n")))
    }

    /// 503 when the store cannot answer.
    static func unavailable() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        headers[.retryAfter] = "30"
        return Response(
            status: .serviceUnavailable, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: "Service Unavailable\n")))
    }

    /// `GET /healthz`.
    static func health() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    /// An HTML page.
    static func html(_ text: String) -> Response { html(ByteBuffer(string: text)) }

    /// An HTML page already rendered (a shared buffer: no copy per request).
    static func html(_ page: ByteBuffer) -> Response {
        Response(status: .ok, headers: htmlFields, body: ResponseBody(byteBuffer: page))
    }

    /// The headers of an HTML page (`html`), also sent by `FeedFastPath` for the index page.
    static var htmlFields: HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return headers
    }
}
