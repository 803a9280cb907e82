import DrillCore
import Foundation

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
            try Data(file.text.utf8).write(to: folder.appendingPathComponent(file.name), options: .atomic)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(set.manifest).write(to: folder.appendingPathComponent("manifest.json"), options: .atomic)
        let keep = Set(set.files.map(\.name))
        for name in try fm.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".ics") && !keep.contains(name) {
            try fm.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
