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
}

extension Scheduler {
    /// The same scheduler over a given published year.
    fileprivate func withReplan(_ r: Replan) -> Scheduler {
        var copy = self
        copy.replan = r
        return copy
    }
}
