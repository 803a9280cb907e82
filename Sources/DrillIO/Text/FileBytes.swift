import DrillCore
import Foundation

/// Reading whole input files; a missing or unreadable file is an `InputError` naming the path.
enum FileBytes {
    /// The whole file, refused (before reading it) when larger than `limit` bytes.
    static func read(_ path: String, limit: Int) throws(InputError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(
                file: path, expected: LocalizedText(zh: "存在的文件", en: "an existing file"), found: "",
                withheld: LocalizedText(zh: "没有这个文件", en: "no such file"))
        }
        guard !isDirectory.boolValue else {
            throw InputError(
                file: path, expected: LocalizedText(zh: "文件", en: "a file"), found: "",
                withheld: LocalizedText(zh: "文件夹", en: "a folder"))
        }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limit {
            throw InputLimits.fileTooBig(path, size: size, limit: limit)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(
                file: path, expected: LocalizedText(zh: "可读取的文件", en: "a readable file"), found: "",
                withheld: LocalizedText(zh: "无法读取（请检查权限）", en: "unreadable (check its permissions)"))
        }
        // The file may have grown between the two looks.
        guard data.count <= limit else { throw InputLimits.fileTooBig(path, size: data.count, limit: limit) }
        return [UInt8](data)
    }

    /// A YAML file's text (UTF-8, byte-order mark dropped).
    static func utf8Text(_ path: String, limit: Int) throws(InputError) -> String {
        try TextDecoder.decode(read(path, limit: limit), encoding: .utf8, file: path)
    }

    /// A town folder that exists: without it every file in it would be reported missing, one by one.
    static func requireFolder(_ path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        guard exists, isDirectory.boolValue else {
            throw InputError(
                file: path,
                expected: LocalizedText(
                    zh: "镇文件夹（含 plan.yaml 与 roster.csv）", en: "a town folder (with plan.yaml and roster.csv)"),
                found: "",
                withheld: exists
                    ? LocalizedText(zh: "一个文件，不是文件夹", en: "a file, not a folder")
                    : LocalizedText(zh: "找不到镇文件夹 \(path)", en: "no folder \(path)"))
        }
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
