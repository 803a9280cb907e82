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
}
