import DrillCore
import Foundation

/// A file that could not be written.
public struct WriteError: Error, CustomStringConvertible {
    /// The path.
    public var path: String
    /// errno text.
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Writes a feed set into a folder so that no reader ever sees a half-written file: each file goes
/// to a temporary name and is renamed over the old one; the manifest is written last; feeds no
/// longer produced are removed at the end. Nothing is touched until every feed has been built.
public enum FeedWriter {
    /// Reads the manifest of the previous build (empty on a first build).
    /// - Throws: when the manifest exists but cannot be read.
    public static func previousManifest(in folder: URL) throws -> FeedManifest {
        let url = folder.appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return FeedManifest() }
        return try JSONDecoder().decode(FeedManifest.self, from: Data(contentsOf: url))
    }

    /// Writes `set` into `folder` (created if missing).
    public static func write(_ set: FeedSet, to folder: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in set.files {
            try replace(folder.appendingPathComponent(file.name).path, with: Array(file.text.utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try replace(folder.appendingPathComponent("manifest.json").path, with: Array(try encoder.encode(set.manifest)))
        let keep = Set(set.files.map(\.name))
        for name in try fm.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".ics") && !keep.contains(name) {
            try fm.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Writes `bytes` to a temporary file beside `path` and renames it over `path`: readers see the
    /// old file or the new one, never a part. (Foundation's `.atomic` also syncs every file, which
    /// made a 1,300-feed town take seconds of disk waits; a rename is what readers need.)
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
