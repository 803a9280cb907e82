/// How long the optimiser may work. The budget is counted in evaluated candidate placements, so
/// the same inputs and seed give the same schedule on any machine; `shouldStop` (a wall-clock
/// limit the caller passes in: DrillCore reads no clock) only caps it.
public struct SearchOptions: Sendable {
    /// Seed of the optimiser's random choices.
    public var seed: UInt64
    /// Most candidate placements evaluated (0: keep the greedy schedule).
    public var moveBudget: Int
    /// Asked every few hundred evaluations; true stops the search with the best schedule so far.
    public var shouldStop: (@Sendable () -> Bool)?
    /// Called after each round with (evaluated moves, score, bound), for progress on a terminal.
    public var progress: (@Sendable (Int, Int, Int) -> Void)?

    /// Makes options.
    public init(
        seed: UInt64 = 1, moveBudget: Int = 400_000, shouldStop: (@Sendable () -> Bool)? = nil,
        progress: (@Sendable (Int, Int, Int) -> Void)? = nil
    ) {
        self.seed = seed
        self.moveBudget = moveBudget
        self.shouldStop = shouldStop
        self.progress = progress
    }

    /// The greedy constructor alone.
    public static let greedyOnly = SearchOptions(moveBudget: 0)
}

/// SplitMix64: small, fast and the same on every platform (also the tests' seeded generator, so that
/// a failing random case can be rebuilt from its seed).
public struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    /// A generator whose sequence depends only on `seed`.
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Scheduler {
    /// Working data of one search.
    struct Search {
        var table: [String: [Candidate]]
        var ideal: [String: Int]
        var budget: Int
        var rng: SeededGenerator
        var options: SearchOptions
        var stopped = false
        var nextClockCheck = 0
    }

    /// Improves a complete or partial greedy schedule by local search: place unmet demands
    /// (with ejection of a blocking session), re-optimise one team at a time by dynamic programming
    /// over its days with every other session fixed (a large neighbourhood), move single sessions to
    /// their best feasible slot (with an ejection chain when one session is in the way), and swap
    /// two sessions of a team. Only strictly improving changes are kept, every placement goes
    /// through `evaluate`, so no hard constraint is ever broken. Stops at the bound, when the budget
    /// is spent, when a round finds nothing, or when `shouldStop` says so.
    func optimise(_ state: inout State, bound: Int, options: SearchOptions, table: [String: [Candidate]]) {
        let all = state.order
        var search = Search(
            table: table, ideal: idealGaps(all), budget: options.moveBudget,
            rng: SeededGenerator(seed: options.seed), options: options)
        var current = descend(&state, &search, bound: bound)
        // Large neighbourhoods: ruin a week, a team or a few teams' sessions, re-insert them in a random or
        // most-constrained order at their best slots, polish the teams touched, and keep the result when it
        // is no worse (equal scores let the search cross plateaus). Only complete re-insertions count.
        // It stops at the bound, when the budget is spent, or after `patience` steps without a gain.
        var iteration = 0
        var stale = 0
        let patience = max(300, 25 * state.placed.count)
        while current > bound && stale < patience && !exhausted(&search, state) {
            iteration += 1
            stale += 1
            var trial = state
            trial.evaluated += 1  // the step itself counts, so the budget always ends the search
            let ruined = neighbourhood(trial, &search)
            guard !ruined.isEmpty else { break }
            var teams = Set<String>()
            for uid in ruined { teams.formUnion(trial.placed[uid]?.teamIDs ?? []) }
            for uid in ruined { unbook(&trial, uid) }
            var order = ruined
            if Bool.random(using: &search.rng) {
                order.shuffle(using: &search.rng)
            } else {
                order.sort { ((search.table[$0]?.count ?? 0), $0) < ((search.table[$1]?.count ?? 0), $1) }
            }
            var complete = true
            for uid in order {
                guard let demand = trial.demands[uid], let placed = bestPlacement(demand, &trial, &search) else {
                    complete = false
                    break
                }
                book(&trial, placed.0, placed.1)
            }
            if complete {
                for team in teams.sorted() where !exhausted(&search, trial) { _ = reoptimiseTeam(team, &trial, &search) }
                for uid in ruined where !exhausted(&search, trial) { _ = relocate(uid, &trial, &search) }
                let now = score(trial).total
                if now <= current {
                    if now < current { stale = 0 }
                    current = now
                    state = trial
                    if iteration % 16 == 0 { options.progress?(state.evaluated, current, bound) }
                    continue
                }
            }
            state.evaluated = trial.evaluated
        }
        if !exhausted(&search, state) { _ = descend(&state, &search, bound: bound) }
        options.progress?(state.evaluated, score(state).total, bound)
    }

    /// Rounds of plain moves (unmet insertion, one-team re-optimisation, relocation with ejection,
    /// swaps) until a round finds nothing; returns the score.
    func descend(_ state: inout State, _ search: inout Search, bound: Int) -> Int {
        var current = score(state).total
        while current > bound && !exhausted(&search, state) {
            let before = current
            for uid in state.unmet.keys.sorted() where !exhausted(&search, state) {
                if insertUnmet(uid, &state, &search) { current = score(state).total }
            }
            var teams = plan.teams.map(\.id).filter { search.ideal[$0] != nil }
            teams.shuffle(using: &search.rng)
            for team in teams where !exhausted(&search, state) && current > bound {
                current += reoptimiseTeam(team, &state, &search)
            }
            var uids = state.placed.keys.sorted()
            uids.shuffle(using: &search.rng)
            for uid in uids where !exhausted(&search, state) && current > bound {
                current += relocate(uid, &state, &search)
            }
            for team in teams where !exhausted(&search, state) && current > bound {
                current += swapWithinTeam(team, &state, &search)
            }
            search.options.progress?(state.evaluated, current, bound)
            if current >= before { break }
        }
        return score(state).total
    }

    /// The sessions one large-neighbourhood step re-places: those within a fortnight of a random
    /// session, one random team's, or two random teams' (at most 12, chosen at random).
    func neighbourhood(_ state: State, _ search: inout Search) -> [String] {
        let uids = state.placed.keys.sorted()
        guard let pivot = uids.randomElement(using: &search.rng), let at = state.placed[pivot] else { return [] }
        var picked: [String]
        switch Int.random(in: 0..<3, using: &search.rng) {
        case 0:
            let day = at.slot.date.dayNumber
            let reach = Int.random(in: 5...14, using: &search.rng)
            picked = uids.filter { abs(state.placed[$0]!.slot.date.dayNumber - day) <= reach }
        case 1:
            let team = at.teamIDs.randomElement(using: &search.rng) ?? ""
            picked = uids.filter { state.placed[$0]!.teamIDs.contains(team) }
        default:
            let other = uids.randomElement(using: &search.rng).flatMap { state.placed[$0] }
            let teams = Set(at.teamIDs).union(other?.teamIDs ?? [])
            picked = uids.filter { !teams.isDisjoint(with: state.placed[$0]!.teamIDs) }
        }
        if picked.count > 12 {
            picked.shuffle(using: &search.rng)
            picked = Array(picked.prefix(12)).sorted()
        }
        return picked
    }

    func exhausted(_ search: inout Search, _ state: State) -> Bool {
        if search.stopped || state.evaluated >= search.budget { return true }
        if let stop = search.options.shouldStop, state.evaluated >= search.nextClockCheck {
            search.nextClockCheck = state.evaluated + 128
            if stop() { search.stopped = true }
        }
        return search.stopped
    }

    /// Points of the given sessions (unplaced ones cost `unmet_demand`), of the given teams'
    /// spacing and of the supervisor load: everything a change to those sessions can alter.
    func localScore(_ state: State, _ uids: [String], _ teams: Set<String>, _ search: Search) -> Int {
        var total = 0
        for uid in uids {
            if let s = state.placed[uid] { total += unaryTotal(s) } else { total += plan.weights.unmetDemand }
        }
        for t in teams { total += spacingCost(teamDays(state.ledger, t), ideal: search.ideal[t] ?? yearDays) }
        return total + supervisorTerm(state.ledger)
    }

    /// Puts back `old` placements after removing whatever now sits under `uids`.
    func restore(_ state: inout State, _ uids: [String], _ old: [(ScheduledSession, String?)]) {
        for uid in uids { unbook(&state, uid) }
        for (s, v) in old { book(&state, s, v) }
    }

    func snapshot(_ state: State, _ uids: [String]) -> [(ScheduledSession, String?)] {
        uids.compactMap { uid in state.placed[uid].map { ($0, state.villages[uid] ?? nil) } }
    }

    /// Tries `demand` on `slot` against the current bookings; counts one evaluated move.
    func tryPlace(_ demand: Demand, _ slot: TimeSlot, _ state: inout State, avoiding: String? = nil) -> Outcome {
        state.evaluated += 1
        let rule = rulesByID[demand.ruleID]!
        // The optimiser tries ~100,000 moves a town over a few hundred demands: each demand's facts
        // are made once and kept in the state, not made again for every move.
        let facts: DemandFacts
        if let kept = state.facts[demand.uid] {
            facts = kept
        } else {
            facts = demandFacts(demand, rule)
            state.facts[demand.uid] = facts
        }
        return evaluate(demand, rule, slot, state.ledger, facts: facts, avoiding: avoiding)
    }

    /// The best feasible slot of an unplaced demand by its own points plus its teams' spacing.
    func bestPlacement(_ demand: Demand, _ state: inout State, _ search: inout Search, limit: Int = 400)
        -> (ScheduledSession, String?)?
    {
        let cands = search.table[demand.uid] ?? []
        let lists = demand.teamIDs.map { teamDays(state.ledger, $0) }
        let base = zip(demand.teamIDs, lists).map { spacingCost($1, ideal: search.ideal[$0] ?? yearDays) }
        var scored: [(Int, Int)] = []
        scored.reserveCapacity(cands.count)
        for (i, c) in cands.enumerated() {
            var delta = c.unary
            for (k, t) in demand.teamIDs.enumerated() {
                delta += spacingWith(lists[k], adding: c.slot.date.dayNumber, ideal: search.ideal[t] ?? yearDays) - base[k]
            }
            scored.append((delta, i))
        }
        scored.sort { $0 < $1 }
        for (_, i) in scored.prefix(limit) {
            if exhausted(&search, state) { return nil }
            if case .success(let placed) = tryPlace(demand, cands[i].slot, &state) { return placed }
        }
        return nil
    }

    func spacingWith(_ days: [Int], adding day: Int, ideal: Int) -> Int {
        var list = days
        let at = list.firstIndex { $0 > day } ?? list.count
        list.insert(day, at: at)
        return spacingCost(list, ideal: ideal)
    }

    func spacingWithout(_ days: [Int], removing day: Int) -> [Int] {
        var list = days
        if let i = list.firstIndex(of: day) { list.remove(at: i) }
        return list
    }

    // MARK: moves

    /// Places an unmet demand on its best free slot, or ejects the one session blocking one of its
    /// slots and re-places that session elsewhere. Returns whether it was placed.
    func insertUnmet(_ uid: String, _ state: inout State, _ search: inout Search) -> Bool {
        guard let demand = state.demands[uid] else { return false }
        if let placed = bestPlacement(demand, &state, &search) {
            book(&state, placed.0, placed.1)
            state.unmet.removeValue(forKey: uid)
            return true
        }
        let cands = search.table[uid] ?? []
        var triedBlockers = Set<String>()
        for c in cands.prefix(200) {
            if exhausted(&search, state) { return false }
            guard case .failure(let k) = tryPlace(demand, c.slot, &state), let x = k.blockingSession,
                triedBlockers.insert(x).inserted, let xDemand = state.demands[x]
            else { continue }
            let old = snapshot(state, [x])
            unbook(&state, x)
            if case .success(let mine) = tryPlace(demand, c.slot, &state) {
                book(&state, mine.0, mine.1)
                if let moved = bestPlacement(xDemand, &state, &search, limit: 200) {
                    book(&state, moved.0, moved.1)
                    state.unmet.removeValue(forKey: uid)
                    return true
                }
                unbook(&state, uid)
            }
            restore(&state, [], old)
        }
        return false
    }

    /// Moves one session to the feasible slot that lowers the score most, trying slots in order of
    /// their estimated gain; when the best slots are blocked by one session, tries an ejection chain
    /// (that session moves to its own best slot). Returns the score change (≤ 0).
    func relocate(_ uid: String, _ state: inout State, _ search: inout Search) -> Int {
        guard let current = state.placed[uid], let demand = state.demands[uid] else { return 0 }
        let cands = search.table[uid] ?? []
        let teams = Set(current.teamIDs)
        let before = localScore(state, [uid], teams, search)
        let currentUnary = unaryTotal(current)
        let day = current.slot.date.dayNumber
        var lists: [[Int]] = []
        var base: [Int] = []
        for t in current.teamIDs {
            let days = teamDays(state.ledger, t)
            base.append(spacingCost(days, ideal: search.ideal[t] ?? yearDays))
            lists.append(spacingWithout(days, removing: day))
        }
        var improving: [(Int, Int)] = []
        for (i, c) in cands.enumerated() where c.slot != current.slot {
            var delta = c.unary - currentUnary
            for (k, t) in current.teamIDs.enumerated() {
                delta += spacingWith(lists[k], adding: c.slot.date.dayNumber, ideal: search.ideal[t] ?? yearDays) - base[k]
            }
            if delta < 0 || (delta == 0 && balancesSupervisors && rulesByID[demand.ruleID]?.supervisor == .any) {
                improving.append((delta, i))
            }
        }
        if improving.isEmpty { return 0 }
        improving.sort { $0 < $1 }
        let old = snapshot(state, [uid])
        unbook(&state, uid)
        var ejections = 0
        for (_, i) in improving.prefix(60) {
            if exhausted(&search, state) { break }
            switch tryPlace(demand, cands[i].slot, &state) {
            case .success(let placed):
                book(&state, placed.0, placed.1)
                let after = localScore(state, [uid], teams, search)
                if after < before { return after - before }
                unbook(&state, uid)
            case .failure(let k):
                guard ejections < 3, let x = k.blockingSession, x != uid, let xDemand = state.demands[x],
                    let xSession = state.placed[x]
                else { continue }
                ejections += 1
                let affected = teams.union(xSession.teamIDs)
                restore(&state, [], old)
                let chainBefore = localScore(state, [uid, x], affected, search)
                unbook(&state, uid)
                let oldX = snapshot(state, [x])
                unbook(&state, x)
                guard case .success(let mine) = tryPlace(demand, cands[i].slot, &state) else {
                    restore(&state, [], oldX)
                    continue
                }
                book(&state, mine.0, mine.1)
                if let moved = bestPlacement(xDemand, &state, &search, limit: 60) {
                    book(&state, moved.0, moved.1)
                    let after = localScore(state, [uid, x], affected, search)
                    if after < chainBefore { return after - chainBefore }
                    unbook(&state, x)
                }
                unbook(&state, uid)
                restore(&state, [], oldX)
            }
        }
        restore(&state, [uid], old)
        return 0
    }

    /// Re-optimises one team: its sessions keep their order, every other session stays, and a
    /// dynamic programme over each session's feasible days picks the days (and times) with the
    /// least points plus spacing, keeping the gaps. Kept only when the whole change lowers the score.
    func reoptimiseTeam(_ team: String, _ state: inout State, _ search: inout Search) -> Int {
        let sessions = state.placed.values.filter { $0.teamIDs.contains(team) }
            .sorted { ($0.slot.absoluteStart, $0.uid) < ($1.slot.absoluteStart, $1.uid) }
        guard sessions.count > 1 else { return 0 }
        let uids = sessions.map(\.uid)
        var teams = Set<String>()
        for s in sessions { teams.formUnion(s.teamIDs) }
        let before = localScore(state, uids, teams, search)
        let old = snapshot(state, uids)
        for uid in uids { unbook(&state, uid) }

        // Options per session: the cheapest feasible slot of each day, against everything else.
        var options: [[(day: Int, slot: TimeSlot, cost: Int)]] = []
        for s in sessions {
            guard let demand = state.demands[s.uid] else { restore(&state, [], old); return 0 }
            var byDay: [Int: (slot: TimeSlot, cost: Int)] = [:]
            for c in search.table[s.uid] ?? [] {
                let d = c.slot.date.dayNumber
                if let have = byDay[d], have.cost <= c.unary { continue }
                if case .success = tryPlace(demand, c.slot, &state) { byDay[d] = (c.slot, c.unary) }
            }
            if byDay.isEmpty || exhausted(&search, state) { restore(&state, [], old); return 0 }
            options.append(byDay.keys.sorted().map { ($0, byDay[$0]!.slot, byDay[$0]!.cost) })
        }

        // DP over the sessions in their current order.
        let ideal = search.ideal[team] ?? yearDays
        let w = plan.weights.spacingPerDay
        let gapOf = sessions.map { ruleGap(rulesByID[$0.ruleID], team) }
        let big = Int.max / 4
        var cost: [[Int]] = [options[0].map(\.cost)]
        var from: [[Int]] = [Array(repeating: -1, count: options[0].count)]
        for k in 1..<sessions.count {
            let gap = max(1, requiredGap(team, gapOf[k], gapOf[k - 1]))
            var row: [Int] = []
            var back: [Int] = []
            for o in options[k] {
                var best = big
                var arg = -1
                for (j, p) in options[k - 1].enumerated() where o.day - p.day >= gap && cost[k - 1][j] < big {
                    let c = cost[k - 1][j] + w * abs(o.day - p.day - ideal)
                    if c < best { (best, arg) = (c, j) }
                }
                row.append(best < big ? best + o.cost : big)
                back.append(arg)
            }
            cost.append(row)
            from.append(back)
        }
        guard let last = cost.last, let end = last.indices.min(by: { (last[$0], $0) < (last[$1], $1) }),
            last[end] < big
        else {
            restore(&state, [], old)
            return 0
        }
        var pick = Array(repeating: 0, count: sessions.count)
        pick[sessions.count - 1] = end
        for k in stride(from: sessions.count - 1, to: 0, by: -1) { pick[k - 1] = from[k][pick[k]] }
        if zip(sessions, pick.indices).allSatisfy({ $0.0.slot == options[$0.1][pick[$0.1]].slot }) {
            restore(&state, [], old)
            return 0
        }
        // Book the chosen slots one by one: sessions of the team may share a supervisor's week.
        for (k, s) in sessions.enumerated() {
            guard let demand = state.demands[s.uid],
                case .success(let placed) = tryPlace(demand, options[k][pick[k]].slot, &state)
            else {
                restore(&state, uids, old)
                return 0
            }
            book(&state, placed.0, placed.1)
        }
        let after = localScore(state, uids, teams, search)
        if after < before { return after - before }
        restore(&state, uids, old)
        return 0
    }

    /// Swaps the days of two sessions of one team (each at its cheapest time that day) when that lowers the score.
    func swapWithinTeam(_ team: String, _ state: inout State, _ search: inout Search) -> Int {
        let sessions = state.placed.values.filter { $0.teamIDs.contains(team) }.sorted { $0.uid < $1.uid }
        var gained = 0
        for i in sessions.indices {
            for j in sessions.indices where j > i {
                if exhausted(&search, state) { return gained }
                guard let a = state.placed[sessions[i].uid], let b = state.placed[sessions[j].uid],
                    a.ruleID != b.ruleID, a.slot.date != b.slot.date,
                    let da = state.demands[a.uid], let db = state.demands[b.uid],
                    let sa = search.table[a.uid]?.first(where: { $0.slot.date == b.slot.date })?.slot,
                    let sb = search.table[b.uid]?.first(where: { $0.slot.date == a.slot.date })?.slot
                else { continue }
                // Only worth trying when the two sessions' own points drop.
                let now = unaryTotal(a) + unaryTotal(b)
                let then = (search.table[a.uid]?.first { $0.slot == sa }?.unary ?? 0)
                    + (search.table[b.uid]?.first { $0.slot == sb }?.unary ?? 0)
                guard then < now else { continue }
                let uids = [a.uid, b.uid]
                let teams = Set(a.teamIDs).union(b.teamIDs)
                let before = localScore(state, uids, teams, search)
                let old = snapshot(state, uids)
                unbook(&state, a.uid)
                unbook(&state, b.uid)
                if case .success(let pa) = tryPlace(da, sa, &state) {
                    book(&state, pa.0, pa.1)
                    if case .success(let pb) = tryPlace(db, sb, &state) {
                        book(&state, pb.0, pb.1)
                        let after = localScore(state, uids, teams, search)
                        if after < before {
                            gained += after - before
                            continue
                        }
                    }
                }
                restore(&state, uids, old)
            }
        }
        return gained
    }
}
