import DrillCore
import Foundation

/// Reading whole input files; a missing or unreadable file is an `InputError` naming the path.
enum FileBytes {
    static func read(_ path: String) throws(InputError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw InputError(
                file: path, expected: LocalizedText(zh: "存在的文件", en: "an existing file"), found: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                file: path, expected: LocalizedText(zh: "可读取的文件", en: "a readable file"), found: "unreadable")
        }
        return [UInt8](data)
    }

    /// A YAML file's text (UTF-8, byte-order mark dropped).
    static func utf8Text(_ path: String) throws(InputError) -> String {
        try TextDecoder.decode(read(path), encoding: .utf8, file: path)
    }

    /// `base` joined with `relative` (kept as is when absolute), with `.` and `a/..` folded away.
    static func join(_ base: String, _ relative: String) -> String {
        let combined = relative.hasPrefix("/") ? relative : (base.isEmpty ? relative : base + "/" + relative)
        var parts: [Substring] = []
        for part in combined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if combined.hasPrefix("/") { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Directory part of a path (`.` when none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
