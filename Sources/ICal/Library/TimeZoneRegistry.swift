import CLibical

/// Resolves IANA zone names to VTIMEZONE text through libical's builtin zones, one lookup at a time.
///
/// `icaltimezone_get_builtin_timezone` grows a shared array without a lock for names outside
/// zone.tab (crashes seen under 4 threads), so every lookup goes through this one lock. Builtin
/// zones are never freed; the cache keeps the finished text so later lookups never touch libical.
final class TimeZoneRegistry: @unchecked Sendable {  // `cache` is only touched while holding `lock`
    /// The one registry of the process.
    static let shared = TimeZoneRegistry()

    private let lock = PthreadLock()
    private var cache: [String: String] = [:]

    /// Start of the truncated history: earlier rules of the builtin zones are partly wrong.
    private static let historyStart = "20000101T000000Z"

    /// The VTIMEZONE text for `tzid` with TZID rewritten to the plain name.
    /// - Throws: `.unsafeValue` for names that could escape the zoneinfo directory,
    ///   `.unknownTimeZone` when libical has no such zone.
    func vtimezone(_ tzid: String) throws(ICalError) -> String {
        try ValueCheck.timeZoneID(tzid)
        ICalLibrary.configure()
        return try lock.withLock { () throws(ICalError) -> String in
            if let cached = cache[tzid] { return cached }
            let text = try Self.buildVTimezone(tzid)
            cache[tzid] = text
            return text
        }
    }

    /// Builds the text; call only while holding `lock`.
    private static func buildVTimezone(_ tzid: String) throws(ICalError) -> String {
        guard let zone = icaltimezone_get_builtin_timezone(tzid),
            let builtin = icaltimezone_get_component(zone),
            let clone = OwnedComponent(icalcomponent_new_clone(builtin))
        else {
            let hint = tzid == "UTC" ? " (write Etc/UTC for UTC)" : ""
            throw ICalError(
                .unknownTimeZone,
                message: "expected an IANA time zone such as Asia/Shanghai, found '\(tzid)'\(hint)")
        }
        icaltimezone_truncate_vtimezone(
            clone.pointer, icaltime_from_string(historyStart), icaltime_null_time(), 0)
        // libical names it /freeassociation.sourceforge.net/<name>; clients expect the plain name.
        guard let tzidProperty = icalcomponent_get_first_property(clone.pointer, ICAL_TZID_PROPERTY)
        else {
            throw ICalError(.libraryError, message: "libical's VTIMEZONE for '\(tzid)' has no TZID")
        }
        icalproperty_set_tzid(tzidProperty, tzid)
        return clone.serialized()
    }
}
