import DrillCore
import Foundation
import Synchronization

/// What the check-in pages need to know about the town beyond the store: its name, its teams'
/// minimums, its time zone, and the last four digits of each member's phone for QR self check-in.
///
/// Only the last four digits are kept, never the whole number, and they are never logged or shown.
///
/// ```swift
/// let town = CheckInTown(plan: input.plan, roster: input.roster)
/// ```
public struct CheckInTown: Sendable {
    /// The town's name (青山镇) and English name.
    public var name: LocalizedText { didSet { revision = Self.nextRevision() } }
    /// Teams by id, for names and minimums (最少人数).
    public var teams: [String: Team] { didSet { revision = Self.nextRevision() } }
    /// IANA time zone of the plan (Asia/Shanghai): sessions' dates and times are local to it.
    public var timeZone: TimeZone { didSet { revision = Self.nextRevision() } }
    /// Rule names by rule id (防汛转移撤离实战演练), for session titles.
    public var ruleNames: [String: LocalizedText] { didSet { revision = Self.nextRevision() } }
    /// Venue names by venue id.
    public var venueNames: [String: String] { didSet { revision = Self.nextRevision() } }
    /// Last four digits of each member's phone, by member id (members without a phone are absent).
    var phoneTails: [String: String]
    /// Different for every town made or changed in this process: what the session-list cache keys on.
    public private(set) var revision = CheckInTown.nextRevision()

    private static let revisions = Atomic<Int>(0)
    static func nextRevision() -> Int { revisions.add(1, ordering: .relaxed).newValue }

    /// Makes a town from its parts.
    /// - Parameters:
    ///   - name: the town's name.
    ///   - teams: every team (unknown teams count with minimum 0).
    ///   - timeZone: IANA identifier; Asia/Shanghai when unknown.
    ///   - phones: each member's phone number by member id; only the last four digits are kept.
    ///   - ruleNames: rule names by id, for titles (the rule id is shown otherwise).
    ///   - venueNames: venue names by id.
    public init(
        name: LocalizedText, teams: [Team], timeZone: String = "Asia/Shanghai", phones: [String: String],
        ruleNames: [String: LocalizedText] = [:], venueNames: [String: String] = [:]
    ) {
        self.name = name
        self.ruleNames = ruleNames
        self.venueNames = venueNames
        self.teams = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
        self.phoneTails = phones.compactMapValues { phone in
            let digits = phone.filter(\.isASCII).filter(\.isNumber)
            return digits.count >= 4 ? String(digits.suffix(4)) : nil
        }
    }

    /// The town of a loaded plan and roster.
    public init(plan: Plan, roster: Roster) {
        self.init(
            name: LocalizedText(zh: plan.town.name, en: plan.town.nameEnglish ?? plan.town.name),
            teams: plan.teams, timeZone: plan.timeZone,
            phones: Dictionary(roster.members.map { ($0.id, $0.phone) }, uniquingKeysWith: { a, _ in a }),
            ruleNames: Dictionary(
                plan.rules.map { ($0.id, LocalizedText(zh: $0.name, en: $0.nameEnglish ?? $0.name)) },
                uniquingKeysWith: { a, _ in a }),
            venueNames: Dictionary(plan.venues.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The session's title: its rule's name, or the rule id.
    func title(of session: SessionRecord, _ language: Language) -> String {
        ruleNames[session.ruleID]?.text(language) ?? session.ruleID
    }

    /// A team's name in `language`, or its id.
    func teamName(_ id: String, _ language: Language) -> String {
        teams[id]?.displayName(language) ?? id
    }

    /// A team's minimum, 0 for a team the plan does not know.
    func minimum(of team: String) -> Int { teams[team]?.minimumMembers ?? 0 }

    /// Seconds since 1970 UTC of a local minute count (`TimeSlot.absoluteStart`).
    public func epochSeconds(localMinutes: Int) -> Int {
        let local = localMinutes * 60
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        return local - offset
    }

    /// The local calendar day of an instant.
    public func localDate(_ date: Date) -> CivilDate {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + timeZone.secondsFromGMT(for: date)
        return CivilDate(dayNumber: Int((Double(local) / 86_400).rounded(.down)))
    }
}
