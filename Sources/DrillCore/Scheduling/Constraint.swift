/// A hard constraint that ruled out a candidate day and time.
public enum Constraint: Hashable, Sendable, Codable {
    /// The day is a statutory holiday and the rule does not allow holidays.
    case holiday(name: String)
    /// The day is not a working day (deadlines fall on working days).
    case notWorkingDay
    /// A blackout (双抢) affects one of the teams.
    case blackout(id: String, team: String)
    /// Too few members are available on the day.
    case turnout(team: String, available: Int, needed: Int)
    /// The team already has a session too close to this day.
    case gap(team: String, session: String, days: Int, needed: Int)
    /// A member is already in another session at that time.
    case memberBusy(member: String, session: String)
    /// No venue fits the team (own-village rule, but the village has no venue).
    case noVenue(team: String)
    /// The venue is too small for everyone expected.
    case venueTooSmall(venue: String, capacity: Int, needed: Int)
    /// The venue is booked for another session then.
    case venueBusy(venue: String, session: String)
    /// No supervisor can attend: each id with its own reason.
    case supervisorsUnavailable([SupervisorConflict])

    /// The one placed session that causes this conflict, if moving it could clear the way.
    public var blockingSession: String? {
        switch self {
        case .gap(_, let s, _, _), .memberBusy(_, let s), .venueBusy(_, let s): return s
        case .supervisorsUnavailable(let conflicts):
            let sessions = Set(conflicts.compactMap { c -> String? in
                if case .busy(let s, _) = c.reason { return s } else { return nil }
            })
            return conflicts.count == 1 && sessions.count == 1 ? sessions.first : nil
        default: return nil
        }
    }

    /// This case's place among the kinds (`keys`): blockers are counted by kind in arrays.
    var kindIndex: Int {
        switch self {
        case .holiday: 0
        case .notWorkingDay: 1
        case .blackout: 2
        case .turnout: 3
        case .gap: 4
        case .memberBusy: 5
        case .noVenue: 6
        case .venueTooSmall: 7
        case .venueBusy: 8
        case .supervisorsUnavailable: 9
        }
    }

    /// Each kind's `key`, by `kindIndex`.
    static let keys = [
        "holiday", "not_working_day", "blackout", "turnout", "gap", "member_busy", "no_venue", "venue_too_small",
        "venue_busy", "supervisor_unavailable",
    ]

    /// A short key for counting blockers of an unmet demand.
    public var key: String { Self.keys[kindIndex] }
}

/// Why one supervisor cannot take a session.
public struct SupervisorConflict: Hashable, Sendable, Codable {
    /// Why.
    public enum Reason: Hashable, Sendable, Codable {
        /// Away that day.
        case away
        /// Already at `maxPerDay` sessions that day.
        case dayLimit(Int)
        /// Already at `maxPerWeek` sessions that week.
        case weekLimit(Int)
        /// At another session then (including travel time between villages).
        case busy(session: String, travelMinutes: Int)
    }

    /// Supervisor id.
    public var supervisor: String
    /// Why not.
    public var reason: Reason

    /// Makes a conflict.
    public init(supervisor: String, reason: Reason) {
        self.supervisor = supervisor
        self.reason = reason
    }
}

/// A candidate the scheduler tried and rejected, for `drillcal explain`.
public struct Rejection: Hashable, Sendable, Codable {
    /// The slot tried.
    public var slot: TimeSlot
    /// The first hard constraint it broke.
    public var constraint: Constraint

    /// Makes a rejection.
    public init(slot: TimeSlot, constraint: Constraint) {
        self.slot = slot
        self.constraint = constraint
    }
}
