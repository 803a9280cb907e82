import DrillCore
import ICal

/// Conversions between DrillCore's civil dates and libical's value types.
enum CivilDateBridge {
    static func dayNumber(_ d: ICalDate) -> Int {
        CivilDate(year: d.year, month: d.month, day: d.day)?.dayNumber ?? 0
    }

    static func date(_ dayNumber: Int) -> ICalDate { CivilDate(dayNumber: dayNumber).ical }

    /// A wall-clock time `minutes` after midnight of `day` (may roll into the next day).
    static func dateTime(_ day: CivilDate, minutes: Int) -> ICalDateTime {
        let d = day.adding(days: minutes / 1440)
        let m = minutes % 1440
        return ICalDateTime(date: d.ical, hour: m / 60, minute: m % 60, second: 0)
    }
}
