import DrillCore
import Foundation
import ICal
import Testing

@testable import DrillFeeds

/// Feeds are composed from event texts rendered once and one shared calendar shell; they must hold
/// exactly the bytes of rendering every feed whole through libical (the way builds did before), and
/// the parse-back self-check lives in `FeedBuilder.verify`, not in `build`.
@Suite struct ComposedFeedTests {
    /// Every feed of `set` rendered the old way: each event rendered whole through libical with its
    /// published SEQUENCE and DTSTAMP (read from the manifest), each calendar rendered whole.
    func wholeRenders(_ set: FeedSet, _ builder: FeedBuilder) throws -> [String: String] {
        let events = EventBuilder(plan: builder.plan, roster: builder.roster, language: builder.language)
        let sessions = Dictionary(uniqueKeysWithValues: builder.schedule.sessions.map { ($0.uid, $0) })
        var result: [String: String] = [:]
        for file in set.files {
            let held = set.manifest.events.filter { $0.value.feeds.contains(file.name) }
                .sorted { ($0.value.start, $0.key) < ($1.value.start, $1.key) }
            let isPublic = !file.name.hasPrefix("member-")
            let texts = try held.map { uid, entry in
                let stamp = try #require(Stamp(text: entry.stamp))
                if let session = sessions[uid] {
                    let named = !isPublic || !builder.anonymousForm(session)
                    return try ICalWriter.renderEvent(
                        events.event(session, sequence: entry.sequence, stamp: stamp, attendees: named))
                }
                let cancelled = try #require(
                    events.cancelled(uid: uid, entry: entry, sequence: entry.sequence, stamp: stamp))
                return try ICalWriter.renderEvent(cancelled)
            }
            let header = ICalCalendarHeader(
                productID: FeedBuilder.productID, name: builder.calendarName(file.name),
                description: builder.calendarDescription(), timeZone: builder.plan.timeZone,
                refreshMinutes: builder.plan.defaults.refreshHours * 60)
            result[file.name] = try ICalWriter.renderCalendar(
                header, timeZones: [builder.plan.timeZone], events: texts)
        }
        return result
    }

    @Test(arguments: [Language.zh, .en], [false, true])
    func composedFeedsHoldTheBytesOfWholeRenders(language: Language, publicAttendees: Bool) throws {
        var (plan, roster, schedule) = try exampleTown()
        plan.feeds.publicAttendees = publicAttendees
        let first = FeedBuilder(
            plan: plan, roster: roster, schedule: schedule, language: language,
            now: Stamp(seconds: 1_795_939_200),
            previous: FeedManifest())
        let firstSet = try first.build()
        #expect(firstSet.renderedEvents == schedule.sessions.count)
        let expected = try wholeRenders(firstSet, first)
        for file in firstSet.files { #expect(file.text == expected[file.name], "\(file.name)") }

        // A rebuild after a member's rename and a dropped session: changed events get a new SEQUENCE
        // and DTSTAMP (re-stamped texts), unchanged ones keep theirs, the dropped one is cancelled.
        let renamed = try #require(schedule.sessions.first { !$0.memberIDs.isEmpty }?.memberIDs.first)
        let index = try #require(roster.members.firstIndex { $0.id == renamed })
        var members = roster.members
        members[index].name = "改名测试"
        roster = Roster(members: members)
        let dropped = schedule.sessions.removeLast()
        let second = FeedBuilder(
            plan: plan, roster: roster, schedule: schedule, language: language,
            now: Stamp(seconds: 1_796_000_000),
            previous: firstSet.manifest)
        let secondSet = try second.build()
        #expect(secondSet.renderedEvents == schedule.sessions.count + 1)
        #expect(secondSet.manifest.events[dropped.uid]?.cancelledAt != nil)
        let sequences = Set(secondSet.manifest.events.values.map(\.sequence))
        #expect(sequences.contains(0) && sequences.contains(1))
        let expectedAgain = try wholeRenders(secondSet, second)
        for file in secondSet.files { #expect(file.text == expectedAgain[file.name], "\(file.name)") }
        try FeedBuilder.verify(secondSet)
    }

    @Test func verifyReadsEveryFeedBackAndCatchesAMismatch() throws {
        let (plan, roster, schedule) = try exampleTown()
        let set = try feeds(plan, roster, schedule)
        try FeedBuilder.verify(set)

        let index = try #require(set.files.firstIndex { $0.name == "town.ics" })
        var miscounted = set
        miscounted.files[index].eventCount += 1
        #expect(throws: FeedError.self) { try FeedBuilder.verify(miscounted) }

        // An event cut out of the middle of the town feed: libical reads one event fewer.
        var cut = set
        let text = cut.files[index].text
        let first = try #require(text.range(of: "BEGIN:VEVENT\r\n"))
        let end = try #require(text.range(of: "END:VEVENT\r\n", range: first.upperBound..<text.endIndex))
        cut.files[index].text = String(text[..<first.lowerBound]) + String(text[end.upperBound...])
        #expect(throws: FeedError.self) { try FeedBuilder.verify(cut) }

        // An event whose zone the feed does not define: libical's reading is refused.
        var broken = set
        let zone = try #require(text.range(of: "DTSTART;TZID=\(plan.timeZone):"))
        broken.files[index].text = text.replacingCharacters(in: zone, with: "DTSTART;TZID=Nowhere/Zone:")
        #expect(throws: FeedError.self) { try FeedBuilder.verify(broken) }
    }
}
