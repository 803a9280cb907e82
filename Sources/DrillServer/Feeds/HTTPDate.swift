import DrillCore

/// HTTP dates (IMF-fixdate, RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`, from and to whole
/// seconds since 1970. Hand-written so neither formatting a feed's Last-Modified nor reading a
/// request's If-Modified-Since touches a locale-dependent formatter.
enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// `seconds` as an IMF-fixdate.
    static func format(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400)
        let rest = seconds - days * 86400
        let (y, m, d) = CivilDate(dayNumber: days).parts
        let weekday = weekdays[((days % 7) + 7) % 7]
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return
            "\(weekday), \(two(d)) \(months[m - 1]) \(y) \(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60)) GMT"
    }

    /// Seconds since 1970 of an IMF-fixdate, or nil for anything else (obsolete forms are ignored,
    /// which only costs such a client a full response).
    static func parse(_ text: some StringProtocol) -> Int? {
        let b = Array(text.utf8)
        guard b.count == 29, b[3] == UInt8(ascii: ","), b[4] == 32, b[7] == 32, b[11] == 32, b[16] == 32,
            b[19] == UInt8(ascii: ":"), b[22] == UInt8(ascii: ":"), b[25] == 32,
            b[26...28].elementsEqual("GMT".utf8)
        else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard (48...57).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        let monthText = String(decoding: b[8..<11], as: UTF8.self)
        guard let day = number(5..<7), let month = months.firstIndex(of: monthText),
            let year = number(12..<16),
            let h = number(17..<19), let mi = number(20..<22), let s = number(23..<25),
            (1...31).contains(day), h < 24, mi < 60, s < 61
        else { return nil }
        guard let date = CivilDate(year: year, month: month + 1, day: day) else { return nil }
        return date.dayNumber * 86400 + h * 3600 + mi * 60 + s
    }
}
