import FeedLint
import Testing

/// The strict RFC 5545 §3.1 reader the feed tests rely on: it must pass a well-formed calendar and
/// name the line of each kind of fault, or the tests that use it would prove nothing.
@Suite("FeedLint")
struct FeedLintTests {
    static func calendar(_ body: [String]) -> String {
        (["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"] + body + ["END:VCALENDAR"])
            .map { $0 + "\r\n" }.joined()
    }

    @Test("a well-formed calendar with a folded multi-byte line has no faults")
    func clean() {
        // 74 octets of text after "SUMMARY:", folded after a whole character (3 octets each).
        let text = Self.calendar([
            "BEGIN:VEVENT", "UID:a@test", "SUMMARY:" + String(repeating: "练", count: 22),
            " " + String(repeating: "练", count: 5), "END:VEVENT",
        ])
        #expect(FeedLint.faults(text) == [])
    }

    @Test("each fault is found on its own line")
    func faults() {
        let long = "SUMMARY:" + String(repeating: "x", count: 70)  // 78 octets
        #expect(FeedLint.faults(Self.calendar(["BEGIN:VEVENT", long, "END:VEVENT"])).map(\.line) == [5])
        #expect(FeedLint.faults(Self.calendar(["SUMMARY:a\u{1}b"])).first?.problem.contains("0x1") == true)
        #expect(FeedLint.faults(Self.calendar(["SUMMARY:a\nb"])).map(\.line) == [4])
        // A fold that splits a three-octet character leaves invalid UTF-8 on both lines.
        let split = Array("SUMMARY:练".utf8)
        var bytes = Array(Self.calendar([]).utf8.dropLast("END:VCALENDAR\r\n".utf8.count))
        bytes += split.dropLast(1) + Array("\r\n ".utf8) + split.suffix(1) + Array("\r\nEND:VCALENDAR\r\n".utf8)
        #expect(FeedLint.faults(bytes).contains { $0.problem.contains("UTF-8") })
        #expect(FeedLint.faults("BEGIN:VCALENDAR\r\nEND:VCALENDAR").map(\.problem) == ["the file does not end with CRLF"])
        #expect(FeedLint.faults(Self.calendar(["BEGIN:VEVENT"])).contains { $0.problem.hasPrefix("END:VCALENDAR does not close") || $0.problem.hasPrefix("unclosed") })
    }
}
