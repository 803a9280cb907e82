import DrillCore
import Foundation
import Testing

@Suite struct CivilDateTests {
    @Test func weekdaysOfKnownDays() {
        #expect(date("2027-05-12").weekday == .wednesday)
        #expect(date("2026-11-29").weekday == .sunday)
        #expect(date("1970-01-01").weekday == .thursday)
        #expect(date("2000-02-29").weekday == .tuesday)
    }

    @Test func agreesWithFoundationOverFourYears() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = date("2026-01-01")
        for _ in 0..<(366 * 4) {
            let comps = DateComponents(year: day.year, month: day.month, day: day.day)
            let ref = calendar.date(from: comps)!
            #expect(Int(ref.timeIntervalSince1970) / 86400 == day.dayNumber)
            #expect(calendar.component(.weekday, from: ref) == (day.weekday.mondayBasedIndex + 1) % 7 + 1)
            day = day.adding(days: 1)
        }
    }

    @Test func rejectsImpossibleDates() {
        #expect(CivilDate(iso: "2027-02-29") == nil)
        #expect(CivilDate(iso: "2027-13-01") == nil)
        #expect(CivilDate(iso: "2027-1-01") == nil)
        #expect(CivilDate(iso: "2028-02-29") != nil)
        #expect(MonthDay(text: "02-30") == nil)
        #expect(LocalTime(text: "24:00") == nil)
    }

    @Test func wrappingPeriodSplitsAtNewYear() {
        let fire = AnnualPeriod(from: md("10-01"), to: md("04-30"))
        let parts = fire.ranges(in: 2027)
        #expect(parts.map(\.description) == ["2027-01-01..2027-04-30", "2027-10-01..2027-12-31"])
    }
}
