/// The proven lower bound: per team, an exact dynamic programme over the team's own sessions with
/// everything between teams relaxed.
///
/// Each demand is "owned" by one of its teams (the first by id); its weekday, time and turnout points
/// are charged to that team only. For every team, the programme finds the least
/// Σ owned sessions' points + spacing_per_day × Σ |gap − ideal| + unmet_demand × owned demands left out
/// over every choice of which of its demands to place, on which of their allowed days, in which
/// order, keeping the team's least gaps between consecutive sessions. Members shared with other teams,
/// venues, supervisors and the joint sessions' common day are relaxed, and the supervisor-load term is
/// counted as 0, so the sum over teams is never above the score of any schedule, complete or not.
///
/// The demands of a team are split into blocks whose windows do not overlap (their order is then
/// fixed, e.g. one monthly training per month); inside a block the programme runs over subsets of the
/// block's demands (at most `maxBlock`). A team with a larger overlapping block falls back to the
/// separate minima (each session's cheapest day plus the least spacing of any complete placement).
extension Scheduler {
    static let maxBlock = 11

    /// The exact per-team minimum described above, or nil when a block is too large.
    /// With `countOnly`, every cost is 0 but 1 per owned demand left out: the least number of the
    /// team's demands that cannot be placed (its windows, day rules and gaps alone).
    func teamBound(
        _ team: String, _ demands: [Demand], _ table: [String: [Candidate]], ideal: Int, owned: Set<String>,
        countOnly: Bool = false
    ) -> Int? {
        let w = countOnly ? 0 : plan.weights.spacingPerDay
        let unmet = countOnly ? 1 : plan.weights.unmetDemand
        let big = Int.max / 4
        // Per demand: the cheapest points of each allowed day (0 when another team owns the demand),
        // days ascending.
        struct Item {
            var uid: String
            var gap: Int
            var owned: Bool
            var days: [Int]
            var costs: [Int]
            var first: Int { days[0] }
            var last: Int { days[days.count - 1] }
        }
        // Each demand's first and last candidate day, and whether some block of overlapping windows is
        // too large for the programme, before any per-day cost is worked out (a village's trainings
        // `every: 12 per half-year` make a block of 12: the answer is nil, and was found only after).
        var listDays = ListDays()
        let spans: [(uid: String, first: Int, last: Int)?] = demands.map { d in
            listDays.span(table[d.uid] ?? []).map { (d.uid, $0.first, $0.last) }
        }
        if Self.largestBlock(spans.compactMap { $0 }) > Self.maxBlock { return nil }

        var items: [Item] = []
        var fixed = 0  // demands with no allowed day: always unmet
        for (d, span) in zip(demands, spans) {
            let mine = owned.contains(d.uid)
            let candidates = table[d.uid] ?? []
            guard let (_, firstDay, lastDay) = span else {
                if mine { fixed += unmet }
                continue
            }
            // The cheapest candidate of each day, by offset from the first day (a window is at most
            // the year: an array, no hashing); `Int.max` marks a day without a candidate.
            var cheapest = [Int](repeating: .max, count: lastDay - firstDay + 1)
            for c in candidates {
                let k = c.slot.date.dayNumber - firstDay
                cheapest[k] = min(cheapest[k], mine && !countOnly ? c.unary : 0)
            }
            var days: [Int] = []
            var costs: [Int] = []
            for (k, u) in cheapest.enumerated() where u != .max {
                days.append(firstDay + k)
                costs.append(u)
            }
            items.append(
                Item(uid: d.uid, gap: ruleGap(rulesByID[d.ruleID], team), owned: mine, days: days, costs: costs))
        }
        guard !items.isEmpty else { return fixed }
        let teamGap = teamsByID[team]?.minGapDays ?? 0

        // Blocks of demands whose windows overlap (a later block starts after every earlier window ends).
        items.sort { ($0.first, $0.last, $0.uid) < ($1.first, $1.last, $1.uid) }
        var blocks: [[Item]] = []
        var reach = Int.min
        for item in items {
            if item.first > reach || blocks.isEmpty {
                blocks.append([item])
            } else {
                blocks[blocks.count - 1].append(item)
            }
            reach = max(reach, item.last)
        }
        assert(!blocks.contains(where: { $0.count > Self.maxBlock }), "largestBlock counts these blocks")

        // Costs are kept only on the days they can be finite: the allowed days of the last placed
        // demand (a state of the programme), or a sorted union of such days (between blocks); `big`
        // marks a day not reached. Windows are short beside the year, so this is far less work than
        // a value per day of the team's whole span.
        struct DayCosts {
            var days: [Int]
            var values: [Int]
        }
        func transfer(_ h: DayCosts, gap: Int, into item: Item) -> [Int] {
            Self.transfer(h.days, h.values, gap: gap, ideal: ideal, weight: w, big: big, into: item.days, costs: item.costs)
        }
        func minInto(_ a: inout [Int], _ b: [Int]) {
            for i in a.indices where b[i] < a[i] { a[i] = b[i] }
        }
        // The day-wise minimum of `a` and `b` + `plus` over the union of their days.
        func merged(_ a: DayCosts?, _ b: DayCosts, plus: Int) -> DayCosts {
            var out = DayCosts(days: [], values: [])
            let a = a ?? DayCosts(days: [], values: [])
            out.days.reserveCapacity(a.days.count + b.days.count)
            out.values.reserveCapacity(a.days.count + b.days.count)
            var i = 0
            var j = 0
            while i < a.days.count || j < b.days.count {
                let day = min(i < a.days.count ? a.days[i] : Int.max, j < b.days.count ? b.days[j] : Int.max)
                var value = big
                if i < a.days.count, a.days[i] == day {
                    value = a.values[i]
                    i += 1
                }
                if j < b.days.count, b.days[j] == day {
                    if b.values[j] < big { value = min(value, b.values[j] + plus) }
                    j += 1
                }
                out.days.append(day)
                out.values.append(value)
            }
            return out
        }

        // Between blocks: the cost with nothing placed yet, and per last session's rule gap the cost
        // by the last session's day.
        var none = fixed
        var carry: [Int: DayCosts] = [:]
        for block in blocks {
            let m = block.count
            let ownedCount = (0..<m).map { block[$0].owned ? 1 : 0 }
            let ownedTotal = ownedCount.reduce(0, +)
            // f[s][i]: the least cost with the demands of set s placed, i last, by i's allowed day.
            var f = [[[Int]?]](repeating: [[Int]?](repeating: nil, count: m), count: 1 << m)
            for j in 0..<m {
                var start = block[j].costs.map { none + $0 }
                for (g, h) in carry {
                    minInto(&start, transfer(h, gap: max(g, block[j].gap, teamGap), into: block[j]))
                }
                f[1 << j][j] = start
            }
            var next = carry.mapValues {
                DayCosts(days: $0.days, values: $0.values.map { $0 < big ? $0 + unmet * ownedTotal : big })
            }
            let nextNone = none + unmet * ownedTotal
            for s in 1..<(1 << m) {
                var left = 0
                for k in 0..<m where s & (1 << k) == 0 { left += ownedCount[k] }
                for i in 0..<m {
                    // A state no placement reaches (gaps too wide for the windows) leads nowhere.
                    guard let values = f[s][i], values.contains(where: { $0 < big }) else { continue }
                    let h = DayCosts(days: block[i].days, values: values)
                    next[block[i].gap] = merged(next[block[i].gap], h, plus: unmet * left)
                    for j in 0..<m where s & (1 << j) == 0 {
                        let g = transfer(h, gap: max(block[i].gap, block[j].gap, teamGap), into: block[j])
                        if f[s | 1 << j][j] == nil {
                            f[s | 1 << j][j] = g
                        } else {
                            minInto(&f[s | 1 << j][j]!, g)
                        }
                    }
                }
            }
            carry = next
            none = nextNone
        }
        var best = none
        for h in carry.values { best = min(best, h.values.min() ?? big) }
        return best
    }
}

extension Scheduler {
    /// The first and last day of candidate lists, each list scanned once. The demands of `every: N
    /// per period` share one list (`staticCandidates`: a village's twelve trainings a half-year, one
    /// list of ~360 slots), and the bounds asked each demand for its span: `spacingBound` scanned
    /// that list twice per demand and marked its days once per demand, and the lower bound runs for
    /// every build (perf, a 100-town province: 3.7 % of the build's CPU in `spacingBound`). Lists are
    /// told apart by their storage, which the caller's table keeps alive (and unmoved) while this
    /// is used; equal lists stored apart are only scanned apart.
    struct ListDays {
        private var spans: [UnsafeRawPointer: (first: Int, last: Int)] = [:]

        /// The least and greatest candidate day of `list`, or nil when it is empty.
        mutating func span(_ list: [Candidate]) -> (first: Int, last: Int)? {
            guard !list.isEmpty else { return nil }
            let key = Self.key(list)
            if let known = spans[key] { return known }
            var first = Int.max
            var last = Int.min
            for c in list {
                let day = c.slot.date.dayNumber
                first = min(first, day)
                last = max(last, day)
            }
            spans[key] = (first, last)
            return (first, last)
        }

        /// Where `list`'s elements are stored (`list` is not empty).
        static func key(_ list: [Candidate]) -> UnsafeRawPointer {
            list.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
        }
    }

    /// The most demands in one block of `teamBound`: demands in (first, last, uid) order, a block
    /// ending where a demand starts after every earlier window has ended.
    static func largestBlock(_ spans: [(uid: String, first: Int, last: Int)]) -> Int {
        let sorted = spans.sorted { ($0.first, $0.last, $0.uid) < ($1.first, $1.last, $1.uid) }
        var largest = 0
        var size = 0
        var reach = Int.min
        for span in sorted {
            size = span.first > reach || size == 0 ? 1 : size + 1
            largest = max(largest, size)
            reach = max(reach, span.last)
        }
        return largest
    }

    /// For each day y of `days` (ascending): `costs[k]` plus the least `hValues[x] + weight·|y − x − ideal|`
    /// over the days x ≤ y − gap of `hDays` (ascending; `big` marks a day not reached), or `big` when
    /// there is none. O(|h| + |days|): a running minimum for x ≤ y − max(gap, ideal), a monotone queue
    /// for y − ideal < x ≤ y − gap.
    static func transfer(
        _ hDays: [Int], _ hValues: [Int], gap: Int, ideal: Int, weight w: Int, big: Int, into days: [Int], costs: [Int]
    ) -> [Int] {
        var out = [Int](repeating: big, count: days.count)
        let far = max(gap, ideal)
        var prefix = big  // min over x ≤ y − far of h[x] − w·x
        var p = 0
        var deque: [Int] = []  // y − ideal < x ≤ y − gap, indices with increasing h[x] + w·x
        var head = 0
        var next = 0
        for (k, y) in days.enumerated() {
            while p < hDays.count, hDays[p] <= y - far {
                if hValues[p] < big { prefix = min(prefix, hValues[p] - w * hDays[p]) }
                p += 1
            }
            var best = prefix < big / 2 ? prefix + w * (y - ideal) : big
            if gap < ideal {
                while next < hDays.count, hDays[next] <= y - gap {
                    if hValues[next] < big {
                        let v = hValues[next] + w * hDays[next]
                        while deque.count > head, hValues[deque[deque.count - 1]] + w * hDays[deque[deque.count - 1]] >= v {
                            deque.removeLast()
                        }
                        deque.append(next)
                    }
                    next += 1
                }
                while deque.count > head, hDays[deque[head]] <= y - ideal { head += 1 }
                if deque.count > head {
                    let x = deque[head]
                    best = min(best, hValues[x] + w * hDays[x] + w * (ideal - y))
                }
            }
            if best < big { out[k] = best + costs[k] }
        }
        return out
    }
}

extension Scheduler {
    /// A proven lower bound on the number of demands that no schedule can place: the larger of
    /// (a) the per-team programme counting only demands left out (each team's windows, day rules,
    /// holidays, blackouts and gaps alone) and (b) the largest excess of supervised demands over the
    /// supervisor-sessions the supervisors can give in the weeks around one supervised demand's window.
    public func minimumUnmet(_ demands: [Demand]) -> Int {
        minimumUnmet(demands, staticCandidates(demands))
    }

    func minimumUnmet(_ demands: [Demand], _ table: [String: [Candidate]]) -> Int {
        let ideal = idealGaps(demands)
        var byTeams = 0
        for d in demands where d.teamIDs.allSatisfy({ ideal[$0] == nil }) && (table[d.uid] ?? []).isEmpty {
            byTeams += 1
        }
        for team in ideal.keys.sorted() {
            let mine = demands.filter { $0.teamIDs.contains(team) }
            let owned = Set(mine.filter { $0.teamIDs.filter { ideal[$0] != nil }.min() == team }.map(\.uid))
            byTeams +=
                teamBound(team, mine, table, ideal: ideal[team]!, owned: owned, countOnly: true)
                ?? owned.filter { (table[$0] ?? []).isEmpty }.count
        }
        var bySupervisors = 0
        for demand in demands where (rulesByID[demand.ruleID]?.supervisor ?? .none) != .none {
            let env = demand.envelope
            let weeks = BookingLedger.week(of: env.from)...BookingLedger.week(of: env.to)
            let range = DateRange(
                from: CivilDate(dayNumber: weeks.lowerBound * 7 - 3),
                to: CivilDate(dayNumber: weeks.upperBound * 7 + 3))
            let inside = demands.filter { d in
                (rulesByID[d.ruleID]?.supervisor ?? .none) != .none && range.contains(d.envelope.from)
                    && range.contains(d.envelope.to)
            }.count
            bySupervisors = max(bySupervisors, inside - supervisorCapacity(range))
        }
        return max(byTeams, bySupervisors)
    }
}
