/// Turns findings and constraints into sentences a town official can act on, in Chinese or English.
public struct Describe: Sendable {
    /// The plan, for names.
    public var plan: Plan
    /// The roster, for names.
    public var roster: Roster
    /// Output language.
    public var language: Language

    /// Makes a describer.
    public init(plan: Plan, roster: Roster, language: Language) {
        self.plan = plan
        self.roster = roster
        self.language = language
    }

    func team(_ id: String) -> String { plan.team(id)?.displayName(language) ?? id }
    func member(_ id: String) -> String { roster.member(id).map { "\($0.name)(\(id))" } ?? id }
    func venue(_ id: String) -> String { plan.venue(id)?.name ?? id }
    func supervisor(_ id: String) -> String { plan.supervisor(id)?.name ?? id }
    func pick(_ zh: String, _ en: String) -> String { language.pick(zh, en) }

    /// A finding as one sentence.
    public func finding(_ f: Finding) -> String {
        switch f {
        case .belowMinimum(let t, let n, let min):
            return pick("\(team(t))人数不足：现有 \(n) 人，最少应为 \(min) 人（缺 \(min - n) 人）",
                "\(team(t)) is below its minimum: \(n) members, needs at least \(min) (\(min - n) short)")
        case .missingRole(let t, let role, let have, let need):
            return pick("\(team(t))缺少\(role.chinese)力量：现有 \(have) 人，应至少 \(need) 人",
                "\(team(t)) lacks \(role.english) members: has \(have), needs at least \(need)")
        case .gridWithoutManager(let v, let grid):
            let village = plan.village(v)?.name ?? v
            return pick("\(village)网格 \(grid) 没有应急管理员", "grid \(grid) of \(village) has no emergency manager")
        case .onSeveralTeams(let m, let teams):
            let names = teams.map(team).joined(separator: language == .zh ? "、" : ", ")
            return pick("\(member(m)) 同时在 \(names)，其训练演练时间已错开",
                "\(member(m)) is on \(names); their sessions are kept apart")
        }
    }

    /// A constraint as one sentence (why a candidate was ruled out).
    public func constraint(_ c: Constraint) -> String {
        switch c {
        case .holiday(let name):
            return pick("法定节假日（\(name)）", "statutory holiday (\(name))")
        case .notWorkingDay:
            return pick("非工作日", "not a working day")
        case .blackout(let id, let t):
            let name = plan.blackouts.first { $0.id == id }?.name ?? id
            return pick("\(team(t))处于禁排期“\(name)”", "\(team(t)) is in the blackout \(name)")
        case .turnout(let t, let available, let needed):
            return pick("\(team(t))当天可到 \(available) 人，少于所需 \(needed) 人",
                "\(team(t)) would have \(available) members available, needs \(needed)")
        case .gap(let t, let session, let days, let needed):
            return pick("\(team(t))与已排的 \(session) 仅相隔 \(days) 天，至少应隔 \(needed) 天",
                "\(team(t)) has \(session) only \(days) days away, needs \(needed)")
        case .memberBusy(let m, let session):
            return pick("\(member(m)) 同时段已在 \(session)", "\(member(m)) is already in \(session) at that time")
        case .noVenue(let t):
            return pick("\(team(t))所在村没有场地", "no venue in the village of \(team(t))")
        case .venueTooSmall(let v, let capacity, let needed):
            return pick("场地“\(venue(v))”容量 \(capacity) 人，不足 \(needed) 人",
                "venue \(venue(v)) holds \(capacity), needs \(needed)")
        case .venueBusy(let v, let session):
            return pick("场地“\(venue(v))”已被 \(session) 占用", "venue \(venue(v)) is booked for \(session)")
        case .supervisorsUnavailable(let conflicts):
            if conflicts.isEmpty { return pick("没有可派的督导人员", "no supervisor defined") }
            let parts = conflicts.map { c -> String in
                let who = supervisor(c.supervisor)
                switch c.reason {
                case .away: return pick("\(who)外出", "\(who) away")
                case .dayLimit(let n): return pick("\(who)当天已有 \(n) 场", "\(who) has \(n) that day")
                case .weekLimit(let n): return pick("\(who)本周已有 \(n) 场", "\(who) has \(n) that week")
                case .busy(let s, let travel):
                    return pick("\(who)在 \(s)（路程 \(travel) 分钟）", "\(who) at \(s) (\(travel) min travel)")
                }
            }
            return pick("督导人员均无法到场：", "no supervisor free: ")
                + parts.joined(separator: language == .zh ? "；" : "; ")
        }
    }

    /// The label of a blocker key.
    public func blockerKey(_ key: String) -> String {
        switch key {
        case "holiday": pick("节假日", "holidays")
        case "not_working_day": pick("非工作日", "non-working days")
        case "blackout": pick("禁排期", "blackouts")
        case "turnout": pick("到场人数不足", "turnout below minimum")
        case "gap": pick("间隔不足", "minimum gap")
        case "member_busy": pick("队员时间冲突", "member collisions")
        case "no_venue": pick("无场地", "no venue")
        case "venue_too_small": pick("场地容量不足", "venue too small")
        case "venue_busy": pick("场地已占用", "venue booked")
        case "supervisor_unavailable": pick("督导人员无法到场", "no supervisor free")
        default: key
        }
    }
}
