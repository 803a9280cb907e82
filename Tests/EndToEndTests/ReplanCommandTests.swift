import DrillCore
import DrillStore
import Foundation
import ICal
import Testing

/// Issue 8, items 1–3: the published year stays put; move, postpone and cancel by hand.
@Suite(.serialized) struct ReplanCommandTests {
    struct Row: Decodable {
        var code, session, rule, date, start, status: String
        var teams: [String]
        var sequence: Int
        // A session's own UID is `uid` in every command's JSON (docs/schema/session.schema.json).
        enum CodingKeys: String, CodingKey { case code, session = "uid", rule, date, start, status, teams, sequence }
    }

    static func sessions(_ town: URL, _ extra: [String] = []) throws -> [Row] {
        let r = try CLI.run(["sessions", town.path, "--json"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode([Row].self, from: Data(r.stdout.utf8))
    }

    static func sequences(_ town: URL) throws -> [String: Int] {
        let cal = try ICalParser.parse(
            try CLI.read(town.appendingPathComponent("feeds/town.ics")), source: "town.ics")
        return Dictionary(uniqueKeysWithValues: cal.events.map { ($0.uid, $0.sequence) })
    }

    /// The county report's sessions table (Markdown) as of `asOf`: one row of cells per session,
    /// the first cell `2027-03-24 09:00-12:00`.
    static func reportRows(_ town: URL, asOf: String) throws -> [[String]] {
        let out = town.appendingPathComponent("report-\(UUID().uuidString).md")
        let r = try CLI.run(["report", town.path, "--format", "md", "--out", out.path, "--as-of", asOf])
        #expect(r.status == 0, "\(r.stderr)")
        return try CLI.read(out).components(separatedBy: "\n").filter { $0.hasPrefix("| 2027-") }.map { line in
            line.dropFirst(2).dropLast(2).components(separatedBy: " | ")
        }
    }

    /// Build in December; attendance in March; a June roster edit makes a March and a July session
    /// infeasible; the rebuild keeps March (a finding), moves July alone, and raises SEQUENCE only there.
    @Test func aYearWithAMarchRecordAndAJuneRosterEdit() throws {
        let town = try CLI.scratchTown()
        // The village team's turnout is a hard rule, so members away make a day infeasible.
        let planURL = town.appendingPathComponent("plan.yaml")
        var plan = try CLI.read(planURL)
        let anchor = "    village: shangcun\n    minimum: 10\n"
        try #require(plan.components(separatedBy: anchor).count == 2)
        plan = plan.replacingOccurrences(of: anchor, with: anchor + "    turnout: hard\n")
        try CLI.write(plan, planURL)

        let december = try CLI.run(["build", town.path, "--now", "2026-12-01T08:00:00Z"])
        #expect(december.status == 0, "\(december.stdout)\(december.stderr)")
        let before = try Self.sessions(town)
        let shangcun = before.filter { $0.teams == ["v-shangcun"] }
        let march = try #require(shangcun.first { $0.date.hasPrefix("2027-03") })
        let july = try #require(shangcun.first { $0.date > "2027-06-30" })  // the first after the freeze horizon
        #expect(Set(before.map(\.code)).count == before.count)
        #expect(before.allSatisfy { $0.code.hasPrefix("S") && $0.code.count == 4 })

        // March: the drill is held and attendance recorded (by its code).
        // Recorded in June (attendance is refused for a session that has not started).
        let attend = try CLI.run(
            ["attend", town.path, march.code, "--present", "m035,m036"], env: ["DRILLCAL_NOW": "2027-06-15T12:00:00Z"])
        #expect(attend.status == 0, "\(attend.stderr)")
        let feedsBefore = try CLI.snapshot(town.appendingPathComponent("feeds"))
        let seqBefore = try Self.sequences(town)
        // The county report lists the held March drill on its day with its turnout (2 counted, in
        // bold as below the minimum).
        let reportBefore = try Self.reportRows(town, asOf: "2027-06-15")
        let marchRow = try #require(
            reportBefore.first { $0[0].hasPrefix("\(march.date) \(march.start)") && $0[6] == "**2**" },
            "the held March session in the report")
        let teamName = marchRow[3]
        let julyRow = try #require(
            reportBefore.first { $0[0].hasPrefix("\(july.date) \(july.start)") && $0[3] == teamName })

        // June: three members turn out to have been / to be away on both days (10 needed, 12 → 9).
        let rosterURL = town.appendingPathComponent("roster.csv")
        var roster = try CLI.read(rosterURL)
        for id in ["m043", "m044", "m045"] {
            let lines = roster.components(separatedBy: "\n").map { line -> String in
                guard line.hasPrefix(id + ",") else { return line }
                return line + "\(march.date)..\(march.date) 外出;\(july.date)..\(july.date) 外出"
            }
            roster = lines.joined(separator: "\n")
        }
        try CLI.write(roster, rosterURL)

        // A dry run shows the move and writes nothing.
        let dry = try CLI.run(["build", town.path, "--now", "2027-06-15T08:00:00Z", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains(july.session) && dry.stdout.contains("→"), "\(dry.stdout)")
        #expect(try CLI.snapshot(town.appendingPathComponent("feeds")) == feedsBefore)
        #expect(try Self.sessions(town).map(\.date) == before.map(\.date))

        let june = try CLI.run(["build", town.path, "--now", "2027-06-15T08:00:00Z", "--json"])
        #expect(june.status == 0, "\(june.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(june.stdout.utf8)) as? [String: Any])
        let replan = try #require(report["replan"] as? [String: Any])
        let moves = try #require(replan["moves"] as? [[String: Any]])
        #expect(moves.map { $0["session"] as? String } == [july.session])
        #expect((moves.first?["reason"] as? String)?.contains("少于所需") == true)
        let conflicts = try #require(replan["pinnedConflicts"] as? [[String: Any]])
        #expect(conflicts.map { $0["session"] as? String }.contains(march.session))
        #expect(
            (conflicts.first { $0["session"] as? String == march.session }?["pinned"] as? [String])?
                .contains("attendance") == true)

        // March stays, July moved after today, nothing else moved, codes kept.
        let after = try Self.sessions(town)
        let byUID = Dictionary(uniqueKeysWithValues: after.map { ($0.session, $0) })
        for old in before {
            let now = try #require(byUID[old.session])
            #expect(now.code == old.code)
            if old.session == july.session {
                #expect(now.date != old.date && now.date > "2027-06-15")
            } else {
                #expect(now.date == old.date && now.start == old.start, "\(old.session) moved")
            }
        }
        // SEQUENCE rises for July; only March and July, whose content changed, may rise at all.
        let seqAfter = try Self.sequences(town)
        #expect(seqAfter[july.session] == (seqBefore[july.session] ?? -9) + 1)
        for (uid, s) in seqBefore where uid != july.session && uid != march.session {
            #expect(seqAfter[uid] == s, "\(uid)")
        }
        // The report's dates stay true after the rebuild: the held March session on its real day,
        // place and turnout (its excused/absent split may follow the roster's new away days), the
        // July one only on its new day, every other row unchanged.
        let reportAfter = try Self.reportRows(town, asOf: "2027-06-15")
        let marchAfter = reportAfter.filter { $0[0].hasPrefix("\(march.date) \(march.start)") && $0[3] == teamName }
        #expect(marchAfter.count == 1)
        #expect(marchAfter.first.map { Array($0.prefix(8)) } == Array(marchRow.prefix(8)), "\(marchAfter)")
        let movedJuly = try #require(byUID[july.session])
        #expect(!reportAfter.contains { $0[0].hasPrefix("\(july.date) \(july.start)") && $0[3] == teamName })
        #expect(
            reportAfter.contains {
                $0[0].hasPrefix("\(movedJuly.date) \(movedJuly.start)") && $0[3] == teamName && $0[1] == julyRow[1]
            })
        #expect(reportAfter.count == reportBefore.count)
        #expect(Set(reportBefore).subtracting(reportAfter).contains(julyRow))
        #expect(
            Set(reportBefore).subtracting(reportAfter).isSubset(of: [julyRow, marchRow]), "only March and July rows changed")
        // A rebuild later changes nothing more.
        let again = try CLI.run(["build", town.path, "--now", "2027-06-16T08:00:00Z"])
        #expect(again.stdout.contains("已发布的活动均未改动时间"), "\(again.stdout)")
        #expect(try Self.sessions(town).map(\.date) == after.map(\.date))
    }

    @Test func postponeMoveAndCancelRoundTrip() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-01T08:00:00Z"]).status == 0)
        let before = try Self.sessions(town)
        let target = try #require(before.first { $0.teams == ["v-shangcun"] && $0.date.hasPrefix("2027-05") })

        // Postpone by code: three proposals with points, the first taken.
        let p = try CLI.run([
            "postpone", town.path, target.code, "--reason", "暴雨红色预警", "--now", "2027-05-01T00:00:00Z", "--by",
            "张站长",
        ])
        #expect(p.status == 0, "\(p.stderr)")
        #expect(p.stdout.contains("1. ") && p.stdout.contains("分值"), "\(p.stdout)")
        let postponed = try #require(try Self.sessions(town).first { $0.session == target.session })
        #expect(postponed.date > "2027-05-01" && postponed.date != target.date)
        #expect(postponed.sequence == target.sequence + 1)
        #expect(try Self.sequences(town)[target.session] == target.sequence + 1)

        // A later build keeps the hand-made change.
        #expect(try CLI.run(["build", town.path, "--now", "2027-05-02T00:00:00Z"]).status == 0)
        #expect(try Self.sessions(town).first { $0.session == target.session }?.date == postponed.date)

        // Moving onto National Day breaks a hard rule: refused with the reason, then forced.
        let refused = try CLI.run([
            "move", town.path, target.code, "--to", "2027-10-01", "--now", "2027-05-02T00:00:00Z",
        ])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("法定节假日") || refused.stderr.contains("时间段"), "\(refused.stderr)")
        #expect(try Self.sessions(town).first { $0.session == target.session }?.date == postponed.date)
        let forced = try CLI.run([
            "move", town.path, target.code, "--to", "2027-10-01", "--time", "09:00", "--force", "--reason",
            "县里统一安排",
            "--now", "2027-05-02T00:00:00Z",
        ])
        #expect(forced.status == 0, "\(forced.stderr)")
        let moved = try #require(try Self.sessions(town).first { $0.session == target.session })
        #expect(moved.date == "2027-10-01" && moved.start == "09:00")

        // Cancel: STATUS:CANCELLED in the feeds, the store says cancelled, check plans one fewer.
        let planned = try Self.planned(town, rule: target.rule, team: "v-shangcun")
        let c = try CLI.run([
            "cancel", town.path, target.code, "--reason", "上级通知取消", "--now", "2027-05-03T00:00:00Z",
        ])
        #expect(c.status == 0, "\(c.stderr)")
        let cal = try ICalParser.parse(
            try CLI.read(town.appendingPathComponent("feeds/team-v-shangcun.ics")), source: "team")
        #expect(cal.events.first { $0.uid == target.session }?.status == "CANCELLED")
        #expect(try Self.sessions(town, ["--status", "cancelled"]).map(\.session) == [target.session])
        #expect(try Self.planned(town, rule: target.rule, team: "v-shangcun") == planned - 1)
        // Still cancelled after another build.
        #expect(try CLI.run(["build", town.path, "--now", "2027-05-04T00:00:00Z"]).status == 0)
        #expect(try Self.sessions(town, ["--status", "cancelled"]).map(\.session) == [target.session])
    }

    /// A change by hand is among the moved sessions (old → new, who, why) of the build that
    /// publishes it, in text and in `build --json` (docs/schema/build.schema.json); later builds no
    /// longer list it.
    @Test func changesByHandAreListedByTheBuildThatPublishesThem() async throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-01T08:00:00Z"]).status == 0)
        let before = try Self.sessions(town)
        let shangcun = before.filter { $0.teams == ["v-shangcun"] }
        let target = try #require(shangcun.first { $0.date.hasPrefix("2027-05") })
        let other = try #require(shangcun.first { $0.date > "2027-08-01" })

        // postpone: its own build lists the move by hand.
        let p = try CLI.run([
            "postpone", town.path, target.code, "--reason", "暴雨红色预警", "--now", "2027-05-01T00:00:00Z", "--by", "张站长",
        ])
        #expect(p.status == 0, "\(p.stderr)")
        let postponed = try #require(try Self.sessions(town).first { $0.session == target.session })
        let line = try #require(p.stdout.components(separatedBy: "\n").first { $0.contains(target.session) && $0.contains("→") })
        #expect(line.contains("\(target.date) \(target.start) → \(postponed.date) \(postponed.start)"), "\(line)")
        #expect(line.contains("人工顺延") && line.contains("张站长") && line.contains("暴雨红色预警"), "\(line)")
        // Published now: the next build lists nothing.
        let next = try CLI.run(["build", town.path, "--now", "2027-05-02T00:00:00Z"])
        #expect(next.stdout.contains("已发布的活动均未改动时间"), "\(next.stdout)")

        // A change stored but not yet published (as when the command's own build could not run):
        // the next build's JSON lists it, byHand, and follows the schema.
        let store = try SQLiteStore(path: town.appendingPathComponent("drillcal.sqlite").path)
        let old = try #require(try await store.session(other.session))
        let slot = TimeSlot(
            date: old.slot.date.adding(days: 7), startMinute: old.slot.startMinute, endMinute: old.slot.endMinute)
        try await store.saveOverride(
            SessionOverride(
                sessionUID: other.session, action: .move, slot: slot, reason: "村里秋收", by: "李干事", at: 1_800_000_000))
        let dry = try CLI.run(["build", town.path, "--now", "2027-05-03T00:00:00Z", "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
        let moves = try #require(json["moves"] as? [[String: Any]])
        #expect(moves.count == 1)
        let move = try #require(moves.first)
        #expect(move["session"] as? String == other.session)
        #expect(move["from"] as? String == "\(other.date) \(other.start)")
        #expect(move["to"] as? String == "\(slot.date) \(other.start)")
        #expect(move["byHand"] as? Bool == true && move["by"] as? String == "李干事")
        #expect((move["reason"] as? String)?.contains("村里秋收") == true)
        let full = try CLI.run(["build", town.path, "--now", "2027-05-03T00:00:00Z", "--json"])
        #expect(full.status == 0, "\(full.stderr)")
        let valid = try JSONSchemaTests.validate(full.stdout, against: "build.schema.json")
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")
        let replan = try #require(
            (try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])?["replan"] as? [String: Any])
        #expect((replan["moves"] as? [[String: Any]])?.compactMap { $0["session"] as? String } == [other.session])
        #expect(try Self.sessions(town).first { $0.session == other.session }?.date == slot.date.description)
        let quiet = try CLI.run(["build", town.path, "--now", "2027-05-04T00:00:00Z"])
        #expect(quiet.stdout.contains("已发布的活动均未改动时间"), "\(quiet.stdout)")
    }

    static func planned(_ town: URL, rule: String, team: String) throws -> Int {
        let r = try CLI.run(["check", town.path, "--json", "--as-of", "2027-12-31"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rules = try #require(json["rules"] as? [[String: Any]])
        let row = try #require(rules.first { $0["rule"] as? String == rule && $0["team"] as? String == team })
        return try #require(row["planned"] as? Int)
    }

    @Test func badInputIsExitTwoInChineseAndEnglish() throws {
        let town = try CLI.scratchTown()
        #expect(try CLI.run(["build", town.path, "--now", "2026-12-01T08:00:00Z"]).status == 0)
        let unknown = try CLI.run(["move", town.path, "S999", "--to", "2027-05-01"])
        #expect(unknown.status == 2 && unknown.stderr.contains("S999") && unknown.stderr.contains("未找到"))
        let year = try CLI.run(["move", town.path, "S001", "--to", "2028-05-01"])
        #expect(year.status == 2 && year.stderr.contains("2027 年内"), "\(year.stderr)")
        let pick = try CLI.run(["postpone", town.path, "S001", "--reason", "暴雨", "--pick", "4"])
        #expect(pick.status == 2 && pick.stderr.contains("--pick"))
        let en = try CLI.run(["move", town.path, "S999", "--to", "2027-05-01", "--lang", "en"])
        #expect(en.status == 2 && en.stderr.contains("expected a code"), "\(en.stderr)")
        let noReason = try CLI.run(["move", town.path, "S001", "--to", "2027-10-01", "--force"])
        #expect(noReason.status == 2)
    }
}
