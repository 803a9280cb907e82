import CLibical

/// Builds and serialises the VCALENDAR shell (properties and VTIMEZONEs) in one libical tree.
enum CalendarBuilder {
    /// The shell text, ending in `END:VCALENDAR\r\n`, for ``ICalWriter`` to splice events into.
    static func renderShell(_ header: ICalCalendarHeader, zoneTexts: [String]) throws(ICalError) -> String {
        guard let calendar = OwnedComponent(icalcomponent_new(ICAL_VCALENDAR_COMPONENT)) else {
            throw ICalError(.libraryError, message: "libical could not create a VCALENDAR")
        }
        let root = calendar.pointer
        icalcomponent_add_property(root, icalproperty_new_version("2.0"))
        icalcomponent_add_property(root, icalproperty_new_prodid(header.productID))
        icalcomponent_add_property(root, icalproperty_new_calscale("GREGORIAN"))
        icalcomponent_add_property(root, icalproperty_new_method(ICAL_METHOD_PUBLISH))
        addExtra(root, "X-WR-CALNAME", header.name)
        addExtra(root, "X-WR-TIMEZONE", header.timeZone)
        if let description = header.description {
            addExtra(root, "X-WR-CALDESC", description)
        }
        let refresh = icaldurationtype_from_int(Int32(clamping: header.refreshMinutes * 60))
        // libical adds VALUE=DURATION itself, as RFC 7986 requires for REFRESH-INTERVAL.
        icalcomponent_add_property(root, icalproperty_new_refreshinterval(refresh))
        addExtra(root, "X-PUBLISHED-TTL", takeLibicalString(icaldurationtype_as_ical_string_r(refresh)) ?? "")
        // libical puts each added VTIMEZONE in front of the earlier ones; add in reverse to keep order.
        for text in zoneTexts.reversed() {
            // The cached text came from libical; re-parsing it keeps this tree private to the call.
            guard let zone = icalparser_parse_string(text) else {
                throw ICalError(.libraryError, message: "libical could not re-read its own VTIMEZONE text")
            }
            icalcomponent_add_component(root, zone)
        }
        return try calendar.serializedRefolded()
    }

    private static func addExtra(_ root: OpaquePointer, _ name: String, _ value: String) {
        let property = icalproperty_new_x(value)
        icalproperty_set_x_name(property, name)
        icalcomponent_add_property(root, property)
    }
}
