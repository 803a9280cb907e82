/// A wall-clock time of day in the town's time zone, kept as minutes after midnight.
public struct LocalTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Minutes after midnight, 0..<1440.
    public let minutes: Int

    /// Makes a time from minutes after midnight.
    public init?(minutes: Int) {
        guard (0..<1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }

    /// Makes a time from hour and minute.
    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.minutes = hour * 60 + minute
    }

    /// Parses `HH:MM`.
    public init?(text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
            let h = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        self.init(hour: h, minute: m)
    }

    /// Hour of day.
    public var hour: Int { minutes / 60 }
    /// Minute of hour.
    public var minute: Int { minutes % 60 }

    public static func < (a: LocalTime, b: LocalTime) -> Bool { a.minutes < b.minutes }

    /// `HH:MM`.
    public var description: String { "\(CivilDate.pad(hour)):\(CivilDate.pad(minute))" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = LocalTime(text: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected HH:MM, found \(text)"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A stretch of wall-clock time on one day, used for collision checks.
public struct TimeSlot: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The day.
    public var date: CivilDate
    /// Start, minutes after midnight.
    public var startMinute: Int
    /// End, minutes after midnight (may pass 1440 for a session running past midnight).
    public var endMinute: Int

    /// Makes a slot.
    public init(date: CivilDate, startMinute: Int, endMinute: Int) {
        self.date = date
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Minutes since 1970-01-01 00:00 local time, for comparing slots on different days.
    public var absoluteStart: Int { date.dayNumber * 1440 + startMinute }
    /// Minutes since 1970-01-01 00:00 local time.
    public var absoluteEnd: Int { date.dayNumber * 1440 + endMinute }

    /// Whether the two slots share any minute, or are closer than `gap` minutes.
    public func collides(with other: TimeSlot, gap: Int = 0) -> Bool {
        absoluteStart < other.absoluteEnd + gap && other.absoluteStart < absoluteEnd + gap
    }

    public var description: String {
        let s = LocalTime(minutes: startMinute % 1440)!
        let e = LocalTime(minutes: endMinute % 1440)!
        return "\(date) \(s)-\(e)"
    }
}
