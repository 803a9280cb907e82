/// Checks an ``ICalEvent`` before any of it reaches libical.
enum EventCheck {
    // Arrays, not sets: every attendee of every event is checked, and comparing a few short strings
    // costs less than hashing one.
    static let roles = ["REQ-PARTICIPANT", "OPT-PARTICIPANT", "CHAIR", "NON-PARTICIPANT"]
    static let partstats = ["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE", "DELEGATED"]

    static func validate(_ event: ICalEvent) throws(ICalError) {
        try ValueCheck.verbatim(event.uid, property: "UID")
        guard event.sequence >= 0 else {
            throw ICalError(
                .invalidValue, message: "expected 0 or more, found \(event.sequence)", property: "SEQUENCE")
        }
        try dateTime(event.stamp, property: "DTSTAMP")
        try dateTime(event.start, property: "DTSTART")
        try dateTime(event.end, property: "DTEND")
        guard !event.end.isBefore(event.start) else {
            throw ICalError(
                .invalidValue,
                message:
                    "expected an end at or after the start \(event.start.isoText), found \(event.end.isoText)",
                property: "DTEND")
        }
        try ValueCheck.timeZoneID(event.timeZone)
        try ValueCheck.text(event.summary, property: "SUMMARY")
        try ValueCheck.text(event.description, property: "DESCRIPTION")
        if let location = event.location { try ValueCheck.text(location, property: "LOCATION") }
        for category in event.categories {
            try ValueCheck.verbatim(category, property: "CATEGORIES")
            // libical writes CATEGORIES without escaping commas, so a reader would split the entry.
            if category.containsByte(UInt8(ascii: ",")) || category.containsByte(UInt8(ascii: "\\")) {
                throw ICalError(
                    .invalidValue, message: "expected a category without ',' or '\\', found '\(category)'",
                    property: "CATEGORIES")
            }
        }
        if let organizer = event.organizer {
            try ValueCheck.text(organizer.name, property: "ORGANIZER")
            try ValueCheck.verbatim(organizer.address, property: "ORGANIZER")
        }
        // A prepared attendee was checked when its line was written (`ICalAttendee.prepared()`).
        for attendee in event.attendees where !attendee.isPrepared { try self.attendee(attendee) }
        for alarm in event.alarms {
            guard (0...(366 * 24 * 60)).contains(alarm.minutesBefore) else {
                throw ICalError(
                    .invalidValue,
                    message: "expected 0 to 527040 minutes before the start, found \(alarm.minutesBefore)",
                    property: "TRIGGER")
            }
            try ValueCheck.text(alarm.description, property: "DESCRIPTION")
        }
        if let url = event.url { try ValueCheck.verbatim(url, property: "URL") }
        for extra in event.extra {
            try ValueCheck.extraPropertyName(extra.name)
            try ValueCheck.noControlCharacters(extra.value, property: extra.name)
        }
    }

    /// The checks of one ATTENDEE: CN text, address, ROLE and PARTSTAT.
    static func attendee(_ attendee: ICalAttendee) throws(ICalError) {
        try ValueCheck.text(attendee.name, property: "ATTENDEE")
        try ValueCheck.verbatim(attendee.address, property: "ATTENDEE")
        guard roles.contains(attendee.role) else {
            throw ICalError(
                .invalidValue,
                message: "expected ROLE one of \(roles.sorted().joined(separator: ", ")), "
                    + "found '\(ValueCheck.printable(attendee.role))' for \(attendee.address)",
                property: "ATTENDEE")
        }
        if let partstat = attendee.partstat, !partstats.contains(partstat) {
            throw ICalError(
                .invalidValue,
                message: "expected PARTSTAT one of \(partstats.sorted().joined(separator: ", ")), "
                    + "found '\(ValueCheck.printable(partstat))' for \(attendee.address)",
                property: "ATTENDEE")
        }
    }

    private static func dateTime(_ value: ICalDateTime, property: String) throws(ICalError) {
        guard value.isValid, value.second < 60 else {
            throw ICalError(
                .invalidValue, message: "expected a real date and time, found \(value.isoText)",
                property: property)
        }
    }
}
