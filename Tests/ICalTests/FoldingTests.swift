import Foundation
import FeedLint
@testable import ICal
import Testing

/// Every length of every kind of value folds cleanly. libical 3.0.16 folds a property together
/// with its own CRLF: a last piece of 73 octets came out as `…\r\r\n \n`, one of 74 as `…\r\n \r\n`.
@Suite struct FoldingTests {
    static let alphabets = ["a", "é", "青", "𠀀", "👩‍🚒", "a青", "a;b:c,d\\e\"f"]

    @Test(arguments: alphabets)
    func everyLengthFoldsCleanlyAndRoundTrips(piece: String) throws {
        for count in 1...90 {
            let text = String(repeating: piece, count: count)
            var event = Fixtures.fullEvent
            event.summary = text
            event.description = text + "\n" + text
            event.location = text
            event.organizer = ICalOrganizer(name: text, address: "urn:drillcal:qingshan:officer:o01")
            event.attendees = [
                ICalAttendee(name: text, address: "urn:drillcal:qingshan:member:m001", role: "CHAIR")
            ]
            event.alarms = [ICalAlarm(minutesBefore: 60, description: "提醒：" + text)]
            let calendar = try Fixtures.calendar([event])
            let faults = FeedLint.faults(calendar)
            #expect(faults.isEmpty, "\(piece) × \(count): \(faults.prefix(3))")
            let parsed = try #require(try ICalParser.parse(calendar, source: "fold.ics").events.first)
            #expect(parsed.summary == text)
            #expect(parsed.description == text + "\n" + text)
            #expect(parsed.location == text)
            #expect(parsed.organizer?.name == text)
            #expect(parsed.attendees.first?.name == text)
        }
    }

    @Test func linesUseTheWholeSeventyFiveOctets() throws {
        var event = Fixtures.minimalEvent
        event.summary = String(repeating: "x", count: 300)
        let text = try ICalWriter.renderEvent(event)
        let lines = text.utf8.split(separator: 0x0A).map { $0.count - 1 }  // without CR
        #expect(lines.max() == 75)
        #expect(
            text.contains(
                "\r\nSUMMARY:" + String(repeating: "x", count: 67) + "\r\n "
                    + String(repeating: "x", count: 74) + "\r\n "))
    }

    @Test func tabsInTextBecomeSpaces() throws {
        var event = Fixtures.minimalEvent
        event.summary = "集合\t地点"
        event.attendees = [
            ICalAttendee(name: "张\t三", address: "urn:drillcal:qingshan:member:m001", role: "CHAIR")
        ]
        let calendar = try Fixtures.calendar([event])
        #expect(FeedLint.faults(calendar).isEmpty)
        let parsed = try #require(try ICalParser.parse(calendar, source: "tab.ics").events.first)
        #expect(parsed.summary == "集合 地点")
        #expect(parsed.attendees.first?.name == "张 三")
    }

    @Test func theLexicalReaderCatchesWhatLibicalOnceWrote() {
        let broken = "BEGIN:VCALENDAR\r\nDESCRIPTION:\r\n 提醒\r\r\n \nEND:VCALENDAR\r\n"
        #expect(!FeedLint.faults(broken).isEmpty)
        let emptyContinuation = "BEGIN:VCALENDAR\r\nDESCRIPTION:x\r\n \r\nEND:VCALENDAR\r\n"
        #expect(FeedLint.faults(emptyContinuation).map(\.problem).contains("empty continuation line"))
        // 青 is E9 9D 92: a fold between 9D and 92 leaves neither line valid UTF-8 on its own.
        let splitCharacter =
            Array("BEGIN:VCALENDAR\r\nX-A:".utf8) + [0xE9, 0x9D, 0x0D, 0x0A, 0x20, 0x92]
            + Array("\r\nEND:VCALENDAR\r\n".utf8)
        #expect(FeedLint.faults(splitCharacter).count == 2)
        let clean = "BEGIN:VCALENDAR\r\nX-A:青\r\n 山\r\nEND:VCALENDAR\r\n"
        #expect(FeedLint.faults(clean).isEmpty)
    }
}

/// `ContentLines.refold` reads libical's buffer in one pass; it must give what unfolding every
/// `CR LF SPACE` and then splitting at CRLF gives, libical's own folding faults included.
@Suite struct RefoldTests {
    @Test func libicalsFoldsAreUndoneAndTheLineFoldedOnce() throws {
        let value = String(repeating: "青山镇应急", count: 12)  // 180 octets
        // libical's split of the same logical line at other places than ours, CRs left inside.
        let libical = "SUMMARY:" + value.prefix(20) + "\r\n " + value.dropFirst(20) + "\r\nUID:a\r\n"
        let refolded = try ContentLines.refold(libical)
        #expect(ContentLines.fault(in: refolded) == nil)
        #expect(refolded.replacingOccurrences(of: "\r\n ", with: "") == "SUMMARY:\(value)\r\nUID:a\r\n")
        #expect(refolded.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
    }

    @Test func aLineEndSplitByAFoldIsOneLineEnd() throws {
        // libical 3.0's fault: the CR and LF of a line end on either side of a fold (`…\r`, `\r\n `, `\n`).
        #expect(try ContentLines.refold("X-A:abc\r\r\n \nX-B:d\r\n") == "X-A:abc\r\nX-B:d\r\n")
        // and an empty continuation (`\r\n \r\n`).
        #expect(try ContentLines.refold("X-A:abc\r\n \r\nX-B:d\r\n") == "X-A:abc\r\nX-B:d\r\n")
    }

    @Test("random texts: the one-pass refold agrees with unfolding, splitting at CRLF and folding each line")
    func agreesWithTheDefinition() throws {
        // Knuth's MMIX linear congruential generator, high bits: deterministic texts.
        var state: UInt64 = 5545
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let pieces = ["a", "b", "青", "\r", "\n", " ", "\r\n", "\r\n ", "X-A:", String(repeating: "x", count: 80)]
        var successes = 0
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<next() % 24 { text += pieces[next() % pieces.count] }
            if next() % 2 == 0 { text += "\r\n" }
            let expected = Self.definition(text)
            let actual = try? ContentLines.refold(text)
            #expect(actual == expected, "\(text.debugDescription)")
            if expected != nil { successes += 1 }
        }
        #expect(successes > 150, "enough valid texts among the random ones: \(successes)")
    }

    /// The refold by its definition: remove every `CR LF SPACE`; split at LF, each piece but the
    /// last ending in CR (the last empty); each line non-empty, without controls, folded alone.
    static func definition(_ text: String) -> String? {
        let unfolded = Array(text.replacingOccurrences(of: "\r\n ", with: "").utf8)
        var pieces = unfolded.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard pieces.removeLast().isEmpty else { return nil }
        var output: [UInt8] = []
        for piece in pieces {
            guard piece.last == 0x0D else { return nil }
            guard (try? ContentLines.fold(piece.dropLast(), into: &output)) != nil else { return nil }
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func faultsAreNamed() {
        #expect(throws: ICalError.self) { try ContentLines.refold("X-A:abc\nX-B:d\r\n") }  // bare LF
        #expect(throws: ICalError.self) { try ContentLines.refold("X-A:abc\r\nX-B:d") }  // no CRLF at the end
        #expect(throws: ICalError.self) { try ContentLines.refold("X-A:a\rb\r\n") }  // CR inside a line
        #expect(throws: ICalError.self) { try ContentLines.refold("\r\nX-B:d\r\n") }  // empty line
        #expect((try? ContentLines.refold("")) == "")
    }
}

