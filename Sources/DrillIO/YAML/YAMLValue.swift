import DrillCore
import Yams

/// A YAML node with the file it came from and its field path (`rules[2].every`), so that every
/// check can throw an `InputError` naming file, line and field.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark?.line }
    var column: Int? { node.mark?.column }

    /// An error at this node.
    func error(_ expected: LocalizedText, found: String? = nil, field: String? = nil) -> InputError {
        InputError(
            file: file, line: line, column: column, field: field ?? path, expected: expected, found: found ?? text)
    }

    /// The node as the user wrote it, for `found`.
    var text: String {
        switch node {
        case .scalar(let s): return s.string
        case .mapping: return "{…}"
        case .sequence: return "[…]"
        case .alias: return "*alias"
        }
    }

    /// `~`, `null` or nothing at all.
    var isNull: Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// The scalar text, trimmed: at most `InputLimits.textCharacters` characters, no control
    /// characters other than line breaks and tabs (every value read goes through here).
    func scalar(_ expected: LocalizedText) throws(InputError) -> String {
        guard case .scalar(let s) = node else { throw error(expected) }
        let text = s.string.trimmedSpace
        try checkText(text, multiline: true, limit: InputLimits.textCharacters)
        return text
    }

    /// Non-empty free text, kept as written apart from outer spaces: one line of at most
    /// `InputLimits.lineCharacters` (names, the station) unless `multiline` (summary sections).
    func string(_ expected: LocalizedText = .text, multiline: Bool = false) throws(InputError) -> String {
        let s = try scalar(expected)
        guard !s.isEmpty, !isNull else { throw error(expected) }
        if !multiline { try checkText(s, multiline: false, limit: InputLimits.lineCharacters) }
        return s
    }

    /// Refuses control characters (and line breaks in one-line fields) and text over `limit`
    /// characters, naming the character or the length rather than repeating the text.
    func checkText(_ text: String, multiline: Bool, limit: Int) throws(InputError) {
        if let c = InputLimits.forbiddenCharacter(in: text, multiline: multiline) {
            throw InputError(
                file: file, line: line, column: column, field: path, expected: InputLimits.controlExpected(multiline: multiline),
                found: "", withheld: InputLimits.controlFound(c))
        }
        let count = text.count
        if count > limit {
            throw InputError(
                file: file, line: line, column: column, field: path, expected: InputLimits.tooLong(limit), found: "",
                withheld: InputLimits.lengthFound(count))
        }
    }

    /// An id.
    func id() throws(InputError) -> String {
        let s = try scalar(.id)
        guard ValueSyntax.isID(s) else { throw error(.id) }
        return s
    }

    /// A whole number of at least `minimum`.
    func int(atLeast minimum: Int) throws(InputError) -> Int {
        let expected = LocalizedText.integer(atLeast: minimum)
        let s = try scalar(expected)
        guard s.allSatisfy({ $0.isASCII && $0.isNumber }) || (s.hasPrefix("-") && s.count > 1),
            let n = Int(s), n >= minimum
        else { throw error(expected) }
        return n
    }

    /// `true` or `false`.
    func bool() throws(InputError) -> Bool {
        switch try scalar(.bool).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(.bool)
        }
    }

    /// `YYYY-MM-DD`.
    func date() throws(InputError) -> CivilDate {
        guard let d = ValueSyntax.date(try scalar(.date)) else { throw error(.date) }
        return d
    }

    /// `MM-DD`.
    func monthDay() throws(InputError) -> MonthDay {
        guard let d = ValueSyntax.monthDay(try scalar(.monthDay)) else { throw error(.monthDay) }
        return d
    }

    /// The items of a sequence of mappings, each with its index in the path (`rules[2]`).
    func items(_ expected: LocalizedText) throws(InputError) -> [YAMLValue] {
        if isNull { return [] }
        guard case .sequence(let seq) = node else { throw error(expected) }
        return seq.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    /// The items of a list of scalars; they keep the list's path (`rules[2].teams`) and their own
    /// line. A single scalar counts as a list of one.
    func values(_ expected: LocalizedText) throws(InputError) -> [YAMLValue] {
        if isNull { return [] }
        switch node {
        case .sequence(let seq):
            return seq.map { YAMLValue(node: $0, path: path, file: file) }
        case .scalar:
            return [self]
        default:
            throw error(expected)
        }
    }

    /// Opens a mapping whose keys must all be among `keys` (a typo is an error naming the key).
    func mapping(_ keys: [String], expected: LocalizedText? = nil) throws(InputError) -> YAMLMapping {
        let what = expected ?? LocalizedText(zh: "映射（键: 值）", en: "a mapping (key: value)")
        guard case .mapping(let map) = node else { throw error(what) }
        var entries: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in map {
            let key = YAMLValue(node: keyNode, path: path, file: file)
            guard case .scalar(let k) = keyNode, keys.contains(k.string) else {
                throw key.error(
                    LocalizedText(
                        zh: "已知的键：" + keys.joined(separator: "、"), en: "a known key: " + keys.joined(separator: ", ")),
                    field: path.isEmpty ? key.text : "\(path).\(key.text)")
            }
            entries[k.string] = YAMLValue(node: valueNode, path: path.isEmpty ? k.string : "\(path).\(k.string)", file: file)
        }
        return YAMLMapping(owner: self, entries: entries)
    }
}

/// A mapping whose keys were checked; lookups say where a missing key should have been.
struct YAMLMapping {
    let owner: YAMLValue
    let entries: [String: YAMLValue]

    /// The value, nil when absent or null.
    subscript(_ key: String) -> YAMLValue? {
        guard let v = entries[key], !v.isNull else { return nil }
        return v
    }

    /// The value; a missing one is an error at the mapping's line.
    func required(_ key: String, _ expected: LocalizedText) throws(InputError) -> YAMLValue {
        if let v = self[key] { return v }
        throw InputError(
            file: owner.file, line: entries[key]?.line ?? owner.line, column: entries[key]?.column ?? owner.column,
            field: owner.path.isEmpty ? key : "\(owner.path).\(key)",
            expected: LocalizedText(zh: "必填：\(expected.zh)", en: "(required) \(expected.en)"), found: "")
    }

    /// Path of a key, also when it is absent.
    func path(_ key: String) -> String { owner.path.isEmpty ? key : "\(owner.path).\(key)" }
}
