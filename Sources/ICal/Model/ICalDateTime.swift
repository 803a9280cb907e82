/// A date with a wall-clock time, without a zone; the zone travels beside it (TZID or UTC).
public struct ICalDateTime: Hashable, Sendable {
    /// The calendar date.
    public var date: ICalDate
    /// The hour, 0 to 23.
    public var hour: Int
    /// The minute, 0 to 59.
    public var minute: Int
    /// The second, 0 to 59 (60 accepted when parsing, for leap seconds).
    public var second: Int

    /// Creates a date-time; no validation happens here, writers and parsers check ranges.
    public init(date: ICalDate, hour: Int, minute: Int, second: Int) {
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// True for a valid date and a time within 00:00:00...23:59:60.
    var isValid: Bool {
        date.isValid && (0...23).contains(hour) && (0...59).contains(minute) && (0...60).contains(second)
    }

    /// Orders by date then time, for checking that an event ends after it starts.
    func isBefore(_ other: ICalDateTime) -> Bool {
        (date.year, date.month, date.day, hour, minute, second)
            < (other.date.year, other.date.month, other.date.day, other.hour, other.minute, other.second)
    }

    /// `2027-01-02 09:00:00`, for messages.
    var isoText: String {
        func pad(_ value: Int) -> String { value < 10 && value >= 0 ? "0\(value)" : "\(value)" }
        return "\(date.isoText) \(pad(hour)):\(pad(minute)):\(pad(second))"
    }
}
