import DrillCore
import Foundation

/// A feed set that could not be published.
public struct WriteError: Error, CustomStringConvertible {
    /// Why a path given for the feeds is unusable as it stands: bad input, not a failure to write.
    public enum Refusal: Sendable, Hashable {
        /// A folder holding this file, which drillcal did not write.
        case foreignFile(String)
        /// A symbolic link to this target, which drillcal did not make.
        case foreignLink(String)
        /// Something that is not a folder.
        case notAFolder
        /// `<name>.d` exists without drillcal's marker.
        case foreignGenerations
    }

    /// The path.
    public var path: String
    /// errno text, or what is wrong.
    public var reason: String
    /// Set when the path is refused rather than failing to be written.
    public var refusal: Refusal?
    public var description: String { "\(path): \(reason)" }

    init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    init(path: String, refusal: Refusal) {
        self.path = path
        self.refusal = refusal
        self.reason = WriteError.text(refusal, .en)
    }

    /// What was found, in `language`, for a refusal.
    public func found(_ language: Language) -> String {
        refusal.map { WriteError.text($0, language) } ?? reason
    }

    static func text(_ refusal: Refusal, _ l: Language) -> String {
        switch refusal {
        case .foreignFile(let name):
            l.pick("文件夹里有不是 drillcal 写的 “\(name)”", "a folder holding \(name), which drillcal did not write")
        case .foreignLink(let target):
            l.pick(
                "指向 \(target) 的符号链接（不是 drillcal 建的）",
                "a symbolic link to \(target) that drillcal did not make")
        case .notAFolder: l.pick("不是文件夹", "something that is not a folder")
        case .foreignGenerations:
            l.pick(
                "旁边的同名 .d 文件夹不是 drillcal 的版本目录",
                "a sibling .d folder that is not drillcal's generations folder")
        }
    }
}

/// A `manifest.json` that cannot be read back: where, and what is wrong with it, in words a town
/// official can act on (never a raw `DecodingError`).
public struct ManifestReadError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Sendable {
        /// The file cannot be read.
        case unreadable
        /// It is not JSON at all (cut off, overwritten).
        case notJSON
        /// It is JSON, but a field is missing or of the wrong type.
        case wrongShape
    }
    /// The manifest's path.
    public var path: String
    /// The JSON field at fault (`events.qingshan-….sequence`), when known.
    public var field: String?
    /// What is wrong.
    public var problem: Problem

    /// `…/manifest.json，字段 …：应为 drillcal build 写出的清单 …，实际为 …；删除该文件可重新发布`.
    public func message(_ language: Language) -> String {
        let found: (String, String)
        switch problem {
        case .unreadable: found = ("无法读取的文件", "an unreadable file")
        case .notJSON: found = ("不是 JSON（文件损坏或被截断）", "not JSON (damaged or cut off)")
        case .wrongShape: found = ("缺少字段或类型不符", "a missing field or one of the wrong type")
        }
        switch language {
        case .zh:
            return path + (field.map { "，字段 \($0)" } ?? "")
                + "：应为 drillcal build 写出的日历清单（JSON），实际为\(found.0)；删除该文件即可重新发布（所有活动的 SEQUENCE 将从头计）"
        case .en:
            return path + ": " + (field.map { "field \($0): " } ?? "")
                + "expected the feed manifest drillcal build writes (JSON), found \(found.1); delete it to republish from scratch (every SEQUENCE starts again)"
        }
    }

    public var description: String { message(.en) }
}

/// Publishes a feed set so that readers see a whole set, old or new, never a mix.
///
/// The feed folder (`DIR/feeds`, or `--out PATH`) is a symbolic link to one generation folder
/// beside it, `DIR/feeds.d/<number>`. A build writes a new generation (files whose bytes did not
/// change are hard links to the previous generation's, so they keep their inode and mtime and
/// static servers keep their ETags), then swaps the link with one `rename`, then removes what
/// older builds left behind. Killed at any instant, a build leaves the link on the old set or the
/// new one; its half-written generation (`*.tmp-<pid>`, or a number the link never named) is
/// removed by a later build.
///
/// Nothing outside `feeds.d` is ever deleted, and a path that holds anything drillcal did not
/// write is refused, not cleared. A feed folder from before generations (a plain folder with
/// `manifest.json` and drillcal's own `.ics` files only) is swapped for the link atomically.
public enum FeedWriter {
    /// Reads the manifest of the previous build (empty on a first build).
    /// - Throws: when the manifest exists but cannot be read.
    public static func previousManifest(in folder: URL) throws(ManifestReadError) -> FeedManifest {
        let url = folder.appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return FeedManifest() }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ManifestReadError(path: url.path, field: nil, problem: .unreadable)
        }
        do {
            return try JSONDecoder().decode(FeedManifest.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.keyNotFound(_, context), let DecodingError.dataCorrupted(context)
        {
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            throw ManifestReadError(
                path: url.path, field: field.isEmpty ? nil : field, problem: context.codingPath.isEmpty ? .notJSON : .wrongShape)
        } catch {
            throw ManifestReadError(path: url.path, field: nil, problem: .notJSON)
        }
    }

    /// Publishes `set` at `folder` (see the type's documentation).
    /// - Parameters:
    ///   - companions: files the caller wrote (unsynced) to be made durable with the new generation:
    ///     by the same `syncfs` where they are on its file system, else one `fsync` each. A build
    ///     uses it for a town's new database, so its first publication costs no syncs of its own.
    ///   - beforeSwitch: runs once the generation and `companions` are durable and before readers
    ///     are switched to it (also when the feeds are unchanged); what it does to names in the
    ///     link's folder is made durable by the switch's folder sync. If it throws, nothing is
    ///     switched and the new generation is removed.
    /// - Returns: the generation folder now published.
    @discardableResult
    public static func write(
        _ set: FeedSet, to folder: URL, companions: [String] = [], beforeSwitch: () throws -> Void = {}
    ) throws -> URL {
        try stage(set, to: folder).publish(companions: companions, beforeSwitch: beforeSwitch)
    }

    /// The first half of `write`: the new generation's files written under a temporary name, not
    /// synced, and nothing published. The caller can go on computing (a build makes its database
    /// meanwhile), then calls `publish` on the result, or `discard`.
    ///
    /// The files' writeback is left to the kernel's flusher and the one sync in `publish`:
    /// starting it per file (`sync_file_range`, from cd6ded1 to 2026-12-03) did the writeback in
    /// the build's own process, 1,500 towns with member feeds 40.4 s of system time against 15.3 s
    /// and 57.4 s wall against 54.6 s; public feeds alone 26.7–26.8 s either way.
    public static func stage(_ set: FeedSet, to folder: URL) throws -> StagedFeeds {
        var files = set.files.map { GenerationFile(name: $0.name, content: .text($0.text)) }
        files.append(GenerationFile(name: "manifest.json", content: .bytes(set.manifest.jsonBytes())))
        return try Generations(link: folder.standardizedFileURL).stage(files)
    }

    /// Writes `bytes` to a temporary file beside `path` and renames it over `path`: readers see the
    /// old file or the new one, never a part (used for single files such as reports).
    public static func replace(_ path: String, with bytes: [UInt8]) throws {
        let temp = path + ".tmp-\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: temp, reason: String(cString: strerror(errno))) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temp)
                throw WriteError(path: temp, reason: reason)
            }
            offset += n
        }
        guard close(fd) == 0, rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw WriteError(path: path, reason: reason)
        }
    }
}

/// A feed set written under a temporary name by `FeedWriter.stage` and not yet published: readers
/// still see the old set. Publish it once, or discard it.
public struct StagedFeeds {
    let generations: Generations
    let current: Generations.Current
    /// The temporary folder; nil when the feeds are unchanged (nothing to switch).
    let staging: String?
    /// Names of the files written (not hard-linked) into it.
    let written: [String]

    /// Makes the generation durable with `companions`, runs `beforeSwitch`, and switches readers to
    /// it (see `FeedWriter.write` for both parameters).
    /// - Returns: the generation folder now published.
    @discardableResult
    public func publish(companions: [String] = [], beforeSwitch: () throws -> Void = {}) throws -> URL {
        try generations.commit(self, companions: companions, beforeSwitch: beforeSwitch)
    }

    /// Removes the temporary generation (when the build fails before publishing it).
    public func discard() {
        if let staging { try? FileManager.default.removeItem(atPath: staging) }
    }
}

/// One file of a generation: calendar text, written and compared straight from its UTF-8 storage
/// (a province's member feeds are 15 GB: copying each into an array first cost a copy and, for
/// memory the allocator had just handed back to the kernel, a page fault per page), or bytes.
struct GenerationFile {
    enum Content {
        case text(String)
        case bytes([UInt8])
    }
    let name: String
    let content: Content

    /// Runs `body` on the file's bytes.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch content {
        case .bytes(let bytes):
            return try bytes.withUnsafeBytes(body)
        case .text(let text):
            if let result = try text.utf8.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
                return result
            }
            return try Array(text.utf8).withUnsafeBytes(body)
        }
    }
}

/// A page-aligned buffer for O_DIRECT writes, grown as needed and reused for every file of one
/// staged generation (`Generations.writeNewFile`).
final class DirectScratch {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0

    /// A buffer of at least `count` bytes aligned to `Generations.directBlock`, or nil when no
    /// memory could be had (the file is then written through the page cache).
    func reserve(_ count: Int) -> UnsafeMutableRawPointer? {
        if count <= capacity { return base }
        free(base)
        base = nil
        capacity = 0
        let size = max(count, 256 * 1024)
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, Generations.directBlock, size) == 0, let pointer else { return nil }
        base = pointer
        capacity = size
        return pointer
    }

    deinit { free(base) }
}

/// The generations behind one feed link: `<parent>/<name>` → `<name>.d/<number>`.
struct Generations {
    let link: String
    let parent: String
    let name: String
    let root: String
    static let marker = ".drillcal-generations"

    init(link url: URL) {
        link = url.path
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        root = parent + "/" + name + ".d"
    }

    /// The kinds of thing that can sit at the link's path.
    enum Current {
        case missing
        case ours(generation: String)
        case legacyFolder
    }

    /// Writes the new generation under a temporary name (step 1), or finds the feeds unchanged.
    func stage(_ files: [GenerationFile]) throws -> StagedFeeds {
        let fm = FileManager.default
        try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        let current = try inspect()
        try prepareRoot()
        removeLeftovers(keeping: [])
        let previous: String? =
            switch current {
            case .ours(let generation): root + "/" + generation
            case .legacyFolder: link
            case .missing: nil
            }
        if let previous { prefetch(files, from: previous) }
        if case .ours(let generation) = current, unchanged(files, in: root + "/" + generation) {
            return StagedFeeds(generations: self, current: current, staging: nil, written: [])
        }

        // 1. The new generation, under a temporary name.
        let staging = root + "/next.tmp-\(getpid())"
        try? fm.removeItem(atPath: staging)
        try check(mkdir(staging, 0o755), staging)
        var written: [String] = []
        let scratch = DirectScratch()
        do {
            for file in files {
                let path = staging + "/" + file.name
                if let previous, file.withBytes({ sameBytes(previous + "/" + file.name, $0) }),
                    Glibc.link(previous + "/" + file.name, path) == 0
                {
                    continue  // unchanged: the same inode, mtime and ETag as before
                }
                try file.withBytes { try writeNewFile(path, $0, scratch: scratch) }
                written.append(file.name)
            }
        } catch {
            try? fm.removeItem(atPath: staging)
            throw error
        }
        return StagedFeeds(generations: self, current: current, staging: staging, written: written)
    }

    /// Publishes a staged generation (steps 2 to 4), see `StagedFeeds.publish`.
    func commit(_ staged: StagedFeeds, companions: [String], beforeSwitch: () throws -> Void) throws -> URL {
        let fm = FileManager.default
        let current = staged.current
        guard let staging = staged.staging else {
            guard case .ours(let generation) = current else { preconditionFailure("unchanged feeds without a generation") }
            if !companions.isEmpty {
                for path in companions { try syncFile(path) }
                try beforeSwitch()
                try syncDirectory(parent)
            }
            // Nothing to publish, but a build killed after its switch and before its step 4 left
            // older generations behind: keep the current one and the newest before it (readers
            // may still be inside that one), as step 4 would have.
            if let number = Int(generation) {
                let older = generationNumbers().filter { $0 < number }.max()
                removeLeftovers(keeping: Set([generation] + (older.map { [Self.generationName($0)] } ?? [])))
            }
            return URL(fileURLWithPath: root + "/" + generation)
        }
        let pid = getpid()

        // 2. Its final name, the next free number, given before the sync so that the sync makes the
        // name durable with the files: a folder rename needs no ordering from the file system then
        // (ext4 without a journal, as on this project's build machines, writes metadata in any
        // order). A numbered generation is not published until the link names it; one a killed
        // build left unlinked is removed by a later build (`removeLeftovers`).
        var number = (generationNumbers().max() ?? 0) + 1
        var generation = Self.generationName(number)
        while rename(staging, root + "/" + generation) != 0 {
            guard errno == EEXIST || errno == ENOTEMPTY, number < Int(Int32.max) else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(atPath: staging)
                throw WriteError(path: root + "/" + generation, reason: reason)
            }
            number += 1
            generation = Self.generationName(number)
        }
        let folder = root + "/" + generation
        let written = staged.written.map { folder + "/" + $0 }
        // The new link is made now too, so that the same sync writes it (its inode as well as its
        // name); the switch below is then a rename in the link's folder and that folder's sync.
        let tempLink = root + "/link.tmp-\(pid)"
        unlink(tempLink)

        // Every new file, the generation's and the link's names on disk before readers are
        // switched; the caller's companions with them (each synced on its own if on another file
        // system).
        do {
            try check(symlink(name + ".d/" + generation, tempLink), tempLink)
            let device = deviceID(folder)
            let shared = companions.filter { device != nil && deviceID($0) == device }
            for path in companions where !shared.contains(path) { try syncFile(path) }
            try syncAll(written + shared, folders: [folder, root])
            try beforeSwitch()
        } catch {
            unlink(tempLink)
            try? fm.removeItem(atPath: folder)
            throw error
        }

        // 3. The switch: the new link renamed over the old one (or exchanged with a legacy folder).
        switch current {
        case .legacyFolder:
            try exchange(tempLink, link)
            // tempLink's name now holds the old plain folder: only drillcal's files (checked).
            try? fm.removeItem(atPath: tempLink)
        case .missing, .ours:
            guard rename(tempLink, link) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(tempLink)
                throw WriteError(path: link, reason: reason)
            }
        }
        try syncDirectory(parent)

        // 4. Older generations: the one just replaced stays for readers still inside it.
        var keep: Set<String> = [generation]
        if case .ours(let old) = current { keep.insert(old) }
        removeLeftovers(keeping: keep)
        return URL(fileURLWithPath: folder)
    }

    static func generationName(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    /// What sits at the link path now; refuses anything drillcal did not make.
    func inspect() throws -> Current {
        var info = stat()
        guard lstat(link, &info) == 0 else {
            guard errno == ENOENT else {
                throw WriteError(path: link, reason: String(cString: strerror(errno)))
            }
            return .missing
        }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) ?? ""
            let prefix = name + ".d/"
            let generation = String(target.dropFirst(prefix.count))
            guard target.hasPrefix(prefix), Int(generation) != nil, !generation.contains("/") else {
                throw WriteError(path: link, refusal: .foreignLink(target))
            }
            return .ours(generation: generation)
        case S_IFDIR:
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: link)) ?? []
            if let foreign = entries.sorted().first(where: { !Self.isLegacyEntry($0) }) {
                throw WriteError(path: link, refusal: .foreignFile(foreign))
            }
            return .legacyFolder
        default:
            throw WriteError(path: link, refusal: .notAFolder)
        }
    }

    /// A name drillcal wrote into a plain feed folder before generations existed.
    static func isLegacyEntry(_ entry: String) -> Bool {
        if entry == "manifest.json" { return true }
        var base = entry
        if let range = entry.range(of: ".tmp-", options: .backwards), Int(entry[range.upperBound...]) != nil {
            base = String(entry[..<range.lowerBound])
            if base == "manifest.json" { return true }
        }
        guard base.hasSuffix(".ics") else { return false }
        return base == "town.ics" || base.hasPrefix("team-") || base.hasPrefix("village-")
            || base.hasPrefix("member-")
    }

    /// Creates `<name>.d` with its marker, or checks that an existing one is drillcal's.
    func prepareRoot() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: root, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, fm.fileExists(atPath: root + "/" + Self.marker) else {
                throw WriteError(path: root, refusal: .foreignGenerations)
            }
            return
        }
        let text = Array("Feed generations of \(name); managed by drillcal build, which removes old ones.\n".utf8)
        // Made whole under a temporary name and renamed into place, so that no crash leaves
        // `<name>.d` without its marker (which the next build would refuse). Where the file system
        // commits metadata in order (`metadataInOrder`) nothing is synced here: the folder and its
        // marker are durable once anything after them is, and the generation's sync makes them so.
        // Elsewhere the marker and the folder are synced before the rename, which the generation's
        // sync then makes durable.
        let ordered = Self.metadataInOrder(parent)
        removeDeadTemporaries(in: parent, prefix: name + ".d.tmp-")
        let temporary = root + ".tmp-\(getpid())"
        try? fm.removeItem(atPath: temporary)
        try check(mkdir(temporary, 0o755), temporary)
        do {
            try text.withUnsafeBytes { try writeFile(temporary + "/" + Self.marker, $0, sync: !ordered) }
            if !ordered { try syncDirectory(temporary) }
            try check(rename(temporary, root), root)
        } catch {
            try? fm.removeItem(atPath: temporary)
            // Another build made it meanwhile: use it if it is drillcal's.
            guard fm.fileExists(atPath: root + "/" + Self.marker) else { throw error }
        }
    }

    /// Removes `<prefix><pid>` entries of `folder` whose process is gone (a build killed while
    /// making its generations folder).
    func removeDeadTemporaries(in folder: String, prefix: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)) else { continue }
            if pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM) { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + entry)
        }
    }

    /// Whether the file system holding `path` commits metadata changes (creations, renames) in the
    /// order they were made, a sync of one folder committing every change made before it: ext4 with
    /// its journal (jbd2 commits whole transactions in sequence) and XFS (its log is written in
    /// order). On those, a folder's names need no sync of their own when a later sync follows
    /// before anyone relies on them. ext4 without a journal (as on this project's build machines:
    /// `/proc/fs/jbd2` is empty) writes metadata blocks in any order, and btrfs logs each
    /// fsynced inode on its own: there every folder is synced.
    static func metadataInOrder(_ path: String) -> Bool {
        // Linux `statfs` (Swift's Glibc module does not declare it): `f_type`, a C long, is the
        // struct's first field on every Linux architecture; the struct is 120 bytes on 64-bit ones.
        typealias StatFS = @convention(c) (UnsafePointer<CChar>, UnsafeMutableRawPointer) -> Int32
        guard let symbol = statfsSymbol else { return false }
        var buffer = [UInt64](repeating: 0, count: 64)
        let type = buffer.withUnsafeMutableBytes { raw -> Int? in
            unsafeBitCast(symbol, to: StatFS.self)(path, raw.baseAddress!) == 0 ? raw.load(as: Int.self) : nil
        }
        if type == 0x5846_5342 { return true }
        return type == 0xEF53 && ext4Journal(path) == true
    }

    /// Whether the ext4 file system holding `path` has a journal: its block device's name from
    /// `/sys/dev/block/<major>:<minor>`, then `/sys/fs/ext4/<name>/journal_task` ("<none>" without
    /// a journal, the journal thread's pid with one). Nil when either cannot be read.
    static func ext4Journal(_ path: String) -> Bool? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        // glibc's encoding of dev_t (gnu_dev_major / gnu_dev_minor).
        let dev = UInt64(info.st_dev)
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
        let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
        guard let device = try? FileManager.default.destinationOfSymbolicLink(atPath: "/sys/dev/block/\(major):\(minor)"),
            let name = device.split(separator: "/").last,
            let task = try? String(contentsOfFile: "/sys/fs/ext4/\(name)/journal_task", encoding: .utf8)
        else { return nil }
        let text = task.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text != "<none>"
    }

    /// glibc's `statfs`, looked up once (nil off Linux: every folder is then synced).
    nonisolated(unsafe) static let statfsSymbol: UnsafeMutableRawPointer? = {
        #if os(Linux)
            dlsym(nil, "statfs")
        #else
            nil
        #endif
    }()

    /// Numbers of the finished generations.
    func generationNumbers() -> [Int] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap { Int($0) }
    }

    /// Removes temporaries of builds no longer running and, when `keep` is given, the numbered
    /// generations below the newest kept one that are not kept. A number above it belongs to a
    /// build named after this one's number was taken (running, or killed before its switch): it
    /// stays until a later build publishes above it.
    func removeLeftovers(keeping keep: Set<String>) {
        let fm = FileManager.default
        let newestKept = keep.compactMap { Int($0) }.max() ?? 0
        for entry in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            if let range = entry.range(of: ".tmp-", options: .backwards),
                let pid = Int32(entry[range.upperBound...])
            {
                // Another build still running owns its temporaries.
                if pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM) { continue }
                try? fm.removeItem(atPath: root + "/" + entry)
            } else if let number = Int(entry), number < newestKept, !keep.contains(entry) {
                try? fm.removeItem(atPath: root + "/" + entry)
            }
        }
    }

    /// Asks the kernel to read, in the background, each file of the previous generation that has
    /// the length of its new version (`posix_fadvise` WILLNEED), before `unchanged` and `stage`
    /// compare them one by one: on a cold page cache each compare otherwise waited for its own read,
    /// one file after another (rebuilding a 1,500-town province over its published feeds, as after
    /// an upgrade, took 72-89 s against 46 s for a first build).
    func prefetch(_ files: [GenerationFile], from folder: String) {
        for file in files {
            let fd = open(folder + "/" + file.name, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            var info = stat()
            if fstat(fd, &info) == 0, Int(info.st_size) == file.withBytes({ $0.count }) {
                _ = posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED)
            }
            close(fd)
        }
    }

    /// True when the generation holds exactly `files`, byte for byte.
    func unchanged(_ files: [GenerationFile], in folder: String) -> Bool {
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        guard present == Set(files.map(\.name)) else { return false }
        return files.allSatisfy { file in file.withBytes { sameBytes(folder + "/" + file.name, $0) } }
    }

    /// Whether the file at `path` holds exactly `bytes`: its size from `fstat` first (most changed
    /// feeds differ in length), then one read and `memcmp` (Data's element-wise `elementsEqual`
    /// was 3 % of a province build).
    func sameBytes(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count else {
            return false
        }
        if bytes.isEmpty { return true }
        var buffer = [UInt8](repeating: 0, count: bytes.count + 1)
        var filled = 0
        while filled < buffer.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            filled += n
        }
        // One byte more than expected is asked for, so a file that grew since fstat is not equal.
        guard filled == bytes.count else { return false }
        return buffer.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }

    func check(_ result: Int32, _ path: String) throws {
        guard result == 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Writes a new file (in a folder no reader looks at yet), synced unless `sync` is false (the
    /// caller then syncs it with `syncAll`).
    func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer, sync: Bool = true) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        try writeAll(fd, bytes, from: 0, path)
        if sync { try check(fsync(fd), path) }
    }

    /// Writes `bytes[offset...]` at that offset of the file.
    func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, from offset: Int, _ path: String) throws {
        var offset = offset
        while offset < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + offset, bytes.count - offset, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    /// The smallest file written past the page cache (see `writeNewFile`). Below it the page
    /// cache's copy costs less than waiting for the disk in the build's own thread.
    /// (1,500 towns with member feeds, memory emptied before each run: 42.4 s with 32 KiB, 43.0 s
    /// with 4 KiB, 69.3 s with 128 KiB, above nearly every member's feed, as without any.)
    static let directMinimum = 32 * 1024
    /// O_DIRECT's alignment for the buffer, the file offset and the length: 4 KiB covers every
    /// logical block size Linux file systems use.
    static let directBlock = 4096

    /// Writes a new, unsynced file of a generation being staged. A large file (a member's feed,
    /// ~50 KB) goes to the disk with O_DIRECT, except for its last partial block: on this
    /// project's machines (virtual, whose balloon hands freed guest memory back to the host)
    /// copying 15 GB of a province's member feeds into the page cache cost the build ~2 CPU-s a GB
    /// of system time, as much as the disk's own time for those bytes, and the page cache then
    /// held 15 GB that no reader asks for soon. A direct write costs a copy into `scratch` (page
    /// aligned, as O_DIRECT requires) and a wait for the disk; the region build's extra worker
    /// computes meanwhile. Durability is unchanged: the generation's one `syncfs` (or fsync per
    /// file) still flushes the disk's cache and writes the files' metadata before any switch.
    /// A file system that refuses O_DIRECT (EINVAL), or a short direct write, falls back to the
    /// page cache for the rest.
    func writeNewFile(_ path: String, _ bytes: UnsafeRawBufferPointer, scratch: DirectScratch) throws {
        let head = bytes.count / Self.directBlock * Self.directBlock
        guard head >= Self.directMinimum, let buffer = scratch.reserve(head) else {
            return try writeFile(path, bytes, sync: false)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | __O_DIRECT, 0o644)
        guard fd >= 0 else {
            if errno == EINVAL { return try writeFile(path, bytes, sync: false) }
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        memcpy(buffer, bytes.baseAddress!, head)
        var offset = 0
        direct: while offset < head {
            let n = pwrite(fd, buffer + offset, head - offset, off_t(offset))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL { break direct }  // alignment this device refuses: the page cache
                throw WriteError(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
            if n % Self.directBlock != 0 { break direct }  // unaligned now: the rest buffered
        }
        guard offset < bytes.count else { return }
        // The last partial block (and anything a direct write left) through the page cache.
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~__O_DIRECT) == 0 else {
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        try writeAll(fd, bytes, from: offset, path)
    }

    /// Makes `paths` (files just written) and the entries of `folders` durable; `folders[0]` names
    /// the file system.
    ///
    /// One `syncfs` on that file system instead of an `fsync` per file: on ext4 each fsync
    /// of a new file is a journal commit and a wait for the disk, so a town with member feeds (over
    /// 200 files) spent most of its write time waiting (measured in the README). syncfs writes the
    /// whole file system's dirty data, other processes' too, which is what a province build wants
    /// (its other workers' files are next). Where syncfs is missing (not Linux) or fails with a
    /// reason other than a write error, each file and folder is synced on its own, as before.
    func syncAll(_ paths: [String], folders: [String]) throws {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        let fd = open(folders[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: folders[0], reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        if let symbol = Self.syncfsSymbol {
            if unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0 { return }
            if errno == EIO || errno == ENOSPC || errno == EDQUOT {
                throw WriteError(path: folders[0], reason: String(cString: strerror(errno)))
            }
        }
        for path in paths { try syncFile(path) }
        for folder in folders { try syncDirectory(folder) }
    }

    /// fsync on one file.
    func syncFile(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        try check(fsync(fd), path)
    }

    /// The file system a path is on (nil when it cannot be read: then it is synced on its own).
    func deviceID(_ path: String) -> UInt? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt(info.st_dev) : nil
    }

    /// glibc's `syncfs` (Swift's Glibc module does not declare it), looked up once.
    nonisolated(unsafe) static let syncfsSymbol: UnsafeMutableRawPointer? = dlsym(nil, "syncfs")

    /// fsync on a folder, so the names created in it survive a power cut.
    func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        try check(fsync(fd), path)
    }

    /// Swaps two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`, looked up at run time: Swift's
    /// Glibc module does not declare it). Where it is missing, the old folder is moved aside first,
    /// which leaves the path absent (never mixed) for an instant.
    func exchange(_ a: String, _ b: String) throws {
        typealias RenameAt2 =
            @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        if let symbol = dlsym(nil, "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let renameExchange: UInt32 = 1 << 1
            if renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return }
            guard errno == EINVAL || errno == ENOSYS else {
                throw WriteError(path: b, reason: String(cString: strerror(errno)))
            }
        }
        let aside = root + "/legacy.tmp-\(getpid())"
        try check(rename(b, aside), b)
        try check(rename(a, b), b)
        try check(rename(aside, a), a)
    }
}
