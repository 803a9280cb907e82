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

    /// `build --member-feeds skip`: no member feed is composed, and everything else (the public
    /// feeds' bytes, the manifest with the member feeds each event belongs to) is what a build with
    /// member feeds makes, on a first build and on a rebuild that cancels a session.
    @Test func withoutMemberFeedsThePublicFeedsAndManifestAreTheSame() throws {
        var (plan, roster, schedule) = try exampleTown()
        var previous: [Bool: FeedManifest] = [true: FeedManifest(), false: FeedManifest()]
        for round in 0..<2 {
            if round == 1 { schedule.sessions.removeLast() }
            var sets: [Bool: FeedSet] = [:]
            for withMembers in [true, false] {
                var builder = FeedBuilder(
                    plan: plan, roster: roster, schedule: schedule, language: .zh,
                    now: Stamp(seconds: 1_795_939_200 + round * 86_400), previous: previous[withMembers]!)
                builder.memberFeeds = withMembers
                sets[withMembers] = try builder.build()
                previous[withMembers] = sets[withMembers]!.manifest
            }
            let all = try #require(sets[true])
            let skipped = try #require(sets[false])
            #expect(all.files.contains { $0.name.hasPrefix("member-") })
            #expect(!skipped.files.contains { $0.name.hasPrefix("member-") })
            let publicFiles = all.files.filter { !$0.name.hasPrefix("member-") }
            #expect(skipped.files.map(\.name) == publicFiles.map(\.name))
            #expect(skipped.files.map { Array($0.text.utf8) } == publicFiles.map { Array($0.text.utf8) })
            #expect(skipped.files.map(\.eventCount) == publicFiles.map(\.eventCount))
            #expect(skipped.manifest.jsonBytes() == all.manifest.jsonBytes())
            #expect(skipped.manifest.events.values.contains { $0.feeds.contains { $0.hasPrefix("member-") } })
            #expect(skipped.renderedEvents == all.renderedEvents)
        }
        _ = roster
    }

    /// X-WR-CALNAME is one line: control characters and every kind of line break become a space
    /// (a whole CR LF one space); a name without them is kept byte for byte.
    @Test func calendarNamesAreOneLine() throws {
        var (plan, roster, schedule) = try exampleTown()
        var members = roster.members
        let names = [
            "张三", "Zoë Fe\u{302}te", "欧阳\n小明", "a\r\nb", "tab\there", "del\u{7F}x", "nel\u{85}x",
            "ls\u{2028}x", "ps\u{2029}x", "e\u{301}\u{0A}", "vt\u{0B}ff\u{0C}",
        ]
        for (k, name) in names.enumerated() { members[k].name = name }
        roster = Roster(members: members)
        schedule.sessions = []
        let builder = FeedBuilder(
            plan: plan, roster: roster, schedule: schedule, language: .zh, now: Stamp(seconds: 0), previous: FeedManifest())
        for k in names.indices {
            let file = "member-\(members[k].id).ics"
            let raw = builder.rawCalendarName(file)
            #expect(raw.contains(names[k]))
            // The mapping itself: each Character that is a line break or an ASCII control, a space.
            let reference = String(
                raw.map { $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true ? " " : $0 })
            #expect(Array(builder.calendarName(file).utf8) == Array(reference.utf8), "\(names[k].unicodeScalars.map(\.value))")
        }
        #expect(builder.calendarName("member-\(members[1].id).ics").contains("Zoë Fe\u{302}te"))
        #expect(!builder.calendarName("member-\(members[3].id).ics").contains("a  b"))
        #expect(builder.calendarName("member-\(members[3].id).ics").contains("a b"))
        _ = plan
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
