import HTTPTypes
import Hummingbird
import NIOHTTP1

extension ServedFeed {
    /// The answer to a GET or HEAD of this feed: 304 when the client's copy is current
    /// (If-None-Match, else If-Modified-Since), the gzip form when the client accepts it, no body
    /// for HEAD. Everything but the header checks was prepared when the feed was loaded.
    func response(to request: Request) -> Response {
        let answer = answer(method: request.method, headers: request.headers)
        return Response(
            status: answer.status, headers: answer.headers,
            body: answer.body.map { ResponseBody(byteBuffer: $0) } ?? ResponseBody())
    }

    /// The status, headers and body (nil: none) of `response(to:)`, for the router and for the
    /// event-loop fast path (`FeedFastPath`) alike.
    func answer(method: HTTPRequest.Method, headers request: HTTPFields) -> Answer {
        answer(method: method, conditions: Conditions(request))
    }

    /// `answer(method:headers:)` with the request's fields already picked.
    func answer(method: HTTPRequest.Method, conditions: Conditions) -> Answer {
        let gzip = Self.acceptsGzip(conditions.acceptEncoding)
        let headers = gzip ? gzipHeaders : plainHeaders
        if isCurrent(conditions) {
            return Answer(
                status: .notModified, headers: gzip ? gzip304 : plain304, body: nil,
                wireHead: gzip ? wireHeads.notModifiedGzip : wireHeads.notModified)
        }
        let wireHead = gzip ? wireHeads.okGzip : wireHeads.ok
        if method == .head { return Answer(status: .ok, headers: headers, body: nil, wireHead: wireHead) }
        return Answer(status: .ok, headers: headers, body: gzip ? gzipped : bytes, wireHead: wireHead)
    }

    /// See `answer(method:headers:)`.
    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: ByteBuffer?
        /// The status line and `headers` as HTTP/1.1 bytes, without the blank line that ends them
        /// (prepared with the feed): what `FeedFastPath` sends.
        let wireHead: ByteBuffer
    }

    /// Whether the client's cached copy is this version. If-None-Match wins over If-Modified-Since
    /// (RFC 9110 §13.2.2); either representation's tag matches, weak or strong, since both carry
    /// the same content.
    func isCurrent(_ headers: HTTPFields) -> Bool {
        isCurrent(Conditions(headers))
    }

    /// The request fields `answer` reads, found in one pass over the request's fields (three
    /// subscript lookups each walked them all and joined repeated fields into a new string; on the
    /// 304 path that was a tenth of the server's CPU). Repeated fields are joined with ", " as
    /// `HTTPFields`' subscript does.
    struct Conditions {
        var acceptEncoding: String?
        var ifNoneMatch: String?
        var ifModifiedSince: String?

        init(_ fields: HTTPFields) {
            for field in fields {
                switch field.name {
                case .acceptEncoding: Self.join(&acceptEncoding, field.value)
                case .ifNoneMatch: Self.join(&ifNoneMatch, field.value)
                case .ifModifiedSince: Self.join(&ifModifiedSince, field.value)
                default: continue
                }
            }
        }

        /// The same from NIO's HTTP/1 fields (`FeedFastPath`, below the conversion to HTTP types),
        /// whose names keep the client's case.
        init(_ headers: HTTPHeaders) {
            for (name, value) in headers {
                switch name.utf8.count {
                case 15 where name.equalsIgnoringASCIICase("accept-encoding"): Self.join(&acceptEncoding, value)
                case 13 where name.equalsIgnoringASCIICase("if-none-match"): Self.join(&ifNoneMatch, value)
                case 17 where name.equalsIgnoringASCIICase("if-modified-since"): Self.join(&ifModifiedSince, value)
                default: continue
                }
            }
        }

        private static func join(_ slot: inout String?, _ value: String) {
            if let old = slot { slot = old + ", " + value } else { slot = value }
        }
    }

    private func isCurrent(_ conditions: Conditions) -> Bool {
        if let match = conditions.ifNoneMatch {
            // What a client nearly always sends: the one tag it was given.
            if match == etag || match == gzipETag { return true }
            for candidate in match.split(separator: ",") {
                var tag = candidate.trimmingSpaces
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
                if tag == etag || tag == gzipETag { return true }
            }
            return false
        }
        if let since = conditions.ifModifiedSince, let seconds = HTTPDate.parse(since.trimmingSpaces) {
            return lastModified <= seconds
        }
        return false
    }

    /// Whether an Accept-Encoding value admits gzip (`gzip`, `x-gzip` or `*`, with q above 0).
    static func acceptsGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        if value == "gzip" { return true }  // the common case, without splitting
        for item in value.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let coding = parts.first?.trimmingSpaces,
                coding.equalsIgnoringASCIICase("gzip") || coding.equalsIgnoringASCIICase("x-gzip") || coding == "*"
            else { continue }
            let refused = parts.dropFirst().contains { parameter in
                let p = parameter.trimmingSpaces.lowercased()
                guard p.hasPrefix("q=") else { return false }
                return (Double(p.dropFirst(2)) ?? 1) <= 0
            }
            if !refused { return true }
        }
        return false
    }
}

extension StringProtocol {
    /// Whether this is `other` up to the case of ASCII letters (HTTP tokens are case-insensitive).
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5a ? c | 0x20 : c }
        // Over both texts' bytes in place when they are contiguous (native strings and their
        // substrings): comparing through `zip` of the two views was 1 % of a 304's CPU.
        var other = other
        let contiguous = other.withUTF8 { theirs in
            utf8.withContiguousStorageIfAvailable { mine in
                for i in 0..<mine.count where lower(mine[i]) != lower(theirs[i]) { return false }
                return true
            }
        }
        return contiguous ?? zip(utf8, other.utf8).allSatisfy { lower($0) == lower($1) }
    }

    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingSpaces: SubSequence {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}
