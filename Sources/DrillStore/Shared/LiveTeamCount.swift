import DrillCore

/// One team's live count at a session: its roster as of the session and how many of them have a
/// counting mark (present or late; guests are not on the roster and never count).
public struct LiveTeamCount: Sendable, Hashable {
    /// Members of the team on the session's roster.
    public var rosterSize: Int
    /// Of those, members marked present or late.
    public var counted: Int

    /// Makes a count.
    public init(rosterSize: Int, counted: Int) {
        self.rosterSize = rosterSize
        self.counted = counted
    }

    /// The counts of every team on `roster` given `marks`, as every store must answer them.
    public static func counts(roster: [RosterEntry], marks: [AttendanceMark]) -> [String: LiveTeamCount] {
        let counting = Set(marks.filter { $0.status.counts && !$0.guest }.map(\.memberID))
        var out: [String: LiveTeamCount] = [:]
        for entry in roster {
            out[entry.teamID, default: LiveTeamCount(rosterSize: 0, counted: 0)].rosterSize += 1
            if counting.contains(entry.memberID) { out[entry.teamID]!.counted += 1 }
        }
        return out
    }
}

/// What `recordAndCount` answers: how many marks changed, then the session's live count per team.
public struct RecordedCount: Sendable, Hashable {
    public var changed: Int
    public var turnout: [String: LiveTeamCount]

    public init(changed: Int, turnout: [String: LiveTeamCount]) {
        self.changed = changed
        self.turnout = turnout
    }
}

extension AttendanceStore {
    /// Not tracked: nothing may be kept.
    public func sessionsVersion() async throws(StoreError) -> Int64? { nil }

    /// The two calls, one after the other.
    public func recordAndCount(_ marks: [AttendanceMark], session uid: String) async throws(StoreError)
        -> RecordedCount
    {
        let changed = try await record(marks)
        return RecordedCount(changed: changed, turnout: try await turnout(session: uid))
    }

    /// From the roster and the marks; a store may answer it in one query instead.
    public func turnout(session uid: String) async throws(StoreError) -> [String: LiveTeamCount] {
        LiveTeamCount.counts(roster: try await roster(of: uid), marks: try await marks(session: uid))
    }
}
