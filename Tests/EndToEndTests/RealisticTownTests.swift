import ChildProcess
import DrillCore
import DrillStore
import Foundation
import Testing

/// A realistic year on a 14-village town: the example town with five more villages (~190 members,
/// ~100 sessions), attendance at about 87 %, a few drill summaries with improvements, and the
/// January report and `check` a clerk and the county actually read.
@Suite(.serialized) struct RealisticTownTests {
    static let extra = [
        ("xintang", "新塘"), ("dongling", "东岭"), ("nankeng", "南坑"), ("xizhou", "西洲"), ("beishan", "北山"),
    ]

    /// The example town grown to 14 villages.
    static func town() throws -> URL {
        let town = try CLI.scratchTown()
        let planURL = town.appendingPathComponent("plan.yaml")
        var plan = try CLI.read(planURL)
        func insert(_ text: String, before marker: String) {
            let range = plan.range(of: marker)!
            plan.insert(contentsOf: text, at: range.lowerBound)
        }
        insert(
            extra.map { "  - {id: \($0.0), name: \($0.1), grids: [\($0.0)-1, \($0.0)-2]}\n" }.joined() + "\n",
            before: "\nvenues:")
        insert(
            extra.map { "  - {id: \($0.0)-hall, name: \($0.1)村委会, village: \($0.0), capacity: 40}\n" }
                .joined(), before: "\nsupervisors:")
        insert(
            extra.map {
                "  - {id: v-\($0.0), name: \($0.1)村应急救援队, level: village, village: \($0.0), minimum: 10, requires: {group_leader: 1, core_militia: 2, clinic: 1, labourer: 3}}\n"
            }.joined(), before: "\nrules:")
        try CLI.write(plan, planURL)
        var roster = try CLI.read(town.appendingPathComponent("roster.csv"))
        if !roster.hasSuffix("\n") { roster += "\n" }
        let roles = [
            "group_leader;emergency_manager", "core_militia;emergency_manager", "core_militia", "clinic",
            "labourer", "labourer", "labourer", "labourer", "labourer",
        ]
        var n = 0
        for (v, (id, name)) in extra.enumerated() {
            for (k, role) in roles.enumerated() {
                n += 1
                let grid = "\(id)-\(k % 2 + 1)"
                roster +=
                    "n\(String(format: "%03d", n)),\(name)队员\(k + 1),1390000\(String(format: "%04d", n)),v-\(id),\(role),\(id),\(grid),\n"
                if v < 4 && k == roles.count - 1 {  // a tenth member in four of the five
                    n += 1
                    roster +=
                        "n\(String(format: "%03d", n)),\(name)队员10,1390000\(String(format: "%04d", n)),v-\(id),labourer,\(id),\(id)-1,\n"
                }
            }
        }
        try CLI.write(roster, town.appendingPathComponent("roster.csv"))
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z", "--allow-partial"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        return town
    }

    /// Records a year: each expected member present with probability ~0.9 (deterministic), summaries
    /// for the first few drills (with improvements), every session up to 12-20 held.
    static func recordYear(_ town: URL) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        var seed: UInt64 = 20_270_101
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 33) / Double(1 << 31)
        }
        let end = CivilDate(year: 2027, month: 12, day: 20)!
        var drills = 0
        for s in try await store.sessions() where !s.cancelled && s.kind != .deadline && s.slot.date <= end {
            let roster = try await store.roster(of: s.uid)
            var marks: [AttendanceMark] = []
            var seen = Set<String>()
            for e in roster where seen.insert(e.memberID).inserted {
                let status: AttendanceStatus
                if e.away {
                    status = .excused
                } else {
                    let x = next()
                    status = x < 0.80 ? .present : (x < 0.83 ? .late : (x < 0.88 ? .excused : .absent))
                }
                marks.append(
                    AttendanceMark(
                        sessionUID: s.uid, memberID: e.memberID, status: status,
                        reason: status == .excused ? "外出" : nil,
                        recordedBy: "测试", recordedAt: 1_800_000_000, source: .cli))
            }
            try await store.record(marks)
            if s.kind.key == "drill" && drills < 3 {
                drills += 1
                try await store.saveSummary(
                    DrillSummary(purpose: "检验预案", problems: "通知用时过长", improvements: "1. 增设应急广播\n2. 每月更新网格台账"),
                    for: s.uid, by: "测试", at: 1_800_000_000)
            }
        }
        return store
    }

    @Test func checkFitsOnAScreenWithRosterProblemsFirst() async throws {
        let town = try Self.town()
        _ = try await Self.recordYear(town)
        let r = try CLI.run(["check", town.path, "--as-of", "2027-12-31"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
        #expect(lines.count <= 30, "\(lines.count) lines:\n\(r.stdout)")
        // Every roster problem (龙潭 short of 10, 北山 short of 10, grids) sits in the first 10 lines.
        let json = try CLI.run(["check", town.path, "--as-of", "2027-12-31", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let findings = object["findings"] as! [[String: Any]]
        let rosterKinds: Set<String> = ["below_minimum", "missing_role", "grid_without_manager"]
        let rosterMessages = findings.filter { rosterKinds.contains($0["kind"] as! String) }.map {
            $0["message"] as! String
        }
        #expect(rosterMessages.count >= 2)
        let head = lines.prefix(10).joined(separator: "\n")
        for m in rosterMessages { #expect(head.contains(m), "\(m) not in the first 10 lines:\n\(head)") }
        // Grouped per team, and no shortfall said twice.
        #expect(!r.stdout.contains("【预测"))
        let all = try CLI.run(["check", town.path, "--as-of", "2027-12-31", "--all"])
        #expect(all.stdout.split(separator: "\n").count > lines.count)
        #expect(try CLI.run(["check", town.path, "--threshold", "1.5"]).status == 2)
        #expect(try CLI.run(["check", town.path, "--threshold", "-0.1"]).status == 2)
    }

    @Test func reportPrintsWithinTwelvePagesAndEveryFormatReadsBack() async throws {
        let town = try Self.town()
        let store = try await Self.recordYear(town)
        let sessions = try await store.sessions()
        #expect((90...130).contains(sessions.filter { !$0.cancelled && $0.kind != .deadline }.count))
        let members = try CLI.read(town.appendingPathComponent("roster.csv")).split(separator: "\n").count - 1
        #expect((180...200).contains(members))

        // Turnout is about 87 %.
        let marks = try await store.allMarks()
        let counted = marks.filter { $0.status.counts }.count
        let expected = marks.filter { $0.status != .excused }.count
        let rate = Double(counted) / Double(expected)
        #expect((0.84...0.90).contains(rate), "\(rate)")

        // The deadline is not done until recorded.
        let deadline = sessions.first { $0.kind == .deadline }!
        let html1 = town.appendingPathComponent("r1.html")
        #expect(
            try CLI.run([
                "report", town.path, "--format", "html", "--out", html1.path, "--as-of", "2027-12-31",
            ]).status == 0)
        let before = try CLI.read(html1)
        #expect(before.contains("未登记完成") && !before.contains("已完成（已登记）"))
        #expect(try CLI.run(["done", town.path, deadline.uid, "--note", "青应〔2027〕3号"]).status == 0)
        #expect(try CLI.run(["done", town.path, deadline.uid]).status == 2, "recorded once")
        #expect(try CLI.run(["done", town.path, sessions.first { $0.kind != .deadline }!.uid]).status == 2)

        // Improvements in a summary saved with the CLI become tracked actions; one is closed.
        let drill = sessions.first {
            $0.kind.key == "drill" && !$0.cancelled
                && $0.slot.date < CivilDate(year: 2027, month: 10, day: 1)!
        }!
        let yaml = town.appendingPathComponent("summary.yaml")
        try CLI.write("purpose: 检验预案\nproblems: 广播听不清\nimprovements: |\n  1. 增设应急广播\n  2. 每月更新网格台账\n", yaml)
        let saved = try CLI.run(["summary", town.path, drill.uid, "--file", yaml.path])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(
            try CLI.run(["summary", town.path, drill.uid, "--file", yaml.path]).status == 0,
            "saving twice adds nothing")
        let list = try CLI.run(["actions", town.path, "--as-of", "2027-12-31"])
        #expect(list.stdout.contains("增设应急广播") && list.stdout.contains("每月更新网格台账"), "\(list.stdout)")
        #expect(list.stdout.split(separator: "\n").count == 2)
        #expect(list.stdout.contains("逾期"), "due 30 days after the drill, open on 12-31")
        let overdue = try CLI.run(["check", town.path, "--as-of", "2027-12-31"])
        #expect(overdue.stdout.contains("整改措施 #1"))
        #expect(try CLI.run(["actions", town.path, "done", "1"]).status == 2, "a note is required")
        #expect(try CLI.run(["actions", town.path, "done", "1", "--note", "已安装4套"]).status == 0)

        let html = town.appendingPathComponent("report.html")
        #expect(
            try CLI.run([
                "report", town.path, "--format", "html", "--out", html.path, "--as-of", "2027-12-31",
                "--contact", "刘建国", "--phone", "0796-0000000",
            ]).status == 0)
        let text = try CLI.read(html)
        for heading in ["一、基本情况", "二、队伍建设", "三、培训演练开展情况", "四、存在问题", "五、整改措施", "六、下一年度工作计划"] {
            #expect(text.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        for label in ["编制单位", "联系人", "电话", "日期", "盖章处"] { #expect(text.contains(label)) }
        #expect(text.contains("已完成（已登记）"))
        #expect(
            text.contains("每月第二个星期六") && text.contains("每半年2次") && !text.contains("RRULE")
                && !text.contains("FREQ="))
        #expect(text.contains("已安装4套"))

        // No duplicate matrix headers in the CSV.
        let csv = town.appendingPathComponent("m.csv")
        #expect(
            try CLI.run(["report", town.path, "--format", "csv", "--out", csv.path, "--as-of", "2027-12-31"])
                .status == 0)
        let header = String(decoding: try Data(contentsOf: csv).dropFirst(3), as: UTF8.self).split(
            separator: "\r\n")[0]
            .split(separator: ",").map(String.init)
        #expect(Set(header).count == header.count, "duplicate headers")

        // The chart for a joint drill's teams matches an independent count from the marks.
        let joint = sessions.first { $0.teamIDs.count > 1 && !$0.cancelled }!
        let jointMarks = try await store.marks(session: joint.uid)
        for team in joint.teamIDs {
            let teamRoster = try await store.roster(of: joint.uid).filter { $0.teamID == team }.map(
                \.memberID)
            let present = jointMarks.filter { teamRoster.contains($0.memberID) && $0.status.counts }.count
            #expect(present <= teamRoster.count)
        }
        let independent = try await Self.averages(store)
        let chart = try Self.chartValues(text)
        for (team, value) in independent {
            #expect(chart[team] == value, "\(team): chart \(chart[team] ?? "nil") vs \(value)")
        }
        #expect(independent["青山镇青年志愿者应急救援队"] != nil)

        // PDF: at most 12 pages before the appendices; DOCX reads back with every heading.
        let pdf = town.appendingPathComponent("report.pdf")
        let p = try CLI.run([
            "report", town.path, "--format", "pdf", "--out", pdf.path, "--as-of", "2027-12-31", "--contact",
            "刘建国", "--phone", "0796-0000000", "--date", "2028-01-20",
        ])
        #expect(p.status == 0, "\(p.stderr)")
        let pages =
            Int(
                try Self.shell("pdfinfo '\(pdf.path)' | awk '/^Pages:/ {print $2}'").trimmingCharacters(
                    in: .whitespacesAndNewlines)) ?? 0
        var mainPages = 0
        for page in 1...max(pages, 1) {
            let t = try Self.shell("pdftotext -f \(page) -l \(page) '\(pdf.path)' -")
            if t.contains("附件1") { break }
            mainPages = page
        }
        #expect(pages > 0 && mainPages >= 2 && mainPages <= 12, "main \(mainPages) of \(pages) pages")
        let docx = town.appendingPathComponent("report.docx")
        let d = try CLI.run([
            "report", town.path, "--format", "docx", "--out", docx.path, "--as-of", "2027-12-31",
        ])
        #expect(d.status == 0, "\(d.stderr)")
        let docText = try Self.shell("pandoc -f docx -t plain '\(docx.path)'")
        for heading in ["一、基本情况", "二、队伍建设", "三、培训演练开展情况", "四、存在问题", "五、整改措施", "六、下一年度工作计划", "附件3"] {
            #expect(docText.contains(heading), "docx lacks \(heading)")
        }
        if let dir = ProcessInfo.processInfo.environment["DRILLCAL_REPORT_SAMPLE"] {
            for name in ["report.pdf", "report.html", "report.docx"] {
                try? FileManager.default.removeItem(atPath: "\(dir)/\(name)")
                try FileManager.default.copyItem(
                    atPath: town.appendingPathComponent(name).path, toPath: "\(dir)/\(name)")
            }
        }
    }

    /// Average counted members per team over held sessions, straight from the store: a joint
    /// session counts for each team with that team's own members only.
    static func averages(_ store: SQLiteStore) async throws -> [String: String] {
        var sums: [String: (Int, Int)] = [:]
        for s in try await store.sessions() where !s.cancelled && s.kind != .deadline {
            let marks = try await store.marks(session: s.uid)
            guard !marks.isEmpty else { continue }
            let byMember = Dictionary(marks.map { ($0.memberID, $0.status) }, uniquingKeysWith: { a, _ in a })
            for team in s.teamIDs {
                let members = try await store.roster(of: s.uid).filter { $0.teamID == team }
                let n = members.filter { byMember[$0.memberID]?.counts == true }.count
                let name = members.first.map { _ in team } ?? team
                sums[name, default: (0, 0)].0 += n
                sums[name, default: (0, 0)].1 += 1
            }
        }
        let names = ["town": "青山镇综合性应急救援队", "volunteers": "青山镇青年志愿者应急救援队"]
        var out: [String: String] = [:]
        for (team, (total, count)) in sums where names[team] != nil {
            let avg = (Double(total) / Double(count) * 10).rounded() / 10
            out[names[team]!] = avg == avg.rounded() ? String(Int(avg)) : String(avg)
        }
        return out
    }

    /// The value label of each bar in the report's chart: team → average counted.
    static func chartValues(_ html: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let pattern = try NSRegularExpression(
            pattern: "<rect class=\"bar\"[^>]*><title>([^<]+): ([0-9.]+)</title>")
        for m in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            out[String(html[Range(m.range(at: 1), in: html)!])] = String(
                html[Range(m.range(at: 2), in: html)!])
        }
        return out
    }

    static func shell(_ command: String) throws -> String {
        try ChildProcess.run("/bin/sh", ["-c", command], stderr: .discard).stdoutText
    }
}
