import DrillCore
import DrillFeeds
import DrillIO
import Foundation

/// File-system errors told like input errors (path, what was expected, what was found) in the
/// user's language, never as a raw Foundation or errno text in English.
enum FileProblem {
    /// The reason for an errno value, in both languages.
    static func reason(errno code: Int32) -> LocalizedText {
        switch code {
        case EACCES, EPERM: LocalizedText(zh: "没有写入权限", en: "no permission to write")
        case EROFS: LocalizedText(zh: "只读的文件系统", en: "a read-only file system")
        case ENOSPC, EDQUOT: LocalizedText(zh: "磁盘空间已满", en: "a full disk")
        case ENOENT: LocalizedText(zh: "上级文件夹不存在", en: "a parent folder that does not exist")
        case ENOTDIR: LocalizedText(zh: "路径中有一段是文件而不是文件夹", en: "a file where a folder should be on the path")
        case EISDIR: LocalizedText(zh: "一个文件夹", en: "a folder")
        case ENAMETOOLONG: LocalizedText(zh: "过长的路径", en: "a path that is too long")
        default:
            LocalizedText(
                zh: "系统错误 \(code)（\(String(cString: strerror(code)))）", en: String(cString: strerror(code)))
        }
    }

    /// The errno behind `error`, when there is one to find.
    static func errnoCode(of error: any Error) -> Int32? {
        if let w = error as? WriteError {
            // FeedWriter keeps errno's text; find which errno gave it.
            return (1...133).first { String(cString: strerror(Int32($0))) == w.reason }.map(Int32.init)
        }
        if let p = error as? POSIXError { return p.code.rawValue }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return Int32(underlying.code)
        }
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let c = error as? CocoaError {
            switch c.code {
            case .fileWriteNoPermission, .fileReadNoPermission: return EACCES
            case .fileWriteOutOfSpace: return ENOSPC
            case .fileWriteVolumeReadOnly: return EROFS
            case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
            default: return nil
            }
        }
        return nil
    }

    /// `PATH：应为可写入的文件，实际为没有写入权限` for an error met while writing `path`.
    static func writeError(_ error: any Error, path: String, folder: Bool = false) -> InputError {
        let file = (error as? WriteError)?.path ?? path
        let found = errnoCode(of: error).map(reason) ?? LocalizedText(zh: "\(error)", en: "\(error)")
        return InputError(file: file, expected: writable(folder: folder), found: "", withheld: found)
    }

    static func writable(folder: Bool) -> LocalizedText {
        folder
            ? LocalizedText(zh: "可写入的文件夹", en: "a folder that can be written")
            : LocalizedText(zh: "可写入的位置", en: "a place that can be written")
    }

    /// Checks, before anything is built, that `path` is (or can be made) a writable folder: the
    /// nearest existing part of the path must be a folder this process may write into.
    /// Whether two paths name the same folder (same device and inode; false if either is unreadable).
    static func sameFolder(_ a: String, _ b: String) -> Bool {
        var x = stat()
        var y = stat()
        guard stat(a.isEmpty ? "." : a, &x) == 0, stat(b.isEmpty ? "." : b, &y) == 0 else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    static func checkWritableFolder(_ path: String) -> InputError? {
        let fm = FileManager.default
        var probe = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: probe.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    return InputError(
                        file: path, expected: writable(folder: true), found: "",
                        withheld: probe.path == URL(fileURLWithPath: path).standardizedFileURL.path
                            ? LocalizedText(zh: "一个文件，不是文件夹", en: "a file, not a folder")
                            : LocalizedText(
                                zh: "路径中的 \(probe.path) 是文件而不是文件夹",
                                en: "\(probe.path) on the path, a file, not a folder"))
                }
                if access(probe.path, W_OK | X_OK) != 0 {
                    return InputError(
                        file: probe.path, expected: writable(folder: true), found: "",
                        withheld: reason(errno: errno))
                }
                return nil
            }
            let parent = probe.deletingLastPathComponent()
            if parent.path == probe.path { return nil }
            probe = parent
        }
    }
}
