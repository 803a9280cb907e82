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

/// Writes a feed set into a folder so that no reader ever sees a half-written file: each file goes
/// to a temporary name and is renamed over the old one; the manifest is written last; feeds no
/// longer produced are removed at the end. Nothing is touched until every feed has been built.
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
