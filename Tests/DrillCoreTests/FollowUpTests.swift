import Testing

@testable import DrillCore

struct FollowUpTests {
    @Test func improvementsSplitIntoItems() {
        let s = DrillSummary(purpose: "p", improvements: "1. 增设应急广播\n2、每月更新网格台账；（3）补充救生衣\n\n")
        #expect(s.improvementItems == ["增设应急广播", "每月更新网格台账", "补充救生衣"])
        #expect(DrillSummary(purpose: "p").improvementItems.isEmpty)
    }

    @Test func frequenciesInWords() {
        let zh = FrequencyText(language: .zh)
        #expect(zh.describe(.rrule("FREQ=MONTHLY;BYDAY=1SA")) == "每月第一个星期六")
        #expect(zh.describe(.rrule("FREQ=MONTHLY;BYDAY=2SA")) == "每月第二个星期六")
        #expect(zh.describe(.rrule("FREQ=WEEKLY;BYDAY=WE")) == "每周星期三")
        #expect(zh.describe(.rrule("FREQ=MONTHLY;BYDAY=-1FR")) == "每月最后一个星期五")
        #expect(zh.describe(.rrule("FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=12")) == "每年5月12日")
        #expect(zh.describe(.count(2, per: .halfYear)) == "每半年2次")
        #expect(zh.describe(.count(1, per: .year)) == "每年1次")
        #expect(zh.describe(.once(MonthDay(month: 1, day: 31)!)) == "每年1月31日前")
        #expect(!zh.describe(.rrule("FREQ=SECONDLY")).contains("FREQ"))
        let en = FrequencyText(language: .en)
        #expect(en.describe(.rrule("FREQ=MONTHLY;BYDAY=1SA")) == "every month on the first Saturday")
    }

    @Test func overdueOnlyWhileOpenAndPastDue() {
        let due = CivilDate(year: 2027, month: 6, day: 30)!
        var a = CorrectiveAction(
            id: 1, sessionUID: nil, text: "x", owner: "y", due: due, createdBy: "z", createdAt: 0)
        #expect(!a.isOverdue(on: due))
        #expect(a.isOverdue(on: due.adding(days: 1)))
        a.status = .done
        #expect(!a.isOverdue(on: due.adding(days: 1)))
    }
}
