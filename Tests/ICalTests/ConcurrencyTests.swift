import ICal
import Testing

@Suite struct ConcurrencyTests {
    /// Zones outside zone.tab take libical's unlocked path; all lookups must go through one lock.
    private static let zones = [
        "Asia/Shanghai", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Etc/GMT+8", "Etc/UTC",
        "Australia/Sydney", "Asia/Urumqi", "Europe/London", "Etc/GMT-3", "PRC", "Asia/Chongqing",
    ]

    @Test func eightTasksLookUpZonesAndRenderAtOnce() async throws {
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var rendered = 0
                    for round in 0..<40 {
                        let zone = Self.zones[(task + round) % Self.zones.count]
                        _ = try? ICalWriter.timeZoneComponent(zone)
                        var event = Fixtures.fullEvent
                        event.uid = "task-\(task)-round-\(round)"
                        event.timeZone = "Asia/Shanghai"
                        let text = try ICalWriter.renderEvent(event)
                        let feed = try ICalWriter.renderCalendar(
                            Fixtures.header, timeZones: ["Asia/Shanghai"], events: [text])
                        let parsed = try ICalParser.parse(feed, source: "task\(task).ics")
                        if parsed.events.first?.uid == event.uid { rendered += 1 }
                        _ = try RecurrenceRule.dates(
                            of: "FREQ=MONTHLY;BYDAY=1SA", start: ICalDate(year: 2027, month: 1, day: 1),
                            through: ICalDate(year: 2027, month: 12, day: 31))
                    }
                    return rendered
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: 40, count: 8))
        for zone in Self.zones where zone != "Etc/UTC" {
            #expect(try ICalWriter.timeZoneComponent(zone).contains("TZID:\(zone)\r\n"))
        }
    }
}
