import CLibical

/// Conversions between ``ICalDateTime`` and libical's `icaltimetype`.
enum LibicalTime {
    /// A floating DATE-TIME (no zone): written bare, the TZID parameter names its zone.
    static func floating(_ value: ICalDateTime) -> icaltimetype {
        var time = icaltime_null_time()
        time.year = Int32(value.date.year)
        time.month = Int32(value.date.month)
        time.day = Int32(value.date.day)
        time.hour = Int32(value.hour)
        time.minute = Int32(value.minute)
        time.second = Int32(value.second)
        time.is_date = 0
        return time
    }

    /// A UTC DATE-TIME, written with `Z`.
    static func utc(_ value: ICalDateTime) -> icaltimetype {
        var time = floating(value)
        time.zone = icaltimezone_get_utc_timezone()
        return time
    }

    /// The fields of a libical time, unvalidated (libical accepts month 13 silently).
    static func dateTime(_ time: icaltimetype) -> ICalDateTime {
        ICalDateTime(
            date: ICalDate(year: Int(time.year), month: Int(time.month), day: Int(time.day)),
            hour: Int(time.hour), minute: Int(time.minute), second: Int(time.second))
    }

    /// True when libical marked the time as UTC (written with `Z`).
    static func isUTC(_ time: icaltimetype) -> Bool {
        icaltime_is_utc(time) != 0
    }
}
