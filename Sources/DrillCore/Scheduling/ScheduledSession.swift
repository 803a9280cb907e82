/// Expected turnout of one team at a session: who is on the roster, who is away that day.
public struct TeamTurnout: Hashable, Sendable, Codable {
    /// Team id.
    public var team: String
    /// Members on the roster.
    public var rosterSize: Int
    /// Members not away on the day.
    public var expected: Int
    /// The team's minimum.
    public var minimum: Int
    /// Ids of members away on the day.
    public var away: [String]
    /// The expected turnout the session aims for (`min_turnout`, by default the minimum capped at the roster).
    public var floor: Int

    /// Makes a turnout.
    public init(team: String, rosterSize: Int, expected: Int, minimum: Int, away: [String], floor: Int? = nil) {
        self.team = team
        self.rosterSize = rosterSize
        self.expected = expected
        self.minimum = minimum
        self.away = away
        self.floor = floor ?? min(minimum, rosterSize)
    }

    /// Members missing below the floor (0 when the floor is reached).
    public var belowFloor: Int { max(0, floor - expected) }

    /// Whether the expected turnout reaches the minimum.
    public var meetsMinimum: Bool { expected >= minimum }
}

/// A session placed on the calendar.
public struct ScheduledSession: Hashable, Sendable, Codable, Identifiable {
    /// Stable UID (see `Demand.uid`).
    public var uid: String
    /// The rule.
    public var ruleID: String
    /// Teams attending.
    public var teamIDs: [String]
    /// Ordinal within the rule and team.
    public var ordinal: Int
    /// Kind.
    public var kind: SessionKind
    /// When.
    public var slot: TimeSlot
    /// Where (nil for a deadline).
    public var venueID: String?
    /// Supervisor attending, if the rule wants one.
    public var supervisorID: String?
    /// Members expected (every member of the teams not away that day), in roster order.
    public var memberIDs: [String]
    /// Per-team turnout.
    public var turnout: [TeamTurnout]
    /// The day the rule aimed for.
    public var target: CivilDate

    /// Same as `uid`.
    public var id: String { uid }
}

/// A demand the scheduler could not place, with what blocked it. Never dropped silently.
public struct UnmetDemand: Hashable, Sendable, Codable {
    /// The demand.
    public var demand: Demand
    /// How many candidate slots each kind of constraint ruled out, most first.
    public var blockers: [BlockerCount]
    /// One example of the most frequent blocker.
    public var example: Constraint?

    /// Makes an unmet demand.
    public init(demand: Demand, blockers: [BlockerCount], example: Constraint?) {
        self.demand = demand
        self.blockers = blockers
        self.example = example
    }
}

/// A count of candidates ruled out by one kind of constraint.
public struct BlockerCount: Hashable, Sendable, Codable {
    /// Constraint key (`turnout`, `blackout`…).
    public var key: String
    /// Candidates it ruled out.
    public var count: Int

    /// Makes a count.
    public init(key: String, count: Int) {
        self.key = key
        self.count = count
    }
}

/// The year's schedule: placed sessions, unmet demands, and teams scheduled below their minimum.
public struct Schedule: Hashable, Sendable, Codable {
    /// Sessions in time order (then UID).
    public var sessions: [ScheduledSession]
    /// Demands that could not be placed.
    public var unmet: [UnmetDemand]
    /// Teams whose roster is below the minimum: scheduled with their whole roster, shortfall reported.
    public var shortfalls: [TeamTurnout]
    /// For each session UID, the better candidates that were ruled out (only when asked for).
    public var rejections: [String: [Rejection]]
    /// The objective of this schedule, term by term, with the proven lower bound (see calendars/README.md).
    public var score: ScoreReport?
    /// Why demand could not be placed, in capacity terms (supervisor weeks, team days), when it could not.
    public var diagnoses: [CapacityDiagnosis] = []
    /// Published sessions that moved in this rebuild (see `Replan`).
    public var moves: [SessionMove] = []
    /// Pinned sessions that new inputs conflict with: they stay, reported as findings.
    public var pinnedConflicts: [PinnedConflict] = []
    /// Sessions cancelled by hand (left out, so the feeds publish them as cancelled).
    public var cancelledByHand: [String] = []

    /// Sessions scheduled with a known turnout shortfall: (session, team turnout), in session order.
    public var knownShortfalls: [(session: ScheduledSession, turnout: TeamTurnout)] {
        sessions.flatMap { s in s.turnout.filter { $0.belowFloor > 0 }.map { (s, $0) } }
    }

    /// Makes a schedule.
    public init(
        sessions: [ScheduledSession], unmet: [UnmetDemand], shortfalls: [TeamTurnout],
        rejections: [String: [Rejection]] = [:]
    ) {
        self.sessions = sessions
        self.unmet = unmet
        self.shortfalls = shortfalls
        self.rejections = rejections
        self.score = nil
    }

    /// A session by UID.
    public func session(_ uid: String) -> ScheduledSession? { sessions.first { $0.uid == uid } }
}
