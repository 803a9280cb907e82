import Foundation
import Testing

@testable import DrillIO

#if canImport(Glibc)
    import Glibc
#endif

/// `RegionInputs`: a town's hash changes with any input it reads and only then, a file whose stat
/// stamp is unchanged is not read again, and one changed just before the scan keeps no stamp.
@Suite struct RegionInputsTests {
    /// `<tmp>/region` with towns `a` and `b` (plan.yaml, roster.csv) and the shared `holidays/`.
    struct Region {
        let root: String
        var region: String { root + "/region" }
        var towns: [String] { [region + "/a", region + "/b"] }

        init() throws {
            root = NSTemporaryDirectory() + "region-inputs-" + UUID().uuidString
            for folder in ["region/a", "region/b", "region/holidays"] {
                try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            }
            for town in ["a", "b"] {
                try write("region/\(town)/plan.yaml", "town: \(town)\n")
                try write("region/\(town)/roster.csv", "name,phone\n张三,13800000001\n")
            }
            try write("region/holidays/2027.yaml", "holidays: []\n")
        }

        func write(_ relative: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + relative))
        }

        /// A scan as if run `later` seconds from now (past the racy window for files just written).
        func scan(known: RegionInputs.Known = [:], later: Double = 60, options: String = "o")
            -> (scans: [RegionInputs.Scan], known: RegionInputs.Known)
        {
            RegionInputs.scan(
                towns: towns, region: region, options: options, known: known,
                now: Date().timeIntervalSince1970 + later)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func theHashFollowsEveryInputAndNothingElse() throws {
        let r = try Region()
        defer { r.remove() }
        let first = r.scan().scans.map(\.hash)
        #expect(first.count == 2 && first[0] != first[1], "towns with different plans differ")
        #expect(r.scan().scans.map(\.hash) == first, "same inputs, same hashes")
        #expect(r.scan(options: "p").scans.map(\.hash) != first, "the options count")

        // Hidden files, the database and folders are not inputs.
        try r.write("region/a/.notes", "x")
        try r.write("region/a/drillcal.sqlite", "x")
        try FileManager.default.createDirectory(atPath: r.region + "/a/exports", withIntermediateDirectories: true)
        #expect(r.scan().scans.map(\.hash) == first)

        // Any other file in the town folder is.
        try r.write("region/a/overrides.yaml", "x: 1\n")
        let added = r.scan().scans.map(\.hash)
        #expect(added[0] != first[0] && added[1] == first[1])

        // The shared holidays count for every town.
        try r.write("region/holidays/2028.yaml", "holidays: []\n")
        let holidays = r.scan().scans.map(\.hash)
        #expect(holidays[0] != added[0] && holidays[1] != added[1])
    }

    @Test func aRegionMovedElsewhereKeepsItsHashes() throws {
        let r = try Region()
        defer { r.remove() }
        let before = r.scan().scans.map(\.hash)
        try FileManager.default.moveItem(atPath: r.region, toPath: r.root + "/moved")
        let moved = RegionInputs.scan(
            towns: [r.root + "/moved/a", r.root + "/moved/b"], region: r.root + "/moved", options: "o", known: [:],
            now: Date().timeIntervalSince1970 + 60)
        #expect(moved.scans.map(\.hash) == before)
    }

    /// A kept stamp stands for the file's bytes: with the recorded hash altered (same stamp), the
    /// town's hash follows the altered value, so the file was not read.
    @Test func aFileWhoseStampIsUnchangedIsNotReadAgain() throws {
        let r = try Region()
        defer { r.remove() }
        let (scans, known) = r.scan()
        let roster = r.region + "/a/roster.csv"
        let stamp = try #require(known[roster])
        #expect(known.count == 4, "plan and roster of both towns: \(known.keys.sorted())")
        var altered = known
        altered[roster] = String(stamp[..<stamp.lastIndex(of: ":")!]) + ":1234"
        let again = r.scan(known: altered)
        #expect(again.scans[0].hash != scans[0].hash && again.scans[1].hash == scans[1].hash)
        #expect(again.known[roster] == altered[roster])
        #expect(r.scan(known: known).scans == scans)
    }

    /// Same size, same modification time (set back), different bytes: the change time still
    /// differs, so the file is read and the hash changes.
    @Test func aFilePutBackWithItsOldTimeIsReadAgain() throws {
        let r = try Region()
        defer { r.remove() }
        let roster = r.region + "/a/roster.csv"
        var old = stat()
        #expect(stat(roster, &old) == 0)
        let (scans, known) = r.scan()
        usleep(20_000)  // past the file system's clock step
        try r.write("region/a/roster.csv", "name,phone\n李四,13800000001\n")
        var times = [old.st_atim, old.st_mtim]
        #expect(utimensat(AT_FDCWD, roster, &times, 0) == 0)
        var now = stat()
        #expect(stat(roster, &now) == 0)
        #expect(now.st_size == old.st_size && now.st_mtim.tv_sec == old.st_mtim.tv_sec && now.st_mtim.tv_nsec == old.st_mtim.tv_nsec)
        let again = r.scan(known: known)
        #expect(again.scans[0].hash != scans[0].hash && again.scans[1].hash == scans[1].hash)
    }

    @Test func aFileChangedJustBeforeTheScanKeepsNoStamp() throws {
        let r = try Region()
        defer { r.remove() }
        let now = r.scan(later: 0)
        #expect(now.known.isEmpty, "every file was written within the racy window: \(now.known.keys.sorted())")
        #expect(now.scans == r.scan().scans, "the hashes do not depend on it")
    }

    @Test func theFeedsStampFollowsThePublishedFolder() throws {
        let r = try Region()
        defer { r.remove() }
        let town = r.region + "/a"
        let unpublished = r.scan().scans[0]
        #expect(RegionInputs.feedsStamp(town) == nil && unpublished.feeds == nil)
        let fm = FileManager.default
        try fm.createDirectory(atPath: town + "/feeds.d/000001", withIntermediateDirectories: true)
        try r.write("region/a/feeds.d/000001/town.ics", "BEGIN:VCALENDAR\r\n")
        try fm.createSymbolicLink(atPath: town + "/feeds", withDestinationPath: "feeds.d/000001")
        let first = try #require(RegionInputs.feedsStamp(town))
        let published = r.scan().scans[0]
        #expect(published.feeds == first)
        #expect(published.hash == unpublished.hash, "the feeds are output, not input")

        usleep(20_000)
        try fm.removeItem(atPath: town + "/feeds.d/000001/town.ics")
        let emptied = try #require(RegionInputs.feedsStamp(town))
        #expect(emptied != first, "a file removed from the published folder")

        try fm.createDirectory(atPath: town + "/feeds.d/000002", withIntermediateDirectories: true)
        try fm.removeItem(atPath: town + "/feeds")
        try fm.createSymbolicLink(atPath: town + "/feeds", withDestinationPath: "feeds.d/000002")
        #expect(RegionInputs.feedsStamp(town) != emptied, "another folder published")

        try fm.removeItem(atPath: town + "/feeds.d")
        #expect(RegionInputs.feedsStamp(town) == nil, "a link to nothing")
    }
}
