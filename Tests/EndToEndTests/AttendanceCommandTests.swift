import ChildProcess
import DrillCore
import DrillStore
import Foundation
import Testing

@Suite(.serialized) struct AttendanceCommandTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"
    let xiaping = ["m048", "m049", "m050", "m051", "m052", "m053", "m054", "m055", "m056", "m057", "m058", "m059", "m060"]

    func published() throws -> URL {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        return town
    }

    func store(_ town: URL) throws -> SQLiteStore { try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path) }

    @Test func nineOfTenIsFlaggedByCheck() async throws {
        let town = try published()
        let present = xiaping.prefix(9).joined(separator: ",")
        let r = try CLI.run(["attend", town.path, drill, "--present", present, "--excused", "m057:生病", "--guest", "王记者", "--by", "刘建国"], env: CLI.afterTheYear)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("实到 9/10"))
        #expect(r.stdout.contains("低于最少人数"))
        let check = try CLI.run(["check", town.path, "--as-of", "2027-04-01", "--json"])
        #expect(check.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as! [String: Any]
        let findings = json["findings"] as! [[String: Any]]
        let flagged = try #require(findings.first { $0["kind"] as? String == "turnout_below_minimum" })
        #expect(flagged["session"] as? String == drill)
        #expect(flagged["have"] as? Int == 9 && flagged["need"] as? Int == 10)
        let marks = try await store(town).marks(session: drill)
        #expect(marks.count == 11)
        #expect(marks.contains { $0.guest && $0.memberID == "guest:王记者" })
        #expect(marks.allSatisfy { $0.recordedBy == "刘建国" && $0.source == .cli })
    }

    @Test func badMarksAreRefusedWithNothingWritten() async throws {
        let town = try published()
        for args in [
            ["attend", town.path, drill, "--present", "m048,m999"],
            ["attend", town.path, "nope@drillcal", "--present", "m048"],
            ["attend", town.path, drill, "--present", "m048", "--absent", "m048"],
            ["attend", town.path, drill, "--excused", "m048"],
        ] {
            let r = try CLI.run(args, env: CLI.afterTheYear)
            #expect(r.status == 2, "\(args): \(r.stdout)\(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
        #expect(try await store(town).marks(session: drill).isEmpty)
    }

    @Test func finalizeReopenAndTheAuditTrail() async throws {
        let town = try published()
        #expect(try CLI.run(["attend", town.path, drill, "--present", "m048", "--by", "甲"], env: CLI.afterTheYear).status == 0)
        #expect(try CLI.run(["attend", town.path, drill, "--finalize", "--by", "甲"], env: CLI.afterTheYear).status == 0)
        let locked = try CLI.run(["attend", town.path, drill, "--present", "m049"], env: CLI.afterTheYear)
        #expect(locked.status == 2)
        #expect(locked.stderr.contains("已锁定"))
        #expect(try CLI.run(["attend", town.path, drill, "--reopen"], env: CLI.afterTheYear).status == 2)  // needs --reason
        #expect(try CLI.run(["attend", town.path, drill, "--reopen", "--reason", "补录迟到人员", "--by", "乙"], env: CLI.afterTheYear).status == 0)
        #expect(try CLI.run(["attend", town.path, drill, "--late", "m049", "--by", "乙"], env: CLI.afterTheYear).status == 0)
        let audit = try await store(town).audit(session: drill)
        #expect(audit.map(\.action) == ["mark", "finalize", "reopen", "mark"])
        #expect(audit[2].reason == "补录迟到人员" && audit[2].by == "乙")
        #expect(audit[3].after == "late")
    }

    func sheet(_ rows: [String]) -> String { (["活动,编号,姓名,出勤,原因"] + rows).joined(separator: "\r\n") + "\r\n" }

    @Test func gb18030SheetImportsOnceAndReimportChangesNothing() async throws {
        let town = try published()
        let names = ["m048": "李冬生", "m049": "徐建军", "m050": "黄金根"]
        let text = sheet([
            "\(drill),m048,\(names["m048"]!),到场,", "\(drill),m049,\(names["m049"]!),迟到,",
            "\(drill),m050,\(names["m050"]!),请假,外出务工", "\(drill),,张记者,到场,",
        ])
        let utf8 = town.appendingPathComponent("sheet-utf8.csv")
        try CLI.write(text, utf8)
        let gb = town.appendingPathComponent("签到表.csv")
        #expect(try ChildProcess.run("/usr/bin/iconv", ["-f", "UTF-8", "-t", "GB18030", utf8.path, "-o", gb.path]).status == 0)
        let bytes = try Data(contentsOf: gb)
        #expect(String(data: bytes, encoding: .utf8) == nil)  // really not UTF-8

        let first = try CLI.run(["attend", town.path, "--import", gb.path], env: CLI.afterTheYear)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("4 行，4 条有变化"))
        let s = try store(town)
        let marks = try await s.marks(session: drill)
        #expect(marks.map(\.memberID) == ["guest:张记者", "m048", "m049", "m050"])
        #expect(marks.first { $0.memberID == "m050" }?.reason == "外出务工")
        let auditBefore = try await s.audit(session: nil)

        let again = try CLI.run(["attend", town.path, "--import", gb.path], env: CLI.afterTheYear)
        #expect(again.status == 0)
        #expect(again.stdout.contains("4 行，0 条有变化"))
        #expect(try await s.marks(session: drill) == marks)
        #expect(try await s.audit(session: nil) == auditBefore)
    }

    @Test func oneBadRowRejectsTheWholeSheet() async throws {
        let town = try published()
        let cases: [([String], String)] = [
            (["\(drill),m048,李冬生,到场,", "\(drill),m999,某某,到场,"], "第 3 行"),
            (["\(drill),m048,李冬生,到场,", "\(drill),m049,徐建军,出差,"], "第 3 行"),
            (["\(drill),m048,李冬生,到场,", "\(drill),m048,李冬生,迟到,"], "第 2 行已登记"),
            (["\(drill),m048,张三,到场,"], "李冬生"),
            (["nope@drillcal,m048,李冬生,到场,"], "已发布的活动"),
            (["\(drill),m048,李冬生,到场"], "5 列"),
        ]
        for (rows, needle) in cases {
            let file = town.appendingPathComponent("bad.csv")
            try CLI.write(sheet(rows), file)
            let r = try CLI.run(["attend", town.path, "--import", file.path], env: CLI.afterTheYear)
            #expect(r.status == 2, "\(rows)")
            #expect(r.stderr.contains("bad.csv") && r.stderr.contains(needle), "\(r.stderr)")
        }
        #expect(try await store(town).allMarks().isEmpty)
    }

    @Test func killingAnImportLeavesTheStoreAsBefore() async throws {
        let town = try published()
        #expect(try CLI.run(["attend", town.path, drill, "--present", "m048"], env: CLI.afterTheYear).status == 0)
        let s = try store(town)
        let before = (try await s.allMarks(), try await s.audit(session: nil))

        // Every member of every village team at their first training: ~110 marks, 100 ms each inside one
        // transaction (~11 s), so the kill lands inside it even when a loaded machine wakes this test late.
        let sessions = try await s.sessions().filter { $0.ruleID == "village-training" && $0.uid.hasSuffix("-01@drillcal") }
        var rows: [String] = []
        for session in sessions {
            for e in try await s.roster(of: session.uid) { rows.append("\(session.uid),\(e.memberID),\(e.name),到场,") }
        }
        #expect(rows.count > 100)
        let file = town.appendingPathComponent("big.csv")
        try CLI.write(sheet(rows), file)

        let p = try RunningProcess(
            CLI.binary.path, ["attend", town.path, "--import", file.path],
            environment: ProcessInfo.processInfo.environment.merging(["DRILLCAL_TEST_MARK_DELAY_US": "100000"].merging(CLI.afterTheYear) { $1 }) { $1 },
            stdout: .discard)
        // A blocking sleep, not Task.sleep: with two cooperative threads, tests that block on child
        // processes can delay a task's wake-up past the whole import; this thread wakes on time.
        usleep(1_500_000)  // well inside the ~11 s transaction
        #expect(p.isRunning)
        p.signal(SIGKILL)
        #expect(p.waitUntilExit() == .signalled(SIGKILL))

        let reopened = try store(town)
        #expect(try await reopened.allMarks() == before.0)
        #expect(try await reopened.audit(session: nil) == before.1)
        // The same import, not killed, goes through whole.
        let r = try CLI.run(["attend", town.path, "--import", file.path], env: CLI.afterTheYear)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await reopened.allMarks().count == before.0.count + rows.count)
    }

    @Test func summaryAndReportsInAllFourFormats() async throws {
        let town = try published()
        #expect(try CLI.run(["attend", town.path, drill, "--present", xiaping.prefix(9).joined(separator: ",")], env: CLI.afterTheYear).status == 0)
        let summary = town.appendingPathComponent("summary.yaml")
        try CLI.write("""
            purpose: 检验汛前转移撤离预案
            problems: 广播覆盖不到河边两户
            causes: 喇叭位置偏
            lessons: 需要逐户敲门确认
            improvements: 增设一处高音喇叭
            """, summary)
        #expect(try CLI.run(["summary", town.path, drill, "--file", summary.path]).status == 0)
        let bad = town.appendingPathComponent("bad.yaml")
        try CLI.write("problems: 只有问题\n", bad)
        let refused = try CLI.run(["summary", town.path, drill, "--file", bad.path])
        #expect(refused.status == 2 && refused.stderr.contains("purpose"))

        for format in ["html", "md", "csv", "xlsx"] {
            let out = town.appendingPathComponent("report.\(format)")
            let r = try CLI.run(["report", town.path, "--year", "2027", "--format", format, "--out", out.path, "--as-of", "2027-04-01"])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            let data = try Data(contentsOf: out)
            switch format {
            case "html":
                let html = String(decoding: data, as: UTF8.self)
                #expect(html.contains("青山镇2027年度应急培训演练工作总结"))
                #expect(html.contains("广播覆盖不到河边两户"))
                #expect(html.contains("<svg"))
            case "md":
                #expect(String(decoding: data, as: UTF8.self).contains("增设一处高音喇叭"))
            case "csv":
                #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
                #expect(String(decoding: data.dropFirst(3), as: UTF8.self).contains("李冬生"))
            default:
                #expect(Array(data.prefix(2)) == Array("PK".utf8))
            }
        }
        let wrongYear = try CLI.run(["report", town.path, "--year", "2026", "--format", "md", "--out", "/tmp/x.md"])
        #expect(wrongYear.status == 2)
    }
}
