import ICal
import Testing

@Suite struct TimeZoneTests {
    @Test func shanghaiIsOneCleanStandardWithPlainTZID() throws {
        let text = try ICalWriter.timeZoneComponent("Asia/Shanghai")
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "BEGIN:VTIMEZONE")
        #expect(lines.last == "END:VTIMEZONE")
        #expect(lines.filter { $0.hasPrefix("TZID") } == ["TZID:Asia/Shanghai"])
        #expect(!text.contains("freeassociation"))
        #expect(lines.filter { $0 == "BEGIN:STANDARD" }.count == 1)
        #expect(!lines.contains("BEGIN:DAYLIGHT"))
        #expect(lines.contains("TZOFFSETTO:+0800"))
        #expect(lines.contains("TZOFFSETFROM:+0800"))
    }

    @Test func calendarCarriesTheVTimezone() throws {
        let feed = try Fixtures.calendar([Fixtures.minimalEvent])
        #expect(feed.contains(try ICalWriter.timeZoneComponent("Asia/Shanghai")))
        #expect(try ICalParser.parse(feed, source: "feed.ics").timeZoneIDs == ["Asia/Shanghai"])
    }

    @Test func calendarKeepsZoneOrderAndDropsDuplicates() throws {
        let feed = try ICalWriter.renderCalendar(
            Fixtures.header,
            timeZones: ["Asia/Shanghai", "Europe/Berlin", "Asia/Shanghai", "America/New_York"],
            events: [])
        let written = feed.split(separator: "\r\n").filter { $0.hasPrefix("TZID:") }
        #expect(written == ["TZID:Asia/Shanghai", "TZID:Europe/Berlin", "TZID:America/New_York"])
        #expect(
            try ICalParser.parse(feed, source: "zones.ics").timeZoneIDs == [
                "Asia/Shanghai", "Europe/Berlin", "America/New_York",
            ])
    }

    @Test func zoneWithDaylightSavingKeepsItsRulesFrom2000() throws {
        let text = try ICalWriter.timeZoneComponent("Europe/Berlin")
        #expect(text.contains("TZID:Europe/Berlin\r\n"))
        #expect(text.contains("BEGIN:DAYLIGHT"))
        #expect(!text.contains("DTSTART:19"))
    }

    @Test(arguments: ["Mars/Olympus_Mons", "UTC", "Asia/Beijing"])
    func unknownZonesThrow(tzid: String) {
        #expect { try ICalWriter.timeZoneComponent(tzid) } throws: { error in
            (error as? ICalError)?.kind == .unknownTimeZone
        }
    }

    @Test(arguments: [
        "../../../etc/passwd", "/etc/localtime", "Asia/../../etc", "Asia/Shanghai\r\nX:1", "Asia Shanghai",
        "",
        "Asia/Shanghai;VALUE=X", "Asia/上海",
    ])
    func unsafeZoneNamesThrow(tzid: String) {
        #expect { try ICalWriter.timeZoneComponent(tzid) } throws: { error in
            (error as? ICalError)?.kind == .unsafeValue
        }
    }

    @Test func unknownZoneInEventOrCalendarThrows() {
        var event = Fixtures.minimalEvent
        event.timeZone = "Mars/Olympus_Mons"
        #expect { try ICalWriter.renderEvent(event) } throws: { ($0 as? ICalError)?.kind == .unknownTimeZone }
        #expect {
            try ICalWriter.renderCalendar(Fixtures.header, timeZones: ["Mars/Olympus_Mons"], events: [])
        } throws: { ($0 as? ICalError)?.kind == .unknownTimeZone }
    }
}
