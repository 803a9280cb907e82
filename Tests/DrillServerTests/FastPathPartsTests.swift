import NIOHTTP1
import Testing

@testable import DrillServer

/// The small parts the feed fast path uses instead of general ones (each replaced a cost seen in a
/// 304's profile), held to what the general ones gave.
@Suite("Fast path parts")
struct FastPathPartsTests {
    @Test("request ids: 32 lowercase hex digits, the same in the head, the log and the text, never repeated")
    func requestIDs() {
        let ids = (0..<1_000).map { _ in FastRequestID() }
        let texts = ids.map(\.description)
        for (id, text) in zip(ids, texts) {
            #expect(text.utf8.count == 32)
            #expect(text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }, "\(text)")
            #expect(id.withDigits { Array($0) } == Array(text.utf8))
            // The counter is the last 16 digits, as in Hummingbird's ids.
            #expect(UInt64(text.suffix(16), radix: 16) == id.low)
        }
        #expect(Set(texts).count == texts.count)
        // One process-wide random part.
        #expect(Set(texts.map { $0.prefix(16) }).count == 1)
        // Consecutive ids count up by one (wrapping).
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $1.low == $0.low &+ 1 })
    }

    @Test("Connection: close exactly as the router reads it (fields joined, compared whole)")
    func connectionClose() {
        func closes(_ fields: [(String, String)]) -> Bool {
            let headers = HTTPHeaders(fields)
            let router = headers["connection"].joined(separator: ", ") == "close"
            let fast = FeedFastPath.asksToClose(headers)
            #expect(fast == router, "\(fields)")
            return fast
        }
        #expect(closes([("Connection", "close")]))
        #expect(closes([("connection", "close")]))
        #expect(closes([("CONNECTION", "close")]))
        #expect(closes([("Host", "t"), ("Connection", "close"), ("Accept", "*/*")]))
        #expect(!closes([]))
        #expect(!closes([("Connection", "keep-alive")]))
        #expect(!closes([("Connection", "Close")]))
        #expect(!closes([("Connection", "close"), ("Connection", "close")]))
        #expect(!closes([("Connection", ""), ("Connection", "close")]))
        #expect(!closes([("Connection", "close, upgrade")]))
        #expect(!closes([("Connectio", "close"), ("Connections", "close")]))
    }

    @Test("names compared without regard to ASCII case, in place or through the views")
    func caseInsensitive() {
        #expect("Accept-Encoding".equalsIgnoringASCIICase("accept-encoding"))
        #expect("IF-NONE-MATCH".equalsIgnoringASCIICase("if-none-match"))
        #expect(!"if-none-matcH2".equalsIgnoringASCIICase("if-none-match"))
        #expect(!"if-none-matc".equalsIgnoringASCIICase("if-none-match"))
        #expect(!"if-none-mbtch".equalsIgnoringASCIICase("if-none-match"))
        // Only ASCII letters fold: "[" is not "{" though they differ by the same bit.
        #expect(!"[".equalsIgnoringASCIICase("{"))
        #expect(!"É".equalsIgnoringASCIICase("é"))
        // Substrings (a coding cut out of a list) and a string that is not native UTF-8.
        let list = "deflate, GZip;q=1"
        let coding = list.split(separator: ",")[1].split(separator: ";")[0].dropFirst()
        #expect(coding.equalsIgnoringASCIICase("gzip"))
        #expect(!coding.equalsIgnoringASCIICase("gzi"))
        let lazy = String(decoding: Array("X-GZIP".utf16), as: UTF16.self)
        #expect(lazy.equalsIgnoringASCIICase("x-gzip"))
    }
}
