/// Who and what is already booked, indexed by day so that each check touches one day's bookings only.
/// This keeps placement close to linear in sessions × members: no all-pairs loops.
struct BookingLedger {
    struct Booking {
        var slot: TimeSlot
        var uid: String
        var village: String?
    }

    private(set) var members: [String: [Int: [Booking]]] = [:]
    /// Every booked session by day: when none of a day's overlaps a slot, no member can be busy then.
    private(set) var days: [Int: [Booking]] = [:]
    private(set) var venues: [String: [Int: [Booking]]] = [:]
    private(set) var supervisors: [String: [Int: [Booking]]] = [:]
    private(set) var supervisorWeeks: [String: [Int: Int]] = [:]
    private(set) var supervisorLoad: [String: Int] = [:]
    /// Per team: each session's day, UID and the gap its rule asks for around it.
    private(set) var teamDays: [String: [(day: CivilDate, uid: String, gap: Int)]] = [:]

    /// Monday-based week number (1970-01-01 was a Thursday).
    static func week(of day: CivilDate) -> Int { (day.dayNumber + 3).floorDiv(7) }

    func memberConflict(_ member: String, _ slot: TimeSlot) -> String? {
        members[member]?[slot.date.dayNumber]?.first { $0.slot.collides(with: slot) }?.uid
    }

    /// Whether any booked session overlaps `slot` (a necessary condition for any member conflict).
    func anyOverlap(_ slot: TimeSlot) -> Bool {
        days[slot.date.dayNumber]?.contains { $0.slot.collides(with: slot) } ?? false
    }

    func venueConflict(_ venue: String, _ slot: TimeSlot) -> String? {
        venues[venue]?[slot.date.dayNumber]?.first { $0.slot.collides(with: slot) }?.uid
    }

    func supervisorBookings(_ id: String, on day: CivilDate) -> [Booking] {
        supervisors[id]?[day.dayNumber] ?? []
    }

    func supervisorWeekCount(_ id: String, _ day: CivilDate) -> Int {
        supervisorWeeks[id]?[BookingLedger.week(of: day)] ?? 0
    }

    func load(_ supervisor: String) -> Int { supervisorLoad[supervisor] ?? 0 }

    func sessions(of team: String) -> [(day: CivilDate, uid: String, gap: Int)] { teamDays[team] ?? [] }

    /// Sessions of one supervisor in the ISO week holding `day` (UIDs).
    func supervisorWeekSessions(_ id: String, _ day: CivilDate) -> [String] {
        let monday = BookingLedger.week(of: day) * 7 - 3
        var out: [String] = []
        for d in monday..<(monday + 7) { out += (supervisors[id]?[d] ?? []).map(\.uid) }
        return out
    }

    /// Books a session; `gaps` gives, per team, the least gap its rule asks for.
    mutating func book(_ session: ScheduledSession, village: String?, gaps: [String: Int] = [:]) {
        let day = session.slot.date.dayNumber
        let booking = Booking(slot: session.slot, uid: session.uid, village: village)
        for m in session.memberIDs { members[m, default: [:]][day, default: []].append(booking) }
        days[day, default: []].append(booking)
        if let v = session.venueID { venues[v, default: [:]][day, default: []].append(booking) }
        if let s = session.supervisorID {
            supervisors[s, default: [:]][day, default: []].append(booking)
            supervisorWeeks[s, default: [:]][BookingLedger.week(of: session.slot.date), default: 0] += 1
            supervisorLoad[s, default: 0] += 1
        }
        for t in session.teamIDs {
            teamDays[t, default: []].append((session.slot.date, session.uid, gaps[t] ?? 0))
        }
    }

    /// Takes a session's bookings out again (used when the scheduler moves a session to make room).
    mutating func unbook(_ session: ScheduledSession) {
        let day = session.slot.date.dayNumber
        let uid = session.uid
        for m in session.memberIDs { members[m]?[day]?.removeAll { $0.uid == uid } }
        days[day]?.removeAll { $0.uid == uid }
        if let v = session.venueID { venues[v]?[day]?.removeAll { $0.uid == uid } }
        if let s = session.supervisorID {
            supervisors[s]?[day]?.removeAll { $0.uid == uid }
            supervisorWeeks[s]?[BookingLedger.week(of: session.slot.date)]? -= 1
            supervisorLoad[s]? -= 1
        }
        for t in session.teamIDs { teamDays[t]?.removeAll { $0.uid == uid } }
    }
}

extension Int {
    /// Division rounding toward negative infinity.
    func floorDiv(_ d: Int) -> Int { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
