import ICal
import Testing

@Suite struct ICalParserTests {
    /// Parses `text` expecting an error and returns it.
    private func parseError(_ text: String) -> ICalError? {
        do {
            _ = try ICalParser.parse(text, source: "test.ics")
            return nil
        } catch {
            return error
        }
    }

    private let goodEvent = [
        "UID:u1", "DTSTAMP:20261201T000000Z", "DTSTART;TZID=Asia/Shanghai:20270102T090000",
        "DTEND;TZID=Asia/Shanghai:20270102T110000", "SUMMARY:训练",
    ]

    @Test func handWrittenCalendarParses() throws {
        let parsed = try ICalParser.parse(Fixtures.handWritten(eventLines: goodEvent), source: "ok.ics")
        #expect(parsed.timeZoneIDs == ["Asia/Shanghai"])
        #expect(parsed.properties["VERSION"] == "2.0")
        let event = try #require(parsed.events.first)
        #expect(event.uid == "u1")
        #expect(event.sequence == 0)
        #expect(event.summary == "训练")
        #expect(event.start == Fixtures.dateTime(2027, 1, 2, 9, 0))
        #expect(event.startTimeZone == "Asia/Shanghai")
        #expect(event.stamp == Fixtures.dateTime(2026, 12, 1, 0, 0))
        #expect(event.status == nil)
    }

    @Test func bareLineFeedsAndFoldedLinesAreAccepted() throws {
        let text = Fixtures.handWritten(eventLines: goodEvent + ["DESCRIPTION:first", " second"])
        let lf = text.split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
        let parsed = try ICalParser.parse(lf, source: "lf.ics")
        #expect(parsed.events.first?.description == "firstsecond")
    }

    @Test func garbageThrowsParseFailedAtLineOne() {
        let error = parseError("this is not a calendar\nat all\n")
        #expect(error?.kind == .parseFailed)
        #expect(error?.line == 1)
        #expect(error?.source == "test.ics")
    }

    @Test func emptyTextThrowsParseFailed() {
        for text in ["", "\r\n\r\n"] {
            let error = parseError(text)
            #expect(error?.kind == .parseFailed)
            #expect(error?.line == 1)
        }
    }

    @Test func truncatedCalendarThrowsParseFailedAtLastLine() throws {
        let full = try Fixtures.calendar([Fixtures.fullEvent])
        let lines = full.split(separator: "\r\n").map(String.init)
        let cut = lines.prefix(lines.count - 5).joined(separator: "\r\n") + "\r\n"
        let error = parseError(cut)
        #expect(error?.kind == .parseFailed)
        #expect(error?.line == lines.count - 5)  // the last line that is there
        #expect(error?.message.contains("END:VCALENDAR") == true)
    }

    @Test func badDateTimeValueThrowsWithPropertyAndLine() {
        // Lines: 1-3 header, 4-12 VTIMEZONE, 13 BEGIN:VEVENT, 14 UID, 15 DTSTAMP, 16 DTSTART.
        var eventLines = goodEvent
        eventLines[2] = "DTSTART;TZID=Asia/Shanghai:tomorrow-morning"
        let error = parseError(Fixtures.handWritten(eventLines: eventLines))
        #expect(error?.kind == .parseFailed)
        #expect(error?.property == "DTSTART")
        #expect(error?.line == 16)
        #expect(error?.message.contains("tomorrow-morning") == true)
        #expect(error?.description.hasPrefix("test.ics line 16, DTSTART: ") == true)
    }

    @Test func strayDataLineThrowsWithLine() {
        let error = parseError(Fixtures.handWritten(eventLines: goodEvent + ["JUNKLINE"]))
        #expect(error?.kind == .parseFailed)
        #expect(error?.line == 19)
    }

    @Test func monthThirteenThrowsInvalidValue() {
        var eventLines = goodEvent
        eventLines[3] = "DTEND;TZID=Asia/Shanghai:20271302T110000"
        let error = parseError(Fixtures.handWritten(eventLines: eventLines))
        #expect(error?.kind == .invalidValue)
        #expect(error?.property == "DTEND")
        #expect(error?.line == 17)
    }

    @Test func hourNinetyNineInStampThrowsInvalidValue() {
        var eventLines = goodEvent
        eventLines[1] = "DTSTAMP:20261201T990000Z"
        let error = parseError(Fixtures.handWritten(eventLines: eventLines))
        #expect(error?.kind == .invalidValue)
        #expect(error?.property == "DTSTAMP")
        #expect(error?.line == 15)
    }

    @Test func februaryThirtyFirstInRecurrenceIDThrows() {
        let error = parseError(
            Fixtures.handWritten(eventLines: goodEvent + ["RECURRENCE-ID;TZID=Asia/Shanghai:20270231T090000"])
        )
        #expect(error?.kind == .invalidValue)
        #expect(error?.property == "RECURRENCE-ID")
        #expect(error?.line == 19)
    }

    @Test func tzidWithoutVTimezoneThrowsUnknownTimeZone() {
        let error = parseError(Fixtures.handWritten(eventLines: goodEvent, zone: false))
        #expect(error?.kind == .unknownTimeZone)
        #expect(error?.property == "DTSTART")
        #expect(error?.line == 7)
    }

    @Test func tzidOfAnotherZoneThrowsUnknownTimeZone() {
        var eventLines = goodEvent
        eventLines[3] = "DTEND;TZID=Europe/Berlin:20270102T110000"
        let error = parseError(Fixtures.handWritten(eventLines: eventLines))
        #expect(error?.kind == .unknownTimeZone)
        #expect(error?.line == 17)
    }

    @Test func eventWithoutUIDThrows() {
        let error = parseError(Fixtures.handWritten(eventLines: Array(goodEvent.dropFirst())))
        #expect(error?.kind == .invalidValue)
        #expect(error?.property == "UID")
        #expect(error?.line == 13)
    }

    @Test func bareEventOrTwoCalendarsThrow() {
        #expect(parseError("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n")?.kind == .parseFailed)
        let two = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        #expect(parseError(two)?.kind == .parseFailed)
    }

    @Test func utcAndDateValuesParse() throws {
        let parsed = try ICalParser.parse(
            Fixtures.handWritten(
                eventLines: ["UID:u", "DTSTART;VALUE=DATE:20270501", "DTEND:20270502T000000Z"], zone: false),
            source: "x.ics")
        let event = try #require(parsed.events.first)
        #expect(event.start == Fixtures.dateTime(2027, 5, 1, 0, 0))
        #expect(event.startTimeZone == nil)
        #expect(event.endTimeZone == "UTC")
    }
}
