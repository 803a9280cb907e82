import DrillCore

/// Every fixed label of the report in one language, so the four renderings say the same thing.
struct ReportText {
    let language: Language

    init(_ language: Language) { self.language = language }

    private func t(_ zh: String, _ en: String) -> String { language.pick(zh, en) }

    // MARK: Title block

    func title(_ r: AnnualReport) -> String {
        t(
            "\(r.townName)\(r.year)年度应急培训演练工作总结",
            "Annual report on emergency training and drills: \(r.townName), \(r.year)")
    }
    func recipient(_ r: AnnualReport) -> String {
        t("报送：\(r.county)应急管理局", "To: \(r.county) Emergency Management Bureau")
    }
    func station(_ r: AnnualReport) -> String { t("编制单位：\(r.station)", "Prepared by: \(r.station)") }
    func asOf(_ r: AnnualReport) -> String { t("统计截至：\(r.asOf)", "Data as of: \(r.asOf)") }

    // MARK: Section headings (the shape of a township work report)

    var sectionOverview: String { t("一、基本情况", "1. Overview") }
    var sectionTeams: String { t("二、队伍建设", "2. Teams") }
    var sectionSessions: String { t("三、培训演练开展情况", "3. Training and drills held") }
    var sectionProblems: String { t("四、存在问题", "4. Problems") }
    var sectionActions: String { t("五、整改措施", "5. Corrective actions") }
    var sectionNextYear: String { t("六、下一年度工作计划", "6. Plan for next year") }
    var appendixSessions: String { t("附件1：各次活动出勤情况", "Appendix 1: Turnout at each session") }
    var appendixSummaries: String { t("附件2：演练总结", "Appendix 2: Drill summaries") }
    var appendixMatrix: String { t("附件3：人员出勤情况", "Appendix 3: Attendance by member") }
    var subKinds: String { t("（一）各类培训演练开展情况", "(a) Sessions by kind") }
    var subRules: String { t("（二）预案规定事项执行情况", "(b) What the plan requires") }
    var subTurnout: String { t("（三）各队伍到场情况", "(c) Turnout by team") }
    var subMeasures: String { t("下一步措施", "Next steps") }

    /// The six section headings, in order.
    var sections: [String] {
        [sectionOverview, sectionTeams, sectionSessions, sectionProblems, sectionActions, sectionNextYear]
    }
    /// The appendix headings, in order.
    var appendices: [String] { [appendixSessions, appendixSummaries, appendixMatrix] }

    // Kinds, turnout, actions, sign-off
    var requiredCount: String { t("计划要求", "Required") }
    var scheduled: String { t("已排", "Scheduled") }
    var cancelled: String { t("取消", "Cancelled") }
    var unscheduled: String { t("未排入", "Never scheduled") }
    var sessionsHeld: String { t("开展场次", "Held") }
    var averageCounted: String { t("平均实到", "Avg. present") }
    var teamMinimum: String { t("最低到场", "Minimum") }
    var belowCount: String { t("不足场次", "Below") }
    var turnoutRate: String { t("到场率", "Turnout") }
    var actionNo: String { t("编号", "No.") }
    var actionText: String { t("整改措施", "Action") }
    var owner: String { t("责任单位", "Owner") }
    var due: String { t("完成期限", "Due") }
    var progress: String { t("完成情况", "Progress") }
    var actionSource: String { t("来源", "From") }
    var actionDone: String { t("✓ 已完成", "✓ done") }
    var actionOpen: String { t("整改中", "open") }
    var actionOverdue: String { t("✗ 逾期", "✗ overdue") }
    func actionsCount(open: Int, done: Int) -> String {
        t("共登记整改措施\(open + done)项，已完成\(done)项，整改中\(open)项。", "\(open + done) corrective actions: \(done) closed, \(open) open.")
    }
    var noActions: String { t("本年度未登记整改措施。", "No corrective actions recorded this year.") }
    var deadlinesHeading: String { t("上报事项", "Reporting deadlines") }
    var deadlineDone: String { t("✓ 已完成（已登记）", "✓ done (recorded)") }
    var deadlineOpen: String { t("未登记完成", "not recorded as done") }
    var nextFromPlan: String { t("根据下一年度预案安排：", "From next year's plan:") }
    var nextFromRules: String { t("下一年度按现行预案规则继续开展：", "Next year the current rules continue:") }
    var signUnit: String { t("编制单位", "Prepared by") }
    var signContact: String { t("联系人", "Contact") }
    var signPhone: String { t("电话", "Phone") }
    var signDate: String { t("日期", "Date") }
    var signSeal: String { t("（盖章）", "(seal)") }

    // MARK: Column labels

    var team: String { t("队伍", "Team") }
    var teams: String { t("队伍", "Teams") }
    var level: String { t("级别", "Level") }
    var size: String { t("人数", "Members") }
    var minimumSize: String { t("最低人数", "Minimum") }
    var roles: String { t("角色配备（现有/应有）", "Roles (have/required)") }
    var missingRoles: String { t("缺少角色", "Missing roles") }
    var result: String { t("是否达标", "Meets") }
    var rule: String { t("规则", "Rule") }
    var kind: String { t("类型", "Kind") }
    var frequency: String { t("频次", "Frequency") }
    var required: String { t("应开展", "Required") }
    var held: String { t("已开展", "Held") }
    var planned: String { t("计划", "Planned") }
    var when: String { t("时间", "When") }
    var session: String { t("活动", "Session") }
    var venue: String { t("地点", "Venue") }
    var roster: String { t("应到", "Roster") }
    var counted: String { t("实到", "Counted") }
    var minimumTurnout: String { t("最低到场", "Minimum") }
    var late: String { t("迟到", "Late") }
    var excused: String { t("请假", "Excused") }
    var absent: String { t("缺勤", "Absent") }
    var guests: String { t("列席", "Guests") }
    var status: String { t("情况", "Status") }
    var deadline: String { t("期限", "Deadline") }
    var warning: String { t("预警", "Warning") }
    var shortfalls: String { t("存在问题", "Shortfalls") }
    var actions: String { t("整改措施", "Actions") }
    var none: String { t("无", "None") }
    var noSummaries: String { t("本期无演练总结记录。", "No drill summary recorded in this period.") }
    var noSessions: String { t("本期无活动。", "No sessions in this period.") }
    var noMembers: String { t("无人员出勤记录。", "No attendance recorded.") }

    // Attendance matrix (CSV, XLSX, report section 8)
    var memberID: String { t("编号", "ID") }
    var memberName: String { t("姓名", "Name") }
    var expected: String { t("应到", "Expected") }
    var attended: String { t("实到", "Attended") }
    var rate: String { t("出勤率", "Rate") }
    var belowThreshold: String { t("低于阈值", "Below threshold") }
    var yes: String { t("是", "yes") }

    // Drill summary (演练总结)
    var summaryFields: [(label: String, value: KeyPath<DrillSummary, String>)] {
        [
            (t("演练目的", "Purpose"), \.purpose),
            (t("时间地点", "Time and place"), \.timeAndPlace),
            (t("参演单位和人员", "Units and participants"), \.units),
            (t("情景设置", "Scenario"), \.scenario),
            (t("发现的问题", "Problems found"), \.problems),
            (t("原因分析", "Causes"), \.causes),
            (t("经验教训", "Lessons"), \.lessons),
            (t("改进措施", "Improvements"), \.improvements),
        ]
    }

    // MARK: Markers and sentences

    var ok: String { t("✓ 达标", "✓ meets") }
    var notOK: String { t("✗ 未达标", "✗ short") }
    var belowMinimum: String { t("✗ 低于最低到场", "✗ below minimum") }
    var turnoutOK: String { t("✓ 达到最低到场", "✓ minimum met") }
    var notHeld: String { t("未记录出勤", "no attendance recorded") }
    var notFinal: String { t("（未定稿）", " (not final)") }
    var done: String { t("✓ 已完成", "✓ done") }
    var open: String { t("✗ 未完成", "✗ open") }

    func thresholdNote(_ threshold: Double) -> String {
        t(
            "出勤率低于\(percent(threshold, decimals: 0))的人员以底色和 ✗ 标出；请假不计入应到。",
            "Members with a rate under \(percent(threshold, decimals: 0)) are shaded and marked ✗; excused sessions are not held against a member."
        )
    }
    var sessionsNote: String {
        t(
            "实到 = 到场 + 迟到（列席人员不计）；低于最低到场人数的活动以底色和 ✗ 标出。",
            "Counted = present + late (guests excluded); sessions below the minimum are shaded and marked ✗.")
    }
    func chartTitle() -> String {
        t("各队伍平均实到人数与最低到场人数", "Average counted turnout per team against the minimum")
    }
    var chartBar: String { t("平均实到人数", "average counted") }
    var chartMinimum: String { t("最低到场人数", "minimum") }
    var chartNoSessions: String { t("无已开展活动", "no session held") }
    func matrixPart(_ from: Int, _ to: Int, _ total: Int) -> String {
        t("第\(from)–\(to)次活动（共\(total)次）", "Sessions \(from)–\(to) of \(total)")
    }

    /// A status key from `MemberLine.cells` as its label; an unknown key is shown as given.
    func cell(_ key: String) -> String {
        AttendanceStatus(rawValue: key).map { $0.label(language) } ?? key
    }

    /// The role counts of a team, `医务 2/1、民兵 3/2` (required omitted when 0).
    func roleList(_ roles: [AnnualReport.RoleCount]) -> [String] {
        roles.map { $0.required > 0 ? "\($0.role) \($0.have)/\($0.required)" : "\($0.role) \($0.have)" }
    }

    var listSeparator: String { t("、", ", ") }

    // MARK: Errors

    func cannotCreate(_ path: String, _ why: String) -> String {
        t(
            "无法创建电子表格 \(path)：\(why)。请检查目录是否存在、是否有写入权限。",
            "Could not create the spreadsheet \(path): \(why). Check that the folder exists and is writable.")
    }
    func cannotWrite(_ path: String, _ why: String) -> String {
        t(
            "写入电子表格 \(path) 失败：\(why)。原文件未改动。",
            "Writing the spreadsheet \(path) failed: \(why). Any existing file was left unchanged.")
    }
}

/// `0.6667` → `66.7%`; a rate that is not a number shows as empty.
func percent(_ rate: Double, decimals: Int = 1) -> String {
    guard rate.isFinite else { return "" }
    return decimal(rate * 100, decimals: decimals) + "%"
}

/// A number with at most `decimals` decimals, trailing zeros dropped: `12.50` → `12.5`, `10.0` → `10`.
func decimal(_ value: Double, decimals: Int = 1) -> String {
    guard value.isFinite else { return "" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (value * scale).rounded()
    let whole = Int(scaled / scale)
    let frac = Int(abs(scaled.truncatingRemainder(dividingBy: scale)))
    var out = (scaled < 0 && whole == 0 ? "-" : "") + String(whole)
    if decimals > 0 && frac != 0 {
        var digits = String(frac)
        while digits.count < decimals { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        out += "." + digits
    }
    return out
}
