import DrillCore
import Foundation
import Logging
import Synchronization
import Testing

@testable import DrillServer

/// `serve` reads the members' absence notices (issue 8, item 4): a notice given on a member's page
/// counts them away in the served feeds, as `drillcal build` does, without touching any file.
@Suite("Absence notices in the served feeds")
struct AbsenceNoticeReloadTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"

    /// What the store would say, changed by the test as a member's page would change the store.
    final class Notices: Sendable {
        let value = Mutex(NoticeDays())
        var days: NoticeDays { value.withLock { $0 } }
    }

    /// The drill's event in the village team's feed (lines unfolded): its day and expected turnout.
    func event(_ library: FeedLibrary) throws -> (text: String, day: CivilDate, expected: Int, away: Int) {
        let feed = try #require(library.catalog.publicFeeds["team-v-xiaping.ics"])
        let text = String(buffer: feed.bytes).replacingOccurrences(of: "\r\n ", with: "")
        let block = try #require(
            text.components(separatedBy: "BEGIN:VEVENT").first { $0.contains("UID:\(drill)") })
        let start = try #require(block.firstMatch(of: /DTSTART;TZID=[^:]+:([0-9]{4})([0-9]{2})([0-9]{2})T/))
        let day = try #require(CivilDate(iso: "\(start.output.1)-\(start.output.2)-\(start.output.3)"))
        let expected = try #require(block.firstMatch(of: /预计到场 ([0-9]+) 人/))
        let away = block.firstMatch(of: /([0-9]+) 人外出/).flatMap { Int(String($0.output.1)) } ?? 0
        return (block, day, try #require(Int(String(expected.output.1))), away)
    }

    @Test("a notice lowers the served expected turnout on its session's day; a withdrawal restores it")
    func noticeReachesTheServedFeeds() throws {
        let fixture = try ServerFixture.make()
        defer { fixture.cleanUp() }
        let notices = Notices()
        let library = try FeedLibrary(
            folder: TownFolder(
                directory: fixture.town.path, moves: ServerFixture.moves, notices: { notices.days }))
        var logger = Logger(label: "tests")
        logger.logLevel = .critical
        let before = try event(library)
        #expect(!library.reloadIfChanged(logger: logger), "nothing changed: no rebuild")

        notices.value.withLock {
            $0 = NoticeDays(
                notices: [
                    AbsenceNotice(sessionUID: drill, memberID: "m048", reason: "去广东务工私事", at: 1_790_000_000)
                ],
                days: [drill: before.day])
        }
        #expect(library.reloadIfChanged(logger: logger), "a new notice rebuilds the feeds")
        let after = try event(library)
        #expect(after.day == before.day)
        #expect(after.expected == before.expected - 1, "\(after.text)")
        #expect(after.away == before.away + 1)
        #expect(library.catalog.roster.members.first { $0.id == "m048" }?.isAway(on: before.day) == true)
        for feed in library.catalog.publicFeeds.values {
            #expect(!String(buffer: feed.bytes).contains("去广东务工私事"), "\(feed.name) carries the reason")
        }
        #expect(!library.reloadIfChanged(logger: logger), "the same notices: no rebuild")

        notices.value.withLock { $0 = NoticeDays() }
        #expect(library.reloadIfChanged(logger: logger))
        #expect(try event(library).expected == before.expected)
    }
}
