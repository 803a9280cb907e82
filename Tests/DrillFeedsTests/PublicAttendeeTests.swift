import DrillCore
import Foundation
import ICal
import Testing

@testable import DrillFeeds

/// Public feeds (town, team, village) name nobody unless the plan sets
/// `feeds: {public_attendees: true}`; private member feeds keep their attendees.
@Suite struct PublicAttendeeTests {
    @Test func publicFeedsCarryNoNamesByDefault() throws {
        let (plan, roster, schedule) = try exampleTown()
        #expect(plan.feeds.publicAttendees == false)
        let set = try feeds(plan, roster, schedule)
        let publicFiles = set.files.filter { !$0.name.hasPrefix("member-") }
        #expect(publicFiles.count > 10)
        for file in publicFiles {
            let text = file.text.replacingOccurrences(of: "\r\n ", with: "")  // unfolded
            #expect(!text.contains("ATTENDEE"), "\(file.name)")
            #expect(!text.contains("督导："), "\(file.name)")
            for member in roster.members where member.name.count >= 2 {
                #expect(!text.contains(member.name), "\(file.name) names \(member.name)")
            }
            for supervisor in plan.supervisors {
                #expect(!text.contains(supervisor.name), "\(file.name) names \(supervisor.name)")
            }
        }
        // The same event, by UID, keeps one SEQUENCE and DTSTAMP in every feed that holds it.
        let town = try ICalParser.parse(
            try #require(set.files.first { $0.name == "town.ics" }).text, source: "town")
        for file in set.files where file.name.hasPrefix("member-") && file.eventCount > 0 {
            let parsed = try ICalParser.parse(file.text, source: file.name)
            for event in parsed.events {
                let twin = try #require(town.events.first { $0.uid == event.uid })
                #expect(twin.sequence == event.sequence && twin.stamp == event.stamp)
                #expect(twin.attendees.isEmpty)
            }
        }
    }

    @Test func memberFeedsKeepTheirAttendees() throws {
        let (plan, roster, schedule) = try exampleTown()
        let set = try feeds(plan, roster, schedule)
        let member = try #require(roster.members.first)
        let file = try #require(set.files.first { $0.name == "member-\(member.id).ics" })
        #expect(file.eventCount > 0)
        let parsed = try ICalParser.parse(file.text, source: file.name)
        for event in parsed.events {
            #expect(event.attendees.contains { $0.name == member.name && $0.role == "REQ-PARTICIPANT" })
        }
    }

    @Test func publicAttendeesCanBeTurnedOn() throws {
        var (plan, roster, schedule) = try exampleTown()
        plan.feeds.publicAttendees = true
        let set = try feeds(plan, roster, schedule)
        let town = try #require(set.files.first { $0.name == "town.ics" })
        let member = try #require(roster.members.first)
        #expect(town.text.contains("ATTENDEE;CN=\(member.name)"))
        #expect(town.text.contains("ROLE=CHAIR"))
        // With one form per event, public and member feeds carry the very same VEVENT text.
        let memberFile = try #require(set.files.first { $0.name == "member-\(member.id).ics" })
        let start = try #require(memberFile.text.range(of: "BEGIN:VEVENT\r\n"))
        let end = try #require(
            memberFile.text.range(of: "END:VEVENT\r\n", range: start.upperBound..<memberFile.text.endIndex))
        #expect(town.text.contains(memberFile.text[start.lowerBound..<end.upperBound]))
    }

    @Test func turningPublicAttendeesOffRaisesSequenceOnce() throws {
        var (plan, roster, schedule) = try exampleTown()
        plan.feeds.publicAttendees = true
        let before = try feeds(plan, roster, schedule)
        plan.feeds.publicAttendees = false
        let after = try FeedBuilder(
            plan: plan, roster: roster, schedule: schedule, language: .zh, now: Stamp(seconds: 1_800_000_000),
            previous: before.manifest
        ).build()
        for (uid, entry) in after.manifest.events {
            let old = try #require(before.manifest.events[uid])
            let session = try #require(schedule.sessions.first { $0.uid == uid })
            let named = session.supervisorID != nil || !session.memberIDs.isEmpty || session.kind == .deadline
            #expect(entry.sequence == old.sequence + (named ? 1 : 0), "\(uid)")
        }
        let again = try FeedBuilder(
            plan: plan, roster: roster, schedule: schedule, language: .zh, now: Stamp(seconds: 1_900_000_000),
            previous: after.manifest
        ).build()
        #expect(again.files == after.files)
    }
}
