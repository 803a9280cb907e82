import Testing

@testable import DrillCore

/// The scheduler given what was published before (issue 8): pinned sessions stay, published ones keep
/// their slots unless infeasible, moves cost `move_published`, and hand cancellations are left out.
@Suite struct ReplanTests {
    let rule = Rule(
        id: "train", name: "集中训练", kind: .training, teams: [.team("v-shangcun")],
        frequency: .count(2, per: .halfYear), times: [time("14:30")])

    func first() throws -> (Plan, Roster, Schedule) {
        let (plan, roster) = smallTown(rules: [rule])
        return (plan, roster, try scheduler(plan, roster).schedule())
    }

    func replan(_ s: Schedule, pinned: Set<String> = []) -> Replan {
        var r = Replan()
        for x in s.sessions {
            r.published[x.uid] = .init(
                slot: x.slot, venueID: x.venueID, supervisorID: x.supervisorID,
                pinned: pinned.contains(x.uid) ? [.attendance] : [])
        }
        return r
    }

    @Test func anUnchangedRebuildKeepsEverySlotAndMovesNothing() throws {
        let (plan, roster, s) = try first()
        // Published slots that the optimiser alone would not choose: 09:00 instead of the rule's 14:30.
        var shifted = replan(s)
        for (uid, p) in shifted.published {
            var q = p
            q.slot = TimeSlot(
                date: p.slot.date, startMinute: 540, endMinute: 540 + p.slot.endMinute - p.slot.startMinute)
            shifted.published[uid] = q
        }
        var sched = scheduler(plan, roster)
        sched.replan = shifted
        let again = try sched.schedule()
        // 09:00 is a start time the rule does not list (as after a plan change): such a slot moves back to
        // the rule's time on the same day, told as outside the rule, and nothing else moves.
        #expect(!again.moves.isEmpty && again.moves.allSatisfy(\.outsideWindow))
        for x in again.sessions { #expect(x.slot.date == shifted.published[x.uid]?.slot.date) }
        #expect(try scheduler(plan, roster).withReplan(replan(again)).schedule().moves.isEmpty)
        // With no cost for moving, the optimiser is free to improve on them.
        var free = plan
        free.weights.movePublished = 0
        var loose = scheduler(free, roster)
        loose.replan = shifted
        #expect(try loose.schedule().moves.count > 0)
    }

    @Test func aPinnedSessionStaysThroughAConflictAndAnInfeasibleOneMovesAlone() throws {
        let (plan, roster, s) = try first()
        let a = s.sessions[0]
        let b = s.sessions[1]
        // Both days become statutory holidays.
        var holidays = holidays2027
        holidays.holidays.append(.init(name: "新假日", range: DateRange(from: a.slot.date, to: a.slot.date)))
        holidays.holidays.append(.init(name: "新假日", range: DateRange(from: b.slot.date, to: b.slot.date)))
        var sched = scheduler(plan, roster, holidays: holidays)
        sched.replan = replan(s, pinned: [a.uid])
        let again = try sched.schedule()
        #expect(again.session(a.uid)?.slot == a.slot)
        #expect(again.pinnedConflicts.map(\.uid) == [a.uid])
        #expect(again.pinnedConflicts.first?.constraint == .holiday(name: "新假日"))
        #expect(again.moves.map(\.uid) == [b.uid])
        #expect(again.moves.first?.reason == .holiday(name: "新假日"))
        #expect(again.session(b.uid)?.slot.date != b.slot.date)
        for x in s.sessions.dropFirst(2) { #expect(again.session(x.uid)?.slot == x.slot) }
    }

    @Test func aCancelledSessionIsLeftOutAndNewOnesStartAfterNow() throws {
        let (plan, roster, s) = try first()
        var r = replan(s)
        let gone = s.sessions[2].uid
        r.cancelled[gone] = "上级通知"
        r.published[gone] = nil
        r.earliestStart = s.sessions[1].slot.absoluteStart + 1
        // The first session is no longer published, so it must be placed again, after `now`.
        let replaced = s.sessions[0].uid
        r.published[replaced] = nil
        var sched = scheduler(plan, roster)
        sched.replan = r
        let again = try sched.schedule()
        #expect(again.session(gone) == nil && again.cancelledByHand == [gone])
        #expect((again.session(replaced)?.slot.absoluteStart ?? 0) > s.sessions[1].slot.absoluteStart)
    }

    /// A rule that prefers Saturdays, its first schedule, and that schedule published a day later
    /// (a Sunday: same time, inside the window, feasible but off the preferred weekday), so that with
    /// moving free (`move_published: 0`) the optimiser would rather move them back.
    func dayLate() throws -> (Plan, Roster, Schedule, Replan) {
        var saturdays = rule
        saturdays.weekdays = [.saturday]
        var (plan, roster) = smallTown(rules: [saturdays])
        plan.weights.movePublished = 0
        let s = try scheduler(plan, roster).schedule()
        var r = replan(s)
        for (uid, p) in r.published {
            var q = p
            q.slot = TimeSlot(
                date: p.slot.date.adding(days: 1), startMinute: p.slot.startMinute, endMinute: p.slot.endMinute)
            r.published[uid] = q
        }
        return (plan, roster, s, r)
    }

    @Test("freeze_days: inside the horizon a published session stays even where moving is free")
    func theFreezeHorizonKeepsFeasibleSessions() throws {
        let (free, roster, _, published) = try dayLate()
        // Without a horizon the optimiser, free to move, moves some of them (for points, not feasibility).
        let loose = try scheduler(free, roster).withReplan(published).schedule()
        try #require(!loose.moves.isEmpty, "the week-late slots must be worth moving for this test to mean anything")
        #expect(loose.moves.allSatisfy { $0.reason == nil && !$0.outsideWindow && !$0.frozen })

        // A horizon past the first moved session (and every one before it): those stay.
        let firstMoved = try #require(loose.moves.map(\.from).min { $0.absoluteStart < $1.absoluteStart })
        var frozen = published
        frozen.freezeUntil = firstMoved.date.adding(days: 1)
        let kept = try scheduler(free, roster).withReplan(frozen).schedule()
        let inside = published.published.filter { $0.value.slot.date < frozen.freezeUntil! }
        #expect(!inside.isEmpty)
        for (uid, p) in inside { #expect(kept.session(uid)?.slot == p.slot, "\(uid) inside the horizon moved") }
        #expect(kept.moves.allSatisfy { published.published[$0.uid]!.slot.date >= frozen.freezeUntil! })
        #expect(kept.moves.allSatisfy { !$0.frozen })

        // Everything frozen: nothing moves at all.
        var all = published
        all.freezeUntil = CivilDate(iso: "2028-01-01")
        #expect(try scheduler(free, roster).withReplan(all).schedule().moves.isEmpty)
    }

    @Test("freeze_days: a frozen session that became infeasible moves, marked frozen (the build says so loudly)")
    func aFrozenSessionMovesOnlyWhenInfeasible() throws {
        let (plan, roster, s) = try first()
        let a = s.sessions[0]
        var r = replan(s)
        r.freezeUntil = CivilDate(iso: "2028-01-01")  // the whole year is inside the horizon
        // Its day becomes a statutory holiday: the frozen session must move, and says why.
        var holidays = holidays2027
        holidays.holidays.append(.init(name: "新假日", range: DateRange(from: a.slot.date, to: a.slot.date)))
        let again = try scheduler(plan, roster, holidays: holidays).withReplan(r).schedule()
        #expect(again.moves.map(\.uid) == [a.uid])
        let move = try #require(again.moves.first)
        #expect(move.frozen, "told as a frozen session that had to move")
        #expect(move.reason == .holiday(name: "新假日"))
        #expect(move.to != nil && move.to?.date != a.slot.date)
        for x in s.sessions.dropFirst() { #expect(again.session(x.uid)?.slot == x.slot) }
        // Outside the horizon the same move is an ordinary one.
        r.freezeUntil = a.slot.date
        let ordinary = try scheduler(plan, roster, holidays: holidays).withReplan(r).schedule()
        #expect(ordinary.moves.map(\.uid) == [a.uid] && ordinary.moves.first?.frozen == false)
    }
}

extension Scheduler {
    /// The same scheduler over a given published year.
    fileprivate func withReplan(_ r: Replan) -> Scheduler {
        var copy = self
        copy.replan = r
        return copy
    }
}
