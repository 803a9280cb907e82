import Testing

@testable import DrillCore

/// `Scheduler.transfer`, the step both per-team bounds take from one placed session to the next
/// (the exact programme and the spacing bound), against the definition computed by brute force.
@Suite struct BoundTransferTests {
    /// For each day y: costs[k] + min over x ≤ y − gap of h[x] + w·|y − x − ideal|, or `big`.
    func bruteForce(
        _ hDays: [Int], _ hValues: [Int], gap: Int, ideal: Int, weight: Int, big: Int, into days: [Int], costs: [Int]
    ) -> [Int] {
        days.indices.map { k in
            let y = days[k]
            var best = big
            for (x, h) in zip(hDays, hValues) where h < big && x <= y - gap {
                best = min(best, h + weight * abs(y - x - ideal))
            }
            return best < big ? best + costs[k] : big
        }
    }

    func sortedDays(_ count: Int, from start: Int, _ rng: inout SeededRandom) -> [Int] {
        var days = Set<Int>()
        while days.count < count { days.insert(start + Int.random(in: 0..<90, using: &rng)) }
        return days.sorted()
    }

    @Test(arguments: 1...40) func matchesTheDefinitionOnRandomDays(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let big = Int.max / 4
        let start = 20_800  // early 2027
        let hDays = sortedDays(Int.random(in: 0...30, using: &rng), from: start, &rng)
        // Some days not reached (big), as a state of the programme has.
        let hValues = hDays.map { _ in Int.random(in: 0..<5, using: &rng) == 0 ? big : Int.random(in: 0...400, using: &rng) }
        let days = sortedDays(Int.random(in: 1...30, using: &rng), from: start + Int.random(in: 0...40, using: &rng), &rng)
        let costs = days.map { _ in Int.random(in: 0...60, using: &rng) }
        let gap = Int.random(in: 0...20, using: &rng)
        let ideal = Int.random(in: 1...45, using: &rng)  // both below and above the gap
        let weight = Int.random(in: 0...3, using: &rng)
        let fast = Scheduler.transfer(
            hDays, hValues, gap: gap, ideal: ideal, weight: weight, big: big, into: days, costs: costs)
        #expect(
            fast
                == bruteForce(hDays, hValues, gap: gap, ideal: ideal, weight: weight, big: big, into: days, costs: costs),
            "gap \(gap), ideal \(ideal), weight \(weight)")
    }

    @Test func nothingReachedGivesNothing() {
        let big = Int.max / 4
        #expect(
            Scheduler.transfer([], [], gap: 3, ideal: 7, weight: 1, big: big, into: [10, 20], costs: [0, 0])
                == [big, big])
        // A day too close to every reached day (inside the gap) is not reached either.
        #expect(
            Scheduler.transfer([10], [5], gap: 7, ideal: 7, weight: 1, big: big, into: [12, 17, 20], costs: [0, 1, 0])
                == [big, 5 + 0 + 1, 5 + 3])
    }
}
