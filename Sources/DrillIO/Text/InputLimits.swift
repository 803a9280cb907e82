import DrillCore

/// How big each input may be, and which characters a text field may hold.
///
/// The limits sit far above any real town (the 160-village benchmark town has a 40 KB plan.yaml
/// and a 2,272-row roster) and far below what would make a build take minutes or feeds take
/// megabytes: a 100 MB roster or a 10,000-character name is refused at load, with a message.
public enum InputLimits {
    /// plan.yaml, in bytes.
    public static let planBytes = 4 << 20
    /// A holidays file, in bytes.
    public static let holidaysBytes = 256 << 10
    /// summary.yaml, in bytes.
    public static let summaryBytes = 1 << 20
    /// roster.csv and a sign-in sheet, in bytes.
    public static let tableBytes = 16 << 20
    /// Data rows of roster.csv or a sign-in sheet.
    public static let tableRows = 50_000
    /// Nodes of a YAML document after aliases are expanded.
    public static let yamlNodes = 200_000
    /// Nesting depth of a YAML document.
    public static let yamlDepth = 64
    /// Characters of a one-line text field (names of the town, teams, venues, rules).
    public static let lineCharacters = 200
    /// Characters of a person's name.
    public static let nameCharacters = 50
    /// Characters of any other CSV cell (several absence periods, lists of teams).
    public static let cellCharacters = 1_000
    /// Characters of a multi-line text (descriptions, summary sections).
    public static let textCharacters = 20_000

    /// The first character a field may not hold, nil when it has none: C0 and C1 control
    /// characters (NUL, ESC, …) and DEL anywhere; in one-line fields also CR, LF, tab and the
    /// Unicode line and paragraph separators.
    public static func forbiddenCharacter(in text: String, multiline: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { c in
            switch c.value {
            case 0x09, 0x0A, 0x0D: return !multiline
            case 0x2028, 0x2029: return !multiline
            case 0x00...0x1F, 0x7F...0x9F: return true
            default: return false
            }
        }
    }

    /// `U+001B`: how a forbidden character is named in a message (it cannot be printed).
    static func name(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// What a field holding `c` should have held, and what it held, without repeating the text.
    static func controlExpected(multiline: Bool) -> LocalizedText {
        multiline
            ? LocalizedText(zh: "不含控制字符的文本", en: "text without control characters")
            : LocalizedText(
                zh: "一行文本（不含换行、制表符等控制字符）",
                en: "one line of text (no line breaks, tabs or other control characters)")
    }

    static func controlFound(_ c: Unicode.Scalar) -> LocalizedText {
        let what: (String, String)
        switch c.value {
        case 0x00: what = ("空字符 NUL", "the NUL character")
        case 0x1B: what = ("转义字符 ESC", "the ESC character")
        case 0x0A, 0x0D, 0x2028, 0x2029: what = ("换行", "a line break")
        case 0x09: what = ("制表符", "a tab")
        default: what = ("控制字符", "a control character")
        }
        return LocalizedText(zh: "\(what.0)（\(name(c))）", en: "\(what.1) (\(name(c)))")
    }

    static func tooLong(_ limit: Int) -> LocalizedText {
        LocalizedText(zh: "不超过 \(limit) 个字符", en: "at most \(limit) characters")
    }

    static func lengthFound(_ count: Int) -> LocalizedText {
        LocalizedText(zh: "\(count) 个字符", en: "\(count) characters")
    }

    /// A file too big to read: the limit and the size, in the words of the message.
    static func fileTooBig(_ file: String, size: Int, limit: Int) -> InputError {
        InputError(
            file: file,
            expected: LocalizedText(
                zh: "不超过 \(megabytes(limit)) 的文件", en: "a file of at most \(megabytes(limit))"),
            found: "", withheld: LocalizedText(zh: megabytes(size), en: megabytes(size)))
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20
            ? String(format1: Double(bytes) / Double(1 << 20)) + " MiB"
            : String(format1: Double(bytes) / 1024) + " KiB"
    }
}

extension String {
    /// One decimal, without Foundation.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
