import ChildProcess
import DrillCore
import Foundation
import Testing

@testable import DrillFeeds

/// FeedWriter publishes whole generations behind a link and deletes nothing it did not write.
@Suite struct GenerationTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
        "drillfeeds-\(UUID().uuidString)")
    var folder: URL { base.appendingPathComponent("feeds") }

    func set(_ files: [String: String], sequence: Int = 0) -> FeedSet {
        var manifest = FeedManifest()
        manifest.version = 1 + sequence
        return FeedSet(
            files: files.sorted { $0.key < $1.key }.map {
                FeedFile(name: $0.key, text: $0.value, eventCount: 0)
            },
            manifest: manifest, renderedEvents: 0)
    }

    func inode(_ path: String) -> (ino: UInt, mtime: Int) {
        var info = stat()
        stat(path, &info)
        return (UInt(info.st_ino), Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
    }

    func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test func publishesBehindALinkAndKeepsUnchangedFilesInPlace() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let first = try FeedWriter.write(set(["town.ics": "A", "team-x.ics": "B"]), to: folder)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder.path)
        #expect(link == "feeds.d/\(first.lastPathComponent)")
        #expect(entries(folder.path) == ["manifest.json", "team-x.ics", "town.ics"])
        let townBefore = inode(folder.path + "/town.ics")
        let teamBefore = inode(folder.path + "/team-x.ics")

        // Same bytes: nothing is written, the link does not move.
        let same = try FeedWriter.write(set(["town.ics": "A", "team-x.ics": "B"]), to: folder)
        #expect(same == first)

        // One feed changes: a new generation; the unchanged feed is the same inode with the same mtime.
        let second = try FeedWriter.write(set(["town.ics": "A", "team-x.ics": "C"], sequence: 1), to: folder)
        #expect(second != first)
        #expect(try String(contentsOf: folder.appendingPathComponent("team-x.ics"), encoding: .utf8) == "C")
        let townAfter = inode(folder.path + "/town.ics")
        #expect(townAfter.ino == townBefore.ino && townAfter.mtime == townBefore.mtime)
        #expect(inode(folder.path + "/team-x.ics").ino != teamBefore.ino)

        // A feed no longer produced disappears with its generation; two generations are kept.
        _ = try FeedWriter.write(set(["town.ics": "D"], sequence: 2), to: folder)
        #expect(entries(folder.path) == ["manifest.json", "town.ics"])
        let root = base.appendingPathComponent("feeds.d").path
        #expect(entries(root).filter { Int($0) != nil }.count == 2)
        #expect(entries(base.path) == ["feeds", "feeds.d"])
    }

    /// Feed text is written from its own UTF-8 storage: the bytes on disk are the text's UTF-8,
    /// Chinese, line breaks and an empty feed alike, and the same texts are found unchanged.
    @Test func textIsWrittenAsItsUTF8AndComparedAsIs() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let texts = [
            "town.ics": "BEGIN:VCALENDAR\r\nX-WR-CALNAME:青山镇 综合应急救援队\r\nEND:VCALENDAR\r\n",
            "team-x.ics": "", "member-m1.ics": String(repeating: "村民兵 drill ", count: 9_000),
        ]
        let first = try FeedWriter.write(set(texts), to: folder)
        for (name, text) in texts {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(bytes == Data(text.utf8), "\(name)")
        }
        #expect(try FeedWriter.write(set(texts), to: folder) == first)
        var changed = texts
        changed["town.ics"] = texts["town.ics"]!.replacingOccurrences(of: "青山镇", with: "青山乡")
        #expect(try FeedWriter.write(set(changed, sequence: 1), to: folder) != first)
        #expect(try Data(contentsOf: folder.appendingPathComponent("town.ics")) == Data(changed["town.ics"]!.utf8))
    }

    /// Pages of `path` the page cache holds (mincore on a mapping of the file).
    func residentPages(_ path: String) -> (resident: Int, pages: Int) {
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var info = stat()
        guard fd >= 0, fstat(fd, &info) == 0, info.st_size > 0 else { return (0, 0) }
        let length = Int(info.st_size)
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return (-1, 0) }
        defer { munmap(map, length) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + page - 1) / page)
        guard mincore(map, length, &vector) == 0 else { return (-1, 0) }
        return (vector.filter { $0 & 1 == 1 }.count, vector.count)
    }

    /// A disk file system (ext4, XFS, Btrfs) honours O_DIRECT by leaving the page cache out;
    /// tmpfs and overlay keep every page in memory whatever the flag.
    func onDiskFileSystem(_ path: String) throws -> Bool {
        let type = try #require(Int(try output("/usr/bin/stat", ["-f", "-c", "%t", path]), radix: 16))
        return [0xEF53, 0x5846_5342, 0x9123_683E].contains(type)
    }

    /// Large files (member feeds) are written past the page cache, their last partial block
    /// through it: every length around the block and the threshold comes back byte for byte, and
    /// on a disk file system the page cache holds at most that last block of a large file.
    @Test func largeFilesGoPastThePageCacheWithEveryByteInPlace() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let minimum = Generations.directMinimum
        let block = Generations.directBlock
        let line = "DESCRIPTION:村民兵 集合 drill 第#次\r\n"
        func text(_ length: Int) -> String {
            var t = ""
            var n = 0
            while t.utf8.count + 64 < length {
                t += line.replacingOccurrences(of: "#", with: String(n))
                n += 1
            }
            return t + String(repeating: "x", count: length - t.utf8.count)
        }
        var texts: [String: String] = ["town.ics": text(200)]
        for (i, length) in [minimum - 1, minimum, minimum + 1, minimum + block - 1, 3 * minimum + 1_234, 9 * block].enumerated() {
            texts["member-m\(i).ics"] = text(length)
        }
        _ = try FeedWriter.write(set(texts), to: folder)
        let disk = try onDiskFileSystem(base.path)
        for (name, expected) in texts {
            let path = folder.appendingPathComponent(name).path
            let bytes = Data(expected.utf8)
            if disk && bytes.count >= minimum + block {
                let (resident, pages) = residentPages(path)
                #expect(resident <= 1 && pages > 1, "\(name): \(resident) of \(pages) pages in the page cache")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes, "\(name)")
        }
        // Unchanged bytes read back from disk are found unchanged: the link stays.
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: folder.path)
        _ = try FeedWriter.write(set(texts), to: folder)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path) == link)
    }

    @Test func leftoversOfKilledBuildsAreRemoved() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        let root = base.appendingPathComponent("feeds.d").path
        // A dead process's half-written generation and temporary link (pid 2^22+1 cannot exist).
        let dead = 4_194_305
        try FileManager.default.createDirectory(
            atPath: root + "/next.tmp-\(dead)", withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: root + "/next.tmp-\(dead)/town.ics"))
        _ = symlink("feeds.d/000001", root + "/link.tmp-\(dead)")
        // A running build's temporaries (this process's parent stands in for it) stay.
        let alive = getppid()
        try FileManager.default.createDirectory(
            atPath: root + "/next.tmp-\(alive)", withIntermediateDirectories: true)
        try FeedWriter.write(set(["town.ics": "B"], sequence: 1), to: folder)
        #expect(!entries(root).contains("next.tmp-\(dead)"))
        #expect(!entries(root).contains("link.tmp-\(dead)"))
        #expect(entries(root).contains("next.tmp-\(alive)"))
    }

    @Test("an unchanged rebuild removes generations a build killed after its switch left behind")
    func unchangedRebuildPrunesAfterAKilledSwitch() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("feeds.d").path
        try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        try FeedWriter.write(set(["town.ics": "B"], sequence: 1), to: folder)
        let second = entries(root).filter { Int($0) != nil }
        #expect(second.count == 2)
        // A third build killed between its switch and its clean-up: a third generation, linked.
        let third = Generations.generationName(Int(second.max { Int($0)! < Int($1)! }!)! + 1)
        try FileManager.default.copyItem(atPath: root + "/" + second.max { Int($0)! < Int($1)! }!, toPath: root + "/" + third)
        try Data("C".utf8).write(to: URL(fileURLWithPath: root + "/" + third + "/town.ics"))
        unlink(folder.path)
        symlink("feeds.d/" + third, folder.path)
        #expect(entries(root).filter { Int($0) != nil }.count == 3)

        // The next build has the same files: nothing to publish, but the oldest generation goes.
        var next = set(["town.ics": "C"], sequence: 1)
        next.manifest = try FeedWriter.previousManifest(in: folder)
        let published = try FeedWriter.write(next, to: folder)
        #expect(published.lastPathComponent == third)
        let left = entries(root).filter { Int($0) != nil }.sorted { Int($0)! < Int($1)! }
        #expect(left.count == 2)
        #expect(left.last == third)
        #expect(!left.contains(second.min { Int($0)! < Int($1)! }!), "the oldest is gone: \(left)")
    }

    @Test func aFolderWithForeignFilesIsRefusedAndKept() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let foreign = folder.appendingPathComponent("holidays-from-the-county.ics")
        try Data("BEGIN:VCALENDAR".utf8).write(to: foreign)
        let error = #expect(throws: WriteError.self) {
            try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        }
        #expect(error?.refusal == .foreignFile("holidays-from-the-county.ics"))
        #expect(try String(contentsOf: foreign, encoding: .utf8) == "BEGIN:VCALENDAR")
        #expect(entries(folder.path) == ["holidays-from-the-county.ics"])
        #expect(entries(base.path) == ["feeds"])
    }

    @Test func aFeedFolderFromBeforeGenerationsIsSwappedWhole() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in [("town.ics", "old"), ("member-m1.ics", "old"), ("town.ics.tmp-4194305", "x")] {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        var manifest = FeedManifest()
        manifest.events["u"] = FeedManifest.Entry(
            sequence: 4, contentHash: "h", stamp: "20270101T000000Z", feeds: ["town.ics"], summary: "s",
            start: "20270101T090000", end: "20270101T100000")
        try JSONEncoder().encode(manifest).write(to: folder.appendingPathComponent("manifest.json"))
        #expect(try FeedWriter.previousManifest(in: folder).events["u"]?.sequence == 4)

        try FeedWriter.write(set(["town.ics": "new"]), to: folder)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path).hasPrefix("feeds.d/"))
        #expect(entries(folder.path) == ["manifest.json", "town.ics"])
        #expect(entries(base.path) == ["feeds", "feeds.d"])
        #expect(entries(base.appendingPathComponent("feeds.d").path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func aForeignLinkOrGenerationsFolderIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent("elsewhere"), withIntermediateDirectories: true)
        _ = symlink("elsewhere", folder.path)
        #expect(throws: WriteError.self) { try FeedWriter.write(set(["town.ics": "A"]), to: folder) }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path) == "elsewhere")
        unlink(folder.path)
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent("feeds.d"), withIntermediateDirectories: true)
        #expect(throws: WriteError.self) { try FeedWriter.write(set(["town.ics": "A"]), to: folder) }
        #expect(entries(base.appendingPathComponent("feeds.d").path).isEmpty)
    }

    /// A build's new database rides along with the feeds: made durable by the same sync, placed by
    /// `beforeSwitch` while readers still see the old set, and nothing is switched if placing fails.
    @Test func companionsArePlacedBeforeTheSwitch() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        let companion = base.appendingPathComponent("town.sqlite.new-1").path
        try Data("db".utf8).write(to: URL(fileURLWithPath: companion))
        var sawOld = false
        let second = try FeedWriter.write(set(["town.ics": "B"], sequence: 1), to: folder, companions: [companion]) {
            sawOld = (try? String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8)) == "A"
            #expect(link(companion, base.appendingPathComponent("town.sqlite").path) == 0)
        }
        #expect(sawOld)
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "B")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path) == "feeds.d/\(second.lastPathComponent)")

        // Unchanged feeds: the companion is still made durable and placed.
        var placed = false
        let same = try FeedWriter.write(set(["town.ics": "B"], sequence: 1), to: folder, companions: [companion]) {
            placed = true
        }
        #expect(placed && same == second)

        // Placing fails: the old set stays published and the new generation is gone.
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try FeedWriter.write(set(["town.ics": "C"], sequence: 2), to: folder, companions: [companion]) {
                throw Refused()
            }
        }
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "B")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path) == "feeds.d/\(second.lastPathComponent)")
        let root = base.appendingPathComponent("feeds.d").path
        #expect(!entries(root).contains { $0.contains(".tmp-") }, "\(entries(root))")
        #expect(entries(root).filter { Int($0) != nil }.count == 2)
        // A companion that cannot be synced fails the write before anything is switched.
        #expect(throws: WriteError.self) {
            try FeedWriter.write(set(["town.ics": "D"], sequence: 3), to: folder, companions: [base.appendingPathComponent("missing").path])
        }
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "B")
    }

    /// Output of a command (trimmed).
    func output(_ tool: String, _ arguments: [String]) throws -> String {
        try ChildProcess.run(tool, arguments).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Journaled ext4 and XFS commit metadata in order, so a new generations folder rides on the
    /// generation's sync; anywhere else (ext4 without a journal, as on these build machines) it is
    /// synced. The file system type must be the one `stat -f` reports, and an ext4 file system's
    /// journal the one the kernel lists in /proc/fs/jbd2 (`<device>-<inode>`) for the device
    /// `findmnt` names.
    @Test func fileSystemTypeAndJournalAreReadAsTheSystemReportsThem() throws {
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let hex = try output("/usr/bin/stat", ["-f", "-c", "%t", base.path])
        let type = try #require(Int(hex, radix: 16))
        var journaled = false
        if type == 0xEF53 {
            let source = try output("/usr/bin/findmnt", ["-n", "-o", "SOURCE", "--target", base.path])
            let device = URL(fileURLWithPath: source).resolvingSymlinksInPath().lastPathComponent
            journaled = entries("/proc/fs/jbd2").contains { $0.hasPrefix(device + "-") }
            #expect(Generations.ext4Journal(base.path) == journaled, "device \(device)")
        }
        #expect(
            Generations.metadataInOrder(base.path) == (type == 0x5846_5342 || (type == 0xEF53 && journaled)),
            "type \(hex)")
        #expect(!Generations.metadataInOrder(base.path + "/missing"))
        #expect(Generations.ext4Journal(base.path + "/missing") == nil)
    }

    /// A generation is named before its sync; one a killed build named but never linked stays
    /// while a build publishes nothing (it could be a running build's), and goes once a build
    /// publishes above it.
    @Test func aNumberedGenerationNeverLinkedIsRemovedOnceABuildPublishesAboveIt() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let root = base.appendingPathComponent("feeds.d").path
        let first = try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        let stray = Generations.generationName(Int(first.lastPathComponent)! + 1)
        try FileManager.default.createDirectory(atPath: root + "/" + stray, withIntermediateDirectories: true)
        try Data("half".utf8).write(to: URL(fileURLWithPath: root + "/" + stray + "/town.ics"))

        #expect(try FeedWriter.write(set(["town.ics": "A"]), to: folder) == first)
        #expect(entries(root).contains(stray))

        let next = try FeedWriter.write(set(["town.ics": "B"], sequence: 1), to: folder)
        #expect(Int(next.lastPathComponent)! > Int(stray)!)
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "B")
        #expect(entries(root).filter { Int($0) != nil } == [first.lastPathComponent, next.lastPathComponent])
        #expect(!entries(root).contains { $0.contains(".tmp-") })
    }

    /// The generations folder is made whole under a temporary name; one a killed build left behind
    /// is removed, and no temporary stays beside the feeds.
    @Test func generationsFolderIsMadeWhole() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let dead = 4_194_305  // above the kernel's largest pid (2^22): no process has it
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent("feeds.d.tmp-\(dead)"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent("feeds.d.tmp-\(getppid())"), withIntermediateDirectories: true)
        try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        // The running process's temporary is not touched; the dead one's is gone.
        #expect(entries(base.path) == ["feeds", "feeds.d", "feeds.d.tmp-\(getppid())"])
        #expect(entries(base.appendingPathComponent("feeds.d").path).contains(".drillcal-generations"))
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "A")
    }

    /// Staging writes the next generation where no reader looks; discarding it leaves the published
    /// set and nothing else, and publishing it is what `write` does.
    @Test func stagedFeedsAreUnseenUntilPublishedAndDiscardLeavesNothing() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let first = try FeedWriter.write(set(["town.ics": "A"]), to: folder)
        let root = base.appendingPathComponent("feeds.d").path

        let dropped = try FeedWriter.stage(set(["town.ics": "B"], sequence: 1), to: folder)
        #expect(entries(root).contains { $0.hasPrefix("next.tmp-") })
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "A")
        dropped.discard()
        #expect(!entries(root).contains { $0.contains(".tmp-") }, "\(entries(root))")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path) == "feeds.d/\(first.lastPathComponent)")

        let staged = try FeedWriter.stage(set(["town.ics": "B"], sequence: 1), to: folder)
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "A")
        let second = try staged.publish()
        #expect(second != first)
        #expect(try String(contentsOf: folder.appendingPathComponent("town.ics"), encoding: .utf8) == "B")
        #expect(entries(folder.path) == ["manifest.json", "town.ics"])
        #expect(!entries(root).contains { $0.contains(".tmp-") })
    }
}
