import DrillCore
@testable import ICal
import Testing

/// The direct event writer against libical's serialiser, byte for byte: random events whose every
/// value mixes the characters each escaping rule names with CJK, emoji and lengths that fold.
@Suite struct EventTextTests {
    /// DrillCore's SplitMix64, so a failing case can be rebuilt from its seed.
    typealias Seeded = SeededGenerator

    /// Pieces of TEXT values: every character an escaping rule names, line breaks in all three
    /// forms, tabs, quotes, and text of every UTF-8 length, some long enough to fold mid-character.
    static let textPieces = [
        "\\", ";", ",", ":", "\"", "^", "^n", "^^", "'", "\n", "\r\n", "\r", "\t", " ", "  ", "a", "Zhang",
        "张", "王小明", "é", "e\u{301}", "🚒", "👩‍🚒", "𠀀", "\u{2028}", "\u{FEFF}", "<b>&amp;", "=", "\\n", "=0D",
        String(repeating: "长", count: 25), String(repeating: "x", count: 73), String(repeating: "x", count: 74),
        String(repeating: "山水田林湖草沙", count: 9),
    ]
    /// Pieces of values libical copies verbatim (UID, addresses, URL, X-values): no control characters.
    static let verbatimPieces = textPieces.filter { !$0.contains(where: { $0.isNewline || $0 == "\t" }) }

    static func text(_ rng: inout Seeded, from pieces: [String], max: Int = 6) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 1...max, using: &rng) { s += pieces.randomElement(using: &rng)! }
        return s
    }

    static func dateTime(_ rng: inout Seeded, years: [Int] = [1, 999, 1970, 2026, 2027, 3000]) -> ICalDateTime {
        let year = years.randomElement(using: &rng)!
        let month = Int.random(in: 1...12, using: &rng)
        return ICalDateTime(
            date: ICalDate(year: year, month: month, day: Int.random(in: 1...28, using: &rng)),
            hour: Int.random(in: 0...23, using: &rng), minute: Int.random(in: 0...59, using: &rng),
            second: Int.random(in: 0...59, using: &rng))
    }

    static func event(seed: UInt64) -> ICalEvent {
        var rng = Seeded(seed: seed)
        let verbatim = verbatimPieces
        let start = dateTime(&rng)
        var event = ICalEvent(
            uid: text(&rng, from: verbatim),
            sequence: [0, 1, 7, 10, 99, 12_345, Int(Int32.max), Int.max].randomElement(using: &rng)!,
            stamp: dateTime(&rng), start: start, end: start,
            timeZone: ["Asia/Shanghai", "Asia/Urumqi"].randomElement(using: &rng)!,
            summary: text(&rng, from: textPieces))
        if Bool.random(using: &rng) { event.description = text(&rng, from: textPieces, max: 12) }
        if Bool.random(using: &rng) { event.location = text(&rng, from: textPieces) }
        let categoryPieces = verbatim.filter { !$0.contains(",") && !$0.contains("\\") }
        event.categories = (0..<Int.random(in: 0...3, using: &rng)).map { _ in text(&rng, from: categoryPieces) }
        if Bool.random(using: &rng) {
            event.organizer = ICalOrganizer(
                name: Bool.random(using: &rng) ? text(&rng, from: textPieces) : "",
                address: "urn:drillcal:" + text(&rng, from: verbatim))
        }
        event.attendees = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
            ICalAttendee(
                name: Int.random(in: 0..<5, using: &rng) == 0 ? "" : text(&rng, from: textPieces),
                address: "mailto:" + text(&rng, from: verbatim),
                role: EventCheck.roles.sorted().randomElement(using: &rng)!,
                partstat: Bool.random(using: &rng) ? EventCheck.partstats.sorted().randomElement(using: &rng)! : nil)
        }
        event.status = [.confirmed, .tentative, .cancelled].randomElement(using: &rng)!
        event.alarms = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
            let minutes =
                Bool.random(using: &rng)
                ? [0, 1, 59, 60, 61, 90, 1440, 1441, 1500, 10080, 10081, 20160, 525_600, 527_040]
                    .randomElement(using: &rng)! : Int.random(in: 0...527_040, using: &rng)
            return ICalAlarm(minutesBefore: minutes, description: text(&rng, from: textPieces))
        }
        if Bool.random(using: &rng) { event.url = "https://x.example/" + text(&rng, from: verbatim) }
        event.extra = (0..<Int.random(in: 0...2, using: &rng)).map { i in
            ICalExtraProperty(
                name: ["X-DRILLCAL-RULE", "x-lower-\(i)", "X-Mixed-Case9"].randomElement(using: &rng)!,
                value: text(&rng, from: verbatim))
        }
        return event
    }

    @Test func randomEventsAreByteIdenticalToLibical() throws {
        var compared = 0
        for seed in UInt64(1)...3000 {
            let event = Self.event(seed: seed)
            let direct = try ICalWriter.renderEvent(event)
            let reference = try ICalWriter.renderEventThroughLibical(event)
            if direct != reference {
                Issue.record("seed \(seed): \(Self.firstDifference(direct, reference))")
                break
            }
            compared += 1
        }
        #expect(compared == 3000)
    }

    /// Prepared attendees (their lines written once) give the same bytes as attendees written
    /// with each event, and libical's: random events, every attendee prepared, and a mix.
    @Test func preparedAttendeesAreWrittenAsTheOthers() throws {
        var prepared = 0
        for seed in UInt64(1)...1500 {
            let event = Self.event(seed: seed)
            var all = event
            all.attendees = try event.attendees.map { try $0.prepared() }
            var mixed = event
            mixed.attendees = try event.attendees.enumerated().map { $0.offset % 2 == 0 ? try $0.element.prepared() : $0.element }
            prepared += all.attendees.filter(\.isPrepared).count
            let plain = try ICalWriter.renderEvent(event)
            for form in [all, mixed] {
                #expect(form == event)  // equality looks at the fields only
                let direct = try ICalWriter.renderEvent(form)
                let reference = try ICalWriter.renderEventThroughLibical(form)
                if direct != plain || direct != reference {
                    Issue.record("seed \(seed): \(Self.firstDifference(direct, reference))")
                    return
                }
                let forms = try ICalWriter.renderEventForms(form, anonymousDescription: "无名")
                let plainForms = try ICalWriter.renderEventForms(event, anonymousDescription: "无名")
                #expect(forms.named == plainForms.named && forms.anonymous == plainForms.anonymous)
            }
        }
        #expect(prepared > 2000)
    }

    /// A prepared attendee is checked when it is prepared, and a changed field drops its line.
    @Test func preparingChecksAndChangingForgets() throws {
        let good = ICalAttendee(name: "王五", address: "urn:drillcal:t:member:m1", role: "REQ-PARTICIPANT")
        var changed = try good.prepared()
        #expect(changed.isPrepared && !good.isPrepared)
        changed.name = "赵六\n（替补）"
        #expect(!changed.isPrepared)
        var event = Fixtures.minimalEvent
        event.attendees = [changed]
        let text = try ICalWriter.renderEvent(event)
        #expect(text.contains("CN=赵六^n（替补）") && !text.contains("王五"))
        #expect(text == (try ICalWriter.renderEventThroughLibical(event)))
        for field in 0..<3 {
            var again = try good.prepared()
            switch field {
            case 0: again.address = "urn:x:other"
            case 1: again.role = "CHAIR"
            default: again.partstat = "ACCEPTED"
            }
            #expect(!again.isPrepared)
        }

        // The same refusals, with the same errors, as for an attendee written with its event.
        let bad = [
            ICalAttendee(name: "a\u{1}b", address: "urn:x", role: "CHAIR"),
            ICalAttendee(name: "a", address: "urn:x\u{7F}", role: "CHAIR"),
            ICalAttendee(name: "a", address: "urn:x", role: "BOSS"),
            ICalAttendee(name: "a", address: "urn:x", role: "CHAIR", partstat: "MAYBE"),
        ]
        for attendee in bad {
            var holding = Fixtures.minimalEvent
            holding.attendees = [attendee]
            let direct = Result { () throws(ICalError) in try attendee.prepared() }
            let inEvent = Result { () throws(ICalError) in try ICalWriter.renderEvent(holding) }
            guard case .failure(let a) = direct, case .failure(let b) = inEvent else {
                Issue.record("expected \(attendee) to be refused both ways")
                continue
            }
            #expect(a.description == b.description)
        }
    }

    /// The first line that differs, both ways, with its escapes visible.
    static func firstDifference(_ direct: String, _ reference: String) -> String {
        let a = direct.split(separator: "\r\n", omittingEmptySubsequences: false)
        let b = reference.split(separator: "\r\n", omittingEmptySubsequences: false)
        for i in 0..<max(a.count, b.count) where a.indices.contains(i) != b.indices.contains(i) || a[i] != b[i] {
            let mine = a.indices.contains(i) ? a[i].debugDescription : "(none)"
            let theirs = b.indices.contains(i) ? b[i].debugDescription : "(none)"
            return "line \(i + 1): direct \(mine), libical \(theirs)"
        }
        return "no line differs"
    }

    /// Both forms in one pass are the two texts rendered apart, and libical's: random events, with
    /// anonymous descriptions that are empty, shorter, longer or where the named one has none.
    @Test func bothFormsAreTheFormsRenderedApart() throws {
        for seed in UInt64(1)...1000 {
            var event = Self.event(seed: seed)
            var rng = Seeded(seed: seed ^ 0xA5A5)
            if seed % 7 == 0 { event.description = "" }
            let anonymousDescription =
                seed % 5 == 0 ? "" : Self.text(&rng, from: Self.textPieces, max: Int.random(in: 1...14, using: &rng))
            var anonymousEvent = event
            anonymousEvent.attendees = []
            anonymousEvent.description = anonymousDescription
            let (named, anonymous) = try ICalWriter.renderEventForms(event, anonymousDescription: anonymousDescription)
            let apart = (try ICalWriter.renderEvent(event), try ICalWriter.renderEvent(anonymousEvent))
            let reference = try ICalWriter.renderEventThroughLibical(anonymousEvent)
            if named != apart.0 || anonymous != apart.1 || anonymous != reference {
                Issue.record("seed \(seed): \(Self.firstDifference(anonymous, reference))")
                break
            }
        }
        var bad = Fixtures.fullEvent
        #expect(throws: ICalError.self) { try ICalWriter.renderEventForms(bad, anonymousDescription: "a\u{1}b") }
        bad.uid = "a\nb"
        #expect(throws: ICalError.self) { try ICalWriter.renderEventForms(bad, anonymousDescription: "") }
    }

    @Test func theFixturesAreByteIdenticalToLibical() throws {
        for event in [Fixtures.fullEvent, Fixtures.minimalEvent] {
            #expect(try ICalWriter.renderEvent(event) == ICalWriter.renderEventThroughLibical(event))
        }
    }

    /// Every trigger libical can be asked for by a reminder, not only the sampled ones.
    @Test func everyReminderLengthMatchesLibical() throws {
        var event = Fixtures.minimalEvent
        var minutes = Array(0...3000)
        minutes += stride(from: 3001, through: 527_040, by: 97).map { $0 }
        minutes += (1...52).map { $0 * 7 * 1440 }
        for chunk in stride(from: 0, to: minutes.count, by: 50) {
            event.alarms = minutes[chunk..<min(chunk + 50, minutes.count)].map {
                ICalAlarm(minutesBefore: $0, description: "r")
            }
            let direct = try ICalWriter.renderEvent(event)
            let reference = try ICalWriter.renderEventThroughLibical(event)
            #expect(direct == reference, "alarms from \(minutes[chunk]) minutes")
            if direct != reference { break }
        }
    }

    /// Where the two part on purpose: libical 3.0.16 writes a DATE-TIME after the year 3000 as
    /// `00000000T000000` (not a date, and a UTC one loses its `Z`); the direct writer writes the time
    /// it was given, as ``ICalWriter/restampedEvent(_:sequence:stamp:)`` always did for published
    /// stamps. (A plan's year is checked long before; a `--now` can be anything.)
    @Test func timesAfter3000AreWrittenAsGiven() throws {
        var event = Fixtures.minimalEvent
        event.stamp = Fixtures.dateTime(9999, 12, 31, 23, 59, 59)
        event.start = Fixtures.dateTime(4000, 1, 2, 9, 0)
        event.end = Fixtures.dateTime(4000, 1, 2, 10, 0)
        let direct = try ICalWriter.renderEvent(event)
        #expect(direct.contains("\r\nDTSTAMP:99991231T235959Z\r\n"))
        #expect(direct.contains("\r\nDTSTART;TZID=Asia/Shanghai:40000102T090000\r\n"))
        let reference = try ICalWriter.renderEventThroughLibical(event)
        #expect(reference.contains("\r\nDTSTAMP:00000000T000000\r\n"))
        #expect(reference.contains("\r\nDTSTART;TZID=Asia/Shanghai:00000000T000000\r\n"))
    }

    /// Every control character (C0 but tab and line breaks in TEXT, DEL, C1) is refused, wherever
    /// it sits in a value; the characters around them in UTF-8 (U+00A0-U+00FF share the 0xC2/0xC3
    /// lead bytes) are written.
    @Test func controlCharactersAreRefusedAndTheirNeighboursWritten() throws {
        var controls = (0x00...0x1F).filter { ![0x09, 0x0A, 0x0D].contains($0) }
        controls += [0x7F] + Array(0x80...0x9F)
        for value in controls {
            let c = String(Unicode.Scalar(UInt8(value)))
            // Each side of the 16-byte blocks the scans test at once, and past the fold.
            let around = [15, 16, 17, 31, 32, 40, 100].map { String(repeating: "x", count: $0) + c + "y" }
            for summary in [c, "a" + c, "张" + c + "b"] + around {
                var event = Fixtures.minimalEvent
                event.summary = summary
                #expect(throws: ICalError.self, "U+\(String(value, radix: 16)) in SUMMARY") {
                    try ICalWriter.renderEvent(event)
                }
                var uid = Fixtures.minimalEvent
                uid.uid = "u" + summary
                #expect(throws: ICalError.self) { try ICalWriter.renderEvent(uid) }
            }
            #expect(ContentLines.firstControl(Array(("ab" + c).utf8)[...]) == 2)
            for n in [15, 16, 17, 31, 32, 33, 47, 48] {
                #expect(ContentLines.firstControl(Array((String(repeating: "x", count: n) + c + "z").utf8)[...]) == n)
            }
        }
        for value in [0xA0, 0xA2, 0xBF, 0xC2, 0xC3, 0xFF] {
            let c = String(Unicode.Scalar(UInt8(value)))
            var event = Fixtures.minimalEvent
            event.summary = "a" + c + "b" + c
            event.uid = "u" + c
            let text = try ICalWriter.renderEvent(event)
            #expect(text.contains("\r\nSUMMARY:a\(c)b\(c)\r\n"))
            #expect(text == (try ICalWriter.renderEventThroughLibical(event)))
            #expect(ContentLines.firstControl(Array(("ab" + c).utf8)[...]) == nil)
            #expect(ContentLines.firstControl(Array((String(repeating: c, count: 20) + "z").utf8)[...]) == nil)
        }
    }

    /// The writer refuses what libical's path refuses, with the same error.
    @Test func refusedEventsGiveTheSameErrorBothWays() {
        var bad = Fixtures.minimalEvent
        bad.uid = "a\nb"
        var badURL = Fixtures.minimalEvent
        badURL.url = "https://x/\u{7F}"
        var badEnd = Fixtures.minimalEvent
        badEnd.end = Fixtures.dateTime(2027, 5, 12, 13, 0)
        for event in [bad, badURL, badEnd] {
            let direct = Result { () throws(ICalError) in try ICalWriter.renderEvent(event) }
            let reference = Result { () throws(ICalError) in try ICalWriter.renderEventThroughLibical(event) }
            guard case .failure(let a) = direct, case .failure(let b) = reference else {
                Issue.record("expected both to refuse \(event.uid)")
                continue
            }
            #expect(a.description == b.description)
        }
    }
}
