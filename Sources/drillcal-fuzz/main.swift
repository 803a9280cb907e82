// drillcal-fuzz: a deterministic random-mutation fuzzer for the four input parsers (plan.yaml,
// roster.csv, a sign-in sheet, summary.yaml). Run it through scripts/fuzz.sh.
//
// Why not libFuzzer: `-sanitize=fuzzer` has to be applied to every module linked in (Yams,
// CSV.swift, DrillCore, DrillIO) and needs an entry point other than SwiftPM's executable `main`,
// so it means a second, instrumented build of the package beside the normal one; on the project's
// two shared cores that is tens of minutes before the first input runs. This fuzzer is a plain
// target of the package: it mutates the example files (bit flips, deletions, duplications,
// splices, and tokens that matter to YAML and CSV: anchors, aliases, brackets, quotes, BOMs,
// control characters, numbers in scientific notation) from a seed, so a run is reproducible.
//
// Every input is written to `--last FILE` before it is parsed: when the process dies (a trap, a
// stack overflow) the script keeps that file as a regression input. An input that takes longer
// than `--slow` seconds is kept too (`--keep DIR`), as a hang would be.
import DrillCore
import DrillIO
import Foundation

/// Accepts any rule starting with FREQ=, as the plan tests' fake does (libical is not linked here).
struct AnyRecurrence: RecurrenceExpander {
    func problem(with rule: String) -> String? { rule.hasPrefix("FREQ=") ? nil : "must start with FREQ=" }
    func dates(of rule: String, from start: CivilDate, through end: CivilDate) throws -> [CivilDate] { [] }
}

/// SplitMix64: small, fast and the same on every machine.
struct Random {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
}

/// One parser under test.
enum Target: String, CaseIterable {
    case plan, roster, signin, summary
}

let tokens: [[UInt8]] =
    [
        "&a ", "*a", "*a ", "? ", ": ", "- ", "[", "]", "{", "}", ",", "\n", "\r\n", "\r", "\t", "\"", "'",
        "\\e",
        "\\0", "\\x1b", "!!binary ", "!!str ", "<<: *a", "---\n", "...\n", "#", "|\n  ", ">\n  ", "~", "null",
        "1.39707E+10", "，", "；", "、", "\u{3000}", "＝", "2027-02-30", "99999999999999999999", "-1", "..",
        "FREQ=", "rrule: ", "every: ", "teams: ", "level:", "present", "请假", "到场", "应急管理员",
    ].map { Array($0.utf8) } + [
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0x00], [0x1B], [0xC3], [0xE4, 0xB8], [0x85],
    ]

func mutate(_ input: [UInt8], _ rng: inout Random, seeds: [[UInt8]]) -> [UInt8] {
    var bytes = input
    for _ in 0...rng.below(4) {
        let at = rng.below(bytes.count + 1)
        switch rng.below(8) {
        case 0 where !bytes.isEmpty:  // flip a bit
            let i = rng.below(bytes.count)
            bytes[i] ^= UInt8(1 << rng.below(8))
        case 1 where !bytes.isEmpty:  // random byte
            bytes[rng.below(bytes.count)] = UInt8(rng.below(256))
        case 2 where !bytes.isEmpty:  // delete a range
            let n = min(bytes.count - min(at, bytes.count), 1 + rng.below(32))
            if at < bytes.count { bytes.removeSubrange(at..<(at + n)) }
        case 3 where !bytes.isEmpty:  // duplicate a range somewhere
            let from = rng.below(bytes.count)
            let n = min(bytes.count - from, 1 + rng.below(64))
            bytes.insert(contentsOf: bytes[from..<(from + n)], at: at)
        case 4, 5:  // a token
            bytes.insert(contentsOf: tokens[rng.below(tokens.count)], at: at)
        case 6:  // splice a piece of another seed
            let other = seeds[rng.below(seeds.count)]
            guard !other.isEmpty else { break }
            let from = rng.below(other.count)
            let n = min(other.count - from, 1 + rng.below(256))
            bytes.insert(contentsOf: other[from..<(from + n)], at: at)
        default:  // repeat a line (many rows, deep nesting)
            guard let nl = bytes[min(at, bytes.count)...].firstIndex(of: 0x0A) else { break }
            let start = bytes[..<nl].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            let line = Array(bytes[start...nl])
            for _ in 0..<(1 + rng.below(16)) { bytes.insert(contentsOf: line, at: nl + 1) }
        }
    }
    // Keep inputs small enough to run thousands a second.
    return bytes.count > 64 << 10 ? Array(bytes.prefix(64 << 10)) : bytes
}

/// Runs one input through `target`'s parser. Returning or throwing `InputError` is fine;
/// anything else is a finding (a crash ends the process, which the script sees).
func run(_ target: Target, _ bytes: [UInt8], plan: Plan) -> String? {
    do {
        switch target {
        case .plan:
            _ = try PlanLoader.parse(
                yaml: String(decoding: bytes, as: UTF8.self), file: "plan.yaml", recurrence: AnyRecurrence())
        case .summary:
            _ = try SummaryFile.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "summary.yaml")
        case .roster:
            let text = try TextDecoder.decode(bytes, encoding: .auto, file: "roster.csv")
            _ = try RosterLoader.parse(text: text, file: "roster.csv", plan: plan)
        case .signin:
            let text = try TextDecoder.decode(bytes, encoding: .auto, file: "sheet.csv")
            _ = try SignInSheet.parse(text: text, file: "sheet.csv")
        }
        return nil
    } catch let error as InputError {
        // A message must never carry a control character (it goes to terminals and logs).
        for language in Language.allCases {
            if let c = error.message(language).unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\n" })
            {
                return "message with U+\(String(c.value, radix: 16)): \(error.message(.en))"
            }
        }
        return nil
    } catch {
        return "unexpected error type: \(error)"
    }
}

// MARK: command line

let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String) -> String? {
    guard let i = arguments.firstIndex(of: name), arguments.index(after: i) < arguments.endIndex else {
        return nil
    }
    return arguments[arguments.index(after: i)]
}
let seconds = Double(option("--seconds") ?? "") ?? 10
let seed = UInt64(option("--seed") ?? "") ?? 1
let root = option("--root") ?? "."
let last = option("--last") ?? "/tmp/drillcal-fuzz-last"
let keep = option("--keep")
let slow = Double(option("--slow") ?? "") ?? 1
let targets = option("--target").flatMap(Target.init(rawValue:)).map { [$0] } ?? Target.allCases
let replay = option("--replay")

func file(_ path: String) -> [UInt8] {
    (FileManager.default.contents(atPath: root + "/" + path)).map { [UInt8]($0) } ?? []
}

let planSeed = file("calendars/qingshan/plan.yaml")
let rosterSeed = file("calendars/qingshan/roster.csv")
let holidaySeed = file("calendars/holidays/2027.yaml")
let summarySeed = Array(
    """
    purpose: 检验村民转移撤离的组织与时间
    时间地点: 2027-05-15 上村
    units: |
      上村应急救援队 12 人
      镇卫生院 2 人
    problems: 广播覆盖不全
    improvements: 增设手摇报警器
    """.utf8)
let signinSeed = Array(
    "活动,编号,姓名,出勤,原因\r\nqingshan-2027-flood-evacuation-v-shangcun-01@drillcal,m101,张三,到场,\r\nqingshan-2027-flood-evacuation-v-shangcun-01@drillcal,m102,李四,请假,生病\r\n,,王记者,到场,\r\n"
        .utf8)
guard !planSeed.isEmpty, !rosterSeed.isEmpty else {
    FileHandle.standardError.write(
        Data("drillcal-fuzz: run from the repository root (or pass --root)\n".utf8))
    exit(2)
}
let plan: Plan
do {
    plan = try PlanLoader.parse(
        yaml: String(decoding: planSeed, as: UTF8.self), file: "plan.yaml", recurrence: AnyRecurrence())
} catch {
    FileHandle.standardError.write(Data("drillcal-fuzz: the example plan does not load: \(error)\n".utf8))
    exit(2)
}
let seedsByTarget: [Target: [[UInt8]]] = [
    .plan: [planSeed, holidaySeed], .summary: [summarySeed, holidaySeed], .roster: [rosterSeed],
    .signin: [signinSeed],
]
let allSeeds = [planSeed, rosterSeed, holidaySeed, summarySeed, signinSeed]

if let replay {
    // One input, one parser: how the script checks a crash it kept.
    let name = (replay as NSString).lastPathComponent
    guard let target = Target.allCases.first(where: { name.hasPrefix($0.rawValue + "-") }) else { exit(2) }
    let bytes = FileManager.default.contents(atPath: replay).map { [UInt8]($0) } ?? []
    if let finding = run(target, bytes, plan: plan) { print(finding); exit(1) }
    exit(0)
}

var rng = Random(state: seed)
let clock = ContinuousClock()
let deadline = clock.now + .milliseconds(Int(seconds * 1000))
var runs = [Target: Int]()
var findings = 0
let lastURL = URL(fileURLWithPath: last)
while clock.now < deadline {
    for target in targets {
        let pool = seedsByTarget[target]!
        let input = mutate(pool[rng.below(pool.count)], &rng, seeds: allSeeds)
        try? Data(Array((target.rawValue + "\n").utf8) + input).write(to: lastURL)
        let started = clock.now
        let finding = run(target, input, plan: plan)
        let took = clock.now - started
        runs[target, default: 0] += 1
        if finding != nil || took > .milliseconds(Int(slow * 1000)) {
            findings += 1
            let why = finding ?? "slow: \(took)"
            print("finding in \(target.rawValue): \(why)")
            if let keep {
                let name = "\(target.rawValue)-seed\(seed)-\(runs[target]!).bin"
                try? Data(input).write(to: URL(fileURLWithPath: keep + "/" + name))
                print("kept \(keep)/\(name)")
            }
        }
    }
}
let summary = Target.allCases.filter { runs[$0] != nil }.map { "\($0.rawValue) \(runs[$0]!)" }.joined(
    separator: ", ")
print("drillcal-fuzz seed \(seed): \(summary) inputs in \(seconds) s; \(findings) finding(s)")
exit(findings == 0 ? 0 : 1)
