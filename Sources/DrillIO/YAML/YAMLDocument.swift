import DrillCore
import Yams

/// Composing a YAML text into a node tree, turning Yams's errors into `InputError`s with the line
/// Yams reported.
enum YAMLDocument {
    static let expected = LocalizedText(zh: "格式正确的 YAML", en: "well-formed YAML")

    /// The root node of `yaml`, which must be one non-empty document of at most `limit` bytes,
    /// within the bounds `YAMLBounds` checks (aliases, node count, depth).
    static func root(_ yaml: String, file: String, limit: Int = InputLimits.planBytes) throws(InputError) -> YAMLValue {
        let size = yaml.utf8.count
        if size > limit { throw InputLimits.fileTooBig(file, size: size, limit: limit) }
        try YAMLBounds.check(yaml, file: file)
        let node: Node?
        do {
            // The basic resolver: every plain scalar is a string, as YAMLValue reads it (it never asks a
            // node's tag). The default one runs up to seven regular expressions on each mapping key when
            // Yams checks keys for duplicates, which was a third of loading a plan. Keys equal as text are
            // now duplicates whatever their implicit type (`1:` and `"1":`), as YAMLValue would read them.
            node = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw inputError(error, yaml: yaml, file: file)
        } catch {
            throw InputError(file: file, expected: expected, found: "\(error)")
        }
        guard let node else {
            throw InputError(file: file, line: 1, expected: LocalizedText(zh: "YAML 映射", en: "a YAML mapping"), found: "")
        }
        return YAMLValue(node: node, path: "", file: file)
    }

    static func inputError(_ error: YamlError, yaml: String, file: String) -> InputError {
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> InputError {
            let found = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
            return InputError(file: file, line: mark.line, column: mark.column, expected: expected, found: found)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return at(mark, problem, context)
        case .reader(let problem, let offset, _, _):
            let line = offset.map { o in yaml.utf8.prefix(o).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 } }
            return InputError(file: file, line: line, expected: expected, found: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputError(
                file: file, line: context.mark.line, column: context.mark.column,
                field: duplicates.joined(separator: ", "),
                expected: LocalizedText(zh: "映射中不重复的键", en: "unique keys in a mapping"),
                found: duplicates.joined(separator: ", "))
        default:
            return InputError(file: file, expected: expected, found: "\(error)")
        }
    }
}
