import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation

/// A moment as the plan's wall clock reads it: minutes on `TimeSlot.absoluteStart`'s scale.
func localMinutes(_ stamp: Stamp, timeZone: String) -> Int {
    let zone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
    let date = Date(timeIntervalSince1970: TimeInterval(stamp.seconds))
    let local = stamp.seconds + zone.secondsFromGMT(for: date)
    return Int((Double(local) / 60).rounded(.down))
}

extension TownOptions {
    /// What the store says was published before (issue 8): pinned, frozen, moved or cancelled by
    /// hand. Empty when the town has no database yet (the first build of the year).
    func replan(_ input: TownInput, now: Stamp) async throws -> Replan {
        try await replan(input, now: now, in: try await openStore(create: false))
    }

    /// The same from a store already open (`build` reads the notices, the replan and publishes
    /// through one); nil when there is none yet.
    func replan(_ input: TownInput, now: Stamp, in store: (any AttendanceStore)?) async throws -> Replan {
        guard let store else { return Replan() }
        do {
            return try await store.replan(
                now: localMinutes(now, timeZone: input.plan.timeZone),
                freezeDays: input.plan.defaults.freezeDays)
        } catch {
            Console.error("\(databasePath): " + error.message(lang))
            throw ExitCode(3)
        }
    }

    /// The UID a user typed: a UID, or a short code (S017) from `drillcal sessions`. Exits 2 naming
    /// what was expected when neither matches a stored session.
    func resolveSession(_ text: String, in store: some AttendanceStore) async throws -> SessionRecord {
        do {
            var uid = text
            if text.count <= 8, text.uppercased().hasPrefix("S") {
                let codes = try await store.codes()
                if let hit = codes.first(where: { $0.value == text.uppercased() }) { uid = hit.key }
            }
            if let s = try await store.session(uid) { return s }
        } catch {
            Console.error("\(databasePath): " + error.message(lang))
            throw ExitCode(3)
        }
        Console.error(
            lang.pick(
                "活动：应为 drillcal sessions 列出的编号（如 S017）或 UID，实际为 “\(text)”，未找到",
                "session: expected a code listed by drillcal sessions (like S017) or a UID, found \"\(text)\", which matches none"
            ))
        throw ExitCode(2)
    }
}

/// What a rebuild changed in the published year: moved sessions (old → new, why), pinned sessions the
/// new inputs conflict with (they stay), sessions cancelled by hand.
struct ReplanReport: Encodable {
    struct Move: Encodable {
        var session: String
        var from: String
        var to: String?
        var frozen: Bool
        var reason: String
        /// Changed by hand (`move`, `postpone`, `cancel`): published by this build.
        var byHand = false
        /// Who changed it by hand.
        var by: String?
    }
    struct Conflict: Encodable {
        var session: String
        var date: String
        var start: String
        var pinned: [String]
        var message: String
    }
    var moves: [Move]
    var pinnedConflicts: [Conflict]
    var cancelled: [String]

    init(_ schedule: Schedule, replan: Replan = Replan(), describe d: Describe) {
        let l = d.language
        let hand = replan.changedByHand.map { uid, c -> (Int, Move) in
            let what: String =
                switch c.action {
                case "postpone": l.pick("人工顺延", "postponed by hand")
                case "cancel": l.pick("人工取消", "cancelled by hand")
                default: l.pick("人工改期", "moved by hand")
                }
            let forced = c.forced ? l.pick("，违反硬性规则强制改动", ", forced past a hard rule") : ""
            return (
                c.from.absoluteStart,
                Move(
                    session: uid, from: ReplanReport.slot(c.from), to: c.to.map(ReplanReport.slot), frozen: false,
                    reason: "\(what)（\(c.by)\(forced)）：\(c.reason)", byHand: true, by: c.by)
            )
        }
        let planned = schedule.moves.map { m -> (Int, Move) in
            let why =
                m.outsideWindow
                ? l.pick("原日期已不在规则允许的时间段内", "the published day is outside the rule's window now")
                : m.reason.map { l.pick("原时间已不可行：", "the published slot no longer works: ") + d.constraint($0) }
                    ?? l.pick("调整后总分降低超过 move_published", "moving lowers the score by more than move_published")
            return (
                m.from.absoluteStart,
                Move(
                    session: m.uid, from: ReplanReport.slot(m.from), to: m.to.map(ReplanReport.slot),
                    frozen: m.frozen,
                    reason: why)
            )
        }
        // In order of the published start, by hand or not.
        moves = (hand + planned).sorted { ($0.0, $0.1.session) < ($1.0, $1.1.session) }.map(\.1)
        pinnedConflicts = schedule.pinnedConflicts.map { c in
            let why =
                c.constraint.map(d.constraint) ?? l.pick("预案中已不再要求此活动", "the plan no longer asks for it")
            return Conflict(
                session: c.uid, date: c.slot.date.description, start: ReplanReport.time(c.slot.startMinute),
                pinned: c.pinned.map(\.rawValue), message: why)
        }
        cancelled = schedule.cancelledByHand
    }

    static func time(_ minute: Int) -> String { LocalTime(minutes: minute % 1440)!.description }
    static func slot(_ s: TimeSlot) -> String { "\(s.date) \(time(s.startMinute))" }

    /// Prints the changes; nothing when there are none.
    func printText(_ l: Language) {
        let why: [String: String] = [
            "started": l.pick("已开始", "started"), "attendance": l.pick("已有出勤", "has attendance"),
            "finalized": l.pick("已锁定", "finalized"), "summary": l.pick("已有总结", "has a summary"),
            "moved_by_hand": l.pick("已人工改期", "moved by hand"),
        ]
        for c in pinnedConflicts {
            print(
                Console.paint(
                    l.pick("✗ 固定活动与新输入冲突，保持不动：", "✗ pinned session conflicts with the new inputs and stays: ")
                        + "\(c.session) \(c.date) \(c.start)（\(c.pinned.map { why[$0] ?? $0 }.joined(separator: "、"))）："
                        + c.message, .red))
        }
        if moves.isEmpty {
            print(l.pick("已发布的活动均未改动时间。", "No published session moved."))
        } else {
            print(l.pick("改动时间的已发布活动 \(moves.count) 场（含人工改动）：", "\(moves.count) published session(s) moved (changes by hand included):"))
            for m in moves {
                let to = m.to ?? (m.byHand ? l.pick("（取消）", "(cancelled)") : l.pick("（未能重新排入）", "(could not be placed again)"))
                let line = "  \(m.session)  \(m.from) → \(to)  " + m.reason
                if m.frozen {
                    print(
                        Console.paint(
                            l.pick("  ！冻结期内的活动被迫改期：", "  ! a session inside the freeze horizon had to move: ")
                                + line
                                .trimmingCharacters(in: .whitespaces), .yellow))
                } else {
                    print(line)
                }
            }
        }
        for uid in cancelled { print(l.pick("  已取消：\(uid)", "  cancelled: \(uid)")) }
    }
}

extension Drillcal.Serve {
    /// The published year as the store holds it, read at every reload (the clock decides what has started).
    func storedReplan(_ store: (any AttendanceStore)?) -> (@Sendable (Plan) -> Replan)? {
        guard let store else { return nil }
        return { plan in
            let now = localMinutes(Stamp(seconds: Int(Date().timeIntervalSince1970)), timeZone: plan.timeZone)
            let freeze = plan.defaults.freezeDays
            switch store {
            case let sqlite as SQLiteStore: return (try? sqlite.replanNow(now: now, freezeDays: freeze)) ?? Replan()
            case let postgres as PostgresStore:
                return (try? postgres.replanNow(now: now, freezeDays: freeze)) ?? Replan()
            default: return Replan()
            }
        }
    }
}

extension Drillcal.Serve {
    /// The members' absence notices with their sessions' days, read at every reload check: a
    /// notice given on a member's page reaches the served feeds' rosters and expected turnout.
    func storedNotices(_ store: (any AttendanceStore)?) -> (@Sendable () -> NoticeDays)? {
        guard let store else { return nil }
        return {
            switch store {
            case let sqlite as SQLiteStore: return (try? sqlite.noticeDaysNow()) ?? NoticeDays()
            case let postgres as PostgresStore: return (try? postgres.noticeDaysNow()) ?? NoticeDays()
            default: return NoticeDays()
            }
        }
    }
}

extension TownOptions {
    /// The UID for a short code from `drillcal sessions` (S017), or the text as given (a UID, or
    /// something the command itself will report as unknown).
    func uidFor(_ text: String) async -> String {
        guard text.count <= 8, text.uppercased().hasPrefix("S"), let store = try? await openStore(create: false),
            let codes = try? await store.codes()
        else { return text }
        return codes.first { $0.value == text.uppercased() }?.key ?? text
    }

    func uidFor(_ text: String?) async -> String? {
        guard let text else { return nil }
        return await uidFor(text)
    }
}
