import ICal

/// A UTC instant as iCalendar writes it (`20261129T023146Z`), from seconds since 1970.
public struct Stamp: Hashable, Sendable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int

    /// Makes a stamp.
    public init(seconds: Int) { self.seconds = seconds }

    /// Parses `YYYYMMDDTHHMMSSZ`.
    public init?(text: String) {
        guard let parts = LocalStamp.split(text, utc: true) else { return nil }
        let days = CivilDateBridge.dayNumber(parts.date)
        seconds = days * 86400 + parts.hour * 3600 + parts.minute * 60 + parts.second
    }

    /// As libical's value type.
    public var ical: ICalDateTime {
        let days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400)
        let rest = seconds - days * 86400
        return ICalDateTime(
            date: CivilDateBridge.date(days), hour: rest / 3600, minute: (rest % 3600) / 60, second: rest % 60)
    }

    /// `YYYYMMDDTHHMMSSZ`.
    public var text: String { LocalStamp.text(ical) + "Z" }

    public static func < (a: Stamp, b: Stamp) -> Bool { a.seconds < b.seconds }
}

/// Local wall-clock date-times as text (`20270510T090000`).
enum LocalStamp {
    static func text(_ t: ICalDateTime) -> String {
        func p(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(t.date.year, 4))\(p(t.date.month, 2))\(p(t.date.day, 2))T\(p(t.hour, 2))\(p(t.minute, 2))\(p(t.second, 2))"
    }

    static func split(_ text: String, utc: Bool) -> ICalDateTime? {
        var s = Substring(text)
        if utc {
            guard s.last == "Z" else { return nil }
            s = s.dropLast()
        }
        let chars = Array(s)
        guard chars.count == 15, chars[8] == "T" else { return nil }
        func num(_ r: Range<Int>) -> Int? { Int(String(chars[r])) }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11),
            let mi = num(11..<13), let se = num(13..<15)
        else { return nil }
        return ICalDateTime(date: ICalDate(year: y, month: mo, day: d), hour: h, minute: mi, second: se)
    }
}
