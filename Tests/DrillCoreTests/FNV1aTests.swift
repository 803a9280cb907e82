import Testing

@testable import DrillCore

/// The content hash a manifest keeps for each event (FNV-1a, 64 bit): `FNV1a.hexes`, which hashes
/// four events side by side, must give exactly `FNV1a.hex`'s values, and those the published
/// FNV-1a test vectors, or every event of a rebuilt town would be re-sequenced.
@Suite struct FNV1aTests {
    @Test func publishedVectors() {
        #expect(FNV1a.hex("") == "cbf29ce484222325")
        #expect(FNV1a.hex("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex("foobar") == "85944171f73967e8")
        // The pair is hashed as its concatenation.
        #expect(FNV1a.hex("foo", "bar") == "85944171f73967e8")
        // Sixteen digits always, leading zeros kept.
        #expect(FNV1a.text(0) == "0000000000000000")
        #expect(FNV1a.text(0xab) == "00000000000000ab")
        #expect(FNV1a.text(0x0123_4567_89ab_cdef) == "0123456789abcdef")
        #expect(FNV1a.text(.max) == "ffffffffffffffff")
    }

    @Test(arguments: 0...12) func manyAtOnceEqualOneByOne(count: Int) {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("BEGIN:VEVENT\r\nSUMMARY:防汛演练 镇综合队\\,村队 😀\u{1}".unicodeScalars)
        func text() -> String {
            String(String.UnicodeScalarView((0..<Int.random(in: 0...300, using: &rng)).map { _ in
                alphabet.randomElement(using: &rng)!
            }))
        }
        let pairs = (0..<count).map { k in (text(), k % 3 == 0 ? "" : text()) }
        #expect(FNV1a.hexes(pairs) == pairs.map { FNV1a.hex($0.0, $0.1) })
        #expect(FNV1a.hexes(pairs).allSatisfy { $0.count == 16 })
    }

    /// Continuing a hash over the parts of a text, at any split, gives the hash of the whole (the
    /// region build hashes its inputs part by part this way).
    @Test func continuingOverPartsEqualsTheWhole() {
        let text = "BEGIN:VEVENT\r\nSUMMARY:防汛演练 😀"
        let bytes = Array(text.utf8)
        for split in 0...bytes.count {
            var h = bytes[..<split].withUnsafeBytes { FNV1a.continuing(FNV1a.offset, over: $0) }
            h = bytes[split...].withUnsafeBytes { FNV1a.continuing(h, over: $0) }
            #expect(FNV1a.text(h) == FNV1a.hex(text))
        }
        #expect(FNV1a.continuing(FNV1a.offset, over: "foobar") == 0x8594_4171_f739_67e8)
    }
}
