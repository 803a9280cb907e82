import DrillCore

extension NoticeDays {
    /// The notices with each session's day: the stored (published) day, or the day a person moved
    /// or postponed it to by hand since (`drillcal move` / `postpone`), which the next build
    /// publishes. A notice thus follows its session to a new day.
    public static func make(notices: [AbsenceNotice], sessions: [SessionRecord], overrides: [SessionOverride])
        -> NoticeDays
    {
        var days = Dictionary(sessions.map { ($0.uid, $0.slot.date) }, uniquingKeysWith: { a, _ in a })
        for (uid, change) in OverrideRules.latest(overrides) {
            if let slot = change.slot { days[uid] = slot.date }
        }
        return NoticeDays(notices: notices, days: days).relevant
    }
}

extension AttendanceStore {
    /// `NoticeDays.make` from what this store holds.
    public func noticeDays() async throws(StoreError) -> NoticeDays {
        let notices = try await absences()
        guard !notices.isEmpty else { return NoticeDays() }
        return NoticeDays.make(
            notices: notices, sessions: try await sessions(), overrides: try await overrides())
    }
}
