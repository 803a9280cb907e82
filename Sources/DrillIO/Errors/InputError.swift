import DrillCore

/// A problem in a town's input files, told so that a town official can fix it: which file, which
/// line, which field, what was expected and what was found (输入文件错误).
///
/// ```swift
/// do { _ = try TownLoader.load(directory: "calendars/qingshan", recurrence: expander) }
/// catch { print(error.message(.zh)) }
/// // plan.yaml 第 42 行，字段 rules[2].teams：应为 plan.yaml 中定义的队伍编号，实际为 “v-nowhere”
/// ```
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, as the path was given (`calendars/qingshan/plan.yaml`).
    public var file: String
    /// 1-based line, when the problem sits on one.
    public var line: Int?
    /// 1-based column (in Unicode scalars for YAML), when known.
    public var column: Int?
    /// The field: a YAML path (`rules[2].teams`, indices from 0) or a CSV column header (`teams`).
    public var field: String?
    /// What the file should have held there.
    public var expected: LocalizedText
    /// What it held (the offending text, verbatim).
    public var found: String

    /// Makes an error.
    public init(
        file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, expected: LocalizedText,
        found: String
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.expected = expected
        self.found = found
    }

    /// The message in `language`; Chinese: `plan.yaml 第 42 行，字段 rules[2].teams：应为 …，实际为 “v-nowhere”`,
    /// English: `plan.yaml:42: field rules[2].teams: expected …, found "v-nowhere"`.
    public func message(_ language: Language) -> String {
        switch language {
        case .zh:
            var s = file
            if let line { s += " 第 \(line) 行" }
            if let field { s += "，字段 \(field)" }
            s += "：应为\(expected.zh.first?.isASCII == true ? " " : "")\(expected.zh)，"
            s += found.isEmpty ? "实际为空" : "实际为 “\(found)”"
            return s
        case .en:
            var s = file
            if let line { s += ":\(line)" }
            s += ": "
            if let field { s += "field \(field): " }
            s += "expected \(expected.en), "
            s += found.isEmpty ? "found nothing" : "found \"\(found)\""
            return s
        }
    }

    /// The Chinese message.
    public var description: String { message(.zh) }
}
