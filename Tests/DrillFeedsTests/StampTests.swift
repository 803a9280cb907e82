import Foundation
import ICal
import Testing

@testable import DrillFeeds

@Suite("Stamp and LocalStamp")
struct StampTests {
    @Test("wall times and UTC stamps are written with fixed widths and read back")
    func roundTrip() throws {
        let t = ICalDateTime(date: ICalDate(year: 2027, month: 5, day: 9), hour: 8, minute: 0, second: 7)
        #expect(LocalStamp.text(t) == "20270509T080007")
        #expect(LocalStamp.split("20270509T080007", utc: false) == t)
        let early = ICalDateTime(date: ICalDate(year: 987, month: 12, day: 31), hour: 23, minute: 59, second: 59)
        #expect(LocalStamp.text(early) == "09871231T235959")
        #expect(LocalStamp.split("09871231T235959", utc: false) == early)
        for seconds in [0, 1, 86_399, 86_400, 1_795_000_000, 253_402_300_799] {
            let stamp = Stamp(seconds: seconds)
            #expect(Stamp(text: stamp.text) == stamp, "\(stamp.text)")
        }
        #expect(Stamp(seconds: 1_795_000_000).text == "20261118T110640Z")
    }

    @Test("anything but YYYYMMDDTHHMMSS (and its Z when UTC) is refused")
    func refusals() {
        for text in [
            "", "20270509T08000", "20270509T0800077", "20270509 080007", "2027-509T080007", "2027050９T080007",
            "+0270509T080007", "20270509T080007Z",
        ] {
            #expect(LocalStamp.split(text, utc: false) == nil, "\(text)")
        }
        for text in ["20270509T080007", "20270509T080007z", "20270509T080007ZZ", "20270509T08000Z", "2027O509T080007Z"] {
            #expect(Stamp(text: text) == nil, "\(text)")
        }
    }

    @Test("values a field cannot hold are written whole rather than cut")
    func wideValues() {
        let far = ICalDateTime(date: ICalDate(year: 12_027, month: 5, day: 9), hour: 8, minute: 0, second: 0)
        #expect(LocalStamp.text(far) == "120270509T080000")
    }

    /// `--now`'s fast path must give what `ISO8601DateFormatter` gives, and leave every other form
    /// (offsets, impossible dates, leap seconds) to it.
    @Test("YYYY-MM-DDTHH:MM:SSZ is read as ISO8601DateFormatter reads it")
    func utcISO() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let seconds = Int.random(in: 0..<253_402_300_800, using: &generator)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(Stamp(utcISO: text)?.seconds == seconds, "\(text)")
        }
        #expect(Stamp(utcISO: "2026-11-29T00:00:00Z")?.text == "20261129T000000Z")
        #expect(Stamp(utcISO: "2028-02-29T23:59:59Z")?.text == "20280229T235959Z")
        for text in [
            "2027-02-29T00:00:00Z", "2027-13-01T00:00:00Z", "2027-01-01T24:00:00Z", "2027-01-01T00:60:00Z",
            "2027-01-01T00:00:60Z", "2027-01-01T08:00:00+08:00", "2027-01-01 00:00:00Z", "2027-01-01T00:00:00",
            "1969-12-31T23:59:59Z", "２027-01-01T00:00:00Z", "",
        ] {
            #expect(Stamp(utcISO: text) == nil, "\(text)")
        }
    }
}
