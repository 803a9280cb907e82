/// The source text split into unfolded content lines, so errors can name a line number.
///
/// libical keeps no line numbers; this index finds them again by property name and value.
struct SourceLines {
    /// One unfolded content line.
    struct Entry {
        /// 1-based physical line where the content line starts.
        let line: Int
        /// Upper-cased property name (text before the first `;` or `:`).
        let name: String
        /// The unfolded content line.
        let content: String
    }

    private(set) var entries: [Entry] = []
    /// Entry index ranges of each VEVENT (BEGIN through END), in file order.
    private(set) var eventRanges: [Range<Int>] = []
    /// Number of physical lines.
    private(set) var lineCount = 0

    init(_ text: String) {
        var eventStart: Int?
        var lineNumber = 0
        // Split on bytes: as Characters, "\r\n" is one grapheme and would never match "\n".
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine[...]
            let line = Substring(String(decoding: bytes, as: UTF8.self))
            if let first = line.first, first == " " || first == "\t", !entries.isEmpty {
                let last = entries.removeLast()
                entries.append(
                    Entry(line: last.line, name: last.name, content: last.content + line.dropFirst()))
                continue
            }
            if line.isEmpty { continue }
            let nameEnd = line.firstIndex { $0 == ";" || $0 == ":" } ?? line.endIndex
            let entry = Entry(line: lineNumber, name: line[..<nameEnd].uppercased(), content: String(line))
            let upper = entry.content.uppercased()
            if upper == "BEGIN:VEVENT" { eventStart = entries.count }
            entries.append(entry)
            if upper == "END:VEVENT", let start = eventStart {
                eventRanges.append(start..<entries.count)
                eventStart = nil
            }
        }
        lineCount = lineNumber
    }

    /// The first content line (non-empty), if any.
    var firstEntry: Entry? { entries.first }

    /// The line of the first entry named `name` (in event `eventIndex` if given) whose text contains
    /// `token`; falls back to the first entry with that name, then to the first containing `token`.
    func line(of name: String?, inEvent eventIndex: Int? = nil, containing token: String? = nil) -> Int? {
        let range: Range<Int> =
            if let eventIndex, eventRanges.indices.contains(eventIndex) { eventRanges[eventIndex] } else {
                entries.indices
            }
        let candidates = entries[range]
        let token = token.flatMap { $0.isEmpty ? nil : $0 }
        if let name, let token,
            let hit = candidates.first(where: { $0.name == name && $0.content.contains(token) })
        {
            return hit.line
        }
        if let name, let hit = candidates.first(where: { $0.name == name }) { return hit.line }
        if let token, let hit = candidates.first(where: { $0.content.contains(token) }) { return hit.line }
        return nil
    }

    /// The line where event `eventIndex` begins.
    func beginLine(ofEvent eventIndex: Int) -> Int? {
        eventRanges.indices.contains(eventIndex) ? entries[eventRanges[eventIndex].lowerBound].line : nil
    }
}
