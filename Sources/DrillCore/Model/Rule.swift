/// Drill form: 桌面演练 (tabletop) or 实战演练 (live).
public enum DrillForm: String, Sendable, Codable, Hashable, CaseIterable {
    case tabletop, live

    /// Chinese or English label.
    public func label(_ language: Language) -> String {
        switch self {
        case .tabletop: language.pick("桌面演练", "tabletop drill")
        case .live: language.pick("实战演练", "live drill")
        }
    }
}

/// Drill scope: 单项 (single-function) or 综合 (comprehensive).
public enum DrillScope: String, Sendable, Codable, Hashable, CaseIterable {
    case single, comprehensive

    /// Chinese or English label.
    public func label(_ language: Language) -> String {
        switch self {
        case .single: language.pick("单项", "single-function")
        case .comprehensive: language.pick("综合", "comprehensive")
        }
    }
}

/// What a rule schedules.
public enum SessionKind: Hashable, Sendable, Codable {
    /// 培训 / 集中训练.
    case training
    /// 演练, with its form and scope.
    case drill(DrillForm, DrillScope)
    /// A reporting deadline (the January report to the county); nobody trains, the station reports.
    case deadline

    /// Chinese or English label (综合实战演练, training…).
    public func label(_ language: Language) -> String {
        switch self {
        case .training: return language.pick("集中训练", "training")
        case .deadline: return language.pick("上报截止", "report deadline")
        case .drill(let form, let scope):
            return language == .zh
                ? scope.label(.zh) + form.label(.zh) : "\(scope.label(.en)) \(form.label(.en))"
        }
    }

    /// Short key for categories and JSON (`training`, `drill`, `deadline`).
    public var key: String {
        switch self {
        case .training: "training"
        case .drill: "drill"
        case .deadline: "deadline"
        }
    }
}

/// How long a counting period is, for rules such as "2 per half-year".
public enum RulePeriod: String, Sendable, Codable, Hashable, CaseIterable {
    case year, halfYear = "half-year", quarter, month

    /// The periods of this length in `year`, in order.
    public func ranges(in year: Int) -> [DateRange] {
        let months: Int
        switch self {
        case .year: months = 12
        case .halfYear: months = 6
        case .quarter: months = 3
        case .month: months = 1
        }
        return stride(from: 1, through: 12, by: months).map { m in
            let end = m + months - 1
            return DateRange(
                from: CivilDate(year: year, month: m, day: 1)!,
                to: CivilDate(year: year, month: end, day: CivilDate.daysIn(month: end, year: year))!)
        }
    }

    /// Chinese or English label.
    public func label(_ language: Language) -> String {
        switch self {
        case .year: language.pick("每年", "per year")
        case .halfYear: language.pick("每半年", "per half-year")
        case .quarter: language.pick("每季度", "per quarter")
        case .month: language.pick("每月", "per month")
        }
    }
}

/// How often a rule asks for a session.
public enum Frequency: Hashable, Sendable, Codable {
    /// An RFC 5545 recurrence rule (expanded through libical), e.g. `FREQ=MONTHLY;BYDAY=1SA`.
    case rrule(String)
    /// At least `count` sessions in every period of the given length.
    case count(Int, per: RulePeriod)
    /// Once, on or before a month-day (a deadline).
    case once(MonthDay)
}

/// When in the year a rule's sessions may sit.
public enum RuleWindow: Hashable, Sendable, Codable {
    /// The whole year.
    case wholeYear
    /// A period (month-days each year, or exact dates).
    case period(PeriodSpec)
    /// A named season from the plan.
    case season(String)
    /// Around an anchor day: from `before` days before to `after` days after (the week of 5·12).
    case anchor(MonthDay, before: Int, after: Int)
}

/// Where a rule's sessions are held.
public enum VenueChoice: Hashable, Sendable, Codable {
    /// A venue by id.
    case venue(String)
    /// The venue in the team's own village (the first venue whose village matches).
    case ownVillage
}

/// Whether a town supervisor must attend.
public enum SupervisorNeed: Hashable, Sendable, Codable {
    /// No supervisor.
    case none
    /// Any supervisor who is free (load balanced).
    case any
    /// This supervisor.
    case specific(String)
}

/// Which days a rule may use at all (hard), on top of holidays and blackouts.
public enum DayKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// 休息日: a weekend day that is not a swapped working day (调休上班), or a statutory holiday
    /// when the rule allows holidays.
    case restday
    /// 工作日: a working day (a weekday that is not a holiday, or a swapped Saturday/Sunday).
    case workday
}

/// The least expected turnout a session should reach (`min_turnout:`), as a count or a share of the roster.
public enum TurnoutFloor: Hashable, Sendable, Codable {
    /// At least this many members.
    case count(Int)
    /// At least this percentage of the roster (rounded up).
    case percent(Int)

    /// The floor for a roster of `size` members.
    public func members(of size: Int) -> Int {
        switch self {
        case .count(let n): min(n, size)
        case .percent(let p): min(size, (size * p + 99) / 100)
        }
    }
}

/// A plan rule: what kind of session, for which teams, how often, when and where.
public struct Rule: Hashable, Sendable, Codable, Identifiable {
    /// Stable id; part of every UID the rule produces.
    public var id: String
    /// Chinese name, the event's SUMMARY (防汛转移撤离实战演练).
    public var name: String
    /// English name.
    public var nameEnglish: String?
    /// Kind.
    public var kind: SessionKind
    /// Target teams.
    public var teams: [TeamSelector]
    /// One session for all target teams together (a joint drill) instead of one per team.
    public var joint: Bool
    /// Frequency.
    public var frequency: Frequency
    /// Window.
    public var window: RuleWindow
    /// Preferred weekdays (soft).
    public var weekdays: [Weekday]
    /// Candidate start times, most preferred first.
    public var times: [LocalTime]
    /// Length in minutes.
    public var durationMinutes: Int
    /// Venue.
    public var venue: VenueChoice?
    /// Supervisor.
    public var supervisor: SupervisorNeed
    /// Least days between two sessions of one team (nil: the plan default).
    public var minGapDays: Int?
    /// Days an RRULE occurrence may move (nil: the plan default).
    public var flexDays: Int?
    /// Whether sessions may fall on statutory holidays.
    public var allowHolidays: Bool
    /// Blackout ids this rule may ignore.
    public var allowBlackouts: [String]
    /// Purpose and content, shown as DESCRIPTION.
    public var description: String
    /// Drill scenario (情景设置), if any.
    public var scenario: String
    /// The only weekdays sessions may fall on (hard; empty: any).
    public var onlyWeekdays: [Weekday]
    /// Rest days only or working days only (hard, 调休 aware; nil: any).
    public var onlyDays: DayKind?
    /// Expected turnout the rule aims for (nil: the team's own floor).
    public var minTurnout: TurnoutFloor?
    /// Refuse a day below the turnout floor instead of scheduling it with a known shortfall.
    public var turnoutHard: Bool

    /// Makes a rule.
    public init(
        id: String, name: String, nameEnglish: String? = nil, kind: SessionKind, teams: [TeamSelector],
        joint: Bool = false, frequency: Frequency, window: RuleWindow = .wholeYear, weekdays: [Weekday] = [],
        times: [LocalTime] = [LocalTime(hour: 9, minute: 0)!], durationMinutes: Int = 120,
        venue: VenueChoice? = nil, supervisor: SupervisorNeed = .none, minGapDays: Int? = nil,
        flexDays: Int? = nil, allowHolidays: Bool = false, allowBlackouts: [String] = [],
        description: String = "", scenario: String = "", onlyWeekdays: [Weekday] = [], onlyDays: DayKind? = nil,
        minTurnout: TurnoutFloor? = nil, turnoutHard: Bool = false
    ) {
        self.id = id
        self.name = name
        self.nameEnglish = nameEnglish
        self.kind = kind
        self.teams = teams
        self.joint = joint
        self.frequency = frequency
        self.window = window
        self.weekdays = weekdays
        self.times = times
        self.durationMinutes = durationMinutes
        self.venue = venue
        self.supervisor = supervisor
        self.minGapDays = minGapDays
        self.flexDays = flexDays
        self.allowHolidays = allowHolidays
        self.allowBlackouts = allowBlackouts
        self.description = description
        self.scenario = scenario
        self.onlyWeekdays = onlyWeekdays
        self.onlyDays = onlyDays
        self.minTurnout = minTurnout
        self.turnoutHard = turnoutHard
    }

    /// The name in `language`.
    public func displayName(_ language: Language) -> String {
        language == .en ? (nameEnglish ?? name) : name
    }
}
