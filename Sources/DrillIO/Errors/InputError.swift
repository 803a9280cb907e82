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
    /// What it held (the offending text, verbatim), or "" when `withheld` describes it instead.
    public var found: String
    /// Said instead of quoting `found` when the cell holds personal data (a phone number, an
    /// absence reason): messages name the cell but never repeat what is in it.
    public var withheld: LocalizedText?

    /// Makes an error.
    public init(
        file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, expected: LocalizedText,
        found: String, withheld: LocalizedText? = nil
    ) {
        self.withheld = withheld
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
            if let withheld {
                s += "实际为\(withheld.zh)"
            } else {
                s += found.isEmpty ? "实际为空" : "实际为 “\(shownFound)”"
            }
            return s
        case .en:
            var s = file
            if let line { s += ":\(line)" }
            s += ": "
            if let field { s += "field \(field): " }
            s += "expected \(expected.en), "
            if let withheld {
                s += "found \(withheld.en)"
            } else {
                s += found.isEmpty ? "found nothing" : "found \"\(shownFound)\""
            }
            return s
        }
    }

    /// `found` as it may be printed: control characters shown as `U+001B` (an ESC must not reach
    /// a terminal or a log), and at most 100 characters of it.
    var shownFound: String {
        var out = ""
        for c in found.prefix(100).unicodeScalars {
            if InputLimits.forbiddenCharacter(in: String(c), multiline: false) != nil {
                out += "<" + InputLimits.name(c) + ">"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return found.count > 100 ? out + "…" : out
    }

    /// The Chinese message.
    public var description: String { message(.zh) }
}
