import DrillCore

/// The small text forms shared by plan.yaml, roster.csv and holiday files, and the words used
/// to say what was expected.
enum ValueSyntax {
    /// Lower-case ASCII letters, digits, `-` and `_`: ids end up in UIDs, file names and URLs.
    static func isID(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }

    /// Characters that separate the items of a list, and those of them that are ASCII bytes.
    struct Separators: Sendable {
        let characters: Set<Character>
        let ascii: [UInt8]

        init(_ characters: Set<Character>) {
            self.characters = characters
            ascii = characters.filter { $0.unicodeScalars.count == 1 }.compactMap(\.asciiValue)
        }
    }

    /// What separates list items (teams, roles) in a cell (made once, not at every call).
    static let listSeparators = Separators([";", "；", "、", ",", "，"])
    /// What separates the periods of an `unavailable` cell.
    static let periodSeparators = Separators([";", "；"])

    /// Splits a multi-value cell or string on `;` `；` `、` `,` `，` (a quoted cell in a CSV file, or a
    /// full-width comma typed with a Chinese input method), trimming spaces (full-width ones too)
    /// and dropping empty parts.
    static func splitList(_ text: String, separators: Separators = listSeparators) -> [String] {
        // An empty cell (most members' `unavailable`) has no items.
        if text.isEmpty { return [] }
        // ASCII text (nearly every cell) split on its bytes: there each byte is a Character (CRLF aside,
        // which separates nothing) and only the ASCII separators can occur.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.split(whereSeparator: { separators.ascii.contains($0) }).compactMap { part in
                let item = Substring(part).trimmedSpace
                return item.isEmpty ? nil : item
            }
        }
        return text.split(whereSeparator: { separators.characters.contains($0) }).map { $0.trimmedSpace }.filter { !$0.isEmpty }
    }

    /// `HH:MM` with digits only (LocalTime alone would take `+9:00`).
    static func time(_ text: String) -> LocalTime? {
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }) else { return nil }
        return LocalTime(text: text)
    }

    /// `YYYY-MM-DD` with digits only.
    static func date(_ text: String) -> CivilDate? {
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        return CivilDate(iso: text)
    }

    /// `MM-DD` with digits only.
    static func monthDay(_ text: String) -> MonthDay? {
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        return MonthDay(text: text)
    }

    /// Whether `text` is a number as Excel shows a long one it took for a number: `1.39707E+10`
    /// (the digits after the fifth are lost for good).
    static func isScientificNumber(_ text: String) -> Bool {
        // Without an `e` or `E` byte in ASCII text there is no exponent (the common case: a phone number).
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 | 0x20 != UInt8(ascii: "e") }) { return false }
        let parts = text.uppercased().split(separator: "E", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        var exponent = Substring(parts[1])
        if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
        func digits(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }
        return (1...2).contains(mantissa.count) && mantissa.allSatisfy(digits) && digits(exponent)
    }

    /// `YYYY-MM-DD..YYYY-MM-DD reason` (or one day `YYYY-MM-DD reason`); nil when malformed or
    /// when the start is after the end.
    static func absence(_ text: String) -> Absence? {
        let trimmed = text.trimmedSpace
        let head = trimmed.prefix { !$0.isWhitespace }
        let reason = trimmed.dropFirst(head.count).trimmedSpace
        let ends = head.split(separator: "..", omittingEmptySubsequences: false).map(String.init)
        switch ends.count {
        case 1:
            guard let day = date(ends[0]) else { return nil }
            return Absence(range: DateRange(from: day, to: day), reason: reason)
        case 2:
            guard let from = date(ends[0]), let to = date(ends[1]), from <= to else { return nil }
            return Absence(range: DateRange(from: from, to: to), reason: reason)
        default:
            return nil
        }
    }

    /// A time zone name that is safe to join to /usr/share/zoneinfo: no `..`, no leading `/`,
    /// only `A-Z a-z 0-9 _ + - /`.
    static func isSafeZoneName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.contains("..")
            && name.unicodeScalars.allSatisfy {
                $0.isASCII
                    && (("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0)
                        || "_+-/".unicodeScalars.contains($0))
            }
    }
}

/// What a field should hold, in both languages.
extension LocalizedText {
    static let id = LocalizedText(
        zh: "编号（小写英文字母、数字、- 或 _）", en: "an id (lower-case ASCII letters, digits, - or _)")
    static let date = LocalizedText(zh: "日期 YYYY-MM-DD（真实存在的日期）", en: "a real date YYYY-MM-DD")
    static let dateOrMonthDay = LocalizedText(
        zh: "日期 MM-DD（每年）或 YYYY-MM-DD（真实存在的日期）", en: "a real date MM-DD (every year) or YYYY-MM-DD")
    static let monthDay = LocalizedText(zh: "每年的日期 MM-DD（如 05-12）", en: "a day of the year MM-DD (like 05-12)")
    static let time = LocalizedText(zh: "时间 HH:MM（24 小时制）", en: "a time HH:MM (24 h)")
    static let text = LocalizedText(zh: "非空文本", en: "non-empty text")
    static let bool = LocalizedText(zh: "true 或 false", en: "true or false")
    static let absence = LocalizedText(
        zh: "时段 YYYY-MM-DD..YYYY-MM-DD 原因（起始不晚于结束，多个用 ; 分隔）",
        en: "a period YYYY-MM-DD..YYYY-MM-DD reason (start not after end, several separated by ;)")
    static let teamID = LocalizedText(zh: "plan.yaml 中定义的队伍编号", en: "a team id defined in plan.yaml")
    static let villageID = LocalizedText(zh: "plan.yaml 中定义的村编号", en: "a village id defined in plan.yaml")
    static let role = LocalizedText(
        zh: "来源（如 police、警务、民兵、基干民兵……，见 calendars/README.md）",
        en: "a role (police, medical, militia, core_militia… or its Chinese label; see calendars/README.md)")

    static func integer(atLeast minimum: Int) -> LocalizedText {
        LocalizedText(zh: "不小于 \(minimum) 的整数", en: "a whole number of at least \(minimum)")
    }

    static func oneOf(_ words: [String]) -> LocalizedText {
        LocalizedText(zh: "以下之一：" + words.joined(separator: "、"), en: "one of " + words.joined(separator: ", "))
    }

    static func unique(_ what: (zh: String, en: String), firstLine: Int?) -> LocalizedText {
        let zhLine = firstLine.map { "（第 \($0) 行已使用）" } ?? ""
        let enLine = firstLine.map { " (already used on line \($0))" } ?? ""
        return LocalizedText(zh: "不重复的\(what.zh)\(zhLine)", en: "a unique \(what.en)\(enLine)")
    }
}
