import CXlsxWriter
import DrillCore
import Foundation

/// A county's (or city's, province's) view of its towns: one row per town, worst first, from
/// each town's own `check`; the county's summary to the level above.
public struct RegionReport: Sendable {
    /// One town's standing.
    public struct Town: Sendable, Hashable, Codable {
        /// Folder key within the region (`north/hexi`).
        public var key: String
        /// Town id from its plan, when it could be read.
        public var town: String?
        /// The town check's exit status: 0 nothing to act on, 1 findings, 2 bad input, 3 unreadable.
        public var status: Int32
        /// Teams below their minimum size.
        public var belowMinimum: Int
        /// Rules held fewer times than required by the as-of date.
        public var rulesBehind: Int
        /// Sessions held, required by now and planned for the year (all rules).
        public var held: Int
        public var requiredByNow: Int
        public var planned: Int
        /// Reporting deadlines passed without a recorded `done`.
        public var reportsOverdue: Int
        /// Corrective actions past their due date.
        public var actionsOverdue: Int
        /// The town check's other findings that need action, by kind (`forecast`, `missing_role`,
        /// `turnout_below_minimum`…; `CheckDigest.kindOrder`), so that a town is never listed as
        /// needing action without saying what.
        public var otherFindings: [String: Int]
        /// Why the town could not be checked (first line of its message), when it could not.
        public var error: String?

        /// The finding kinds counted in their own columns; every other kind goes to `otherFindings`.
        public static let columnKinds: Set<String> = ["below_minimum", "rule_behind", "deadline_not_done", "action_overdue"]

        public init(
            key: String, town: String?, status: Int32, belowMinimum: Int, rulesBehind: Int, held: Int,
            requiredByNow: Int, planned: Int, reportsOverdue: Int, actionsOverdue: Int,
            otherFindings: [String: Int] = [:], error: String?
        ) {
            self.key = key
            self.town = town
            self.status = status
            self.belowMinimum = belowMinimum
            self.rulesBehind = rulesBehind
            self.held = held
            self.requiredByNow = requiredByNow
            self.planned = planned
            self.reportsOverdue = reportsOverdue
            self.actionsOverdue = actionsOverdue
            self.otherFindings = otherFindings.filter { $0.value > 0 }
            self.error = error
        }

        /// Whether the town needs the county's attention.
        public var needsAction: Bool { status != 0 }

        /// Held sessions as a share of those required by now (1 when none were required yet).
        public var heldShare: Double { requiredByNow == 0 ? 1 : Double(held) / Double(requiredByNow) }

        /// What to act on, in words.
        public func problems(_ l: Language) -> String {
            if status >= 2 { return l.pick("无法检查：", "cannot be checked: ") + (error ?? "") }
            var parts: [String] = []
            if belowMinimum > 0 {
                parts.append(l.pick("\(belowMinimum) 支队伍人数不足", "\(belowMinimum) teams below minimum"))
            }
            if rulesBehind > 0 {
                parts.append(l.pick("\(rulesBehind) 项规则进度落后", "\(rulesBehind) rules behind"))
            }
            if reportsOverdue > 0 {
                parts.append(l.pick("\(reportsOverdue) 项报送逾期", "\(reportsOverdue) reports overdue"))
            }
            if actionsOverdue > 0 {
                parts.append(
                    l.pick("\(actionsOverdue) 项整改逾期", "\(actionsOverdue) corrective actions overdue"))
            }
            let known = CheckDigest.kindOrder.filter { otherFindings[$0] != nil }
            let unknown = otherFindings.keys.filter { !CheckDigest.kindOrder.contains($0) }.sorted()
            for kind in known + unknown {
                let n = otherFindings[kind]!
                parts.append(l.pick("\(CheckDigest.label(kind, l)) \(n) 项", "\(CheckDigest.label(kind, l)) \(n)"))
            }
            if parts.isEmpty && status == 1 { parts.append(l.pick("有其他待处理事项", "other items to act on")) }
            return parts.joined(separator: l.pick("；", "; "))
        }
    }

    /// Region name and level label (`清河县`, `县（区）`).
    public var name: String
    public var level: String
    public var year: Int
    public var asOf: String
    public var language: Language
    /// Towns, worst first.
    public var towns: [Town]

    /// Sorts `towns` worst first: unreadable, then teams below minimum, overdue reports, rules
    /// behind, overdue actions, then any town that needs action before one that does not (the most
    /// other findings first), then the lowest share held, then by key.
    public init(name: String, level: String, year: Int, asOf: String, language: Language, towns: [Town]) {
        self.name = name
        self.level = level
        self.year = year
        self.asOf = asOf
        self.language = language
        func severity(_ t: Town) -> [Int] {
            [
                t.status >= 2 ? 1 : 0, t.belowMinimum, t.reportsOverdue, t.rulesBehind, t.actionsOverdue,
                t.needsAction ? 1 : 0, t.otherFindings.values.reduce(0, +),
            ]
        }
        self.towns = towns.sorted { a, b in
            let ka = severity(a)
            let kb = severity(b)
            if ka != kb { return kb.lexicographicallyPrecedes(ka) }
            if a.heldShare != b.heldShare { return a.heldShare < b.heldShare }
            return a.key < b.key
        }
    }

    var headers: [String] {
        let l = language
        return [
            l.pick("镇", "Town"), l.pick("人数不足队伍", "Teams below minimum"), l.pick("进度落后规则", "Rules behind"),
            l.pick("已举行/应举行（全年计划）", "Held / required by now (planned)"), l.pick("逾期报送", "Reports overdue"),
            l.pick("逾期整改", "Actions overdue"), l.pick("需处理", "To act on"),
        ]
    }

    func cells(_ t: Town) -> [String] {
        let name = t.town.map { $0 == t.key ? $0 : "\(t.key)（\($0)）" } ?? t.key
        if t.status >= 2 { return [name, "–", "–", "–", "–", "–", t.problems(language)] }
        return [
            name, "\(t.belowMinimum)", "\(t.rulesBehind)", "\(t.held)/\(t.requiredByNow)（\(t.planned)）",
            "\(t.reportsOverdue)", "\(t.actionsOverdue)",
            t.problems(language).isEmpty ? "—" : t.problems(language),
        ]
    }

    var title: String {
        language.pick(
            "\(name) \(year) 年基层应急培训演练情况汇总（截至 \(asOf)）",
            "\(name): township training and drills \(year) (as of \(asOf))")
    }

    var totals: String {
        let l = language
        let acting = towns.filter(\.needsAction).count
        let held = towns.reduce(0) { $0 + $1.held }
        let required = towns.reduce(0) { $0 + $1.requiredByNow }
        return l.pick(
            "共 \(towns.count) 个镇，\(acting) 个需督促；已举行 \(held) 场，截至目前应举行 \(required) 场。",
            "\(towns.count) towns, \(acting) needing action; \(held) sessions held of \(required) required by now."
        )
    }

    /// Markdown: title, totals, the table, the towns needing action.
    public func markdown() -> String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = "# \(title)\n\n\(totals)\n\n"
        out += "| " + headers.joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: " --- |", count: headers.count) + "\n"
        for t in towns { out += "| " + cells(t).map(cell).joined(separator: " | ") + " |\n" }
        let acting = towns.filter(\.needsAction)
        out += "\n## " + language.pick("需督促的镇", "Towns needing action") + "\n\n"
        if acting.isEmpty { out += language.pick("无。\n", "None.\n") }
        for t in acting { out += "- \(cell(cells(t)[0]))：\(cell(t.problems(language)))\n" }
        return out
    }

    /// A standalone HTML page with the same content.
    public func html() -> String {
        func e(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        var out =
            "<!DOCTYPE html>\n<html lang=\"\(language == .zh ? "zh-CN" : "en")\"><head><meta charset=\"utf-8\">"
        out +=
            "<title>\(e(title))</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        out +=
            "td,th{border:1px solid #999;padding:4px 8px}tr.act td{background:#fde2e1}</style></head><body>\n"
        out += "<h1>\(e(title))</h1>\n<p>\(e(totals))</p>\n<table>\n<tr>"
        out += headers.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for t in towns {
            out +=
                "<tr\(t.needsAction ? " class=\"act\"" : "")>" + cells(t).map { "<td>\(e($0))</td>" }.joined()
                + "</tr>\n"
        }
        out += "</table>\n<h2>\(e(language.pick("需督促的镇", "Towns needing action")))</h2>\n<ul>\n"
        let acting = towns.filter(\.needsAction)
        if acting.isEmpty { out += "<li>\(e(language.pick("无", "None")))</li>\n" }
        for t in acting { out += "<li>\(e(cells(t)[0]))：\(e(t.problems(language)))</li>\n" }
        return out + "</ul>\n</body></html>\n"
    }

    /// An .xlsx workbook with one sheet (towns × indicators, numbers as numbers), written beside
    /// `path` and renamed into place.
    public func writeXLSX(to path: String) throws(ReportError) {
        let temporary = ReportRenderer.temporaryPath(beside: path)
        guard let workbook = workbook_new(temporary) else {
            throw ReportError(message: "\(path): \(ReportRenderer.lastSystemError())")
        }
        let sheet = workbook_add_worksheet(workbook, language.pick("各镇情况", "Towns"))
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        var failed = false
        func text(_ row: Int, _ col: Int, _ s: String, _ format: UnsafeMutablePointer<lxw_format>? = nil) {
            // Always a string cell: a town name is never taken for a formula.
            if worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(col), String(s.prefix(32_000)), format)
                != LXW_NO_ERROR
            {
                failed = true
            }
        }
        func number(_ row: Int, _ col: Int, _ n: Int) {
            if worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(col), Double(n), nil) != LXW_NO_ERROR {
                failed = true
            }
        }
        text(0, 0, title, bold)
        text(1, 0, totals)
        let columns = [
            language.pick("镇", "Town"), language.pick("检查状态", "Check status"),
            language.pick("人数不足队伍", "Teams below minimum"), language.pick("进度落后规则", "Rules behind"),
            language.pick("已举行", "Held"), language.pick("应举行（截至目前）", "Required by now"),
            language.pick("全年计划", "Planned"), language.pick("逾期报送", "Reports overdue"),
            language.pick("逾期整改", "Actions overdue"), language.pick("需处理", "To act on"),
        ]
        for (c, h) in columns.enumerated() { text(3, c, h, bold) }
        for (i, t) in towns.enumerated() {
            let row = 4 + i
            text(row, 0, cells(t)[0])
            number(row, 1, Int(t.status))
            if t.status < 2 {
                for (c, n) in [
                    t.belowMinimum, t.rulesBehind, t.held, t.requiredByNow, t.planned, t.reportsOverdue,
                    t.actionsOverdue,
                ]
                .enumerated() {
                    number(row, 2 + c, n)
                }
            }
            text(row, 9, t.problems(language))
        }
        worksheet_set_column(sheet, 0, 0, 24, nil)
        worksheet_set_column(sheet, 9, 9, 60, nil)
        let closed = workbook_close(workbook)
        guard !failed, closed == LXW_NO_ERROR else {
            unlink(temporary)
            throw ReportError(message: "\(path): " + String(cString: lxw_strerror(closed)))
        }
        guard rename(temporary, path) == 0 else {
            let why = ReportRenderer.lastSystemError()
            unlink(temporary)
            throw ReportError(message: "\(path): \(why)")
        }
    }
}
