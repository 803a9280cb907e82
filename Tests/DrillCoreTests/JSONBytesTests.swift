import DrillCore
import Foundation
import Testing

/// The hand-written JSON pieces against Foundation's encoder and a plain byte comparison.
@Suite("JSON bytes")
struct JSONBytesTests {
    static func randomText(_ rng: inout SeededGenerator) -> String {
        let pool: [Character] = ["\"", "\\", "/", "\u{7F}", "\u{2028}", "张", "e\u{301}", "é", "🚒", "a", "b", " "]
            + (0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) }
        return String((0..<Int.random(in: 0...10, using: &rng)).map { _ in pool.randomElement(using: &rng)! })
    }

    @Test("a string is escaped exactly as JSONEncoder escapes it")
    func stringsMatchJSONEncoder() throws {
        var rng = SeededGenerator(seed: 20_261_203)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for _ in 0..<2_000 {
            let text = Self.randomText(&rng)
            var out: [UInt8] = []
            JSONBytes.appendString(text, to: &out)
            #expect(out == Array(try encoder.encode(text)), "\(text.unicodeScalars.map(\.value))")
        }
    }

    @Test("byte equality and byte order are those of the UTF-8 bytes, not of canonical equivalence")
    func byteComparisons() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            let a = Self.randomText(&rng)
            let b = Bool.random(using: &rng) ? a : Self.randomText(&rng)
            #expect(JSONBytes.sameBytes(a, b) == (Array(a.utf8) == Array(b.utf8)))
            #expect(JSONBytes.bytesPrecede(a, b) == Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)))
        }
        // A whole list sorted at once: the bytes' order, prefixes before their extensions,
        // canonically equal keys kept apart, every key kept.
        for _ in 0..<200 {
            var keys = (0..<Int.random(in: 0...40, using: &rng)).map { _ in Self.randomText(&rng) }
            keys += ["e\u{301}", "é", "ab", "a", "abc", ""].filter { _ in Bool.random(using: &rng) }
            let sorted = JSONBytes.sortedByBytes(keys)
            #expect(sorted.map { Array($0.utf8) } == keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        }
        #expect(
            JSONBytes.sortedByBytes(["b", "é", "a\u{301}", "á", "", "a"]).map { Array($0.utf8) }
                == ["", "a", "a\u{301}", "b", "á", "é"].map { Array($0.utf8) })
        // "é" precomposed and decomposed: equal as Strings, different bytes.
        #expect("e\u{301}" == "é")
        #expect(!JSONBytes.sameBytes("e\u{301}", "é"))
    }
}
