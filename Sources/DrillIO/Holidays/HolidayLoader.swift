import DrillCore
import Synchronization

/// Reads a statutory-holiday file (calendars/holidays/<year>.yaml): the State Council's holidays
/// and swapped working days (调休), which cannot be computed and so are shipped as data.
public enum HolidayLoader {
    /// Reads and checks a holiday file.
    ///
    /// - Throws: `InputError` for unreadable files, malformed YAML, unreal dates, `from` after `to`.
    ///
    /// ```swift
    /// let holidays = try HolidayLoader.load(file: "calendars/holidays/2027.yaml")
    /// ```
    public static func load(file: String) throws(InputError) -> HolidayCalendar {
        try parse(yaml: FileBytes.utf8Text(file, limit: InputLimits.holidaysBytes), file: file)
    }

    /// Checks a holiday file given as text; `file` is only used in errors.
    public static func parse(yaml: String, file: String) throws(InputError) -> HolidayCalendar {
        try read(yaml: yaml, file: file).calendar
    }

    struct Parsed: Sendable {
        var calendar: HolidayCalendar
        var year: Int
        var yearLine: Int?
    }

    /// The last holidays file this process read, by path and text. Every town of a region names the
    /// same file, and a region worker builds up to 64 towns: the file was parsed again for each
    /// (~0.7 % of a province build's CPU, perf). Only a file that parsed is kept, and it is used
    /// only for the same path and the same text, so a result (or an error naming its line) is what
    /// parsing would give (same bytes, not only canonically equal text).
    private static let last = Mutex<(file: String, text: String, parsed: Parsed)?>(nil)

    static func read(yaml: String, file: String) throws(InputError) -> Parsed {
        // Compared as bytes: `==` on Strings is canonical equivalence, under which a name written
        // with a combining accent equals the precomposed one (another file, other output bytes).
        if let hit = last.withLock({ $0 }), JSONBytes.sameBytes(hit.file, file), JSONBytes.sameBytes(hit.text, yaml) {
            return hit.parsed
        }
        let parsed = try parse(yaml, file: file)
        last.withLock { $0 = (file, yaml, parsed) }
        return parsed
    }

    private static func parse(_ yaml: String, file: String) throws(InputError) -> Parsed {
        let root = try YAMLDocument.root(yaml, file: file, limit: InputLimits.holidaysBytes)
        let m = try root.mapping(["year", "source", "provisional", "holidays", "workdays"])
        let yearNode = try m.required("year", LocalizedText(zh: "年份（如 2027）", en: "the year (like 2027)"))
        let year = try yearNode.int(atLeast: 1970)
        _ = try m["source"]?.scalar(.text)
        _ = try m["provisional"]?.bool()

        var holidays: [HolidayCalendar.Holiday] = []
        for item in try m["holidays"]?.items(LocalizedText(zh: "假期列表", en: "a list of holidays")) ?? [] {
            let h = try item.mapping(["name", "from", "to"])
            let from = try h.required("from", .date).date()
            let toNode = try h.required("to", .date)
            let to = try toNode.date()
            guard from <= to else {
                throw toNode.error(LocalizedText(zh: "不早于 from（\(from)）的日期", en: "a date not before from (\(from))"))
            }
            holidays.append(.init(name: try h.required("name", .text).string(), range: DateRange(from: from, to: to)))
        }
        var workdays: Set<CivilDate> = []
        for w in try m["workdays"]?.values(.date) ?? [] {
            workdays.insert(try w.date())
        }
        return Parsed(
            calendar: HolidayCalendar(holidays: holidays, swappedWorkdays: workdays, years: [year]), year: year,
            yearLine: yearNode.line)
    }
}
