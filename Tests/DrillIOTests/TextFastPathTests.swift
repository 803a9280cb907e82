import DrillCore
import Testing

@testable import DrillIO

/// The byte-level fast paths of roster reading (trimming, list splitting, line counting, the
/// spreadsheet-number check) give exactly what the Character-level forms they shortcut give, on
/// random text mixing ASCII with the characters that make those forms differ: CRLF, the ideographic
/// space, no-break space, a combining mark, a prepended Arabic sign, full-width separators.
struct TextFastPathTests {
    private static let pieces = [
        "a", "Z", "7", "-", " ", " ", "\t", "\r\n", "\n", "\r", ";", ",", "e", "E", "+", ".", "\u{3000}", "\u{A0}",
        "\u{301}", "\u{0600}", "村", "；", "、", "，", "ｅ",
    ]
    private static let asciiPieces = pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }

    /// 4,000 random texts, half of them ASCII only (the fast paths' case).
    private static func texts() -> [String] {
        var rng = SeededGenerator(seed: 20_261_203)
        return (0..<4000).map { i in
            let from = i.isMultiple(of: 2) ? asciiPieces : pieces
            return (0..<Int.random(in: 0...9, using: &rng)).map { _ in from.randomElement(using: &rng)! }.joined()
        }
    }

    /// The Character-level trimming the fast path shortcuts.
    private static func referenceTrim(_ text: some StringProtocol) -> String {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }

    @Test func trimmingMatchesTheCharacterForm() {
        var untouched = 0
        for text in Self.texts() {
            #expect(text.trimmedSpace == Self.referenceTrim(text), "\(Array(text.unicodeScalars))")
            if Self.referenceTrim(text) == text { untouched += 1 }
        }
        #expect(untouched > 500, "the texts exercise the no-trim shortcut")
    }

    @Test func splittingListsMatchesTheCharacterForm() {
        for separators in [ValueSyntax.listSeparators, ValueSyntax.periodSeparators] {
            var items = 0
            for text in Self.texts() {
                let reference = text.split(whereSeparator: { separators.characters.contains($0) })
                    .map { Self.referenceTrim($0) }.filter { !$0.isEmpty }
                #expect(ValueSyntax.splitList(text, separators: separators) == reference, "\(Array(text.unicodeScalars))")
                items += reference.count
            }
            #expect(items > 2000)
        }
        #expect(ValueSyntax.listSeparators.ascii.sorted() == [UInt8(ascii: ","), UInt8(ascii: ";")])
        #expect(ValueSyntax.periodSeparators.ascii == [UInt8(ascii: ";")])
    }

    @Test func lineBreaksMatchTheCharacterCount() {
        let texts = Self.texts()
        var total = 0
        for start in stride(from: 0, to: texts.count - 3, by: 3) {
            let row = Array(texts[start..<start + 3])
            let reference = row.reduce(0) {
                $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r" || $1 == "\r\n" ? $0 + 1 : $0 }
            }
            #expect(CSVTable<RosterColumn>.lineBreaks(in: row) == reference, "\(row)")
            total += reference
        }
        #expect(total > 1000)
    }

    /// Checked against a regular expression of what a spreadsheet shows for a long number: digits,
    /// an optional fraction, `E` or `e`, an optional sign, digits.
    @Test func spreadsheetNumbersMatchTheirPattern() throws {
        let pattern = try Regex("[0-9]+(\\.[0-9]+)?[Ee][+-]?[0-9]+")
        func reference(_ text: String) -> Bool { text.wholeMatch(of: pattern) != nil }
        var rng = SeededGenerator(seed: 7)
        let alphabet = ["1", "3", "9", "0", ".", "e", "E", "+", "-", "ｅ", " ", "x"]
        var numbers = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 1...7, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                .joined()
            #expect(ValueSyntax.isScientificNumber(text) == reference(text), "\(text)")
            if reference(text) { numbers += 1 }
        }
        #expect(ValueSyntax.isScientificNumber("1.39707E+10") && ValueSyntax.isScientificNumber("1.39707e+10"))
        #expect(numbers > 50)
    }
}
