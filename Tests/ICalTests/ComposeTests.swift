import Testing

@testable import ICal

/// The pieces a build composes feeds from give exactly the bytes libical renders whole.
@Suite struct ComposeTests {
    @Test(arguments: [
        (0, Fixtures.dateTime(1970, 1, 1, 0, 0)), (1, Fixtures.dateTime(2026, 11, 29, 8, 0)),
        (17, Fixtures.dateTime(2027, 12, 31, 23, 59, 59)), (12345, Fixtures.dateTime(2030, 2, 28, 0, 0, 1)),
    ])
    func restampingGivesTheTextRenderingWouldGive(sequence: Int, stamp: ICalDateTime) throws {
        for base in [Fixtures.fullEvent, Fixtures.minimalEvent] {
            var neutral = base
            neutral.sequence = 0
            neutral.stamp = Fixtures.dateTime(1970, 1, 1, 0, 0)
            var final = base
            final.sequence = sequence
            final.stamp = stamp
            let neutralText = try ICalWriter.renderEvent(neutral)
            let restamped = try ICalWriter.restampedEvent(neutralText, sequence: sequence, stamp: stamp)
            let expected = Array(try ICalWriter.renderEvent(final).utf8)
            #expect(Array(restamped.utf8) == expected)
            // In place: on a text held only here, and on one shared with another variable, which
            // keeps its own bytes.
            var alone = try ICalWriter.renderEvent(neutral)
            try ICalWriter.restamp(&alone, sequence: sequence, stamp: stamp)
            #expect(Array(alone.utf8) == expected)
            let kept = neutralText
            var shared = kept
            try ICalWriter.restamp(&shared, sequence: sequence, stamp: stamp)
            #expect(Array(shared.utf8) == expected)
            #expect(Array(kept.utf8) == Array(neutralText.utf8))
            #expect(sequence == 0 || kept != shared)
        }
    }

    @Test func aRefusedRestampLeavesTheTextAsItWas() throws {
        let text = try ICalWriter.renderEvent(Fixtures.fullEvent)
        for (sequence, stamp) in [(-1, Fixtures.dateTime(2027, 1, 1, 0, 0)), (1, Fixtures.dateTime(2027, 2, 30, 0, 0))] {
            var copy = text
            #expect(throws: ICalError.self) { try ICalWriter.restamp(&copy, sequence: sequence, stamp: stamp) }
            #expect(Array(copy.utf8) == Array(text.utf8))
        }
        var plain = "BEGIN:VEVENT\r\nUID:x\r\nSEQUENCE:0\r\nEND:VEVENT\r\n"
        #expect(throws: ICalError.self) {
            try ICalWriter.restamp(&plain, sequence: 1, stamp: Fixtures.dateTime(2027, 1, 1, 0, 0))
        }
        #expect(plain == "BEGIN:VEVENT\r\nUID:x\r\nSEQUENCE:0\r\nEND:VEVENT\r\n")
    }

    @Test func restampingRefusesWhatRenderingRefuses() throws {
        let text = try ICalWriter.renderEvent(Fixtures.minimalEvent)
        #expect(throws: ICalError.self) {
            try ICalWriter.restampedEvent(text, sequence: -1, stamp: Fixtures.dateTime(2027, 1, 1, 0, 0))
        }
        #expect(throws: ICalError.self) {
            try ICalWriter.restampedEvent(text, sequence: 1, stamp: Fixtures.dateTime(2027, 2, 30, 0, 0))
        }
        #expect(throws: ICalError.self) {
            try ICalWriter.restampedEvent(
                "BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", sequence: 1,
                stamp: Fixtures.dateTime(2027, 1, 1, 0, 0))
        }
    }

    @Test(arguments: [
        "青山镇民兵训练", "x", String(repeating: "长", count: 40), String(repeating: "a", count: 62),
        String(repeating: "a", count: 63), String(repeating: "a", count: 200), "a,b;c:d\\e\"f'g^h",
        "🚒 " + String(repeating: "山水田林湖草沙", count: 5), "e\u{301}\u{200B}\u{2028}\u{FEFF}",
    ])
    func aSharedShellGivesTheBytesOfAWholeRender(name: String) throws {
        let events = [
            try ICalWriter.renderEvent(Fixtures.fullEvent), try ICalWriter.renderEvent(Fixtures.minimalEvent),
        ]
        let shell = try ICalCalendarShell(Fixtures.header, timeZones: ["Asia/Shanghai"])
        var header = Fixtures.header
        header.name = name
        for held in [[], events, [events[1]]] {
            let whole = try ICalWriter.renderCalendar(header, timeZones: ["Asia/Shanghai"], events: held)
            #expect(try shell.render(name: name, events: held) == whole)
        }
    }

    @Test func aSharedShellRefusesWhatAWholeRenderRefuses() throws {
        let shell = try ICalCalendarShell(Fixtures.header, timeZones: ["Asia/Shanghai"])
        #expect(throws: ICalError.self) { try shell.render(name: "a\r\nX-EVIL:1", events: []) }
        #expect(throws: ICalError.self) { try shell.render(name: "", events: []) }
        #expect(throws: ICalError.self) {
            try shell.render(name: "ok", events: ["BEGIN:VTODO\r\nEND:VTODO\r\n"])
        }
    }

    @Test func theFastControlScanAgreesWithTheUnicodeCategoryForEveryScalarItCovers() {
        // Every scalar up to U+3000 and a CJK/astral sample, alone and inside ASCII and CJK text.
        let scalars = (0..<0x3000).compactMap(Unicode.Scalar.init) + ["\u{4E2D}", "\u{20000}", "\u{1F692}"]
        for scalar in scalars {
            let isControl = scalar.properties.generalCategory == .control
            let isBreak = scalar == "\t" || scalar == "\n" || scalar == "\r"
            for text in [String(scalar), "ab" + String(scalar) + "c", "青山" + String(scalar) + "镇"] {
                #expect(
                    ValueCheck.mayHoldControl(text, allowingLineBreaks: false) == isControl, "\(scalar.value)"
                )
                #expect(
                    ValueCheck.mayHoldControl(text, allowingLineBreaks: true) == (isControl && !isBreak),
                    "\(scalar.value)")
            }
        }
    }
}
