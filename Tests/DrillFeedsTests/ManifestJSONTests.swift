import Foundation
import Testing

@testable import DrillFeeds

/// `FeedManifest.jsonBytes()` writes `manifest.json` by hand for speed; it must be byte for byte what
/// `JSONEncoder` writes with the options drillcal always used, and read back equal.
@Suite struct ManifestJSONTests {
    func encoded(_ manifest: FeedManifest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(manifest))
    }

    /// Text from pieces a manifest can hold and the ones JSON must escape: quotes, backslashes,
    /// slashes, every C0 control, DEL, U+2028, accents composed and not, CJK and emoji.
    func text(_ rng: inout SeededRandom) -> String {
        let pieces = [
            "a", "Z", "0", "-", "@", "town.ics", "member-v0m1.ics", "\"", "\\", "/", "\u{7F}", "\u{2028}",
            "é", "e\u{301}", "ä", "中", "青山镇", "防汛演练", "😀", " ", "\t", "\n", "\r", "\u{8}", "\u{C}",
        ]
        var s = ""
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            if Int.random(in: 0..<6, using: &rng) == 0 {
                s.unicodeScalars.append(Unicode.Scalar(UInt8.random(in: 0..<0x20, using: &rng)))
            } else {
                s += pieces.randomElement(using: &rng)!
            }
        }
        return s
    }

    func manifest(seed: UInt64) -> FeedManifest {
        var rng = SeededRandom(seed: seed)
        var m = FeedManifest()
        m.version = Int.random(in: 0...3, using: &rng)
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            let feeds = (0..<Int.random(in: 0...4, using: &rng)).map { _ in text(&rng) }
            m.events[text(&rng) + "@drillcal"] = FeedManifest.Entry(
                sequence: Int.random(in: -2...40, using: &rng), contentHash: text(&rng), stamp: text(&rng),
                feeds: feeds, cancelledAt: Bool.random(using: &rng) ? text(&rng) : nil, summary: text(&rng),
                start: text(&rng), end: text(&rng), location: Bool.random(using: &rng) ? text(&rng) : nil)
        }
        return m
    }

    @Test(arguments: 1...200) func sameBytesAsJSONEncoder(seed: UInt64) throws {
        let m = manifest(seed: seed)
        let bytes = m.jsonBytes()
        #expect(bytes == (try encoded(m)), "\(String(decoding: bytes, as: UTF8.self))")
        #expect(try JSONDecoder().decode(FeedManifest.self, from: Data(bytes)) == m)
    }

    @Test func anEmptyManifestAndAnEventWithoutFeeds() throws {
        let empty = FeedManifest()
        #expect(empty.jsonBytes() == (try encoded(empty)))
        var one = FeedManifest()
        one.events["u@drillcal"] = FeedManifest.Entry(
            sequence: 0, contentHash: "9dc611fb4f0f4e41", stamp: "20261129T000000Z", feeds: [], cancelledAt: nil,
            summary: "防汛演练", start: "20270306T090000", end: "20270306T120000", location: nil)
        #expect(one.jsonBytes() == (try encoded(one)))
        #expect(
            String(decoding: one.jsonBytes(), as: UTF8.self).contains("\"feeds\" : [\n\n      ],\n"))
    }
}
