import CYaml
import DrillCore

/// A pass over a YAML text's parse events, before Yams builds a node tree, that refuses what would
/// make building or walking the tree explode: an alias, a list or a mapping used as a mapping key
/// (Yams hashes every
/// key to find duplicates, so nested aliased keys cost ×10–20 per level: a 520-byte file ran past
/// 60 s), more than `InputLimits.yamlNodes` nodes once aliases are expanded, or nesting deeper
/// than `InputLimits.yamlDepth`. It also names a repeated mapping key at its second occurrence.
///
/// It reads libyaml's events (the parser Yams wraps, through Yams's own `CYaml` module): linear in
/// the text, no tree kept. Syntax errors are left to Yams, which reports them with their line.
enum YAMLBounds {
    private struct Frame {
        var isMapping: Bool
        /// Field path of the collection (`rules[2]`).
        var path: String
        /// The key last read, while its value is being read.
        var lastKey: String?
        var children = 0
        var size = 1
        var anchor: String?
        /// A mapping's keys read so far, each with the line it is on.
        var keyLines: [String: Int] = [:]
    }

    /// Throws an `InputError` (file, line, field) when `yaml` goes past a bound.
    static func check(_ yaml: String, file: String, maxNodes: Int = InputLimits.yamlNodes) throws(InputError)
    {
        var bytes = Array(yaml.utf8)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var result: InputError?
        bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            result = walk(&parser, file: file, maxNodes: maxNodes)
        }
        if let result { throw result }
    }

    private static func walk(_ parser: inout yaml_parser_t, file: String, maxNodes: Int) -> InputError? {
        var sizes: [String: Int] = [:]  // anchor -> expanded node count
        var stack: [Frame] = []
        var total = 0

        /// Field path of the node about to be read (`rules[2].teams`).
        func path() -> String {
            guard let top = stack.last else { return "" }
            if !top.isMapping { return "\(top.path)[\(top.children)]" }
            guard top.children % 2 == 1, let key = top.lastKey else { return top.path }
            return top.path.isEmpty ? key : "\(top.path).\(key)"
        }
        func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        func error(_ event: yaml_event_t, _ expected: LocalizedText, _ found: LocalizedText) -> InputError {
            InputError(
                file: file, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                field: path().isEmpty ? nil : path(), expected: expected, found: "", withheld: found)
        }
        /// Whether the next node of the innermost collection is a mapping key.
        var atKey: Bool { stack.last.map { $0.isMapping && $0.children % 2 == 0 } ?? false }
        /// A finished node of `size` nodes: counted into its parent, remembered under its anchor.
        func finish(_ size: Int, anchor: String?, keyText: String?) {
            if let anchor { sizes[anchor] = size }
            guard !stack.isEmpty else { return }
            let index = stack.count - 1
            if stack[index].isMapping && stack[index].children % 2 == 0 {
                stack[index].lastKey = keyText ?? "?"
            }
            stack[index].children += 1
            stack[index].size = min(stack[index].size + size, Int.max / 2)
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }  // Yams reports syntax errors
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                total += 1
                let text = string(event.data.scalar.value)
                if atKey, let text, let top = stack.indices.last {
                    // A repeated key is named here, on its own line with its path: Yams names only
                    // the key, at the line of its first occurrence.
                    let line = Int(event.start_mark.line) + 1
                    if let first = stack[top].keyLines[text] {
                        let mapping = stack[top].path
                        return InputError(
                            file: file, line: line, column: Int(event.start_mark.column) + 1,
                            field: mapping.isEmpty ? text : "\(mapping).\(text)",
                            expected: LocalizedText(
                                zh: "映射中不重复的键（“\(text)”已在第 \(first) 行）",
                                en: "unique keys in a mapping (“\(text)” is already on line \(first))"),
                            found: text)
                    }
                    stack[top].keyLines[text] = line
                }
                finish(1, anchor: string(event.data.scalar.anchor), keyText: text)
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor) ?? ""
                if atKey {
                    return error(
                        event,
                        LocalizedText(
                            zh: "普通的键（键不能是别名 *\(name)）",
                            en: "a plain key (a key may not be an alias *\(name))"),
                        LocalizedText(zh: "别名 *\(name)", en: "the alias *\(name)"))
                }
                let size = sizes[name] ?? 1
                total += size
                if total > maxNodes {
                    return error(
                        event,
                        LocalizedText(
                            zh: "展开别名后不超过 \(maxNodes) 个节点的 YAML",
                            en: "YAML of at most \(maxNodes) nodes once aliases are expanded"),
                        LocalizedText(zh: "别名 *\(name) 展开后超过上限", en: "the alias *\(name) going past that"))
                }
                finish(size, anchor: nil, keyText: "*" + name)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                total += 1
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                if atKey {
                    // No input file has a list or a mapping as a key, and Yams hashes whole keys.
                    return error(
                        event, LocalizedText(zh: "普通的键（文字）", en: "a plain key (text)"),
                        isMapping
                            ? LocalizedText(zh: "映射作键", en: "a mapping as a key")
                            : LocalizedText(zh: "列表作键", en: "a list as a key"))
                }
                if stack.count >= InputLimits.yamlDepth {
                    return error(
                        event,
                        LocalizedText(
                            zh: "嵌套不超过 \(InputLimits.yamlDepth) 层的 YAML",
                            en: "YAML nested at most \(InputLimits.yamlDepth) deep"),
                        LocalizedText(zh: "更深的嵌套", en: "deeper nesting"))
                }
                let anchor =
                    isMapping
                    ? string(event.data.mapping_start.anchor) : string(event.data.sequence_start.anchor)
                stack.append(Frame(isMapping: isMapping, path: path(), anchor: anchor))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                finish(frame.size, anchor: frame.anchor, keyText: nil)
            default:
                break
            }
            if total > maxNodes {
                return error(
                    event,
                    LocalizedText(zh: "不超过 \(maxNodes) 个节点的 YAML", en: "YAML of at most \(maxNodes) nodes"),
                    LocalizedText(zh: "更多节点", en: "more nodes"))
            }
        }
    }
}
