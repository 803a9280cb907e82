import DrillCore
import Foundation
import Testing

@testable import DrillIO

#if canImport(Glibc)
    import Glibc
#endif

/// Rejects what libical would: anything not starting with FREQ=, and BYDAY=2MO with WEEKLY.
struct FakeRecurrence: RecurrenceExpander {
    func problem(with rule: String) -> String? {
        if !rule.hasPrefix("FREQ=") { return "must start with FREQ=" }
        if rule.contains("FREQ=WEEKLY"), rule.contains("BYDAY=2MO") { return "BYDAY ordinal not allowed with WEEKLY" }
        return nil
    }

    func dates(of rule: String, from start: CivilDate, through end: CivilDate) throws -> [CivilDate] { [] }
}

let fake = FakeRecurrence()

/// A fresh temporary folder tree: `<tmp>/calendars/qingshan` and `<tmp>/calendars/holidays`.
struct TempTown {
    let root: String
    var town: String { root + "/calendars/qingshan" }
    var holidaysDir: String { root + "/calendars/holidays" }

    init() throws {
        root = NSTemporaryDirectory() + "drillio-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/calendars/qingshan", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/calendars/holidays", withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + relative))
    }

    func write(_ relative: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + relative))
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// Converts UTF-8 text to GB18030 bytes with Glibc iconv, as Excel in China would save it.
func gb18030Bytes(_ text: String) -> [UInt8] {
    let cd = iconv_open("GB18030", "UTF-8")!
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
    let count = input.count
    let written = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(
                to: CChar.self)
            var inLeft = count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?
                .assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            return outBuf.count - outLeft
        }
    }
    return Array(output.prefix(written))
}

/// Runs `body`, expects an InputError, and checks that both messages carry the file and line.
func inputError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> InputError? {
    do {
        try body()
        Issue.record("expected an InputError", sourceLocation: sourceLocation)
        return nil
    } catch let error as InputError {
        let name = error.file.split(separator: "/").last.map(String.init) ?? error.file
        for language in Language.allCases {
            let text = error.message(language)
            #expect(text.contains(name), "\(text)", sourceLocation: sourceLocation)
            if let line = error.line {
                #expect(text.contains(language == .zh ? "第 \(line) 行" : ":\(line)"), "\(text)", sourceLocation: sourceLocation)
            }
            if let field = error.field {
                #expect(text.contains(field), "\(text)", sourceLocation: sourceLocation)
            }
        }
        return error
    } catch {
        Issue.record("expected an InputError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

let validPlan = """
    town:
      id: qingshan
      name: 青山镇
      name_en: Qingshan Town
      county: 某某县
      station: 青山镇应急站
      station_email: yjz@example.cn
    year: 2027
    time_zone: Asia/Shanghai

    defaults:
      min_gap_days: 5
      travel_minutes: 30
      alarms: [1440, 60]
      refresh_hours: 6
      flex_days: 3

    seasons:
      - id: flood_season
        name: 主汛期
        from: 04-01
        to: 09-30
      - id: fire
        name: 森林防火期
        from: 2027-10-01
        to: 2027-12-31

    blackouts:
      - id: double_rush
        name: 双抢
        from: 07-15
        to: 08-10
        teams: [level:village]

    travel:
      - {from: shangcun, to: longtan, minutes: 70}
      - {from: town, to: longtan, minutes: 50}

    villages:
      - id: shangcun
        name: 上村
        name_en: Shangcun
        grids: [shangcun-1, shangcun-2]
      - id: longtan
        name: 龙潭村
        grids: [longtan-1]

    venues:
      - id: town-square
        name: 青山镇文化广场
        capacity: 300
        address: 青山镇中心街1号
      - id: shangcun-hall
        name: 上村村委会
        capacity: 60
        village: shangcun
      - id: longtan-hall
        name: 龙潭村村委会
        capacity: 40
        village: longtan

    supervisors:
      - id: liu
        name: 刘建国
        max_per_day: 3
        max_per_week: 5
        away: ["2027-03-01..2027-03-07 县里培训"]
      - id: wang
        name: 王芳

    teams:
      - id: town
        name: 青山镇综合性应急救援队
        name_en: Qingshan comprehensive rescue team
        level: town
        requires:
          police: 1
          医务: 2
      - id: v-shangcun
        name: 上村应急救援队
        level: village
        village: shangcun
        minimum: 12
        requires: [core_militia, clinic]
      - id: v-longtan
        name: 龙潭村应急救援队
        level: village
        village: longtan

    rules:
      - id: flood-evacuation
        name: 防汛转移撤离实战演练
        name_en: Flood evacuation live drill
        kind: drill
        form: live
        scope: comprehensive
        teams: [level:village]
        joint: false
        every: 1 per year
        season: flood_season
        weekdays: [SA, SU]
        times: ["09:00", "14:30"]
        duration: 180
        venue: own-village
        supervisor: required
        min_gap_days: 14
        allow_holidays: false
        allow_blackouts: [double_rush]
        description: 组织群众转移撤离。
        scenario: 连续强降雨引发山洪。
      - id: monthly-training
        name: 月度集中训练
        kind: training
        teams: [town]
        rrule: FREQ=MONTHLY;BYDAY=1SA
        flex_days: 5
        window: {from: 03-01, to: 11-30}
        venue: town-square
        supervisor: liu
      - id: tabletop
        name: 桌面推演
        kind: drill
        form: tabletop
        scope: single
        teams: all
        joint: true
        every: 2 per half-year
        anchor: {date: 05-12, before: 3, after: 4}
      - id: january-report
        name: 年度工作上报
        kind: deadline
        date: 01-31
        times: ["10:00"]
    """

let validRoster = """
    id,name,phone,teams,roles,village,grid,unavailable
    m001,张伟,13800000001,town,police;militia,,,
    m002,李娜,13800000002,town；v-shangcun,医务、基干民兵,shangcun,shangcun-1,2027-01-20..2027-02-20 外出务工
    m003,王强,,v-longtan,labourer,longtan,longtan-1,2027-05-01..2027-05-03 探亲; 2027-09-01..2027-09-02 住院

    m004,赵敏,,v-shangcun,卫生所,shangcun,,
    """

let validHolidays = """
    year: 2027
    source: 国务院办公厅关于2027年部分节假日安排的通知
    provisional: true
    holidays:
      - {name: 元旦, from: 2027-01-01, to: 2027-01-03}
      - {name: 春节, from: 2027-02-05, to: 2027-02-12}
    workdays: [2027-02-14, 2027-02-20]
    """

/// A plan.yaml with `old` replaced by `new` (the replaced text must exist).
func plan(replacing old: String, with new: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    edit(validPlan, old, new, sourceLocation: sourceLocation).text
}

/// `text` with the first `old` replaced by `new`, and the line of the last line of `new` in it.
func edit(_ text: String, _ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) -> (text: String, line: Int) {
    guard let range = text.range(of: old) else {
        Issue.record("fixture text not found: \(old)", sourceLocation: sourceLocation)
        return (text, 0)
    }
    let before = text[..<range.lowerBound].filter { $0 == "\n" }.count
    var trimmedNew = Substring(new)
    while trimmedNew.hasSuffix("\n") { trimmedNew = trimmedNew.dropLast() }
    let inside = trimmedNew.filter { $0 == "\n" }.count
    return (text.replacingCharacters(in: range, with: new), before + inside + 1)
}

/// Line number (1-based) of the first line of `yaml` containing `needle`.
func lineOf(_ needle: String, in text: String) -> Int {
    let lines = text.components(separatedBy: "\n")
    return (lines.firstIndex { $0.contains(needle) } ?? -1) + 1
}

func parsedPlan() throws -> Plan {
    try PlanLoader.parse(yaml: validPlan, file: "plan.yaml", recurrence: fake)
}
