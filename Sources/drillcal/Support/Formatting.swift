import DrillCore

extension TimeSlot {
    /// `2027-05-12 周三 09:00-12:00` / `2027-05-12 Wed 09:00-12:00`.
    func text(_ language: Language) -> String {
        let zh = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        let en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let i = date.weekday.mondayBasedIndex
        let s = LocalTime(minutes: startMinute % 1440)!
        let e = LocalTime(minutes: endMinute % 1440)!
        return "\(date) \(language == .zh ? zh[i] : en[i]) \(s)-\(e)"
    }
}
