import DrillCore
import ICal

/// Turns a scheduled session into the iCalendar event subscribers see: Chinese (or English) text,
/// the town station as organiser, every expected member as attendee, reminders.
///
/// Only names go into events. Phone numbers and absence reasons are personal data (PIPL) and
/// never leave the roster; absences are shown as a count.
public struct EventBuilder: Sendable {
    /// The plan.
    public var plan: Plan
    /// The roster.
    public var roster: Roster
    /// Language of the text.
    public var language: Language
    let membersByID: [String: Member]
    // Plan lookups by id (the plan's own are linear searches that copy each candidate); the first of
    // a repeated id wins, as with the plan's.
    let teamsByID: [String: Team]
    let rulesByID: [String: Rule]
    let venuesByID: [String: Venue]
    let supervisorsByID: [String: Supervisor]
    /// Each member's ATTENDEE and the organiser, made once per town rather than once per event.
    let memberAttendees: [String: ICalAttendee]
    /// Each supervisor's ATTENDEE as a session's CHAIR, made once per town.
    let supervisorChairs: [String: ICalAttendee]
    let townOrganizer: ICalOrganizer
    /// Feed file names by team and member id (`team-<id>.ics`, `member-<id>.ics`), made once per town.
    let teamFeedNames: [String: String]
    let memberFeedNames: [String: String]

    /// Makes a builder.
    public init(plan: Plan, roster: Roster, language: Language) {
        self.plan = plan
        self.roster = roster
        self.language = language
        self.membersByID = Dictionary(roster.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.teamsByID = Dictionary(plan.teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.rulesByID = Dictionary(plan.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.venuesByID = Dictionary(plan.venues.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.supervisorsByID = Dictionary(plan.supervisors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let town = plan.town.id
        // Prepared (checked and written once, see `ICalAttendee.prepared()`): a member is on every
        // session of its teams. One that cannot be prepared is kept as it is, so that rendering the
        // first event holding it reports what is wrong with it.
        func prepared(_ attendee: ICalAttendee) -> ICalAttendee { (try? attendee.prepared()) ?? attendee }
        self.memberAttendees = membersByID.mapValues {
            prepared(ICalAttendee(name: $0.name, address: "urn:drillcal:\(town):member:\($0.id)", role: "REQ-PARTICIPANT"))
        }
        self.supervisorChairs = supervisorsByID.mapValues {
            prepared(ICalAttendee(name: $0.name, address: "urn:drillcal:\(town):supervisor:\($0.id)", role: "CHAIR"))
        }
        self.teamFeedNames = teamsByID.mapValues { "team-\($0.id).ics" }
        self.memberFeedNames = membersByID.mapValues { "member-\($0.id).ics" }
        self.townOrganizer = ICalOrganizer(
            name: plan.town.station,
            address: plan.town.stationEmail.map { "mailto:\($0)" } ?? "urn:drillcal:\(plan.town.id):station")
    }

    /// The text of the builder's language (only that one is made, see `Language.pick`).
    func pick(_ zh: @autoclosure () -> String, _ en: @autoclosure () -> String) -> String {
        language.pick(zh(), en())
    }

    /// The organiser: the town emergency station.
    public var organizer: ICalOrganizer { townOrganizer }

    /// Team names of a session, joined.
    func teamNames(_ session: ScheduledSession) -> String {
        session.teamIDs.map { teamsByID[$0]?.displayName(language) ?? $0 }
            .joined(separator: language == .zh ? "、" : ", ")
    }

    /// The event title: rule name, then the teams.
    public func summary(_ session: ScheduledSession) -> String {
        let rule = rulesByID[session.ruleID]
        let name = rule?.displayName(language) ?? session.ruleID
        if session.teamIDs.isEmpty { return name }
        return language == .zh ? "\(name)（\(teamNames(session))）" : "\(name) (\(teamNames(session)))"
    }

    /// LOCATION: venue name and address.
    public func location(_ session: ScheduledSession) -> String? {
        guard let id = session.venueID, let venue = venuesByID[id] else { return nil }
        guard let address = venue.address, !address.isEmpty else { return venue.name }
        return language == .zh ? "\(venue.name)（\(address)）" : "\(venue.name), \(address)"
    }

    /// The event for a session, with the given SEQUENCE and DTSTAMP.
    ///
    /// With `attendees` false the event names nobody: no ATTENDEE (supervisor or member) and no
    /// supervisor line in DESCRIPTION. Public feeds use that form unless the plan sets
    /// `feeds: {public_attendees: true}`; private member feeds always get the full form.
    public func event(_ session: ScheduledSession, sequence: Int, stamp: Stamp, attendees named: Bool = true)
        -> ICalEvent
    {
        let both = forms(session, sequence: sequence, stamp: stamp)
        return named ? both.named : both.anonymous
    }

    /// Both forms of a session's event at once: the named form (private feeds) and the anonymous
    /// one (``event(_:sequence:stamp:attendees:)`` with `attendees: false`), which differs only in
    /// having no ATTENDEE and no supervisor line; a build needs both for most sessions.
    func forms(_ session: ScheduledSession, sequence: Int, stamp: Stamp) -> (named: ICalEvent, anonymous: ICalEvent) {
        let (named, anonymousDescription) = namedEvent(session, sequence: sequence, stamp: stamp)
        var anonymous = named
        anonymous.attendees = []
        anonymous.description = anonymousDescription
        return (named, anonymous)
    }

    /// What a session's event shares with every session of the same rule, teams, venue and kind:
    /// a town's build makes it once for each such group instead of once per session.
    struct Shape {
        struct Key: Hashable {
            var ruleID: String
            var teamIDs: [String]
            var venueID: String?
            var kind: SessionKind
        }
        var summary: String
        var location: String?
        var categories: [String]
        /// DESCRIPTION lines after the teams and supervisor (content, scenario, organiser).
        var tail: String
        var alarms: [ICalAlarm]
        var extra: [ICalExtraProperty]
    }

    func shape(_ session: ScheduledSession) -> Shape {
        let rule = rulesByID[session.ruleID]
        var after: [String] = []
        if let rule, !rule.description.isEmpty { after.append(pick("内容：", "Content: ") + rule.description) }
        if let rule, !rule.scenario.isEmpty { after.append(pick("情景：", "Scenario: ") + rule.scenario) }
        after.append(pick("组织单位：", "Organiser: ") + plan.town.station)

        var categories = [session.kind.key == "drill" ? pick("演练", "Drill") : session.kind.label(language)]
        if case .drill(let form, let scope) = session.kind {
            categories.append(form.label(language))
            categories.append(scope.label(language))
        }
        for t in session.teamIDs { if let team = teamsByID[t] { categories.append(team.level.label(language)) } }

        let title = summary(session)
        return Shape(
            summary: title, location: location(session), categories: uniqued(categories),
            tail: after.joined(separator: "\n"),
            alarms: plan.defaults.alarmMinutes.map {
                ICalAlarm(minutesBefore: $0, description: pick("提醒：", "Reminder: ") + title)
            },
            extra: [ICalExtraProperty(name: "X-DRILLCAL-RULE", value: session.ruleID)])
    }

    /// The named form, and the DESCRIPTION of the anonymous one (without the supervisor line).
    func namedEvent(_ session: ScheduledSession, sequence: Int, stamp: Stamp)
        -> (event: ICalEvent, anonymousDescription: String)
    {
        var shapes: [Shape.Key: Shape] = [:]
        return namedEvent(session, sequence: sequence, stamp: stamp, shapes: &shapes)
    }

    /// ``namedEvent(_:sequence:stamp:)`` with the shapes made so far (and this one added).
    func namedEvent(
        _ session: ScheduledSession, sequence: Int, stamp: Stamp, shapes: inout [Shape.Key: Shape]
    ) -> (event: ICalEvent, anonymousDescription: String) {
        let key = Shape.Key(
            ruleID: session.ruleID, teamIDs: session.teamIDs, venueID: session.venueID, kind: session.kind)
        let shape: Shape
        if let known = shapes[key] {
            shape = known
        } else {
            shape = self.shape(session)
            shapes[key] = shape
        }

        var head = pick("类型：", "Type: ") + session.kind.label(language)
        for t in session.turnout {
            let team = teamsByID[t.team]?.displayName(language) ?? t.team
            let away = t.away.isEmpty ? "" : pick("，\(t.away.count) 人外出", ", \(t.away.count) away")
            head += "\n"
            head += pick(
                "参加队伍：\(team)（在册 \(t.rosterSize) 人，预计到场 \(t.expected) 人\(away)，最少 \(t.minimum) 人）",
                "Team: \(team) (\(t.rosterSize) on roster, \(t.expected) expected\(away), minimum \(t.minimum))")
        }
        let anonymousDescription = head + "\n" + shape.tail
        var description = anonymousDescription
        var attendees: [ICalAttendee] = []
        // supervisorChairs has an entry for every supervisor of supervisorsByID.
        if let s = session.supervisorID, let sup = supervisorsByID[s], let chair = supervisorChairs[s] {
            description = head + "\n" + pick("督导：", "Supervisor: ") + sup.name + "\n" + shape.tail
            attendees.append(chair)
        }
        if session.kind == .deadline {
            for sup in plan.supervisors {
                attendees.append(
                    ICalAttendee(
                        name: sup.name, address: "urn:drillcal:\(plan.town.id):supervisor:\(sup.id)",
                        role: "REQ-PARTICIPANT"))
            }
        }
        attendees.reserveCapacity(attendees.count + session.memberIDs.count)
        for id in session.memberIDs {
            if let attendee = memberAttendees[id] { attendees.append(attendee) }
        }

        let event = ICalEvent(
            uid: session.uid, sequence: sequence, stamp: stamp.ical,
            start: CivilDateBridge.dateTime(session.slot.date, minutes: session.slot.startMinute),
            end: CivilDateBridge.dateTime(session.slot.date, minutes: session.slot.endMinute),
            timeZone: plan.timeZone, summary: shape.summary, description: description,
            location: shape.location, categories: shape.categories, organizer: organizer,
            attendees: attendees, status: .confirmed, alarms: shape.alarms, extra: shape.extra)
        return (event, anonymousDescription)
    }

    /// A session that was published before and is gone now, as a cancelled event.
    public func cancelled(uid: String, entry: FeedManifest.Entry, sequence: Int, stamp: Stamp) -> ICalEvent? {
        guard let start = LocalStamp.split(entry.start, utc: false), let end = LocalStamp.split(entry.end, utc: false)
        else { return nil }
        return ICalEvent(
            uid: uid, sequence: sequence, stamp: stamp.ical, start: start, end: end, timeZone: plan.timeZone,
            summary: entry.summary, description: pick("本次活动已取消。", "This session is cancelled."),
            location: entry.location, organizer: organizer, status: .cancelled)
    }
}

/// Keeps the first of each repeated string, in order.
func uniqued(_ items: [String]) -> [String] {
    // A handful of categories per event: a linear search beats hashing (which normalises) each one.
    var result: [String] = []
    result.reserveCapacity(items.count)
    for item in items where !result.contains(item) { result.append(item) }
    return result
}
