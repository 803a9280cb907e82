import DrillCore
import FeedLint
import Foundation
import ICal
import Testing

@testable import DrillFeeds

/// Every feed drillcal writes passes the strict lexical check (FeedLint) and parses back in libical.
@Suite struct LexicalTests {
    @Test func everyFeedOfTheExampleTownIsLexicallyStrict() throws {
        let (plan, roster, schedule) = try exampleTown()
        let set = try feeds(plan, roster, schedule)
        #expect(set.files.count > 100)
        var lines = 0
        for file in set.files {
            let faults = FeedLint.faults(file.text)
            #expect(faults.isEmpty, "\(file.name): \(faults.prefix(3))")
            lines += file.text.utf8.split(separator: 0x0A).count
        }
        #expect(lines > 10_000)
    }

    /// The case that broke: the annual-report deadline's reminder. libical 3.0 folded its
    /// DESCRIPTION together with the line's own CRLF, leaving `…\r\r\n \n` (a bare CR and LF).
    @Test func annualReportReminderIsFoldedCleanly() throws {
        let (plan, roster, schedule) = try exampleTown()
        let set = try feeds(plan, roster, schedule)
        let town = try #require(set.files.first { $0.name == "town.ics" })
        let bytes = Array(town.text.utf8)
        #expect(!town.text.contains("\r\r"))
        #expect(!town.text.contains("\r\n \r\n"))
        #expect(
            !bytes.enumerated().contains {
                $0.element == 0x0A && ($0.offset == 0 || bytes[$0.offset - 1] != 0x0D)
            })
        let parsed = try ICalParser.parse(town.text, source: "town.ics")
        let report = try #require(parsed.events.first { $0.uid.contains("annual-report") })
        #expect(report.summary == "2026年度培训演练工作情况上报县应急管理局截止")
        #expect(report.alarmCount == 2)
        // The reminder's text survives unfolding exactly, with no stray line break.
        let unfolded = town.text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("\r\nDESCRIPTION:提醒：2026年度培训演练工作情况上报县应急管理局截止\r\nTRIGGER:"))
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func hostileTownsGiveStrictFeedsThatRoundTrip(seed: UInt64) throws {
        let (plan, roster) = hostileTown(seed: seed)
        let schedule = try Scheduler(
            plan: plan, roster: roster, holidays: HolidayCalendar(), recurrence: LibicalRecurrence()
        ).schedule()
        #expect(!schedule.sessions.isEmpty)
        for publicAttendees in [false, true] {
            var plan = plan
            plan.feeds.publicAttendees = publicAttendees
            let set = try feeds(plan, roster, schedule)
            let events = EventBuilder(plan: plan, roster: roster, language: .zh)
            for file in set.files {
                let faults = FeedLint.faults(file.text)
                #expect(faults.isEmpty, "seed \(seed) \(file.name): \(faults.prefix(3))")
                let parsed = try ICalParser.parse(file.text, source: file.name)
                #expect(parsed.events.count == file.eventCount)
                for event in parsed.events {
                    let session = try #require(schedule.sessions.first { $0.uid == event.uid })
                    #expect(
                        event.summary == expectedText(events.summary(session)), "seed \(seed) \(file.name)")
                    #expect(event.location == events.location(session).map { expectedText($0) })
                }
            }
            // A member's own feed names them, exactly, whatever their name holds.
            for member in roster.members {
                guard let file = set.files.first(where: { $0.name == "member-\(member.id).ics" }),
                    file.eventCount > 0
                else { continue }
                let parsed = try ICalParser.parse(file.text, source: file.name)
                for event in parsed.events {
                    #expect(
                        // libical drops a CN's outer spaces on parse, as it does for TEXT values.
                        event.attendees.contains { expectedText($0.name) == expectedText(member.name) },
                        "seed \(seed) \(file.name): \(member.name.debugDescription) not in \(event.attendees.map(\.name.debugDescription))")
                }
            }
        }
    }

    /// `build --verify`'s cross-check: every event of a hostile town rendered through libical's
    /// serialiser as well is byte-identical to the direct writer's text (a difference is an error).
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func hostileTownsRenderAsLibicalDoes(seed: UInt64) throws {
        let (plan, roster) = hostileTown(seed: seed)
        let schedule = try Scheduler(
            plan: plan, roster: roster, holidays: HolidayCalendar(), recurrence: LibicalRecurrence()
        ).schedule()
        for publicAttendees in [false, true] {
            var plan = plan
            plan.feeds.publicAttendees = publicAttendees
            var builder = FeedBuilder(
                plan: plan, roster: roster, schedule: schedule, language: .zh, now: Stamp(seconds: 1_795_939_200),
                previous: FeedManifest())
            builder.crossCheck = true
            let checked = try builder.build()
            #expect(checked.renderedEvents == schedule.sessions.count)
            #expect(checked.files == (try feeds(plan, roster, schedule)).files)
        }
    }

    /// Control characters that input validation refuses never reach a feed: the writer refuses
    /// them too rather than emit them.
    @Test func otherControlCharactersAreRefusedNotWritten() throws {
        let (plan, roster) = hostileTown(seed: 99)
        let schedule = try Scheduler(
            plan: plan, roster: roster, holidays: HolidayCalendar(), recurrence: LibicalRecurrence()
        ).schedule()
        let scheduled = try #require(schedule.sessions.first { !$0.memberIDs.isEmpty }?.memberIDs.first)
        let members = roster.members.map { member in
            var member = member
            if member.id == scheduled { member.name = "坏\u{1B}[31m名" }
            return member
        }
        #expect(throws: FeedError.self) { try feeds(plan, Roster(members: members), schedule) }
    }

    /// What a value reads back as: line breaks as LF, tabs as spaces; outer spaces dropped from
    /// TEXT values (libical strips them on parse) but kept in parameters such as CN.
    func expectedText(_ value: String, trimmed: Bool = true) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            scalars.append(previousWasCR ? "\n" : scalar == "\t" ? " " : scalar)
        }
        return trimmed ? String(scalars).trimmingCharacters(in: CharacterSet(charactersIn: " ")) : String(scalars)
    }
}
