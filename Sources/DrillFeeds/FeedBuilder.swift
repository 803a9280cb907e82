import DrillCore
import ICal

/// One feed file's content.
public struct FeedFile: Hashable, Sendable {
    /// File name (`town.ics`, `team-town.ics`, `village-shangcun.ics`, `member-m001.ics`).
    public var name: String
    /// Calendar text.
    public var text: String
    /// Number of events it holds.
    public var eventCount: Int
}

/// All feeds of a town and the manifest to store beside them.
public struct FeedSet: Sendable {
    /// Feeds, by file name order.
    public var files: [FeedFile]
    /// Manifest for the next build.
    public var manifest: FeedManifest
    /// Event texts rendered (each once, whatever the number of feeds holding it).
    public var renderedEvents: Int
}

/// A feed that could not be produced.
public struct FeedError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, from libical or the self-check.
    public var message: String
    public var description: String { message }
}

/// Assembles the town's feeds: each event is rendered once through libical and its text reused in
/// every feed that holds it; each feed is a libical-built VCALENDAR shell with its VTIMEZONE.
///
/// ```swift
/// let set = try FeedBuilder(plan: plan, roster: roster, schedule: schedule, language: .zh,
///                           now: Stamp(seconds: 1_800_000_000), previous: manifest).build()
/// ```
public struct FeedBuilder: Sendable {
    /// The plan.
    public var plan: Plan
    /// The roster.
    public var roster: Roster
    /// The schedule to publish.
    public var schedule: Schedule
    /// Language of titles and text.
    public var language: Language
    /// The time of this build (DTSTAMP of new or changed events).
    public var now: Stamp
    /// What was published last time.
    public var previous: FeedManifest
    /// Whether to compose the private member feeds (`member-<id>.ics`); without them a province
    /// publishes its public feeds only and the feed server composes member feeds on request. The
    /// manifest lists every event's member feeds either way.
    public var memberFeeds = true
    /// Whether every event is also rendered through libical's serialiser and its text compared
    /// with the direct writer's (`build --verify`): any difference is an error.
    public var crossCheck = false

    /// PRODID of every feed.
    public static let productID = "-//drillcal//drillcal 1.0//ZH"

    /// Makes a builder.
    public init(
        plan: Plan, roster: Roster, schedule: Schedule, language: Language, now: Stamp, previous: FeedManifest
    ) {
        self.plan = plan
        self.roster = roster
        self.schedule = schedule
        self.language = language
        self.now = now
        self.previous = previous
    }

    /// Feed names a session belongs to.
    func feedNames(_ session: ScheduledSession, lookups events: EventBuilder) -> [String] {
        var names = ["town.ics"]
        names.reserveCapacity(1 + 2 * session.teamIDs.count + 1 + session.memberIDs.count)
        var villages: [String] = []
        for t in session.teamIDs {
            names.append(events.teamFeedNames[t] ?? "team-\(t).ics")
            if let v = events.teamsByID[t]?.village, !villages.contains(v) { villages.append(v) }
        }
        if let v = session.venueID.flatMap({ events.venuesByID[$0]?.village }), !villages.contains(v) {
            villages.append(v)
        }
        for v in villages { names.append("village-\(v).ics") }
        for m in session.memberIDs { names.append(events.memberFeedNames[m] ?? "member-\(m).ics") }
        return names
    }

    /// Whether this build composes `feed`. Without member feeds their names still go to the
    /// manifest (the server composes them from it), but no event is filed under them: gathering
    /// each member's events was a fifth of the render phase.
    func composes(_ feed: String) -> Bool { memberFeeds || !feed.hasPrefix("member-") }

    /// Builds every feed and the next manifest.
    ///
    /// Each event form is rendered through libical exactly once (with neutral SEQUENCE and DTSTAMP,
    /// whose text is hashed and then stamped with the published values), the calendar shell with
    /// its VTIMEZONE once per town, and every feed is composed by copying those texts. The parse-back
    /// of every feed through libical is ``verify(_:)``, run by `build --verify` and the tests.
    /// - Throws: `FeedError` when libical refuses a value.
    public func build() throws(FeedError) -> FeedSet {
        let events = EventBuilder(plan: plan, roster: roster, language: language)
        var manifest = FeedManifest()
        var texts: [String] = []  // by render order: the VEVENT private member feeds carry
        var publicTexts: [String?] = []  // by render order: the VEVENT public feeds carry, when it differs
        var index: [String: Int] = [:]  // uid -> render order
        var order: [(start: String, uid: String)] = []
        var members: [String: [Int]] = [:]  // feed name -> render orders
        let epoch = Stamp(seconds: 0)
        var shapes: [EventBuilder.Shape.Key: EventBuilder.Shape] = [:]  // what sessions of one rule share

        do {
            // Render each session once with neutral SEQUENCE/DTSTAMP to see whether the content
            // changed; the hash covers both forms, so one SEQUENCE serves every feed holding the UID.
            // All sessions are rendered first and hashed together: FNV-1a is one multiply per byte,
            // each waiting for the last, and `FNV1a.hexes` runs four events' chains side by side.
            var rendered: [(event: ICalEvent, anonymous: Bool, neutral: String, neutralPublic: String)] = []
            rendered.reserveCapacity(schedule.sessions.count)
            for session in schedule.sessions {
                let (named, anonymousDescription) = events.namedEvent(
                    session, sequence: 0, stamp: epoch, shapes: &shapes)
                let anonymous = anonymousForm(session)
                let (neutral, neutralPublic) =
                    try anonymous
                    ? renderForms(named, anonymousDescription: anonymousDescription) : (render(named), "")
                rendered.append((named, anonymous, neutral, neutralPublic))
            }
            let hashes = FNV1a.hexes(rendered.map { ($0.neutral, $0.neutralPublic) })
            for (k, session) in schedule.sessions.enumerated() {
                var event = rendered[k].event
                // Taken out of `rendered` (not copied), so that a restamp changes them in place.
                var neutral = ""
                var neutralPublic = ""
                swap(&neutral, &rendered[k].neutral)
                swap(&neutralPublic, &rendered[k].neutralPublic)
                let anonymous = rendered[k].anonymous
                let hash = hashes[k]
                let old = previous.events[session.uid]
                var sequence = 0
                var stamp = now
                if let old {
                    if old.contentHash == hash && old.cancelledAt == nil, let s = Stamp(text: old.stamp) {
                        sequence = old.sequence
                        stamp = s
                    } else {
                        sequence = old.sequence + 1
                    }
                }
                event.sequence = sequence
                event.stamp = stamp.ical
                let neutralForm = sequence == 0 && stamp == epoch
                index[session.uid] = texts.count
                if !neutralForm {
                    try ICalWriter.restamp(&neutral, sequence: sequence, stamp: stamp.ical)
                    if anonymous { try ICalWriter.restamp(&neutralPublic, sequence: sequence, stamp: stamp.ical) }
                }
                texts.append(neutral)
                publicTexts.append(anonymous ? neutralPublic : nil)
                let feeds = feedNames(session, lookups: events)
                for f in feeds where composes(f) { members[f, default: []].append(texts.count - 1) }
                let start = LocalStamp.text(event.start)
                order.append((start, session.uid))
                manifest.events[session.uid] = FeedManifest.Entry(
                    sequence: sequence, contentHash: hash, stamp: stamp.text, feeds: feeds, cancelledAt: nil,
                    summary: event.summary, start: start, end: LocalStamp.text(event.end), location: event.location)
            }

            // Sessions published before and gone now: STATUS:CANCELLED under the same UID, for a while.
            for (uid, old) in previous.events.sorted(by: { $0.key < $1.key }) where index[uid] == nil {
                let cancelledAt = old.cancelledAt.flatMap(Stamp.init(text:)) ?? now
                if now.seconds - cancelledAt.seconds > FeedManifest.cancelledRetentionDays * 86400 { continue }
                let firstTime = old.cancelledAt == nil
                let sequence = firstTime ? old.sequence + 1 : old.sequence
                let stamp = firstTime ? now : (Stamp(text: old.stamp) ?? now)
                guard let event = events.cancelled(uid: uid, entry: old, sequence: sequence, stamp: stamp) else {
                    continue
                }
                index[uid] = texts.count
                texts.append(try render(event))
                publicTexts.append(nil)
                for f in old.feeds where composes(f) { members[f, default: []].append(texts.count - 1) }
                order.append((old.start, uid))
                var entry = old
                entry.sequence = sequence
                entry.stamp = stamp.text
                entry.cancelledAt = cancelledAt.text
                manifest.events[uid] = entry
            }
        } catch let error as FeedError {
            throw error
        } catch {
            throw FeedError(message: "libical: \(error)")
        }

        // Every team, village and member has a feed, even an empty one, so a subscription never 404s.
        for t in plan.teams where members["team-\(t.id).ics"] == nil { members["team-\(t.id).ics"] = [] }
        for v in plan.villages where members["village-\(v.id).ics"] == nil { members["village-\(v.id).ics"] = [] }
        if memberFeeds {
            for m in roster.members where members["member-\(m.id).ics"] == nil { members["member-\(m.id).ics"] = [] }
        }
        if members["town.ics"] == nil { members["town.ics"] = [] }

        // Feed order: by start, then UID; each event's rank computed once for every feed.
        var rank = [Int](repeating: 0, count: texts.count)
        for (position, entry) in order.enumerated().sorted(by: { ($0.1.start, $0.1.uid) < ($1.1.start, $1.1.uid) })
            .enumerated()
        {
            rank[entry.offset] = position
        }
        let shell: ICalCalendarShell
        do {
            shell = try ICalCalendarShell(
                ICalCalendarHeader(
                    productID: FeedBuilder.productID, name: calendarName("town.ics"),
                    description: calendarDescription(), timeZone: plan.timeZone,
                    refreshMinutes: plan.defaults.refreshHours * 60),
                timeZones: [plan.timeZone])
        } catch {
            throw FeedError(message: "town.ics: \(error)")
        }
        var files: [FeedFile] = []
        files.reserveCapacity(members.count)
        for (name, held) in members.sorted(by: { $0.key < $1.key }) {
            let sorted = held.sorted { rank[$0] < rank[$1] }
            let isPublic = !name.hasPrefix("member-")
            let eventTexts = sorted.map { isPublic ? (publicTexts[$0] ?? texts[$0]) : texts[$0] }
            do {
                let text = try shell.render(name: calendarName(name), events: eventTexts)
                files.append(FeedFile(name: name, text: text, eventCount: sorted.count))
            } catch {
                throw FeedError(message: "\(name): \(error)")
            }
        }
        return FeedSet(files: files, manifest: manifest, renderedEvents: texts.count)
    }

    /// One event's text, held to libical's own serialiser when ``crossCheck`` is set.
    func render(_ event: ICalEvent) throws -> String {
        let text = try ICalWriter.renderEvent(event)
        if crossCheck {
            let reference = try ICalWriter.renderEventThroughLibical(event)
            guard text == reference else {
                throw FeedError(
                    message: "\(event.uid): the event text differs from libical's serialisation of the same event")
            }
        }
        return text
    }

    /// Both forms of one event (``EventBuilder/forms(_:sequence:stamp:)``), each held to libical's
    /// serialiser when ``crossCheck`` is set.
    func renderForms(_ event: ICalEvent, anonymousDescription: String) throws -> (String, String) {
        let (named, anonymous) = try ICalWriter.renderEventForms(event, anonymousDescription: anonymousDescription)
        if crossCheck {
            var anonymousEvent = event
            anonymousEvent.attendees = []
            anonymousEvent.description = anonymousDescription
            guard named == (try ICalWriter.renderEventThroughLibical(event)),
                anonymous == (try ICalWriter.renderEventThroughLibical(anonymousEvent))
            else {
                throw FeedError(
                    message: "\(event.uid): the event text differs from libical's serialisation of the same event")
            }
        }
        return (named, anonymous)
    }

    /// The self-check behind `build --verify` and the tests: libical reads every feed back with
    /// exactly the events it was built with. Not part of an ordinary build, which composes feeds
    /// from texts libical rendered itself.
    /// - Throws: `FeedError` naming the first feed libical cannot read or reads differently.
    public static func verify(_ set: FeedSet) throws(FeedError) {
        for file in set.files {
            do {
                let parsed = try ICalParser.parse(file.text, source: file.name)
                guard parsed.events.count == file.eventCount else {
                    throw FeedError(
                        message: "\(file.name): wrote \(file.eventCount) events, read back \(parsed.events.count)")
                }
            } catch let e as FeedError {
                throw e
            } catch {
                throw FeedError(message: "\(file.name): \(error)")
            }
        }
    }

    /// Whether public feeds need a second, anonymous form of the session's event: they name nobody
    /// unless the plan sets `feeds: {public_attendees: true}`, and a session with nobody to name
    /// (no supervisor, no members, not a deadline) has one form only.
    func anonymousForm(_ session: ScheduledSession) -> Bool {
        guard !plan.feeds.publicAttendees else { return false }
        return session.supervisorID != nil || !session.memberIDs.isEmpty
            || (session.kind == .deadline && !plan.supervisors.isEmpty)
    }

    /// X-WR-CALNAME of a feed, on one line: it is an X-property, which libical writes verbatim, and
    /// a member's name may hold a line break (roster cells can).
    func calendarName(_ file: String) -> String {
        let raw = rawCalendarName(file)
        // Nearly every name has no control character and no line break of any kind: kept as it is
        // (mapping its Characters was 4 % of the render phase). A name that has one is mapped below.
        // Scalars at or above U+0020 that make a Character a line break (`Character.isNewline`):
        // NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR; the others are C0 controls.
        if !raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x85 || $0.value == 0x2028 || $0.value == 0x2029 }) {
            return raw
        }
        return String(raw.map { $0.isNewline || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true ? " " : $0 })
    }

    func rawCalendarName(_ file: String) -> String {
        let town = language == .en ? (plan.town.nameEnglish ?? plan.town.name) : plan.town.name
        let base = String(file.dropLast(4))
        let l = language
        if base == "town" { return l.pick("\(town)应急培训演练日历（\(plan.year)）", "\(town) training and drills \(plan.year)") }
        if base.hasPrefix("team-"), let team = plan.team(String(base.dropFirst(5))) {
            return l.pick("\(team.name)培训演练（\(plan.year)）", "\(team.displayName(.en)) sessions \(plan.year)")
        }
        if base.hasPrefix("village-"), let v = plan.village(String(base.dropFirst(8))) {
            return l.pick("\(v.name)村应急培训演练（\(plan.year)）", "\(v.nameEnglish ?? v.name) village sessions \(plan.year)")
        }
        if base.hasPrefix("member-"), let m = roster.member(String(base.dropFirst(7))) {
            return l.pick("\(m.name)的应急培训演练日程（\(plan.year)）", "\(m.name): my sessions \(plan.year)")
        }
        return base
    }

    func calendarDescription() -> String {
        language.pick(
            "\(plan.town.station)统一安排的应急培训与演练。由 drillcal 生成。",
            "Training and drills arranged by \(plan.town.station). Generated by drillcal.")
    }
}
