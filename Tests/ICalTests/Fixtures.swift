import ICal

/// Sample values shared by the tests.
enum Fixtures {
    static func dateTime(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0)
        -> ICalDateTime
    {
        ICalDateTime(
            date: ICalDate(year: year, month: month, day: day), hour: hour, minute: minute, second: second)
    }

    static let header = ICalCalendarHeader(
        productID: "-//drillcal//drillcal 1.0//ZH", name: "青山镇民兵训练", description: "青山镇 2027 年度训练日程",
        timeZone: "Asia/Shanghai", refreshMinutes: 720)

    /// An event using every field.
    static let fullEvent = ICalEvent(
        uid: "drill-2027-01-02-team1@qingshan.drillcal",
        sequence: 3,
        stamp: dateTime(2026, 12, 1, 8, 30, 15),
        start: dateTime(2027, 1, 2, 9, 0),
        end: dateTime(2027, 1, 2, 11, 30),
        timeZone: "Asia/Shanghai",
        summary: "民兵训练：第一小队",
        description: "集合地点：镇政府广场\n携带：水壶、雨衣",
        location: "青山镇政府广场",
        categories: ["训练", "Militia"],
        organizer: ICalOrganizer(name: "王武装部长", address: "urn:drillcal:qingshan:officer:o01"),
        attendees: [
            ICalAttendee(
                name: "张三", address: "urn:drillcal:qingshan:member:m001", role: "CHAIR", partstat: "ACCEPTED"),
            ICalAttendee(name: "李四", address: "urn:drillcal:qingshan:member:m002", role: "REQ-PARTICIPANT"),
            ICalAttendee(
                name: "Wang Wu", address: "urn:drillcal:qingshan:member:m003", role: "OPT-PARTICIPANT",
                partstat: "NEEDS-ACTION"),
        ],
        status: .tentative,
        alarms: [
            ICalAlarm(minutesBefore: 1440, description: "明天训练"),
            ICalAlarm(minutesBefore: 120, description: "两小时后训练"),
        ],
        url: "https://drillcal.example/qingshan/2027-01-02",
        extra: [
            ICalExtraProperty(name: "X-DRILLCAL-TEAM", value: "team-1"),
            ICalExtraProperty(name: "X-DRILLCAL-KIND", value: "field,drill"),
        ])

    static let minimalEvent = ICalEvent(
        uid: "min-1", stamp: dateTime(2026, 12, 1, 0, 0), start: dateTime(2027, 5, 12, 14, 0),
        end: dateTime(2027, 5, 12, 16, 0), timeZone: "Asia/Shanghai", summary: "Drill")

    /// A full calendar holding `events`, with Asia/Shanghai defined.
    static func calendar(_ events: [ICalEvent]) throws -> String {
        try ICalWriter.renderCalendar(
            header, timeZones: ["Asia/Shanghai"], events: events.map { try ICalWriter.renderEvent($0) })
    }

    /// A hand-written calendar with `body` inside one VEVENT; line 1 is BEGIN:VCALENDAR.
    static func handWritten(eventLines: [String], zone: Bool = true) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN"]
        if zone {
            lines += [
                "BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "TZOFFSETFROM:+0800",
                "TZOFFSETTO:+0800",
                "TZNAME:CST", "DTSTART:19700101T000000", "END:STANDARD", "END:VTIMEZONE",
            ]
        }
        lines += ["BEGIN:VEVENT"] + eventLines + ["END:VEVENT", "END:VCALENDAR"]
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
