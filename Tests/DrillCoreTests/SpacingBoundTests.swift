import Testing

@testable import DrillCore

/// `Scheduler.spacingBound` (the per-team spacing part of the lower bound when the exact team
/// programme is too large) checked against every choice of one candidate day per demand, written
/// here the plain way: sessions sorted by day, consecutive ones at least the required gap apart,
/// spacing = Σ |gap − ideal| × weight.
@Suite struct SpacingBoundTests {
    struct Instance {
        var scheduler: Scheduler
        var demands: [Demand]
        var table: [String: [Scheduler.Candidate]]
        var days: [[Int]]
        var ideal: Int
        var gap: Int
    }

    /// `n` demands of one team with `minGap`; demand k's candidate days are drawn from `windows[k]`.
    func instance(_ windows: [ClosedRange<Int>], minGap: Int, ideal: Int, rng: inout SeededRandom) -> Instance {
        let rule = Rule(
            id: "r", name: "r", kind: .training, teams: [.team("v-shangcun")], frequency: .count(windows.count, per: .year),
            times: [LocalTime(hour: 9, minute: 0)!], durationMinutes: 120, minGapDays: minGap)
        let (plan, roster) = smallTown(rules: [rule])
        let s = scheduler(plan, roster)
        let origin = date("2027-01-01").dayNumber
        var demands: [Demand] = []
        var table: [String: [Scheduler.Candidate]] = [:]
        var days: [[Int]] = []
        for (k, window) in windows.enumerated() {
            var picked = window.filter { _ in Int.random(in: 0..<3, using: &rng) > 0 }.map { $0 + origin }
            if picked.isEmpty { picked = [window.lowerBound + origin] }
            let range = DateRange(from: CivilDate(dayNumber: window.lowerBound + origin), to: CivilDate(dayNumber: window.upperBound + origin))
            let d = Demand(ruleID: "r", teamIDs: ["v-shangcun"], ordinal: k + 1, uid: "u\(k)", allowed: [range], target: range.from)
            demands.append(d)
            // Unordered on purpose: the bound must not depend on the table's order.
            table[d.uid] = picked.shuffled(using: &rng).map {
                Scheduler.Candidate(slot: TimeSlot(date: CivilDate(dayNumber: $0), startMinute: 540, endMinute: 660), unary: 0)
            }
            days.append(picked)
        }
        return Instance(
            scheduler: s, demands: demands, table: table, days: days, ideal: ideal,
            gap: s.requiredGap("v-shangcun", minGap, minGap))
    }

    /// The least spacing over every choice of one day per demand keeping the gap (nil if none does).
    func exhaustive(_ x: Instance) -> Int? {
        var best: Int?
        var chosen: [Int] = []
        func visit(_ k: Int) {
            if k == x.days.count {
                let sorted = chosen.sorted()
                guard zip(sorted, sorted.dropFirst()).allSatisfy({ $1 - $0 >= x.gap }) else { return }
                let cost = x.scheduler.spacingCost(sorted, ideal: x.ideal)
                best = min(best ?? cost, cost)
                return
            }
            for day in x.days[k] {
                chosen.append(day)
                visit(k + 1)
                chosen.removeLast()
            }
        }
        visit(0)
        return best
    }

    /// Windows in order and apart: the relaxation (sorted window ends, pooled days) loses nothing,
    /// so the bound is the optimum itself.
    @Test(arguments: 1...40) func exactOnOrderedDisjointWindows(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var windows: [ClosedRange<Int>] = []
        var start = Int.random(in: 0..<10, using: &rng)
        for _ in 0..<Int.random(in: 2...5, using: &rng) {
            let end = start + Int.random(in: 0...12, using: &rng)
            windows.append(start...end)
            start = end + 1 + Int.random(in: 0...20, using: &rng)
        }
        let x = instance(
            windows, minGap: Int.random(in: 1...10, using: &rng), ideal: Int.random(in: 5...40, using: &rng), rng: &rng)
        let bound = x.scheduler.spacingBound("v-shangcun", x.demands, x.table, ideal: x.ideal)
        // No feasible choice: spacing bounds nothing (the unmet count carries it), so 0.
        #expect(bound == (exhaustive(x) ?? 0), "windows \(windows), gap \(x.gap), ideal \(x.ideal)")
    }

    /// Overlapping windows in any order: still never above the optimum.
    @Test(arguments: 1...40) func neverAboveTheOptimum(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let windows = (0..<Int.random(in: 2...4, using: &rng)).map { _ -> ClosedRange<Int> in
            let start = Int.random(in: 0..<60, using: &rng)
            return start...(start + Int.random(in: 0...15, using: &rng))
        }
        let x = instance(
            windows, minGap: Int.random(in: 1...10, using: &rng), ideal: Int.random(in: 5...40, using: &rng), rng: &rng)
        let bound = x.scheduler.spacingBound("v-shangcun", x.demands, x.table, ideal: x.ideal)
        #expect(bound >= 0)
        if let best = exhaustive(x) { #expect(bound <= best, "windows \(windows), gap \(x.gap), ideal \(x.ideal)") }
    }
}

/// `Scheduler.largestBlock` (which lets `teamBound` give up before working out any day's cost)
/// against the blocks found another way: demands whose windows share a day, joined transitively.
@Suite struct LargestBlockTests {
    func components(_ spans: [(uid: String, first: Int, last: Int)]) -> Int {
        var parent = Array(spans.indices)
        func root(_ i: Int) -> Int { parent[i] == i ? i : root(parent[i]) }
        for i in spans.indices {
            for j in spans.indices where j > i && spans[i].first <= spans[j].last && spans[j].first <= spans[i].last {
                parent[root(i)] = root(j)
            }
        }
        return Dictionary(grouping: spans.indices, by: root).values.map(\.count).max() ?? 0
    }

    @Test(arguments: 1...60) func equalsTheLargestGroupOfOverlappingWindows(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let spans = (0..<Int.random(in: 0...25, using: &rng)).map { k -> (uid: String, first: Int, last: Int) in
            let first = Int.random(in: 0..<365, using: &rng)
            return ("d\(k)", first, first + Int.random(in: 0..<40, using: &rng))
        }
        #expect(Scheduler.largestBlock(spans) == components(spans), "\(spans)")
    }

    @Test func windowsTouchingOnOneDayAreOneBlock() {
        #expect(Scheduler.largestBlock([("a", 0, 10), ("b", 10, 20), ("c", 21, 30)]) == 2)
        #expect(Scheduler.largestBlock([("c", 21, 30), ("a", 0, 10), ("b", 5, 25)]) == 3)
        #expect(Scheduler.largestBlock([]) == 0)
    }
}
