/// The parts of the township work report (乡镇年度工作总结) beyond the tables: the overview, sessions
/// per kind including ones never scheduled or cancelled, per-team turnout, aggregated problems,
/// corrective actions, deadlines, next year's plan and the sign-off block.
extension AnnualReport {
    /// Sessions of one kind: what the rules require, what was scheduled, held, cancelled, never placed.
    public struct KindLine: Hashable, Sendable, Codable {
        public var kind: String
        /// Sessions the rules ask for in the year (demands).
        public var required: Int
        /// Published and not cancelled.
        public var planned: Int
        /// Attendance recorded.
        public var held: Int
        /// Published, then dropped from the schedule.
        public var cancelled: Int
        /// Required but never placed on the calendar.
        public var unscheduled: Int
        public init(kind: String, required: Int, planned: Int, held: Int, cancelled: Int, unscheduled: Int) {
            self.kind = kind; self.required = required; self.planned = planned; self.held = held
            self.cancelled = cancelled; self.unscheduled = unscheduled
        }
    }

    /// One team's turnout over the sessions it took part in, each counted against the team's own
    /// minimum (a joint drill counts once per team, with that team's members only).
    public struct TeamTurnoutLine: Hashable, Sendable, Codable {
        public var team: String
        public var name: String
        /// Held sessions the team took part in.
        public var sessions: Int
        /// Average counted (present + late) members of this team.
        public var averageCounted: Double?
        /// The team's minimum turnout.
        public var minimum: Int
        /// Held sessions where the team was below its minimum.
        public var below: Int
        /// Counted over expected (roster less excused), over the team's held sessions.
        public var rate: Double?
        public init(
            team: String, name: String, sessions: Int, averageCounted: Double?, minimum: Int, below: Int,
            rate: Double?
        ) {
            self.team = team; self.name = name; self.sessions = sessions; self.averageCounted = averageCounted
            self.minimum = minimum; self.below = below; self.rate = rate
        }
    }

    /// A corrective action (整改措施) as the report lists it.
    public struct ActionLine: Hashable, Sendable, Codable {
        public var id: Int
        public var text: String
        public var owner: String
        public var due: String
        public var done: Bool
        public var overdue: Bool
        /// What was done, for closed ones.
        public var note: String
        /// The drill it came from, if any.
        public var source: String
        public init(
            id: Int, text: String, owner: String, due: String, done: Bool, overdue: Bool, note: String,
            source: String
        ) {
            self.id = id; self.text = text; self.owner = owner; self.due = due; self.done = done
            self.overdue = overdue; self.note = note; self.source = source
        }
    }

    /// A reporting deadline: done only when recorded (`drillcal done`).
    public struct DeadlineLine: Hashable, Sendable, Codable {
        public var name: String
        public var due: String
        public var done: Bool
        public var note: String
        public init(name: String, due: String, done: Bool, note: String) {
            self.name = name; self.due = due; self.done = done; self.note = note
        }
    }

    /// Who signs the report.
    public struct SignOff: Hashable, Sendable, Codable {
        /// 编制单位.
        public var unit: String
        /// 联系人.
        public var contact: String
        /// 电话 (the station's office number, not a member's).
        public var phone: String
        /// 日期, `YYYY-MM-DD`.
        public var date: String
        public init(unit: String, contact: String = "", phone: String = "", date: String = "") {
            self.unit = unit; self.contact = contact; self.phone = phone; self.date = date
        }
    }

    /// The parts of the township report, filled by `ReportBuilder`.
    public struct Township: Hashable, Sendable, Codable {
        /// 一、基本情况: the generated overview paragraph.
        public var overview: String
        /// 二、队伍建设: one paragraph before the table.
        public var teamsParagraph: String
        public var kinds: [KindLine]
        public var teamTurnout: [TeamTurnoutLine]
        /// 四、存在问题, aggregated.
        public var problems: [String]
        /// 五、整改措施.
        public var actions: [ActionLine]
        public var deadlines: [DeadlineLine]
        /// 六、下一年度工作计划.
        public var nextYear: [String]
        /// Whether `nextYear` comes from next year's plan (else from this year's rules).
        public var nextYearFromPlan: Bool
        public var signOff: SignOff
        public init(
            overview: String = "", teamsParagraph: String = "", kinds: [KindLine] = [],
            teamTurnout: [TeamTurnoutLine] = [],
            problems: [String] = [], actions: [ActionLine] = [], deadlines: [DeadlineLine] = [],
            nextYear: [String] = [],
            nextYearFromPlan: Bool = false, signOff: SignOff = SignOff(unit: "")
        ) {
            self.overview = overview; self.teamsParagraph = teamsParagraph; self.kinds = kinds
            self.teamTurnout = teamTurnout; self.problems = problems; self.actions = actions
            self.deadlines = deadlines; self.nextYear = nextYear; self.nextYearFromPlan = nextYearFromPlan
            self.signOff = signOff
        }
    }
}
