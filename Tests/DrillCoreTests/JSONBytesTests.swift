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
        // "é" precomposed and decomposed: equal as Strings, different bytes.
        #expect("e\u{301}" == "é")
        #expect(!JSONBytes.sameBytes("e\u{301}", "é"))
    }
}
