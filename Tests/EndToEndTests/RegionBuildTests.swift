import Foundation
import Testing

/// `drillcal build REGION`: every town of a county folder, failures isolated, unchanged towns
/// skipped, and each town's feeds byte for byte those of a single-town build.
@Suite struct RegionBuildTests {
    /// A county folder: the example town twice (`qingshan`, `hexi/` under a sub-region `north`)
    /// and a broken town, sharing `holidays/`.
    func county() throws -> URL {
        let qingshan = try CLI.scratchTown()
        let region = qingshan.deletingLastPathComponent()
        let fm = FileManager.default
        try? fm.removeItem(at: qingshan.appendingPathComponent("drillcal.sqlite"))
        let north = region.appendingPathComponent("north")
        try fm.createDirectory(at: north, withIntermediateDirectories: true)
        try fm.copyItem(at: qingshan, to: north.appendingPathComponent("hexi"))
        // north's towns look for ../holidays: the county's, shared through a link.
        try fm.createSymbolicLink(
            atPath: north.appendingPathComponent("holidays").path, withDestinationPath: "../holidays")
        let broken = region.appendingPathComponent("broken")
        try fm.copyItem(at: qingshan, to: broken)
        let plan = broken.appendingPathComponent("plan.yaml")
        try CLI.write(try CLI.read(plan).replacingOccurrences(of: "year: 2027", with: "year: 二〇二七"), plan)
        return region
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func towns(_ object: [String: Any]) -> [String: [String: Any]] {
        Dictionary(
            uniqueKeysWithValues: ((object["towns"] as? [[String: Any]]) ?? []).map {
                ($0["key"] as? String ?? "", $0)
            })
    }

    @Test func buildsEveryTownIsolatesTheBrokenOneAndSkipsUnchangedTowns() throws {
        let region = try county()
        defer { try? FileManager.default.removeItem(at: region.deletingLastPathComponent()) }
        let args = ["build", region.path, "--now", "2026-11-29T08:00:00Z", "--moves", "0", "--json"]
        let first = try CLI.run(args)
        #expect(first.status == 2, "the worst town's status: bad input")
        let report = try json(first)
        let byKey = towns(report)
        #expect(Set(byKey.keys) == ["broken", "qingshan", "north/hexi"])
        #expect(byKey["qingshan"]?["status"] as? Int == 0)
        #expect(byKey["north/hexi"]?["status"] as? Int == 0)
        #expect(byKey["broken"]?["status"] as? Int == 2)
        let error = byKey["broken"]?["error"] as? String ?? ""
        #expect(error.contains("broken/plan.yaml") && error.contains("year"), "\(error)")
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: region.appendingPathComponent("qingshan/feeds/town.ics").path))
        #expect(fm.fileExists(atPath: region.appendingPathComponent("north/hexi/feeds/town.ics").path))
        #expect(fm.fileExists(atPath: region.appendingPathComponent("qingshan/drillcal.sqlite").path))
        #expect(!fm.fileExists(atPath: region.appendingPathComponent("broken/feeds").path))

        // Nothing changed: both good towns are skipped, their feeds untouched.
        let before = try CLI.snapshot(region.appendingPathComponent("qingshan/feeds"))
        let second = try json(try CLI.run(args))
        #expect(towns(second)["qingshan"]?["skipped"] as? Bool == true)
        #expect(towns(second)["north/hexi"]?["skipped"] as? Bool == true)
        #expect(towns(second)["broken"]?["skipped"] as? Bool == false, "a failed town is always retried")

        // One roster edit in one town: only that town is rebuilt.
        let roster = region.appendingPathComponent("north/hexi/roster.csv")
        try CLI.write(
            try CLI.read(roster).replacingOccurrences(of: "13800000002", with: "13900000002"), roster)
        let third = try json(try CLI.run(args))
        #expect(towns(third)["qingshan"]?["skipped"] as? Bool == true)
        #expect(towns(third)["north/hexi"]?["skipped"] as? Bool == false)
        #expect(try CLI.snapshot(region.appendingPathComponent("qingshan/feeds")) == before)

        // Published feeds deleted (inputs unchanged): that town is published again, the same bytes.
        try fm.removeItem(at: region.appendingPathComponent("qingshan/feeds"))
        try fm.removeItem(at: region.appendingPathComponent("qingshan/feeds.d"))
        let fourth = try json(try CLI.run(args))
        #expect(towns(fourth)["qingshan"]?["skipped"] as? Bool == false)
        #expect(towns(fourth)["north/hexi"]?["skipped"] as? Bool == true)
        #expect(try CLI.snapshot(region.appendingPathComponent("qingshan/feeds")) == before)

        // --force rebuilds every town.
        let forced = try json(try CLI.run(args + ["--force"]))
        #expect(towns(forced)["qingshan"]?["skipped"] as? Bool == false)

        // The text summary: one line per town, worst first, with the broken town's file.
        let text = try CLI.run(["build", region.path, "--now", "2026-11-29T08:00:00Z", "--moves", "0"])
        #expect(text.status == 2)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(text.stdout)")
        #expect(lines[1].contains("broken") && lines[1].contains("plan.yaml"), "\(text.stdout)")
    }

    @Test func aTownBuiltAloneIsByteIdenticalToTheSameTownInARegionBuild() throws {
        let region = try county()
        defer { try? FileManager.default.removeItem(at: region.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: region.appendingPathComponent("broken"))
        let alone = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: alone.deletingLastPathComponent().deletingLastPathComponent())
        }
        try? FileManager.default.removeItem(at: alone.appendingPathComponent("drillcal.sqlite"))
        let options = ["--now", "2026-11-29T08:00:00Z", "--moves", "0"]
        // One worker builds both towns, one after the other in the same process.
        let regionRun = try CLI.run(["build", region.path, "--jobs", "1", "--json"] + options)
        #expect(regionRun.status == 0)
        let aloneRun = try CLI.run(["build", alone.path, "--json"] + options)
        #expect(aloneRun.status == 0)
        let single = try CLI.snapshot(alone.appendingPathComponent("feeds"))
        #expect(single.count > 100)
        #expect(try CLI.snapshot(region.appendingPathComponent("qingshan/feeds")) == single)
        #expect(try CLI.snapshot(region.appendingPathComponent("north/hexi/feeds")) == single)

        // The region's line for each town counts what the town's own report lists (the workers
        // print only these counts, `--region-counts`).
        let full = try json(aloneRun)
        func count(_ key: String) -> Int? { (full[key] as? [Any])?.count }
        #expect(count("sessions") ?? 0 > 50)
        for key in ["qingshan", "north/hexi"] {
            let line = try #require(towns(try json(regionRun))[key])
            #expect(line["town"] as? String == full["town"] as? String)
            for field in ["sessions", "unmet", "shortfalls", "feeds"] {
                #expect(line[field] as? Int == count(field), "\(key) \(field)")
            }
        }
    }

    /// A worker that dies mid-town (here SIGKILL, as the out-of-memory killer would) costs that town
    /// only: it is reported with the signal, a new worker builds the towns after it, and the next
    /// region build retries it.
    @Test func aTownThatKillsItsWorkerIsReportedAndTheNextTownsStillPublish() throws {
        let region = try county()
        defer { try? FileManager.default.removeItem(at: region.deletingLastPathComponent()) }
        let args = ["build", region.path, "--now", "2026-11-29T08:00:00Z", "--moves", "0", "--json", "--jobs", "1"]
        let first = try CLI.run(args, env: ["DRILLCAL_TEST_KILL_TOWN": "north/hexi"])
        #expect(first.status == 3, "the worst town's status: could not be written")
        let byKey = towns(try json(first))
        #expect(byKey["broken"]?["status"] as? Int == 2)
        #expect(byKey["north/hexi"]?["status"] as? Int == 3)
        let error = byKey["north/hexi"]?["error"] as? String ?? ""
        #expect(error.contains("signal 9"), "\(error)")
        #expect(byKey["qingshan"]?["status"] as? Int == 0)
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: region.appendingPathComponent("qingshan/feeds/town.ics").path))
        #expect(!fm.fileExists(atPath: region.appendingPathComponent("north/hexi/feeds").path))

        let second = towns(try json(try CLI.run(args)))
        #expect(second["north/hexi"]?["status"] as? Int == 0)
        #expect(second["north/hexi"]?["skipped"] as? Bool == false)
        #expect(second["qingshan"]?["skipped"] as? Bool == true)
        #expect(fm.fileExists(atPath: region.appendingPathComponent("north/hexi/feeds/town.ics").path))
    }

    /// A town that hangs (a stuck file system, a runaway step) is stopped at `--town-timeout`: its
    /// worker is killed, the town is reported as timed out, and the towns after it still publish.
    @Test func aTownThatHangsIsStoppedAtTheTownTimeoutAndTheOthersPublish() throws {
        let region = try county()
        defer { try? FileManager.default.removeItem(at: region.deletingLastPathComponent()) }
        let args = [
            "build", region.path, "--now", "2026-11-29T08:00:00Z", "--moves", "0", "--json", "--jobs", "1",
            "--town-timeout", "3",
        ]
        let first = try CLI.run(args, env: ["DRILLCAL_TEST_HANG_TOWN": "north/hexi"])
        #expect(first.status == 3, "the worst town's status: could not be written")
        let byKey = towns(try json(first))
        #expect(byKey["north/hexi"]?["status"] as? Int == 3)
        let error = byKey["north/hexi"]?["error"] as? String ?? ""
        #expect(error.contains("超过时限 3 秒"), "\(error)")
        #expect(byKey["north/hexi"]?["timed_out"] as? Bool == true)
        #expect(byKey["qingshan"]?["timed_out"] == nil)
        #expect((byKey["north/hexi"]?["seconds"] as? Double ?? 0) >= 3)
        #expect(byKey["qingshan"]?["status"] as? Int == 0)
        #expect(byKey["broken"]?["status"] as? Int == 2)
        let fm = FileManager.default
        #expect(fm.fileExists(atPath: region.appendingPathComponent("qingshan/feeds/town.ics").path))
        #expect(!fm.fileExists(atPath: region.appendingPathComponent("north/hexi/feeds").path))

        // The English summary names the limit; a limit out of range is refused.
        let text = try CLI.run(
            ["build", region.path, "--now", "2026-11-29T08:00:00Z", "--moves", "0", "--lang", "en", "--town-timeout", "3"],
            env: ["DRILLCAL_TEST_HANG_TOWN": "north/hexi"])
        #expect(text.status == 3)
        #expect(text.stdout.contains("north/hexi") && text.stdout.contains("time limit of 3 s"), "\(text.stdout)")
        let bad = try CLI.run(["build", region.path, "--town-timeout", "0", "--lang", "en"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--town-timeout") && bad.stderr.contains("found 0"), "\(bad.stderr)")

        // Without the hang the town builds and the next region build is whole.
        let second = towns(try json(try CLI.run(args)))
        #expect(second["north/hexi"]?["status"] as? Int == 0)
        #expect(fm.fileExists(atPath: region.appendingPathComponent("north/hexi/feeds/town.ics").path))
    }

    @Test func aBadRegionFileIsBadInputNamingItsLine() throws {
        let region = try county()
        defer { try? FileManager.default.removeItem(at: region.deletingLastPathComponent()) }
        try CLI.write("name: 清河县\nlevel: town\n", region.appendingPathComponent("region.yaml"))
        let bad = try CLI.run(["build", region.path, "--lang", "en"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("region.yaml:2") && bad.stderr.contains("level"), "\(bad.stderr)")
        try CLI.write(
            "name: 清河县\nlevel: county\ntowns: [qingshan, nowhere]\n",
            region.appendingPathComponent("region.yaml"))
        let missing = try CLI.run(["build", region.path, "--lang", "en"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains("region.yaml:3") && missing.stderr.contains("nowhere"),
            "\(missing.stderr)")
        // Listed towns only: the broken one is left out, so the build succeeds.
        try CLI.write(
            "name: 清河县\nlevel: county\ntowns: [qingshan]\nregions: [north]\n",
            region.appendingPathComponent("region.yaml"))
        let listed = try CLI.run(["build", region.path, "--moves", "0", "--now", "2026-11-29T08:00:00Z"])
        #expect(listed.status == 0, "\(listed.stdout)\(listed.stderr)")
        #expect(listed.stdout.hasPrefix("清河县（县（区））：2 个镇"), "\(listed.stdout)")
    }

    @Test func memberFeedsCanBeLeftToTheServerAndVerifyReadsEveryFeedBack() throws {
        let town = try CLI.scratchTown()
        defer {
            try? FileManager.default.removeItem(
                at: town.deletingLastPathComponent().deletingLastPathComponent())
        }
        let skip = try CLI.run(["build", town.path, "--moves", "0", "--member-feeds", "skip", "--verify"])
        #expect(skip.status == 0, "\(skip.stderr)")
        let names = try FileManager.default.contentsOfDirectory(
            atPath: town.appendingPathComponent("feeds").path)
        #expect(names.contains("town.ics") && names.contains { $0.hasPrefix("team-") })
        #expect(!names.contains { $0.hasPrefix("member-") })
        let manifest = try CLI.read(town.appendingPathComponent("feeds/manifest.json"))
        #expect(
            manifest.contains("member-m001.ics"), "the manifest still says which member feeds hold each event"
        )
        let write = try CLI.run(["build", town.path, "--moves", "0", "--verify"])
        #expect(write.status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: town.appendingPathComponent("feeds").path)
                .contains("member-m001.ics"))
    }
}

/// `check REGION` and `report REGION`: the county view of its towns.
@Suite struct RegionCheckTests {
    @Test func checkAndReportARegion() throws {
        let town = try CLI.scratchTown()
        let region = town.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: region.deletingLastPathComponent()) }
        let broken = region.appendingPathComponent("broken")
        try FileManager.default.copyItem(at: town, to: broken)
        try CLI.write("id,name\n", broken.appendingPathComponent("roster.csv"))
        #expect(try CLI.run(["build", town.path, "--moves", "0"]).status == 0)

        let check = try CLI.run(["check", region.path, "--as-of", "2027-07-01"])
        #expect(check.status == 2, "a town that cannot be checked is the worst status")
        let lines = check.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(check.stdout)")
        #expect(
            lines[1].contains("broken") && lines[1].contains("roster.csv"), "worst first: \(check.stdout)")
        #expect(lines[2].contains("qingshan") && lines[2].contains("1 支队伍人数不足"), "\(check.stdout)")
        // Findings without a column are named, not summed up as "other items".
        #expect(lines[2].contains("网格无管理员 1 项") && !lines[2].contains("其他"), "\(check.stdout)")
        let json = try CLI.run(["check", region.path, "--as-of", "2027-07-01", "--json"])
        let towns = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let qingshan = try #require(towns.first { $0["key"] as? String == "qingshan" })
        #expect((qingshan["otherFindings"] as? [String: Int])?["grid_without_manager"] == 1, "\(json.stdout)")

        let out = region.appendingPathComponent("county.md").path
        let report = try CLI.run([
            "report", region.path, "--year", "2027", "--format", "md", "--out", out, "--as-of", "2027-07-01",
        ])
        #expect(report.status == 0, "\(report.stderr)")
        let md = try CLI.read(URL(fileURLWithPath: out))
        #expect(md.contains("2027 年基层应急培训演练情况汇总（截至 2027-07-01）"))
        #expect(md.contains("| qingshan | 1 |"), "\(md)")
        let pdf = try CLI.run([
            "report", region.path, "--year", "2027", "--format", "pdf", "--out", out + ".pdf",
        ])
        #expect(pdf.status == 2)
    }
}
