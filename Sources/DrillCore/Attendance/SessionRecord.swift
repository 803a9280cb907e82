/// A published session as the store keeps it: enough to check attendance without the plan.
public struct SessionRecord: Hashable, Sendable, Codable, Identifiable {
    /// UID.
    public var uid: String
    /// SEQUENCE last published.
    public var sequence: Int
    /// Rule id.
    public var ruleID: String
    /// Kind, with form and scope for drills.
    public var kind: SessionKind
    /// Teams.
    public var teamIDs: [String]
    /// When.
    public var slot: TimeSlot
    /// Venue id.
    public var venueID: String?
    /// Supervisor id.
    public var supervisorID: String?
    /// Whether the record is locked (`attend --finalize`).
    public var finalized: Bool
    /// Whether it was dropped from the schedule (kept for history).
    public var cancelled: Bool

    /// Same as `uid`.
    public var id: String { uid }

    /// Makes a record.
    public init(
        uid: String, sequence: Int, ruleID: String, kind: SessionKind, teamIDs: [String], slot: TimeSlot,
        venueID: String?, supervisorID: String?, finalized: Bool = false, cancelled: Bool = false
    ) {
        self.uid = uid
        self.sequence = sequence
        self.ruleID = ruleID
        self.kind = kind
        self.teamIDs = teamIDs
        self.slot = slot
        self.venueID = venueID
        self.supervisorID = supervisorID
        self.finalized = finalized
        self.cancelled = cancelled
    }
}

/// A team member as they stood when a session was published (the roster as of each session).
public struct RosterEntry: Hashable, Sendable, Codable {
    /// Member id.
    public var memberID: String
    /// Name.
    public var name: String
    /// Team the entry is for.
    public var teamID: String
    /// Roles.
    public var roles: [Role]
    /// Whether the member was expected to be away that day.
    public var away: Bool

    /// Makes an entry.
    public init(memberID: String, name: String, teamID: String, roles: [Role], away: Bool) {
        self.memberID = memberID
        self.name = name
        self.teamID = teamID
        self.roles = roles
        self.away = away
    }
}

/// One change in the audit trail: every recording, finalizing and reopening.
public struct AuditEntry: Hashable, Sendable, Codable {
    /// Session UID.
    public var sessionUID: String
    /// What happened (`mark`, `finalize`, `reopen`, `summary`).
    public var action: String
    /// Member concerned, for marks.
    public var memberID: String?
    /// Status before (nil if none).
    public var before: String?
    /// Status after.
    public var after: String?
    /// Reason (for reopen and excused).
    public var reason: String?
    /// Who.
    public var by: String
    /// When, seconds since 1970 UTC.
    public var at: Int
    /// From where.
    public var source: String

    /// Makes an entry.
    public init(
        sessionUID: String, action: String, memberID: String?, before: String?, after: String?, reason: String?,
        by: String, at: Int, source: String
    ) {
        self.sessionUID = sessionUID
        self.action = action
        self.memberID = memberID
        self.before = before
        self.after = after
        self.reason = reason
        self.by = by
        self.at = at
        self.source = source
    }
}

/// A drill's summary record (演练总结): the fields a summary report must hold.
public struct DrillSummary: Hashable, Sendable, Codable {
    /// 演练目的.
    public var purpose: String
    /// 时间地点 (free text; the session's own time and place are reported beside it).
    public var timeAndPlace: String
    /// 参演单位和人员.
    public var units: String
    /// 情景设置.
    public var scenario: String
    /// 发现的问题.
    public var problems: String
    /// 原因分析.
    public var causes: String
    /// 经验教训.
    public var lessons: String
    /// 改进措施.
    public var improvements: String

    /// Makes a summary.
    public init(
        purpose: String, timeAndPlace: String = "", units: String = "", scenario: String = "", problems: String = "",
        causes: String = "", lessons: String = "", improvements: String = ""
    ) {
        self.purpose = purpose
        self.timeAndPlace = timeAndPlace
        self.units = units
        self.scenario = scenario
        self.problems = problems
        self.causes = causes
        self.lessons = lessons
        self.improvements = improvements
    }
}
