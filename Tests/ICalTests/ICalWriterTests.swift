import ICal
import Testing

@Suite struct ICalWriterTests {
    @Test func everyFieldRoundTripsThroughLibicalParser() throws {
        let event = Fixtures.fullEvent
        let parsed = try ICalParser.parse(try Fixtures.calendar([event]), source: "round-trip.ics")
        #expect(parsed.events.count == 1)
        let got = try #require(parsed.events.first)
        let expected = ICalParsedEvent(
            uid: event.uid, sequence: 3, summary: event.summary, description: event.description,
            location: event.location, start: event.start, startTimeZone: "Asia/Shanghai", end: event.end,
            endTimeZone: "Asia/Shanghai", status: "TENTATIVE", categories: event.categories,
            attendees: event.attendees, organizer: event.organizer, alarmCount: 2, stamp: event.stamp,
            extra: event.extra)
        #expect(got == expected)
    }

    @Test func minimalEventWritesSequenceStatusAndNoEmptyDescription() throws {
        let text = try ICalWriter.renderEvent(Fixtures.minimalEvent)
        #expect(text.hasPrefix("BEGIN:VEVENT\r\n"))
        #expect(text.hasSuffix("END:VEVENT\r\n"))
        #expect(text.contains("\r\nSEQUENCE:0\r\n"))
        #expect(text.contains("\r\nSTATUS:CONFIRMED\r\n"))
        #expect(!text.contains("DESCRIPTION"))
        let parsed = try ICalParser.parse(try Fixtures.calendar([Fixtures.minimalEvent]), source: "min.ics")
        #expect(parsed.events.first?.description == nil)
        #expect(parsed.events.first?.organizer == nil)
        #expect(parsed.events.first?.alarmCount == 0)
    }

    @Test func timesAreLocalWithTZIDAndStampIsUTC() throws {
        let text = try ICalWriter.renderEvent(Fixtures.fullEvent)
        #expect(text.contains("\r\nDTSTART;TZID=Asia/Shanghai:20270102T090000\r\n"))
        #expect(text.contains("\r\nDTEND;TZID=Asia/Shanghai:20270102T113000\r\n"))
        #expect(text.contains("\r\nDTSTAMP:20261201T083015Z\r\n"))
    }

    @Test func alarmsAreDisplayWithNegativeTriggers() throws {
        let text = try ICalWriter.renderEvent(Fixtures.fullEvent)
        #expect(text.components("BEGIN:VALARM\r\n") == 2)
        #expect(text.components("ACTION:DISPLAY\r\n") == 2)
        #expect(text.contains("\r\nTRIGGER:-P1D\r\n"))
        #expect(text.contains("\r\nTRIGGER:-PT2H\r\n"))
    }

    @Test func categoriesAreOnePropertyEach() throws {
        let text = try ICalWriter.renderEvent(Fixtures.fullEvent)
        #expect(text.contains("\r\nCATEGORIES:训练\r\n"))
        #expect(text.contains("\r\nCATEGORIES:Militia\r\n"))
    }

    @Test func awkwardTextRoundTripsExactly() throws {
        let awkward = "Zhang, \"San\"; back\\slash\nsecond line: 第二行"
        var event = Fixtures.minimalEvent
        event.summary = awkward
        event.description = awkward + "\n\nthird"
        event.location = awkward
        event.organizer = ICalOrganizer(name: awkward, address: "urn:drillcal:qingshan:officer:o01")
        event.attendees = [
            ICalAttendee(name: awkward, address: "urn:drillcal:qingshan:member:m001", role: "CHAIR")
        ]
        event.alarms = [ICalAlarm(minutesBefore: 30, description: awkward)]
        let text = try ICalWriter.renderEvent(event)
        // Every physical line is a proper content line: the line break was escaped, not written.
        for line in text.split(separator: "\r\n") {
            #expect(!line.contains("\n") && !line.contains("\r"))
            #expect(line.first == " " || line.contains(":"))
        }
        let got = try #require(
            try ICalParser.parse(try Fixtures.calendar([event]), source: "awkward.ics").events.first)
        #expect(got.summary == awkward)
        #expect(got.description == awkward + "\n\nthird")
        #expect(got.location == awkward)
        #expect(got.organizer?.name == awkward)
        #expect(got.attendees.first?.name == awkward)
        #expect(got.attendees.first?.role == "CHAIR")
    }

    @Test func carriageReturnsInTextBecomeLineFeeds() throws {
        var event = Fixtures.minimalEvent
        event.summary = "a\r\nX-EVIL:1\rb\tc"
        event.attendees = [ICalAttendee(name: "n\r\nX-EVIL:2", address: "urn:x", role: "CHAIR")]
        let text = try ICalWriter.renderEvent(event)
        #expect(!text.contains("\r\nX-EVIL"))
        let got = try ICalParser.parse(try Fixtures.calendar([event]), source: "cr.ics").events.first
        #expect(got?.summary == "a\nX-EVIL:1\nb c")  // a tab becomes a space: no control character in a line
        #expect(got?.attendees.first?.name == "n\nX-EVIL:2")
    }

    @Test func otherControlCharactersInTextThrow() {
        for bad in ["a\u{1}b", "nul\u{0}", "del\u{7F}"] {
            var event = Fixtures.minimalEvent
            event.summary = bad
            #expect { try ICalWriter.renderEvent(event) } throws: { ($0 as? ICalError)?.kind == .unsafeValue }
        }
    }

    @Test func chineseTextFoldsAtSeventyFiveOctetsOnCharacterBoundaries() throws {
        var event = Fixtures.minimalEvent
        event.summary = String(repeating: "民兵训练集合地点镇政府广场", count: 12)
        event.description = String(repeating: "青山镇第一小队携带水壶雨衣", count: 20)
        let text = try ICalWriter.renderEvent(event)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.contains { $0.hasPrefix(" ") }, "long lines were folded")
        for line in lines {
            #expect(line.utf8.count <= 75, "line of \(line.utf8.count) octets: \(line)")
            // A line split inside a UTF-8 character would not decode as the same text.
            #expect(String(decoding: Array(line.utf8), as: UTF8.self) == String(line))
            #expect(!line.unicodeScalars.contains("\u{FFFD}"))
        }
        let got = try ICalParser.parse(try Fixtures.calendar([event]), source: "fold.ics").events.first
        #expect(got?.summary == event.summary)
        #expect(got?.description == event.description)
    }

    @Test(arguments: [
        ("uid", "abc\r\nATTENDEE:mailto:evil@example.com"),
        ("uid", "abc\ndef"),
        ("attendee", "urn:x\r\nX-EVIL:1"),
        ("organizer", "urn:x\nX-EVIL:1"),
        ("url", "https://x.example/\r\nX-EVIL:1"),
        ("extraValue", "v\r\nBEGIN:VALARM"),
        ("extraValue", "tab\there"),
        ("extraName", "X-A\r\nX-B"),
        ("timeZone", "Asia/Shanghai\r\nX-EVIL:1"),
        ("timeZone", "../../etc/passwd"),
        ("timeZone", "/etc/localtime"),
        ("category", "a\r\nX-EVIL:1"),
    ])
    func injectionAttemptsThrowUnsafeValue(field: String, value: String) {
        var event = Fixtures.fullEvent
        switch field {
        case "uid": event.uid = value
        case "attendee": event.attendees[0].address = value
        case "organizer": event.organizer?.address = value
        case "url": event.url = value
        case "extraValue": event.extra = [ICalExtraProperty(name: "X-DRILLCAL-TEAM", value: value)]
        case "extraName": event.extra = [ICalExtraProperty(name: value, value: "1")]
        case "timeZone": event.timeZone = value
        case "category": event.categories = [value]
        default: Issue.record("unknown field \(field)")
        }
        #expect(throws: ICalError.self) { try ICalWriter.renderEvent(event) }
        do {
            _ = try ICalWriter.renderEvent(event)
        } catch {
            #expect(error.kind == .unsafeValue, "\(error)")
        }
    }

    @Test func headerInjectionThrows() {
        var header = Fixtures.header
        header.name = "名字\r\nX-EVIL:1"
        #expect { try ICalWriter.renderCalendar(header, timeZones: [], events: []) } throws: { error in
            (error as? ICalError)?.kind == .unsafeValue
        }
        header = Fixtures.header
        header.description = "a\nb"
        #expect { try ICalWriter.renderCalendar(header, timeZones: [], events: []) } throws: { error in
            (error as? ICalError)?.kind == .unsafeValue
        }
    }

    @Test func invalidValuesThrowInvalidValue() {
        var cases: [ICalEvent] = []
        var event = Fixtures.minimalEvent
        event.start = Fixtures.dateTime(2027, 13, 1, 9, 0)
        cases.append(event)
        event = Fixtures.minimalEvent
        event.end = Fixtures.dateTime(2027, 5, 12, 13, 0)  // before the start
        cases.append(event)
        event = Fixtures.minimalEvent
        event.stamp = Fixtures.dateTime(2027, 2, 29, 0, 0)
        cases.append(event)
        event = Fixtures.minimalEvent
        event.attendees = [ICalAttendee(name: "x", address: "urn:x", role: "BOSS")]
        cases.append(event)
        event = Fixtures.minimalEvent
        event.attendees = [ICalAttendee(name: "x", address: "urn:x", role: "CHAIR", partstat: "MAYBE")]
        cases.append(event)
        event = Fixtures.minimalEvent
        event.sequence = -1
        cases.append(event)
        event = Fixtures.minimalEvent
        event.alarms = [ICalAlarm(minutesBefore: -5, description: "after?")]
        cases.append(event)
        event = Fixtures.minimalEvent
        event.categories = ["a,b"]
        cases.append(event)
        event = Fixtures.minimalEvent
        event.uid = ""
        cases.append(event)
        for event in cases {
            #expect { try ICalWriter.renderEvent(event) } throws: { error in
                (error as? ICalError)?.kind == .invalidValue
            }
        }
    }

    @Test func extensionNamesMustBeXButNotLibicalOwn() {
        for name in ["X-LIC-ERROR", "SUMMARY", "X-", "X-A B"] {
            var event = Fixtures.minimalEvent
            event.extra = [ICalExtraProperty(name: name, value: "1")]
            #expect(throws: ICalError.self) { try ICalWriter.renderEvent(event) }
        }
    }

    @Test func calendarShellHasHeaderZonesAndEventsInOrder() throws {
        var second = Fixtures.minimalEvent
        second.uid = "min-2"
        let events = try [Fixtures.fullEvent, Fixtures.minimalEvent, second].map(ICalWriter.renderEvent)
        let text = try ICalWriter.renderCalendar(
            Fixtures.header, timeZones: ["Asia/Shanghai"], events: events)
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(
            Array(lines.prefix(11)) == [
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//drillcal//drillcal 1.0//ZH",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH", "X-WR-CALNAME:青山镇民兵训练", "X-WR-TIMEZONE:Asia/Shanghai",
                "X-WR-CALDESC:青山镇 2027 年度训练日程", "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
                "X-PUBLISHED-TTL:PT12H",
                "BEGIN:VTIMEZONE",
            ])
        #expect(text.hasSuffix("END:VEVENT\r\nEND:VCALENDAR\r\n"))
        #expect(!text.contains("\n\n") && !text.replacingCRLF().contains("\n"))
        let parsed = try ICalParser.parse(text, source: "feed.ics")
        #expect(parsed.events.map(\.uid) == [Fixtures.fullEvent.uid, "min-1", "min-2"])
        #expect(parsed.timeZoneIDs == ["Asia/Shanghai"])
        #expect(parsed.properties["X-WR-CALNAME"] == "青山镇民兵训练")
        #expect(parsed.properties["METHOD"] == "PUBLISH")
        #expect(parsed.properties["PRODID"] == "-//drillcal//drillcal 1.0//ZH")
        #expect(parsed.properties["REFRESH-INTERVAL"] == "PT12H")
        #expect(parsed.properties["X-PUBLISHED-TTL"] == "PT12H")
    }

    @Test func calendarRejectsTextThatIsNotARenderedEvent() {
        #expect {
            try ICalWriter.renderCalendar(Fixtures.header, timeZones: [], events: ["SUMMARY:x\r\n"])
        } throws: {
            error in (error as? ICalError)?.kind == .invalidValue
        }
        #expect {
            try ICalWriter.renderCalendar(
                Fixtures.header, timeZones: [], events: ["BEGIN:VEVENT\nEND:VEVENT\n"])
        } throws: { error in (error as? ICalError)?.kind == .invalidValue }
    }
}

extension String {
    /// How often `piece` occurs.
    func components(_ piece: String) -> Int {
        split(separator: piece, omittingEmptySubsequences: false).count - 1
    }

    /// The text with every CRLF removed, to spot stray bare line feeds.
    func replacingCRLF() -> String {
        split(separator: "\r\n", omittingEmptySubsequences: false).joined()
    }
}
