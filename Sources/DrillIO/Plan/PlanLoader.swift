import DrillCore
import Foundation

/// Reads plan.yaml (calendars/README.md) into a `Plan`, checking every value and reference so
/// that a mistake is reported with the file, line and field where it was made.
public enum PlanLoader {
    /// Reads and checks a plan file.
    ///
    /// - Parameters:
    ///   - file: path of plan.yaml, as the user gave it (errors repeat it).
    ///   - recurrence: checks `rrule:` values (libical in the CLI, a fake in tests).
    /// - Throws: `InputError` for unreadable files, malformed YAML and every invalid value.
    ///
    /// ```swift
    /// let plan = try PlanLoader.load(file: "calendars/qingshan/plan.yaml", recurrence: LibicalExpander())
    /// ```
    public static func load(file: String, recurrence: any RecurrenceExpander) throws(InputError) -> Plan {
        try parse(yaml: FileBytes.utf8Text(file, limit: InputLimits.planBytes), file: file, recurrence: recurrence)
    }

    /// Checks a plan given as text; `file` is only used in errors.
    ///
    /// - Throws: `InputError` for malformed YAML and every invalid value.
    public static func parse(yaml: String, file: String, recurrence: any RecurrenceExpander) throws(InputError) -> Plan {
        try read(yaml: yaml, file: file, recurrence: recurrence).plan
    }

    /// A plan with the places in plan.yaml that TownLoader needs to point at later.
    struct Parsed {
        var plan: Plan
        /// `holidays:` as written, nil for the default.
        var holidays: String?
        /// Line of `holidays:`.
        var holidaysLine: Int?
        /// Line of `year:`.
        var yearLine: Int?
        /// Per rule id, the node its day rules sit at (for "the window holds no allowed day").
        var dayRuleNodes: [String: YAMLValue] = [:]
    }

    static let topKeys = [
        "town", "year", "time_zone", "holidays", "defaults", "seasons", "blackouts", "travel", "villages", "venues",
        "supervisors", "teams", "rules", "feeds", "weights", "public_url",
    ]

    static func read(yaml: String, file: String, recurrence: any RecurrenceExpander) throws(InputError) -> Parsed {
        let root = try YAMLDocument.root(yaml, file: file)
        let top = try root.mapping(topKeys, expected: LocalizedText(zh: "plan.yaml 的顶层映射", en: "the plan.yaml mapping"))

        let town = try readTown(top.required("town", LocalizedText(zh: "镇的信息", en: "the town")))
        let yearNode = try top.required("year", LocalizedText(zh: "计划年份（如 2027）", en: "the year planned (like 2027)"))
        let year = try yearNode.int(atLeast: 1970)
        guard year <= 9999 else { throw yearNode.error(.integer(atLeast: 1970)) }

        var timeZone = "Asia/Shanghai"
        if let tz = top["time_zone"] {
            timeZone = try tz.scalar(zoneExpected)
            try checkZone(timeZone, at: tz)
        }
        let holidays = try top["holidays"].map { (v) throws(InputError) in try v.string() }

        let defaults = try top["defaults"].map { (v) throws(InputError) in try readDefaults(v) } ?? PlanDefaults()

        var plan = Plan(town: town, year: year, timeZone: timeZone, defaults: defaults)
        if let feeds = top["feeds"] {
            let m = try feeds.mapping(["public_attendees", "language"])
            if let x = m["public_attendees"] { plan.feeds.publicAttendees = try x.bool() }
            if let x = m["language"] {
                let expected = LocalizedText(zh: "日历文字的语言 zh 或 en", en: "the calendar text's language, zh or en")
                guard let language = Language(rawValue: try x.scalar(expected)) else {
                    throw x.error(expected, found: try x.scalar(expected))
                }
                plan.feeds.language = language
            }
        }
        if let x = top["public_url"] { plan.feeds.publicURL = try PublicURL.read(x) }
        var ids = IDRegistry()
        plan.villages = try readList(top["villages"], "villages") { (v) throws(InputError) in
            try readVillage(v, ids: &ids)
        }
        plan.venues = try readList(top["venues"], "venues") { (v) throws(InputError) in
            try readVenue(v, plan: plan, ids: &ids)
        }
        plan.supervisors = try readList(top["supervisors"], "supervisors") { (v) throws(InputError) in
            try readSupervisor(v, ids: &ids)
        }
        plan.teams = try readList(top["teams"], "teams") { (v) throws(InputError) in
            try readTeam(v, plan: plan, ids: &ids)
        }
        plan.seasons = try readList(top["seasons"], "seasons") { (v) throws(InputError) in
            try readSeason(v, ids: &ids)
        }
        plan.blackouts = try readList(top["blackouts"], "blackouts") { (v) throws(InputError) in
            try readBlackout(v, plan: plan, ids: &ids)
        }
        plan.travel = try readList(top["travel"], "travel") { (v) throws(InputError) in
            try readTravel(v, plan: plan)
        }
        var dayRuleNodes: [String: YAMLValue] = [:]
        plan.rules = try readList(top["rules"], "rules") { (v) throws(InputError) in
            let rule = try readRule(v, plan: plan, ids: &ids, recurrence: recurrence)
            dayRuleNodes[rule.id] = dayRuleNode(v) ?? v
            return rule
        }
        if let w = top["weights"] { plan.weights = try readWeights(w) }
        var parsed = Parsed(plan: plan, holidays: holidays, holidaysLine: top["holidays"]?.line, yearLine: yearNode.line)
        parsed.dayRuleNodes = dayRuleNodes
        return parsed
    }

    static func readList<T>(
        _ value: YAMLValue?, _ what: String, _ item: (YAMLValue) throws(InputError) -> T
    ) throws(InputError) -> [T] {
        guard let value else { return [] }
        var out: [T] = []
        for v in try value.items(LocalizedText(zh: "列表（- 项）", en: "a list (- items)")) {
            out.append(try item(v))
        }
        return out
    }

    // MARK: town and defaults

    static func readTown(_ v: YAMLValue) throws(InputError) -> Town {
        let m = try v.mapping(["id", "name", "name_en", "county", "station", "station_email"])
        return Town(
            id: try m.required("id", .id).id(),
            name: try m.required("name", .text).string(),
            nameEnglish: try m["name_en"]?.string(),
            county: try m["county"]?.string() ?? "",
            station: try m.required("station", LocalizedText(zh: "应急站名称", en: "the station's name")).string(),
            stationEmail: try m["station_email"].map { (e) throws(InputError) in
                let s = try e.string()
                guard s.contains("@"), !s.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
                    throw e.error(LocalizedText(zh: "电子邮件地址", en: "an e-mail address"))
                }
                return s
            })
    }

    static let zoneExpected = LocalizedText(
        zh: "IANA 时区名（如 Asia/Shanghai），须存在于 /usr/share/zoneinfo",
        en: "an IANA time zone name (like Asia/Shanghai) present in /usr/share/zoneinfo")

    static func checkZone(_ name: String, at v: YAMLValue) throws(InputError) {
        guard ValueSyntax.isSafeZoneName(name) else { throw v.error(zoneExpected) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/" + name, isDirectory: &isDirectory),
            !isDirectory.boolValue
        else { throw v.error(zoneExpected) }
    }

    static func readDefaults(_ v: YAMLValue) throws(InputError) -> PlanDefaults {
        let m = try v.mapping(["min_gap_days", "travel_minutes", "alarms", "refresh_hours", "flex_days", "freeze_days"])
        var d = PlanDefaults()
        if let x = m["min_gap_days"] { d.minGapDays = try x.int(atLeast: 0) }
        if let x = m["travel_minutes"] { d.travelMinutes = try x.int(atLeast: 0) }
        if let x = m["refresh_hours"] { d.refreshHours = try x.int(atLeast: 1) }
        if let x = m["flex_days"] { d.flexDays = try x.int(atLeast: 0) }
        if let x = m["freeze_days"] { d.freezeDays = try x.int(atLeast: 0) }
        if let x = m["alarms"] {
            var alarms: [Int] = []
            for a in try x.values(.integer(atLeast: 0)) { alarms.append(try a.int(atLeast: 0)) }
            d.alarmMinutes = alarms
        }
        return d
    }

    /// `weights:` of the objective (calendars/README.md), each a whole number ≥ 0.
    static func readWeights(_ v: YAMLValue) throws(InputError) -> ObjectiveWeights {
        let m = try v.mapping([
            "off_preferred_weekday", "spacing_per_day", "off_preferred_time", "turnout_below_floor", "supervisor_load",
            "unmet_demand", "move_published",
        ])
        var w = ObjectiveWeights()
        if let x = m["off_preferred_weekday"] { w.offPreferredWeekday = try x.int(atLeast: 0) }
        if let x = m["spacing_per_day"] { w.spacingPerDay = try x.int(atLeast: 0) }
        if let x = m["off_preferred_time"] { w.offPreferredTime = try x.int(atLeast: 0) }
        if let x = m["turnout_below_floor"] { w.turnoutBelowFloor = try x.int(atLeast: 0) }
        if let x = m["supervisor_load"] { w.supervisorLoad = try x.int(atLeast: 0) }
        if let x = m["unmet_demand"] { w.unmetDemand = try x.int(atLeast: 0) }
        if let x = m["move_published"] { w.movePublished = try x.int(atLeast: 0) }
        for (key, n) in [
            ("off_preferred_weekday", w.offPreferredWeekday), ("spacing_per_day", w.spacingPerDay),
            ("off_preferred_time", w.offPreferredTime), ("turnout_below_floor", w.turnoutBelowFloor),
            ("supervisor_load", w.supervisorLoad), ("unmet_demand", w.unmetDemand),
            ("move_published", w.movePublished),
        ] where n > 1_000_000 {
            throw m[key]!.error(LocalizedText(zh: "0 到 1000000 之间的整数", en: "a whole number from 0 to 1000000"))
        }
        return w
    }

    // MARK: places and people

    static func readVillage(_ v: YAMLValue, ids: inout IDRegistry) throws(InputError) -> Village {
        let m = try v.mapping(["id", "name", "name_en", "grids"])
        let id = try ids.claim(m.required("id", .id), kind: .village)
        var grids: [String] = []
        for g in try m["grids"]?.values(.id) ?? [] {
            grids.append(try ids.claim(g, kind: .grid))
        }
        return Village(
            id: id, name: try m.required("name", .text).string(), nameEnglish: try m["name_en"]?.string(), grids: grids)
    }

    static func readVenue(_ v: YAMLValue, plan: Plan, ids: inout IDRegistry) throws(InputError) -> Venue {
        let m = try v.mapping(["id", "name", "capacity", "village", "address"])
        let id = try ids.claim(m.required("id", .id), kind: .venue)
        return Venue(
            id: id, name: try m.required("name", .text).string(),
            village: try m["village"].map { (x) throws(InputError) in try villageRef(x, plan: plan) },
            capacity: try m.required("capacity", .integer(atLeast: 1)).int(atLeast: 1),
            address: try m["address"]?.string())
    }

    static func villageRef(_ v: YAMLValue, plan: Plan) throws(InputError) -> String {
        let id = try v.scalar(.villageID)
        guard plan.village(id) != nil else { throw v.error(.villageID) }
        return id
    }

    static func readSupervisor(_ v: YAMLValue, ids: inout IDRegistry) throws(InputError) -> Supervisor {
        let m = try v.mapping(["id", "name", "max_per_day", "max_per_week", "away"])
        let id = try ids.claim(m.required("id", .id), kind: .supervisor)
        var absences: [Absence] = []
        for a in try m["away"]?.values(.absence) ?? [] {
            guard let absence = ValueSyntax.absence(try a.scalar(.absence)) else { throw a.error(.absence) }
            absences.append(absence)
        }
        return Supervisor(
            id: id, name: try m.required("name", .text).string(),
            maxPerDay: try m["max_per_day"]?.int(atLeast: 1) ?? 2,
            maxPerWeek: try m["max_per_week"]?.int(atLeast: 1) ?? 4, absences: absences)
    }

    static func readTeam(_ v: YAMLValue, plan: Plan, ids: inout IDRegistry) throws(InputError) -> Team {
        let m = try v.mapping([
            "id", "name", "name_en", "level", "village", "minimum", "requires", "min_gap_days", "ideal_gap_days",
            "min_turnout", "turnout",
        ])
        let id = try ids.claim(m.required("id", .id), kind: .team)
        let levels = TeamLevel.allCases.map(\.rawValue)
        let levelNode = try m.required("level", .oneOf(levels))
        guard let level = TeamLevel(rawValue: try levelNode.scalar(.oneOf(levels))) else {
            throw levelNode.error(.oneOf(levels))
        }
        let village = try m["village"].map { (x) throws(InputError) in try villageRef(x, plan: plan) }
        if level == .village, village == nil {
            throw InputError(
                file: v.file, line: v.line, column: v.column, field: m.path("village"),
                expected: LocalizedText(zh: "村级队伍所属的村编号", en: "the village id of a village-level team"),
                found: "")
        }
        var required: [Role: Int] = [:]
        if let r = m["requires"] {
            if case .mapping = r.node {
                guard case .mapping(let map) = r.node else { throw r.error(.role) }
                for (keyNode, countNode) in map {
                    let key = YAMLValue(node: keyNode, path: r.path, file: r.file)
                    guard let role = Role(key: try key.scalar(.role)) else { throw key.error(.role) }
                    guard required[role] == nil else {
                        throw key.error(.unique((zh: "来源", en: "role"), firstLine: nil))
                    }
                    required[role] = try YAMLValue(node: countNode, path: "\(r.path).\(key.text)", file: r.file)
                        .int(atLeast: 1)
                }
            } else {
                for x in try r.values(.role) {
                    guard let role = Role(key: try x.scalar(.role)) else { throw x.error(.role) }
                    required[role, default: 0] += 1
                }
            }
        }
        return Team(
            id: id, name: try m.required("name", .text).string(), nameEnglish: try m["name_en"]?.string(),
            level: level, village: village, minimumMembers: try m["minimum"]?.int(atLeast: 0),
            requiredRoles: required, minGapDays: try m["min_gap_days"]?.int(atLeast: 0),
            idealGapDays: try m["ideal_gap_days"]?.int(atLeast: 1),
            minTurnout: try m["min_turnout"].map { (x) throws(InputError) in try turnoutFloor(x) },
            turnoutHard: try turnoutHard(m["turnout"]))
    }

    // MARK: periods

    /// `from`/`to` as month-days (every year, may wrap over New Year) or as exact dates.
    static func readPeriod(_ m: YAMLMapping) throws(InputError) -> PeriodSpec {
        let fromNode = try m.required("from", .dateOrMonthDay)
        let toNode = try m.required("to", .dateOrMonthDay)
        let from = try fromNode.scalar(.dateOrMonthDay)
        let to = try toNode.scalar(.dateOrMonthDay)
        if let f = ValueSyntax.monthDay(from) {
            guard let t = ValueSyntax.monthDay(to) else {
                throw toNode.error(LocalizedText(zh: "与 from 相同格式的 MM-DD 日期", en: "a real MM-DD date, like from"))
            }
            return .annual(AnnualPeriod(from: f, to: t))
        }
        guard let f = ValueSyntax.date(from) else { throw fromNode.error(.dateOrMonthDay) }
        guard let t = ValueSyntax.date(to) else {
            throw toNode.error(LocalizedText(zh: "与 from 相同格式的 YYYY-MM-DD 日期", en: "a real YYYY-MM-DD date, like from"))
        }
        guard f <= t else {
            throw toNode.error(LocalizedText(zh: "不早于 from（\(f)）的日期", en: "a date not before from (\(f))"))
        }
        return .dates(DateRange(from: f, to: t))
    }

    static func readSeason(_ v: YAMLValue, ids: inout IDRegistry) throws(InputError) -> Season {
        let m = try v.mapping(["id", "name", "from", "to"])
        let id = try ids.claim(m.required("id", .id), kind: .season)
        return Season(id: id, name: try m.required("name", .text).string(), period: try readPeriod(m))
    }

    static func readBlackout(_ v: YAMLValue, plan: Plan, ids: inout IDRegistry) throws(InputError) -> Blackout {
        let m = try v.mapping(["id", "name", "from", "to", "teams"])
        let id = try ids.claim(m.required("id", .id), kind: .blackout)
        return Blackout(
            id: id, name: try m.required("name", .text).string(), period: try readPeriod(m),
            teams: try selectors(m.required("teams", selectorExpected), plan: plan))
    }

    static func readTravel(_ v: YAMLValue, plan: Plan) throws(InputError) -> TravelTime {
        let m = try v.mapping(["from", "to", "minutes"])
        let expected = LocalizedText(zh: "村编号或 town（镇所在地）", en: "a village id or town (the town seat)")
        func place(_ key: String) throws(InputError) -> String? {
            let node = try m.required(key, expected)
            let id = try node.scalar(expected)
            if id == "town" { return nil }
            guard plan.village(id) != nil else { throw node.error(expected) }
            return id
        }
        return TravelTime(from: try place("from"), to: try place("to"), minutes: try m.required("minutes", .integer(atLeast: 0)).int(atLeast: 0))
    }

    // MARK: team selectors

    static let selectorExpected = LocalizedText(
        zh: "all、level:<级别> 或 plan.yaml 中定义的队伍编号",
        en: "all, level:<level> or a team id defined in plan.yaml")

    static func selectors(_ v: YAMLValue, plan: Plan) throws(InputError) -> [TeamSelector] {
        var out: [TeamSelector] = []
        for x in try v.values(selectorExpected) {
            let s = try x.scalar(selectorExpected)
            if s == "all" {
                out.append(.all)
            } else if s.hasPrefix("level:") {
                let name = s.dropFirst("level:".count).trimmedSpace
                guard let level = TeamLevel(rawValue: name) else {
                    throw x.error(.oneOf(TeamLevel.allCases.map { "level:\($0.rawValue)" }))
                }
                out.append(.level(level))
            } else {
                guard plan.team(s) != nil else { throw x.error(.teamID) }
                out.append(.team(s))
            }
        }
        guard !out.isEmpty else { throw v.error(selectorExpected) }
        return out
    }
}
