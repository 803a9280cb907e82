import DrillCore
import Foundation

/// A county, city or province folder: town folders (each with plan.yaml and roster.csv) and
/// sub-regions, sharing a `holidays/` folder, described by an optional `region.yaml`:
///
/// ```yaml
/// name: 清河县
/// level: county          # county | city | province
/// towns: [qingshan, hexi] # town folders, relative; default every subfolder holding plan.yaml
/// regions: [north]        # sub-region folders; default every subfolder holding region.yaml or towns
/// ```
public struct Region: Sendable, Hashable {
    /// Administrative level.
    public enum Level: String, Sendable, Hashable, CaseIterable, Codable {
        case county, city, province

        /// 县（区）/ 市 / 省.
        public func label(_ language: Language) -> String {
            switch self {
            case .county: language.pick("县（区）", "county")
            case .city: language.pick("市", "city")
            case .province: language.pick("省", "province")
            }
        }
    }

    /// One town of the region.
    public struct Town: Sendable, Hashable {
        /// The town folder, as a path usable from the current directory.
        public var directory: String
        /// Path relative to the region folder (`north/qingshan`): a stable key for the town.
        public var key: String
    }

    /// The region folder.
    public var directory: String
    /// Its name (`region.yaml` `name`, else the folder's name).
    public var name: String
    /// Its level (default county).
    public var level: Level
    /// Every town, sub-regions' towns included, in the order listed (else by folder name).
    public var towns: [Town]
}

/// Reads region folders.
public enum RegionLoader {
    /// Folders never taken for a town or sub-region.
    static let skipped: Set<String> = ["holidays", "feeds", "feeds.d"]

    /// True when `directory` is a region rather than a town: it holds no plan.yaml, and holds a
    /// region.yaml or a subfolder that is a town (plan.yaml) or a region (region.yaml).
    public static func isRegion(_ directory: String) -> Bool {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: directory + "/plan.yaml") else { return false }
        if fm.fileExists(atPath: directory + "/region.yaml") { return true }
        return subfolders(directory).contains {
            fm.fileExists(atPath: directory + "/" + $0 + "/plan.yaml")
                || fm.fileExists(atPath: directory + "/" + $0 + "/region.yaml")
        }
    }

    /// Reads a region folder and, recursively, its sub-regions.
    /// - Throws: an `InputError` naming region.yaml, line and field for a bad value or a listed
    ///   folder that is not a town or region; a region holding no town at all.
    public static func load(_ directory: String) throws(InputError) -> Region {
        let base = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var region = try read(base, key: "", depth: 0)
        var seen = Set<String>()
        region.towns = region.towns.filter { seen.insert($0.directory).inserted }
        guard !region.towns.isEmpty else {
            throw InputError(
                file: base,
                expected: LocalizedText(
                    zh: "区域文件夹（含若干镇文件夹，每个有 plan.yaml 与 roster.csv）",
                    en: "a region folder (town folders, each with plan.yaml and roster.csv)"),
                found: "", withheld: LocalizedText(zh: "没有任何镇文件夹", en: "no town folder at all"))
        }
        return region
    }

    static func read(_ base: String, key: String, depth: Int) throws(InputError) -> Region {
        let fm = FileManager.default
        try requireFolder(base)
        let file = base + "/region.yaml"
        var name = (base as NSString).lastPathComponent
        var level = Region.Level.county
        var listedTowns: [(String, YAMLValue)]?
        var listedRegions: [(String, YAMLValue)]?
        if fm.fileExists(atPath: file) {
            let root = try YAMLDocument.root(
                FileBytes.utf8Text(file, limit: InputLimits.planBytes), file: file)
            let map = try root.mapping(["name", "level", "towns", "regions"])
            if let v = map["name"] { name = try v.string() }
            if let v = map["level"] {
                let text = try v.scalar(.levels)
                guard let l = Region.Level(rawValue: text) else { throw v.error(.levels) }
                level = l
            }
            listedTowns = try map["towns"]?.values(.folders).map { v throws(InputError) in
                (try v.string(.folders), v)
            }
            listedRegions = try map["regions"]?.values(.folders).map { v throws(InputError) in
                (try v.string(.folders), v)
            }
        }
        func child(_ folder: String) -> (path: String, key: String) {
            (FileBytes.join(base, folder), key.isEmpty ? folder : key + "/" + folder)
        }
        var towns: [Region.Town] = []
        if listedTowns == nil && listedRegions == nil {
            let folders = subfolders(base)
            let paths = folders.map { child($0).path }
            let plans = Concurrently.map(paths.count) { FileManager.default.fileExists(atPath: paths[$0] + "/plan.yaml") }
            for (i, folder) in folders.enumerated() {
                let (path, childKey) = child(folder)
                if plans[i] {
                    towns.append(Region.Town(directory: path, key: childKey))
                } else if depth < 8, isRegion(path) {
                    towns += try read(path, key: childKey, depth: depth + 1).towns
                }
            }
        } else {
            let listed = (listedTowns ?? []).map { child($0.0).path }
            let plans = Concurrently.map(listed.count) { FileManager.default.fileExists(atPath: listed[$0] + "/plan.yaml") }
            for (i, (folder, node)) in (listedTowns ?? []).enumerated() {
                let (path, childKey) = child(folder)
                guard plans[i] else {
                    throw node.error(
                        LocalizedText(zh: "镇文件夹（含 plan.yaml）", en: "a town folder (with plan.yaml)"),
                        found: folder)
                }
                towns.append(Region.Town(directory: path, key: childKey))
            }
            for (folder, node) in listedRegions ?? [] {
                let (path, childKey) = child(folder)
                guard depth < 8, isRegion(path) else {
                    throw node.error(
                        LocalizedText(
                            zh: "下级区域文件夹（含 region.yaml 或镇文件夹）",
                            en: "a sub-region folder (region.yaml or town folders)"),
                        found: folder)
                }
                towns += try read(path, key: childKey, depth: depth + 1).towns
            }
        }
        return Region(directory: base, name: name, level: level, towns: towns)
    }

    static func requireFolder(_ path: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw InputError(
                file: path, expected: LocalizedText(zh: "区域文件夹", en: "a region folder"), found: "",
                withheld: LocalizedText(zh: "找不到文件夹 \(path)", en: "no folder \(path)"))
        }
    }

    /// Visible subfolders, by name.
    static func subfolders(_ directory: String) -> [String] {
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            !$0.hasPrefix(".") && !skipped.contains($0)
        }
        let folders = Concurrently.map(entries.count) { i in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + entries[i], isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        return entries.indices.filter { folders[$0] }.map { entries[$0] }.sorted()
    }
}

extension LocalizedText {
    static let levels = LocalizedText(zh: "county、city 或 province", en: "county, city or province")
    static let folders = LocalizedText(zh: "文件夹名列表", en: "a list of folder names")
}
