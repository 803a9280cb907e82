import CLibical

/// Builds and serialises one VEVENT tree; the whole tree lives and dies inside `render`.
enum EventBuilder {
    /// Renders an event that ``EventCheck`` accepted.
    static func render(_ event: ICalEvent) throws(ICalError) -> String {
        guard let vevent = OwnedComponent(icalcomponent_new(ICAL_VEVENT_COMPONENT)) else {
            throw ICalError(.libraryError, message: "libical could not create a VEVENT")
        }
        let root = vevent.pointer
        add(root, icalproperty_new_uid(event.uid))
        add(root, icalproperty_new_sequence(Int32(clamping: event.sequence)))
        add(root, icalproperty_new_dtstamp(LibicalTime.utc(event.stamp)))
        for property in [
            icalproperty_new_dtstart(LibicalTime.floating(event.start)),
            icalproperty_new_dtend(LibicalTime.floating(event.end)),
        ] {
            // icalproperty_new_dtstart adds no TZID: the wall time needs its zone named explicitly.
            icalproperty_add_parameter(property, icalparameter_new_tzid(event.timeZone))
            add(root, property)
        }
        add(root, icalproperty_new_summary(text(event.summary)))
        if !event.description.isEmpty {
            add(root, icalproperty_new_description(text(event.description)))
        }
        if let location = event.location {
            add(root, icalproperty_new_location(text(location)))
        }
        for category in event.categories {
            add(root, icalproperty_new_categories(category))
        }
        if let organizer = event.organizer {
            let property = icalproperty_new_organizer(organizer.address)
            if !organizer.name.isEmpty {
                icalproperty_add_parameter(property, icalparameter_new_cn(parameterText(organizer.name)))
            }
            add(root, property)
        }
        for attendee in event.attendees {
            let property = icalproperty_new_attendee(attendee.address)
            if !attendee.name.isEmpty {
                icalproperty_add_parameter(property, icalparameter_new_cn(parameterText(attendee.name)))
            }
            try addParameter(property, ICAL_ROLE_PARAMETER, attendee.role)
            if let partstat = attendee.partstat {
                try addParameter(property, ICAL_PARTSTAT_PARAMETER, partstat)
            }
            add(root, property)
        }
        add(root, icalproperty_new_status(status(event.status)))
        if let url = event.url {
            add(root, icalproperty_new_url(url))
        }
        for extra in event.extra {
            let property = icalproperty_new_x(extra.value)
            icalproperty_set_x_name(property, extra.name)
            add(root, property)
        }
        for alarm in event.alarms {
            let valarm = icalcomponent_new(ICAL_VALARM_COMPONENT)
            icalcomponent_add_component(root, valarm)  // owned by the VEVENT from here on
            add(valarm, icalproperty_new_action(ICAL_ACTION_DISPLAY))
            add(valarm, icalproperty_new_description(text(alarm.description)))
            var trigger = icaltriggertype()
            trigger.time = icaltime_null_time()
            trigger.duration = icaldurationtype_from_int(Int32(-alarm.minutesBefore * 60))
            add(valarm, icalproperty_new_trigger(trigger))
        }
        return try vevent.serializedRefolded()
    }

    /// TEXT values and CN parameters: line breaks as LF (libical escapes them as `\n`), tabs as
    /// spaces (libical would copy a tab raw into the line, and the writer emits no control characters).
    private static func text(_ value: String) -> String {
        let lines = ValueCheck.normalizedLineBreaks(value)
        return lines.containsByte(0x09) ? lines.replacingTabs() : lines
    }

    /// A CN value. libical 3.0.16 writes a line break as `^n` and a double quote as `^'` (RFC 6868)
    /// and decodes `^n`, `^'` and `^^` when reading, but leaves a `^` as it is: a name holding
    /// `^n` would read back with a line break. So `^` is written `^^` here.
    private static func parameterText(_ value: String) -> String {
        let plain = text(value)
        guard plain.containsByte(UInt8(ascii: "^")) else { return plain }
        var scalars = String.UnicodeScalarView()
        for scalar in plain.unicodeScalars {
            if scalar == "^" { scalars.append(scalar) }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    private static func add(_ component: OpaquePointer?, _ property: OpaquePointer?) {
        icalcomponent_add_property(component, property)
    }

    private static func addParameter(
        _ property: OpaquePointer?, _ kind: icalparameter_kind, _ value: String
    ) throws(ICalError) {
        guard let parameter = icalparameter_new_from_value_string(kind, value) else {
            icalproperty_free(property)
            throw ICalError(
                .invalidValue, message: "libical rejected parameter value '\(value)'", property: "ATTENDEE")
        }
        icalproperty_add_parameter(property, parameter)
    }

    private static func status(_ status: ICalEventStatus) -> icalproperty_status {
        switch status {
        case .confirmed: ICAL_STATUS_CONFIRMED
        case .tentative: ICAL_STATUS_TENTATIVE
        case .cancelled: ICAL_STATUS_CANCELLED
        }
    }
}
