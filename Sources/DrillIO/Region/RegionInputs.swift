import DrillCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What each town of a region build reads, hashed, so that a town whose inputs did not change
/// since its last good build is skipped (`drillcal build REGION`).
///
/// A town's hash covers the build's options, and the path (relative to the region) and bytes of
/// every file directly in the town folder but the database and hidden files, and of the shared
/// holidays (`TOWN/../holidays`, `REGION/holidays`).
///
/// Reading every town's files to hash them was most of a republish from a cold page cache (1,500
/// towns: 0.23-0.34 s of 0.65-1.0 s, with a third of its CPU in `Data`'s byte iterator), so a
/// file's hash is kept with its stat stamp (inode, size, modification and change times, as git's
/// index does) and read again only when the stamp differs. A file changed within
/// `racyWindow` of the scan keeps no stamp: file times tick in steps of a few milliseconds, so a
/// second edit right after the first could leave the stamp unchanged; such a file is read again
/// at the next scan. The change time cannot be set back by `touch` or an editor, so a file put back
/// with its old modification time still counts as changed.
public enum RegionInputs {
    /// One town's scan.
    public struct Scan: Sendable, Equatable {
        /// The hash of the town's inputs, 16 hex digits.
        public var hash: String
        /// The stamp of the folder the town's `feeds` link leads to (nil: no published feeds).
        public var feeds: String?
    }

    /// Each input file's stat stamp and content hash (`inode-size-mtime-ctime:hash`) by absolute
    /// path, as the region manifest keeps them.
    public typealias Known = [String: String]

    /// A file changed this recently (seconds before the scan started, or later) is not stamped.
    public static let racyWindow = 2.0

    /// Every town's `Scan`, several towns at a time (each waits for the disk on a cold page cache),
    /// and the stamps to keep for the next scan. The shared holiday folders are read once. `now`
    /// (seconds since 1970) is when the scan starts.
    public static func scan(
        towns: [String], region: String, options: String, known: Known, now: Double = Date().timeIntervalSince1970
    ) -> (scans: [Scan], known: Known) {
        let started = now
        let root = standard(region)
        // Standardising a path looks at its folders on disk: a cold read a town, done in parallel too.
        let holidays = Concurrently.map(towns.count) { standard(towns[$0] + "/../holidays") }
        let shared = SharedFolders(Set(holidays + [root + "/holidays"]))
        let scanned = Concurrently.map(towns.count) { i in
            var files: [(path: String, hash: UInt64)] = []
            var stamps: [(String, String)] = []
            for (path, info) in list(standard(towns[i])) {
                let (hash, stamp) = fileHash(path, info, known: known, since: started)
                files.append((path, hash))
                if let stamp { stamps.append((path, stamp)) }
            }
            for file in shared.files(in: holidays[i]) + shared.files(in: root + "/holidays")
            where !files.contains(where: { $0.path == file.path }) {
                files.append(file)
            }
            return (Scan(hash: townHash(options: options, files: files, root: root), feeds: feedsStamp(towns[i])), stamps)
        }
        var next = Known()
        for (_, stamps) in scanned {
            for (path, stamp) in stamps { next[path] = stamp }
        }
        return (scanned.map(\.0), next)
    }

    /// The stamp of the folder `town/feeds` leads to now (nil when there is none): its inode,
    /// modification and change times. A build publishes a new folder; anything that adds, removes
    /// or renames a file in it changes its times.
    public static func feedsStamp(_ town: String) -> String? {
        var info = stat()
        guard stat(town + "/feeds", &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        return "\(info.st_ino)-\(nanoseconds(info.st_mtim))-\(nanoseconds(info.st_ctim))"
    }

    static func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }

    static func standard(_ folder: String) -> String { URL(fileURLWithPath: folder).standardizedFileURL.path }

    /// FNV-1a, 64 bit, over the options, then each file's path (relative to the region when inside
    /// it, so a region folder moved elsewhere keeps its hashes) and content hash, each part closed
    /// with a 0xFF byte (so that "ab" + "c" and "a" + "bc" differ).
    static func townHash(options: String, files: [(path: String, hash: UInt64)], root: String) -> String {
        let close: [UInt8] = [0xFF]
        var h = FNV1a.offset
        func mix(_ bytes: UnsafeRawBufferPointer) {
            h = FNV1a.continuing(h, over: bytes)
            h = close.withUnsafeBytes { FNV1a.continuing(h, over: $0) }
        }
        func mix(_ text: String) {
            h = FNV1a.continuing(h, over: text)
            h = close.withUnsafeBytes { FNV1a.continuing(h, over: $0) }
        }
        mix(options)
        for file in files {
            mix(file.path.hasPrefix(root + "/") ? String(file.path.dropFirst(root.count + 1)) : file.path)
            withUnsafeBytes(of: file.hash.littleEndian) { mix($0) }
        }
        return FNV1a.text(h)
    }

    /// A file's content hash (`info` is its `stat`): the known one when its stamp is unchanged, else
    /// read and hashed; and the stamp to keep (nil for a file changed within `racyWindow` of `since`).
    static func fileHash(_ path: String, _ info: stat, known: Known, since: Double) -> (UInt64, String?) {
        let stamp = "\(info.st_ino)-\(info.st_size)-\(nanoseconds(info.st_mtim))-\(nanoseconds(info.st_ctim))"
        if let old = known[path], let colon = old.lastIndex(of: ":"), old[..<colon] == stamp,
            let hash = UInt64(old[old.index(after: colon)...], radix: 16)
        {
            return (hash, old)
        }
        let hash = contentHash(FileManager.default.contents(atPath: path))
        let changed = max(Double(info.st_mtim.tv_sec), Double(info.st_ctim.tv_sec)) + 1
        return (hash, changed < since - racyWindow ? stamp + ":" + FNV1a.text(hash) : nil)
    }

    /// FNV-1a (64 bit) of a file's bytes (an unreadable file hashes as empty).
    static func contentHash(_ data: Data?) -> UInt64 {
        data?.withUnsafeBytes { FNV1a.continuing(FNV1a.offset, over: $0) } ?? FNV1a.offset
    }

    /// The holiday folders several towns share, listed and hashed once (before the towns are
    /// scanned; read-only afterwards, so the scanning threads need no lock).
    final class SharedFolders: Sendable {
        let folders: [String: [(path: String, hash: UInt64)]]

        init(_ paths: Set<String>) {
            var folders: [String: [(path: String, hash: UInt64)]] = [:]
            for path in paths {
                folders[path] = list(path).map { ($0.path, contentHash(FileManager.default.contents(atPath: $0.path))) }
            }
            self.folders = folders
        }

        /// The files of one of the folders given at `init` (none for any other).
        func files(in path: String) -> [(path: String, hash: UInt64)] { folders[path] ?? [] }
    }

    /// The files directly in `folder` that a build reads (sorted by path; not hidden, not the
    /// database, not folders), with their `stat`.
    static func list(_ folder: String) -> [(path: String, info: stat)] {
        var files: [(path: String, info: stat)] = []
        for entry in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        where !entry.hasPrefix(".") && !entry.hasPrefix("drillcal.sqlite") {
            var info = stat()
            let path = folder + "/" + entry
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
                files.append((path, info))
            }
        }
        return files
    }
}
