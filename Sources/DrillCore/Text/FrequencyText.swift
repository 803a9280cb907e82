/// How often a rule asks for a session, in words a county reader uses: "每月第一个星期六",
/// "每半年2次", "每年1月31日前". Never the raw RRULE.
public struct FrequencyText: Sendable {
    public var language: Language

    public init(language: Language) { self.language = language }

    func pick(_ zh: String, _ en: String) -> String { language.pick(zh, en) }

    /// The frequency of `rule` in words.
    public func describe(_ frequency: Frequency) -> String {
        switch frequency {
        case .rrule(let r): return rrule(r)
        case .count(let n, let p):
            return language == .zh ? "\(p.label(.zh))\(n)次" : "\(n) \(p.label(.en))"
        case .once(let d):
            return pick("每年\(d.month)月\(d.day)日前", "by \(monthName(d.month)) \(d.day) each year")
        }
    }

    /// An RRULE in words; a part it cannot say is left out rather than shown raw.
    public func rrule(_ text: String) -> String {
        var parts: [String: String] = [:]
        for item in text.split(separator: ";") {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { parts[kv[0].uppercased()] = kv[1].uppercased() }
        }
        let interval = Int(parts["INTERVAL"] ?? "") ?? 1
        let days = (parts["BYDAY"] ?? "").split(separator: ",").compactMap { byDay(String($0)) }
        let months = (parts["BYMONTH"] ?? "").split(separator: ",").compactMap { Int($0) }.filter {
            (1...12).contains($0)
        }
        let monthDays = (parts["BYMONTHDAY"] ?? "").split(separator: ",").compactMap { Int($0) }
        let sep = pick("、", ", ")
        let monthsText = months.map { pick("\($0)月", monthName($0)) }.joined(separator: sep)
        let daysText = days.joined(separator: sep)
        let monthDayText = monthDays.map { $0 < 0 ? pick("最后一天", "last day") : pick("\($0)日", "day \($0)") }
            .joined(separator: sep)
        switch parts["FREQ"] {
        case "DAILY":
            return interval == 1 ? pick("每天", "daily") : pick("每\(interval)天", "every \(interval) days")
        case "WEEKLY":
            let every =
                interval == 1 ? pick("每周", "every week") : pick("每\(interval)周", "every \(interval) weeks")
            return every + (daysText.isEmpty ? "" : pick(daysText, " on \(daysText)"))
        case "MONTHLY":
            var every =
                interval == 1 ? pick("每月", "every month") : pick("每\(interval)个月", "every \(interval) months")
            if !monthsText.isEmpty { every = pick("每年\(monthsText)", "each \(monthsText)") }
            if !daysText.isEmpty { return every + pick(daysText, " on the \(daysText)") }
            if !monthDayText.isEmpty { return every + pick(monthDayText, ", \(monthDayText)") }
            return every + pick("1次", " once")
        case "YEARLY":
            let every =
                interval == 1 ? pick("每年", "every year") : pick("每\(interval)年", "every \(interval) years")
            var s = every + (monthsText.isEmpty ? "" : pick(monthsText, " in \(monthsText)"))
            if !daysText.isEmpty {
                s += pick(daysText, " on the \(daysText)")
            } else if !monthDayText.isEmpty {
                s += pick(monthDayText, ", \(monthDayText)")
            } else if monthsText.isEmpty {
                s += pick("1次", " once")
            }
            return s
        default:
            return pick("按计划定期开展", "regularly, as planned")
        }
    }

    /// `1SA` → 第一个星期六, `-1FR` → 最后一个星期五, `WE` → 星期三.
    func byDay(_ code: String) -> String? {
        let letters = String(code.suffix(2))
        guard let day = Weekday(rawValue: letters) else { return nil }
        let name = pick(
            ["MO": "星期一", "TU": "星期二", "WE": "星期三", "TH": "星期四", "FR": "星期五", "SA": "星期六", "SU": "星期日"][
                letters]!,
            [
                "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
                "SA": "Saturday", "SU": "Sunday",
            ][letters]!)
        _ = day
        let ordinalText = String(code.dropLast(2))
        guard !ordinalText.isEmpty, let n = Int(ordinalText) else { return name }
        let zh = ["", "第一个", "第二个", "第三个", "第四个", "第五个"]
        let en = ["", "first", "second", "third", "fourth", "fifth"]
        if n == -1 { return pick("最后一个\(name)", "last \(name)") }
        guard (1...5).contains(n) else { return name }
        return pick(zh[n] + name, "\(en[n]) \(name)")
    }

    func monthName(_ m: Int) -> String {
        [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November",
            "December",
        ][m - 1]
    }
}
