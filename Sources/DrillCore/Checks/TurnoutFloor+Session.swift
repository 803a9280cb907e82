extension Team {
    /// The least turnout a held session of this team should reach: the rule's `min_turnout`, else the
    /// team's, else the team minimum; never above the roster (`rosterSize` members as of the session).
    ///
    /// The same floor the scheduler plans for, so `check` and the report measure a held session against
    /// what `build` aimed at.
    public func turnoutFloor(rule: Rule?, rosterSize: Int) -> Int {
        if let floor = rule?.minTurnout ?? minTurnout { return floor.members(of: rosterSize) }
        return min(minimumMembers, rosterSize)
    }
}
