import ChildProcess
import DrillCore
import DrillStore
import Foundation
import Testing

/// The printed sign-in sheet round trip (issue 8, item 5): generate → fill → import gives the same
/// marks as the same attendance given on the command line.
@Suite(.serialized) struct SignInSheetRoundTripTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"

    func published() throws -> URL {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        return town
    }

    func marks(_ town: URL) async throws -> [String] {
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        return try await store.marks(session: drill).map { "\($0.memberID) \($0.status.rawValue) \($0.reason ?? "")" }
    }

    @Test("generate → fill → import (with and without the session on the command line) = the same CLI marks")
    func roundTrip() async throws {
        let sheetTown = try published()
        let cliTown = try published()
        let csv = sheetTown.appendingPathComponent("签到表.csv")
        let made = try CLI.run(["sheet", sheetTown.path, drill, "--format", "csv", "--out", csv.path])
        #expect(made.status == 0, "\(made.stderr)")
        let bytes = try Data(contentsOf: csv)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with BOM for Excel")
        var lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines[0] == "活动,时间,地点,队伍,编号,姓名,出勤,原因")
        let roster = try SQLiteStore(path: sheetTown.appendingPathComponent("drillcal.sqlite").path)
        let members = Set(try await roster.roster(of: drill).map(\.memberID))
        #expect(lines.count == members.count + 1, "one row per member on the session's roster")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(drill + ",") && $0.hasSuffix(",,") }, "status and reason empty")

        // Fill it as a clerk would: the first three present, one late, one excused with a reason,
        // one absent, the rest left blank.
        let fill: [(String, String)] = [("到场", ""), ("到场", ""), ("到场", ""), ("迟到", ""), ("请假", "外出务工"), ("缺勤", "")]
        var present: [String] = [], late: [String] = [], excused: [String] = [], absent: [String] = []
        for i in 1..<lines.count where i <= fill.count {
            var cells = lines[i].components(separatedBy: ",")
            let id = cells[4]
            cells[6] = fill[i - 1].0
            cells[7] = fill[i - 1].1
            lines[i] = cells.joined(separator: ",")
            switch fill[i - 1].0 {
            case "到场": present.append(id)
            case "迟到": late.append(id)
            case "请假": excused.append("\(id):外出务工")
            default: absent.append(id)
            }
        }
        let filled = sheetTown.appendingPathComponent("filled.csv")
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array((lines.joined(separator: "\r\n") + "\r\n").utf8)).write(to: filled)
        let imported = try CLI.run(["attend", sheetTown.path, "--import", filled.path], env: CLI.afterTheYear)
        #expect(imported.status == 0, "\(imported.stderr)")

        let cli = try CLI.run(
            [
                "attend", cliTown.path, drill, "--present", present.joined(separator: ","), "--late", late.joined(separator: ","),
                "--excused", excused.joined(separator: ","), "--absent", absent.joined(separator: ","),
            ], env: CLI.afterTheYear)
        #expect(cli.status == 0, "\(cli.stderr)")
        let fromSheet = try await marks(sheetTown)
        #expect(fromSheet.count == fill.count)
        #expect(fromSheet == (try await marks(cliTown)), "the sheet records exactly what the CLI records")

        // A one-session sheet without the 活动 column imports with the session on the command line.
        let bare = sheetTown.appendingPathComponent("bare.csv")
        try CLI.write("编号,姓名,出勤,原因\r\n\(late[0]),,到场,\r\n", bare)
        #expect(try CLI.run(["attend", sheetTown.path, "--import", bare.path], env: CLI.afterTheYear).status == 2, "no session: refused")
        let one = try CLI.run(["attend", sheetTown.path, drill, "--import", bare.path], env: CLI.afterTheYear)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(try await marks(sheetTown).contains("\(late[0]) present "))
        // A row naming another session than the one given is refused with its line.
        let other = sheetTown.appendingPathComponent("other.csv")
        try CLI.write("活动,编号,姓名,出勤,原因\r\nnope@drillcal,\(late[0]),,到场,\r\n", other)
        let refused = try CLI.run(["attend", sheetTown.path, drill, "--import", other.path], env: CLI.afterTheYear)
        #expect(refused.status == 2 && refused.stderr.contains("other.csv 第 2 行"), "\(refused.stderr)")
    }

    /// Runs scripts/fill_signin_xlsx.py (Debian's python3-openpyxl, an XLSX reader and writer
    /// independent of drillcal) on `sheet`: fills the first people's status and reason.
    func fill(_ sheet: URL, into out: URL, _ fills: [String]) throws -> [String] {
        let r = try ChildProcess.run(
            "/usr/bin/python3", [CLI.root.appendingPathComponent("scripts/fill_signin_xlsx.py").path, sheet.path, out.path] + fills)
        #expect(!r.stderrText.contains("No module named 'openpyxl'"), "python3-openpyxl is missing: run scripts/setup.sh")
        #expect(r.status == 0, "\(r.stderrText)")
        return r.stdoutText.split(separator: "\n").map(String.init)
    }

    @Test("XLSX: generate → fill in with openpyxl → import unchanged = the same CLI marks")
    func xlsxRoundTrip() async throws {
        let sheetTown = try published()
        let cliTown = try published()
        let xlsx = sheetTown.appendingPathComponent("签到表.xlsx")
        let made = try CLI.run(["sheet", sheetTown.path, drill, "--format", "xlsx", "--out", xlsx.path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try Data(contentsOf: xlsx).starts(with: [0x50, 0x4B, 0x03, 0x04]), "a workbook (ZIP)")
        #expect(try CLI.run(["sheet", sheetTown.path, drill, "--format", "xlsx"]).status != 0, "xlsx needs --out")

        // Filled in as a clerk would: present, late, excused with a reason, absent; the rest blank.
        let fills = ["到场", "到场", "迟到", "请假:外出务工", "缺勤"]
        let filled = sheetTown.appendingPathComponent("filled.xlsx")
        let lines = try fill(xlsx, into: filled, fills)
        #expect(lines.first == "活动\t时间\t地点\t队伍\t编号\t姓名\t出勤\t原因", "the importer's header on row 1")
        let ids = Array(lines.dropFirst())
        #expect(ids.count == fills.count)
        let roster = try SQLiteStore(path: sheetTown.appendingPathComponent("drillcal.sqlite").path)
        let onRoster = Set(try await roster.roster(of: drill).map(\.memberID))
        #expect(Set(ids).isSubset(of: onRoster), "each row names a member of the session's roster")

        // Imported unchanged, with and without the session on the command line.
        let imported = try CLI.run(["attend", sheetTown.path, drill, "--import", filled.path], env: CLI.afterTheYear)
        #expect(imported.status == 0, "\(imported.stderr)")
        let cli = try CLI.run(
            [
                "attend", cliTown.path, drill, "--present", "\(ids[0]),\(ids[1])", "--late", ids[2],
                "--excused", "\(ids[3]):外出务工", "--absent", ids[4],
            ], env: CLI.afterTheYear)
        #expect(cli.status == 0, "\(cli.stderr)")
        let fromSheet = try await marks(sheetTown)
        #expect(fromSheet.count == fills.count)
        #expect(fromSheet == (try await marks(cliTown)), "the workbook records exactly what the CLI records")
        let again = try CLI.run(["attend", sheetTown.path, "--import", filled.path], env: CLI.afterTheYear)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try await marks(sheetTown) == fromSheet, "importing the same workbook again changes nothing")

        // A bad status names the workbook and the spreadsheet row it is on; nothing is stored.
        let wrong = sheetTown.appendingPathComponent("wrong.xlsx")
        _ = try fill(xlsx, into: wrong, ["到场", "也许"])
        let refused = try CLI.run(["attend", cliTown.path, drill, "--import", wrong.path], env: CLI.afterTheYear)
        #expect(refused.status == 2 && refused.stderr.contains("wrong.xlsx 第 3 行") && refused.stderr.contains("出勤"), "\(refused.stderr)")
        #expect(try await marks(cliTown) == fromSheet, "a refused workbook stores nothing")
        // Not a workbook, though it starts like one: refused naming the file.
        let broken = sheetTown.appendingPathComponent("broken.xlsx")
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0]).write(to: broken)
        let bad = try CLI.run(["attend", cliTown.path, drill, "--import", broken.path], env: CLI.afterTheYear)
        #expect(bad.status == 2 && bad.stderr.contains("broken.xlsx"), "\(bad.stderr)")
    }

    @Test("the HTML sheet has the session, time, place, every name and a QR code to the check-in page")
    func html() async throws {
        let town = try published()
        let plan = town.appendingPathComponent("plan.yaml")
        try CLI.write(try CLI.read(plan) + "\npublic_url: https://yj.example.cn\n", plan)
        let r = try CLI.run(["sheet", town.path, drill])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("签到表") && r.stdout.contains("防汛转移撤离综合实战演练"))
        #expect(r.stdout.contains("https://yj.example.cn/checkin/\(drill)"))
        #expect(r.stdout.contains("<svg"))
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        for entry in try await store.roster(of: drill) { #expect(r.stdout.contains(entry.name)) }
        #expect(!r.stdout.contains("13800000"), "no phone numbers on the sheet")
        #expect(try CLI.run(["sheet", town.path, "nope@drillcal"]).status == 2)
    }
}
