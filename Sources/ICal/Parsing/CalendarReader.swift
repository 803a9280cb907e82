import CLibical

/// Walks one parsed libical tree and copies it into Swift values, checking as it goes.
///
/// Uses libical's per-component property iterators, so loops over one component never nest.
struct CalendarReader {
    let lines: SourceLines
    let source: String

    mutating func read(_ root: OpaquePointer) throws(ICalError) -> ICalParsedCalendar {
        if icalcomponent_count_errors(root) > 0 {
            throw firstLibicalError(root)
        }
        var properties: [String: String] = [:]
        for property in Self.properties(of: root) {
            guard let name = takeLibicalString(icalproperty_get_property_name_r(property)) else { continue }
            properties[name] = Self.value(of: property)
        }
        var zoneIDs: [String] = []
        for zone in Self.components(of: root, ICAL_VTIMEZONE_COMPONENT) {
            if let tzid = icalcomponent_get_first_property(zone, ICAL_TZID_PROPERTY),
                let name = borrowLibicalString(icalproperty_get_tzid(tzid))
            {
                zoneIDs.append(name)
            }
        }
        // libical stores VTIMEZONEs newest first; put them back in file order.
        let zoneLines = Dictionary(
            lines.entries.filter { $0.name == "TZID" }.map {
                ($0.content.split(separator: ":", maxSplits: 1).last.map(String.init) ?? "", $0.line)
            },
            uniquingKeysWith: { first, _ in first })
        zoneIDs = zoneIDs.enumerated()
            .sorted {
                (zoneLines[$0.element] ?? Int.max, $0.offset) < (zoneLines[$1.element] ?? Int.max, $1.offset)
            }
            .map(\.element)
        var events: [ICalParsedEvent] = []
        for (index, vevent) in Self.components(of: root, ICAL_VEVENT_COMPONENT).enumerated() {
            events.append(try readEvent(vevent, index: index, knownZones: Set(zoneIDs)))
        }
        return ICalParsedCalendar(properties: properties, timeZoneIDs: zoneIDs, events: events)
    }

    private func readEvent(_ vevent: OpaquePointer, index: Int, knownZones: Set<String>) throws(ICalError)
        -> ICalParsedEvent
    {
        guard let uidProperty = icalcomponent_get_first_property(vevent, ICAL_UID_PROPERTY),
            let uid = borrowLibicalString(icalproperty_get_uid(uidProperty)), !uid.isEmpty
        else {
            throw ICalError(
                .invalidValue, message: "expected a UID in every VEVENT, found none", property: "UID",
                line: lines.beginLine(ofEvent: index), source: source)
        }
        var event = ICalParsedEvent(uid: uid)
        for property in Self.properties(of: vevent) {
            let kind = icalproperty_isa(property)
            if let tzidParameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER),
                let tzid = borrowLibicalString(icalparameter_get_tzid(tzidParameter)),
                !knownZones.contains(tzid)
            {
                let name = takeLibicalString(icalproperty_get_property_name_r(property)) ?? "?"
                throw ICalError(
                    .unknownTimeZone,
                    message: "expected a VTIMEZONE with TZID:\(tzid) in the file, found "
                        + (knownZones.isEmpty
                            ? "no VTIMEZONE" : "only \(knownZones.sorted().joined(separator: ", "))"),
                    property: name, line: lines.line(of: name, inEvent: index, containing: tzid),
                    source: source)
            }
            try checkDateValue(property, eventIndex: index)
            switch kind {
            case ICAL_SEQUENCE_PROPERTY: event.sequence = Int(icalproperty_get_sequence(property))
            case ICAL_SUMMARY_PROPERTY: event.summary = Self.value(of: property)
            case ICAL_DESCRIPTION_PROPERTY: event.description = Self.value(of: property)
            case ICAL_LOCATION_PROPERTY: event.location = Self.value(of: property)
            case ICAL_STATUS_PROPERTY: event.status = Self.value(of: property)
            case ICAL_CATEGORIES_PROPERTY:
                if let category = Self.value(of: property) { event.categories.append(category) }
            case ICAL_DTSTART_PROPERTY:
                (event.start, event.startTimeZone) = try time(
                    property, "DTSTART", icalproperty_get_dtstart, index)
            case ICAL_DTEND_PROPERTY:
                (event.end, event.endTimeZone) = try time(property, "DTEND", icalproperty_get_dtend, index)
            case ICAL_DTSTAMP_PROPERTY:
                (event.stamp, _) = try time(property, "DTSTAMP", icalproperty_get_dtstamp, index)
            case ICAL_ATTENDEE_PROPERTY:
                event.attendees.append(
                    ICalAttendee(
                        name: Self.commonName(property),
                        address: Self.value(of: property) ?? "",
                        role: Self.parameter(property, "ROLE") ?? "REQ-PARTICIPANT",
                        partstat: Self.parameter(property, "PARTSTAT")))
            case ICAL_ORGANIZER_PROPERTY:
                event.organizer = ICalOrganizer(
                    name: Self.commonName(property), address: Self.value(of: property) ?? "")
            case ICAL_X_PROPERTY:
                if let name = borrowLibicalString(icalproperty_get_x_name(property)),
                    !name.uppercased().hasPrefix("X-LIC-")
                {
                    event.extra.append(ICalExtraProperty(name: name, value: Self.value(of: property) ?? ""))
                }
            default: break
            }
        }
        event.alarmCount = Int(icalcomponent_count_components(vevent, ICAL_VALARM_COMPONENT))
        return event
    }

    /// Any DATE or DATE-TIME value (RECURRENCE-ID, EXDATE, CREATED, ...) must be a real date:
    /// libical accepts month 13 and hour 99 silently.
    private func checkDateValue(_ property: OpaquePointer, eventIndex: Int) throws(ICalError) {
        guard let value = icalproperty_get_value(property) else { return }
        let time: icaltimetype
        switch icalvalue_isa(value) {
        case ICAL_DATETIME_VALUE: time = icalvalue_get_datetime(value)
        case ICAL_DATE_VALUE: time = icalvalue_get_date(value)
        default: return
        }
        guard !LibicalTime.dateTime(time).isValid else { return }
        let name = takeLibicalString(icalproperty_get_property_name_r(property)) ?? "?"
        let written = Self.rawValue(of: property)
        throw ICalError(
            .invalidValue,
            message: "expected a real date and time (month 1-12, day within the month, hour 0-23, ...), "
                + "found '\(written ?? "?")'",
            property: name, line: lines.line(of: name, inEvent: eventIndex, containing: written),
            source: source)
    }

    /// Reads a DATE or DATE-TIME property and checks the ranges libical does not check.
    private func time(
        _ property: OpaquePointer, _ name: String, _ get: (OpaquePointer?) -> icaltimetype, _ eventIndex: Int
    ) throws(ICalError) -> (ICalDateTime, String?) {
        let raw = get(property)
        let value = LibicalTime.dateTime(raw)
        guard value.isValid else {
            let written = Self.rawValue(of: property)
            throw ICalError(
                .invalidValue,
                message:
                    "expected a real date and time (month 1-12, hour 0-23, ...), found '\(written ?? value.isoText)'",
                property: name, line: lines.line(of: name, inEvent: eventIndex, containing: written),
                source: source)
        }
        let zone: String? =
            if let parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER) {
                borrowLibicalString(icalparameter_get_tzid(parameter))
            } else if LibicalTime.isUTC(raw) { "UTC" } else { nil }
        return (value, zone)
    }

    /// The first X-LIC-ERROR anywhere in the tree, as an error naming its property and line.
    private func firstLibicalError(_ root: OpaquePointer) -> ICalError {
        var found: (text: String, eventIndex: Int?)?
        if let text = Self.firstErrorText(in: root) {
            found = (text, nil)
        } else {
            var eventIndex = 0
            for child in Self.components(of: root, ICAL_ANY_COMPONENT) {
                let isEvent = icalcomponent_isa(child) == ICAL_VEVENT_COMPONENT
                if let text = Self.firstErrorTextDeep(in: child) {
                    found = (text, isEvent ? eventIndex : nil)
                    break
                }
                if isEvent { eventIndex += 1 }
            }
        }
        let text = found?.text ?? "libical reported an error it did not describe"
        let property = Self.propertyName(inLibicalError: text)
        // libical ends its messages with ": <offending text>".
        let token = Self.textAfterLastColon(text)
        return ICalError(
            .parseFailed, message: "libical could not read this line: \(text)", property: property,
            line: lines.line(of: property, inEvent: found?.eventIndex, containing: token), source: source)
    }

    private static func textAfterLastColon(_ text: String) -> String? {
        let characters = Array(text)
        guard characters.count >= 2 else { return nil }
        for index in stride(from: characters.count - 2, through: 0, by: -1)
        where characters[index] == ":" && characters[index + 1] == " " {
            return String(characters[(index + 2)...])
        }
        return nil
    }

    private static func firstErrorText(in component: OpaquePointer) -> String? {
        icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY)
            .flatMap { borrowLibicalString(icalproperty_get_xlicerror($0)) }
    }

    private static func firstErrorTextDeep(in component: OpaquePointer) -> String? {
        if let text = firstErrorText(in: component) { return text }
        for child in components(of: component, ICAL_ANY_COMPONENT) {
            if let text = firstErrorTextDeep(in: child) { return text }
        }
        return nil
    }

    /// `... in DTSTART property ...` or `... for property DTEND: ...` gives the property name.
    private static func propertyName(inLibicalError text: String) -> String? {
        let words = text.split(separator: " ").map { String($0).trimmingCharacters(in: ":.,") }
        for (index, word) in words.enumerated() {
            if word == "property", index > 0, isPropertyName(words[index - 1]) { return words[index - 1] }
            if word == "property", index + 1 < words.count, isPropertyName(words[index + 1]) {
                return words[index + 1]
            }
        }
        return nil
    }

    private static func isPropertyName(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { ("A"..."Z").contains($0) || $0 == "-" || ("0"..."9").contains($0) }
    }

    private static func properties(of component: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var property = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY)
        while let current = property {
            result.append(current)
            property = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)
        }
        return result
    }

    private static func components(of component: OpaquePointer, _ kind: icalcomponent_kind) -> [OpaquePointer]
    {
        var result: [OpaquePointer] = []
        var child = icalcomponent_get_first_component(component, kind)
        while let current = child {
            result.append(current)
            child = icalcomponent_get_next_component(component, kind)
        }
        return result
    }

    /// A property's value as a reader means it: TEXT and X values unescaped, others as written.
    static func value(of property: OpaquePointer) -> String? {
        guard let value = icalproperty_get_value(property) else { return nil }
        switch icalvalue_isa(value) {
        case ICAL_TEXT_VALUE: return borrowLibicalString(icalvalue_get_text(value))
        case ICAL_X_VALUE: return borrowLibicalString(icalvalue_get_x(value))
        default: return rawValue(of: property)
        }
    }

    private static func rawValue(of property: OpaquePointer) -> String? {
        takeLibicalString(icalproperty_get_value_as_string_r(property))
    }

    /// The CN parameter decoded (RFC 6868 `^'` and `^n`), or "" when absent.
    private static func commonName(_ property: OpaquePointer) -> String {
        icalproperty_get_first_parameter(property, ICAL_CN_PARAMETER)
            .flatMap { borrowLibicalString(icalparameter_get_cn($0)) } ?? ""
    }

    private static func parameter(_ property: OpaquePointer, _ name: String) -> String? {
        takeLibicalString(icalproperty_get_parameter_as_string_r(property, name))
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
