import Testing

@testable import DrillCore

/// `Scheduler.candidates` sorts packed integer keys; here its order is checked against the order it
/// documents, computed the plain way: every allowed day × rule time, cost = 10 × days from the
/// target + 30 off a preferred weekday + 4 × the time's position, ties by start.
@Suite struct CandidateOrderTests {
    func expected(_ s: Scheduler, _ demand: Demand, _ rule: Rule) -> [TimeSlot] {
        var list: [(cost: Int, start: Int, slot: TimeSlot)] = []
        for range in demand.allowed {
            var day = range.from
            while day <= range.to {
                let preferred =
                    rule.weekdays.isEmpty
                    || (rule.weekdays.contains(day.weekday)
                        && !(day.weekday.isWeekend && s.holidays.swappedWorkdays.contains(day)))
                for (index, time) in rule.times.enumerated() {
                    let slot = TimeSlot(
                        date: day, startMinute: time.minutes, endMinute: time.minutes + rule.durationMinutes)
                    let cost = abs(demand.target.dayNumber - day.dayNumber) * 10 + (preferred ? 0 : 30) + index * 4
                    list.append((cost, slot.date.dayNumber * 1440 + slot.startMinute, slot))
                }
                day = day.adding(days: 1)
            }
        }
        list.sort { ($0.cost, $0.start) < ($1.cost, $1.start) }
        return list.map(\.slot)
    }

    func demand(_ ranges: [DateRange], target: CivilDate) -> Demand {
        Demand(ruleID: "r", teamIDs: ["town"], ordinal: 1, uid: "u", allowed: ranges, target: target)
    }

    @Test(arguments: 1...30) func matchesTheDocumentedOrder(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let times = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
            LocalTime(minutes: Int.random(in: 0..<1440, using: &rng))!
        }
        let weekdays = Weekday.allCases.filter { _ in Bool.random(using: &rng) }
        let rule = Rule(
            id: "r", name: "r", kind: .training, teams: [.all], frequency: .count(1, per: .year),
            weekdays: weekdays, times: times, durationMinutes: Int.random(in: 30...600, using: &rng))
        let (plan, roster) = smallTown(rules: [rule])
        let s = scheduler(plan, roster)
        var ranges: [DateRange] = []
        var day = date("2027-01-01").adding(days: Int.random(in: 0..<60, using: &rng))
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let end = day.adding(days: Int.random(in: 0..<40, using: &rng))
            ranges.append(DateRange(from: day, to: end))
            day = end.adding(days: Int.random(in: 2..<30, using: &rng))
        }
        let target = ranges[0].from.adding(days: Int.random(in: 0..<100, using: &rng))
        let d = demand(ranges, target: target)
        let got = Array(s.candidates(d, rule))
        #expect(got == expected(s, d, rule))
        #expect(got.count == d.allowedDayCount * times.count)
    }

    /// Costs too large for a packed key (a target ~300 years off) and days before 1970 (negative
    /// starts) take the pair sort: the same documented order.
    @Test(arguments: [-40_000, 110_000]) func valuesOutsideThePackedRange(targetOffset: Int) {
        let rule = Rule(
            id: "r", name: "r", kind: .training, teams: [.all], frequency: .count(1, per: .year),
            weekdays: [.saturday], times: [time("09:00"), time("14:30")])
        let (plan, roster) = smallTown(rules: [rule])
        let s = scheduler(plan, roster)
        for from in [CivilDate(dayNumber: -20), date("2027-03-01")] {
            let d = demand([DateRange(from: from, to: from.adding(days: 30))], target: from.adding(days: targetOffset))
            let got = Array(s.candidates(d, rule))
            #expect(got == expected(s, d, rule))
            #expect(got.count == 62)
        }
    }

    /// The bound's and the optimiser's table: each demand's static candidates cheapest first, then
    /// by start, each slot as long as its rule says, none twice.
    @Test func staticCandidatesAreCheapestFirstThenByStart() throws {
        let rules = [
            Rule(
                id: "drill", name: "演练", kind: .training, teams: [.all], frequency: .count(4, per: .year),
                weekdays: [.saturday, .sunday], times: [time("09:00"), time("14:00")], durationMinutes: 150),
            Rule(
                id: "weekly", name: "周训", kind: .training, teams: [.all], frequency: .count(12, per: .year),
                times: [time("19:30")], durationMinutes: 90),
        ]
        let (plan, roster) = smallTown(rules: rules)
        let s = scheduler(plan, roster)
        let demands = try s.demands()
        let table = s.staticCandidates(demands)
        #expect(table.count == demands.count)
        var checked = 0
        for d in demands {
            let list = try #require(table[d.uid])
            let rule = try #require(plan.rules.first { $0.id == d.ruleID })
            #expect(list.count > 10)
            for c in list { #expect(c.slot.endMinute - c.slot.startMinute == rule.durationMinutes) }
            for (a, b) in zip(list, list.dropFirst()) {
                #expect((a.unary, a.slot.absoluteStart) < (b.unary, b.slot.absoluteStart), "\(d.uid)")
            }
            checked += list.count
        }
        #expect(checked > 1000)
    }

    /// Demands of one rule with the same teams and allowed days share one list in the table; each
    /// must still be exactly the list the demand gets alone (made for it, nothing shared), and a
    /// published demand, whose slots off its published one cost move points, gets its own.
    @Test func sharedListsEqualEachDemandsOwn() throws {
        let rule = Rule(
            id: "often", name: "村训", kind: .training, teams: [.all], frequency: .count(6, per: .halfYear),
            weekdays: [.saturday], times: [time("09:00"), time("19:30")])
        let (plan, roster) = smallTown(rules: [rule])
        let plain = scheduler(plan, roster)
        let demands = try plain.demands()
        let groups = Dictionary(grouping: demands) { "\($0.teamIDs) \($0.allowed)" }
        #expect(groups.values.contains { $0.count >= 6 }, "the rule's demands share their allowed days")
        var published = plain
        let moved = demands[1]
        let slot = try #require(plain.staticCandidates([moved])[moved.uid]?.last?.slot)
        published.replan.published[moved.uid] = .init(slot: slot, venueID: nil, supervisorID: nil)
        for s in [plain, published] {
            let table = s.staticCandidates(demands)
            for d in demands {
                let alone = try #require(s.staticCandidates([d])[d.uid])
                let shared = try #require(table[d.uid])
                #expect(shared.map(\.slot) == alone.map(\.slot), "\(d.uid)")
                #expect(shared.map(\.unary) == alone.map(\.unary), "\(d.uid)")
            }
        }
        // The published demand pays the move weight on every slot but its published one; a sibling
        // with the same allowed days pays none.
        let table = published.staticCandidates(demands)
        let own = Dictionary(uniqueKeysWithValues: try #require(table[moved.uid]).map { ($0.slot, $0.unary) })
        let sibling = try #require(demands.first { $0.uid != moved.uid && $0.allowed == moved.allowed })
        let theirs = try #require(table[sibling.uid])
        #expect(theirs.count == own.count)
        for c in theirs {
            #expect(own[c.slot] == c.unary + (c.slot == slot ? 0 : plan.weights.movePublished), "\(c.slot)")
        }
    }
}
