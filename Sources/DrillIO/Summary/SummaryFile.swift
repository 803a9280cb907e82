import DrillCore

/// Reads a drill summary record (演练总结) from YAML: purpose (required), time_and_place, units,
/// scenario, problems, causes, lessons, improvements. Chinese keys (目的, 时间地点, 参演单位和人员,
/// 情景设置, 发现的问题, 原因分析, 经验教训, 改进措施) are accepted too.
public enum SummaryFile {
    static let keys: [(en: String, zh: String)] = [
        ("purpose", "目的"), ("time_and_place", "时间地点"), ("units", "参演单位和人员"), ("scenario", "情景设置"),
        ("problems", "发现的问题"), ("causes", "原因分析"), ("lessons", "经验教训"), ("improvements", "改进措施"),
    ]

    /// Reads and checks a summary file.
    /// - Throws: `InputError` naming the line and field.
    public static func load(_ file: String) throws(InputError) -> DrillSummary {
        try parse(yaml: FileBytes.utf8Text(file, limit: InputLimits.summaryBytes), file: file)
    }

    /// Checks a summary given as text.
    public static func parse(yaml: String, file: String) throws(InputError) -> DrillSummary {
        let root = try YAMLDocument.root(yaml, file: file, limit: InputLimits.summaryBytes)
        let m = try root.mapping(keys.flatMap { [$0.en, $0.zh] })
        func field(_ i: Int) throws(InputError) -> String {
            let (en, zh) = keys[i]
            if m[en] != nil && m[zh] != nil {
                throw m[zh]!.error(LocalizedText(zh: "\(en) 与 \(zh) 只写一个", en: "either \(en) or \(zh), not both"), field: zh)
            }
            return try (m[en] ?? m[zh])?.string(multiline: true) ?? ""
        }
        let purpose = try field(0)
        guard !purpose.trimmedSpace.isEmpty else {
            throw root.error(LocalizedText(zh: "演练目的（purpose / 目的）", en: "the drill's purpose (purpose / 目的)"), field: "purpose")
        }
        return DrillSummary(
            purpose: purpose, timeAndPlace: try field(1), units: try field(2), scenario: try field(3),
            problems: try field(4), causes: try field(5), lessons: try field(6), improvements: try field(7))
    }
}
