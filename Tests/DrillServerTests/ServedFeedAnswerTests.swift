import HTTPTypes
import Testing

@testable import DrillServer

/// `ServedFeed.answer` reads the request's conditional and encoding fields in one pass; these
/// pin what that pass must keep: repeated fields joined as `HTTPFields` joins them, tokens
/// without regard to case, q=0 refusals, If-None-Match over If-Modified-Since.
@Suite("Served feed answers")
struct ServedFeedAnswerTests {
    static let modified = 1_764_547_200  // 2025-12-01T00:00:00Z
    static let feed = try! ServedFeed(
        name: "town.ics", text: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", visibility: .public, lastModified: modified)

    static func answer(_ fields: [(String, String)], method: HTTPRequest.Method = .get) -> ServedFeed.Answer {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return feed.answer(method: method, headers: headers)
    }

    @Test("the tag is found in a second If-None-Match field, and in a list, weak or strong")
    func repeatedValidators() {
        let tag = Self.feed.etag
        #expect(Self.answer([("If-None-Match", tag)]).status == .notModified)
        #expect(Self.answer([("If-None-Match", "\"other\""), ("If-None-Match", tag)]).status == .notModified)
        #expect(Self.answer([("If-None-Match", "\"a\", W/\(tag)")]).status == .notModified)
        #expect(Self.answer([("If-None-Match", Self.feed.gzipETag)]).status == .notModified)
        #expect(Self.answer([("If-None-Match", "*")]).status == .notModified)
        #expect(Self.answer([("If-None-Match", "\"a\""), ("If-None-Match", "\"b\"")]).status == .ok)
        #expect(Self.answer([("If-None-Match", String(tag.dropLast()))]).status == .ok, "a prefix of the tag")
    }

    @Test("If-None-Match wins over If-Modified-Since; If-Modified-Since alone compares times")
    func validatorOrder() {
        let date = HTTPDate.format(Self.modified)
        #expect(Self.answer([("If-Modified-Since", date)]).status == .notModified)
        #expect(Self.answer([("If-Modified-Since", HTTPDate.format(Self.modified - 1))]).status == .ok)
        #expect(Self.answer([("If-None-Match", "\"0000\""), ("If-Modified-Since", date)]).status == .ok)
    }

    @Test("gzip is chosen whatever the case of the coding, from a second field too, and not at q=0")
    func encodings() {
        func gzipped(_ fields: [(String, String)]) -> Bool {
            Self.answer(fields).headers[.contentEncoding] == "gzip"
        }
        #expect(gzipped([("Accept-Encoding", "gzip")]))
        #expect(gzipped([("Accept-Encoding", "GZip")]))
        #expect(gzipped([("Accept-Encoding", "br, X-GZIP;q=0.5")]))
        #expect(gzipped([("Accept-Encoding", "br"), ("Accept-Encoding", "gzip")]))
        #expect(gzipped([("Accept-Encoding", "*")]))
        #expect(!gzipped([("Accept-Encoding", "gzip;q=0")]))
        #expect(!gzipped([("Accept-Encoding", "identity")]))
        #expect(!gzipped([("Accept-Encoding", "gzipx")]))
        #expect(!gzipped([]))
        let packed = Self.answer([("Accept-Encoding", "gzip")])
        #expect(packed.body == Self.feed.gzipped)
        #expect(Self.answer([("Accept-Encoding", "gzip"), ("If-None-Match", Self.feed.gzipETag)]).status == .notModified)
    }
}
