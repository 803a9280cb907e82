import DrillCore

/// Reads a whole town folder: plan.yaml, roster.csv and the holidays file of the plan's year.
public enum TownLoader {
    /// Reads and checks a town folder.
    ///
    /// The holidays file is the plan's `holidays:` path (relative to plan.yaml), by default
    /// `../holidays/<year>.yaml`; its `year` must be the plan's.
    ///
    /// - Parameters:
    ///   - directory: the town folder (`calendars/qingshan`).
    ///   - encoding: how roster.csv is encoded; `.auto` tries UTF-8, then GB18030.
    ///   - recurrence: checks `rrule:` values.
    /// - Throws: the first `InputError` found, naming file, line and field.
    ///
    /// ```swift
    /// let town = try TownLoader.load(directory: "calendars/qingshan", recurrence: LibicalExpander())
    /// print(town.roster.members.count)
    /// ```
    public static func load(
        directory: String, encoding: RosterEncoding = .auto, recurrence: any RecurrenceExpander
    ) throws(InputError) -> TownInput {
        let base = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        let planFile = base + "/plan.yaml"
        try FileBytes.requireFolder(directory)
        let parsed = try PlanLoader.read(yaml: FileBytes.utf8Text(planFile, limit: InputLimits.planBytes), file: planFile, recurrence: recurrence)
        let plan = parsed.plan

        let holidaysFile = FileBytes.join(base, parsed.holidays ?? "../holidays/\(plan.year).yaml")
        let holidayText: String
        do {
            holidayText = try FileBytes.utf8Text(holidaysFile, limit: InputLimits.holidaysBytes)
        } catch {
            // Point at the plan line that chose the file, when there is one.
            guard let line = parsed.holidaysLine else { throw error }
            throw InputError(
                file: planFile, line: line, field: "holidays",
                expected: LocalizedText(zh: "存在的节假日文件", en: "an existing holidays file"), found: holidaysFile)
        }
        let holidays = try HolidayLoader.read(yaml: holidayText, file: holidaysFile)
        guard holidays.year == plan.year else {
            let planLine = parsed.yearLine.map { String($0) } ?? "?"
            throw InputError(
                file: holidaysFile, line: holidays.yearLine, field: "year",
                expected: LocalizedText(
                    zh: "\(plan.year)（\(planFile) 第 \(planLine) 行的计划年份）",
                    en: "\(plan.year) (the plan year at \(planFile):\(planLine))"),
                found: String(holidays.year))
        }

        // A rule whose window holds no day its day rules allow (调休 aware, so after the holidays).
        let days = Scheduler(
            plan: plan, roster: Roster(members: []), holidays: holidays.calendar, recurrence: recurrence)
        for rule in plan.rules {
            if let problem = days.windowProblem(rule), let node = parsed.dayRuleNodes[rule.id] {
                throw node.error(
                    LocalizedText(
                        zh: "时间窗口内至少有一天符合 only_weekdays / only_days（\(problem.message.zh)）",
                        en: "a window holding at least one day only_weekdays / only_days allow (\(problem.message.en))"))
            }
        }

        let rosterFile = base + "/roster.csv"
        let roster = try RosterLoader.load(file: rosterFile, plan: plan, encoding: encoding)
        return TownInput(
            plan: plan, roster: roster, holidays: holidays.calendar, directory: directory, planFile: planFile,
            rosterFile: rosterFile, holidaysFile: holidaysFile)
    }
}
