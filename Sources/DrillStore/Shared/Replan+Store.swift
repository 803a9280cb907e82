import DrillCore

extension Replan {
    /// The replan of a rebuild at `now` (local minutes, `TimeSlot.absoluteStart`'s scale) from what
    /// the store holds: every session still published, pinned when it started before `now`, has
    /// attendance, is finalized, has a summary or was moved by hand; the latest change by hand of
    /// each session (a move puts it on its new slot, a cancellation leaves it out); the freeze
    /// horizon `freezeDays` after today. Nothing published yet gives an empty replan.
    public static func make(
        sessions: [SessionRecord], marked: Set<String>, summarized: Set<String>, overrides: [SessionOverride],
        now: Int, freezeDays: Int
    ) -> Replan {
        var replan = Replan()
        let latest = OverrideRules.latest(overrides)
        for s in sessions {
            let change = latest[s.uid]
            if let change, change.action == .cancel {
                replan.cancelled[s.uid] = change.reason
                if !s.cancelled {
                    replan.changedByHand[s.uid] = HandChange(
                        action: change.action.rawValue, from: s.slot, to: nil, reason: change.reason, by: change.by,
                        forced: change.forced)
                }
                continue
            }
            var slot = s.slot
            var pinned: [PinReason] = []
            if let change, let moved = change.slot {
                slot = moved
                pinned.append(.movedByHand)
                // Not yet published where the person put it: this build publishes the move.
                if moved != s.slot || s.cancelled {
                    replan.changedByHand[s.uid] = HandChange(
                        action: change.action.rawValue, from: s.slot, to: moved, reason: change.reason, by: change.by,
                        forced: change.forced)
                }
            } else if s.cancelled {
                continue  // dropped from the plan earlier: nothing to keep
            }
            if slot.absoluteStart <= now { pinned.append(.started) }
            if marked.contains(s.uid) { pinned.append(.attendance) }
            if s.finalized { pinned.append(.finalized) }
            if summarized.contains(s.uid) { pinned.append(.summary) }
            replan.published[s.uid] = Published(
                slot: slot, venueID: s.venueID, supervisorID: s.supervisorID,
                pinned: PinReason.allCases.filter(pinned.contains))
        }
        if !replan.isEmpty {
            replan.earliestStart = now
            replan.freezeUntil = CivilDate(dayNumber: now / 1440).adding(days: freezeDays)
        }
        return replan
    }
}

extension AttendanceStore {
    /// `Replan.make` from everything this store holds.
    public func replan(now: Int, freezeDays: Int) async throws(StoreError) -> Replan {
        let sessions = try await sessions()
        let marked = Set(try await allMarks().map(\.sessionUID))
        // One read for the summaries, not one per session (a province rebuilds 1,500 towns of ~300).
        return Replan.make(
            sessions: sessions, marked: marked, summarized: try await summarizedSessions(), overrides: try await overrides(),
            now: now,
            freezeDays: freezeDays)
    }
}
