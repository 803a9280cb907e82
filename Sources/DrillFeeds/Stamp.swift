import DrillCore
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

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (years 1970–9999), the form `--now` is given in and a region
    /// build passes to every town; nil for anything else, which callers hand to
    /// `ISO8601DateFormatter` (offsets, other forms). Making that formatter cost ~0.5 ms a town.
    public init?(utcISO text: String) {
        var text = text
        let parsed = text.withUTF8 { b -> Int? in
            guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A
            else { return nil }
            func number(_ start: Int, _ digits: Int) -> Int? {
                var n = 0
                for i in start..<(start + digits) {
                    guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                    n = n * 10 + Int(b[i] - 0x30)
                }
                return n
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                year >= 1970, hour < 24, minute < 60, second < 60,
                let date = CivilDate(year: year, month: month, day: day)
            else { return nil }
            return date.dayNumber * 86400 + hour * 3600 + minute * 60 + second
        }
        guard let parsed else { return nil }
        seconds = parsed
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

/// Local wall-clock date-times as text (`20270510T090000`). Byte by byte: every event of a build
/// goes through here two or three times (manifest start and end, the previous DTSTAMP).
enum LocalStamp {
    static func text(_ t: ICalDateTime) -> String {
        func fits(_ value: Int, below limit: Int) -> Bool { value >= 0 && value < limit }
        guard fits(t.date.year, below: 10_000), fits(t.date.month, below: 100), fits(t.date.day, below: 100),
            fits(t.hour, below: 100), fits(t.minute, below: 100), fits(t.second, below: 100)
        else { return padded(t) }
        return String(unsafeUninitializedCapacity: 15) { buffer in
            func put(_ value: Int, at start: Int, digits: Int) {
                var rest = value
                for k in stride(from: digits - 1, through: 0, by: -1) {
                    buffer[start + k] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(t.date.year, at: 0, digits: 4)
            put(t.date.month, at: 4, digits: 2)
            put(t.date.day, at: 6, digits: 2)
            buffer[8] = UInt8(ascii: "T")
            put(t.hour, at: 9, digits: 2)
            put(t.minute, at: 11, digits: 2)
            put(t.second, at: 13, digits: 2)
            return 15
        }
    }

    /// The general form, for values a field's width cannot hold (never in a valid calendar).
    private static func padded(_ t: ICalDateTime) -> String {
        func p(_ n: Int, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(t.date.year, 4))\(p(t.date.month, 2))\(p(t.date.day, 2))T\(p(t.hour, 2))\(p(t.minute, 2))\(p(t.second, 2))"
    }

    /// Reads `YYYYMMDDTHHMMSS` (with a final `Z` when `utc`): ASCII digits only, nil for anything else.
    static func split(_ text: String, utc: Bool) -> ICalDateTime? {
        var values = (year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0)
        var i = 0
        for byte in text.utf8 {
            switch i {
            case 8:
                guard byte == UInt8(ascii: "T") else { return nil }
            case 15:
                guard utc, byte == UInt8(ascii: "Z") else { return nil }
            case 16...:
                return nil
            default:
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                let digit = Int(byte - UInt8(ascii: "0"))
                switch i {
                case 0..<4: values.year = values.year * 10 + digit
                case 4..<6: values.month = values.month * 10 + digit
                case 6..<8: values.day = values.day * 10 + digit
                case 9..<11: values.hour = values.hour * 10 + digit
                case 11..<13: values.minute = values.minute * 10 + digit
                default: values.second = values.second * 10 + digit
                }
            }
            i += 1
        }
        guard i == (utc ? 16 : 15) else { return nil }
        return ICalDateTime(
            date: ICalDate(year: values.year, month: values.month, day: values.day), hour: values.hour,
            minute: values.minute, second: values.second)
    }
}
