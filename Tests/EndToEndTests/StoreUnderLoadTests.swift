import ChildProcess
import DrillStore
import Foundation
import Synchronization
import Testing

/// The SQLite store under the built binary: writers in several processes wait for each other
/// instead of failing, every acknowledged write is fsynced before the acknowledgement, and no
/// acknowledged check-in is lost across simulated power cuts and kill -9.
@Suite(.serialized) struct StoreUnderLoadTests {
    let drill = "qingshan-2027-flood-evacuation-v-xiaping-01@drillcal"
    let xiaping = (48...60).map { "m0\($0)" }

    func published() throws -> URL {
        let town = try CLI.scratchTown()
        let r = try CLI.run(["build", town.path, "--now", "2026-11-29T00:00:00Z"])
        #expect(r.status == 0, "\(r.stderr)")
        return town
    }

    func cleanUp(_ town: URL) {
        try? FileManager.default.removeItem(at: town.deletingLastPathComponent().deletingLastPathComponent())
    }

    var database: (URL) -> URL { { $0.appendingPathComponent("drillcal.sqlite") } }

    /// A new leader code for the drill, as `drillcal code issue` prints it.
    func leaderCode(_ town: URL) throws -> String {
        let r = try CLI.run(["code", "issue", town.path, drill])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let code = lines.first ?? ""
        #expect(lines.count == 2 && lines[1].hasSuffix("/checkin/\(drill)"), "\(lines)")
        #expect(
            code.count == 14 && code.split(separator: "-").count == 3,
            "12 characters in groups of four: \(code)")
        return code
    }

    /// A sign-in sheet marking everyone on the rosters of the village trainings whose UID ends so.
    func importSheet(_ town: URL, suffix: String, name: String) async throws -> (URL, Int) {
        let store = try SQLiteStore(path: database(town).path)
        var rows: [String] = []
        for session in try await store.sessions()
        where session.ruleID == "village-training" && session.uid.hasSuffix(suffix) {
            for e in try await store.roster(of: session.uid) {
                rows.append("\(session.uid),\(e.memberID),\(e.name),到场,")
            }
        }
        let file = town.appendingPathComponent(name)
        try CLI.write((["活动,编号,姓名,出勤,原因"] + rows).joined(separator: "\r\n") + "\r\n", file)
        return (file, rows.count)
    }

    @Test("two imports and a check-in load at once against a live server: all succeed, no HTTP 500")
    func concurrentWriters() async throws {
        let town = try published()
        defer { cleanUp(town) }
        let code = try leaderCode(town)
        let (sheetA, rowsA) = try await importSheet(town, suffix: "-01@drillcal", name: "a.csv")
        let (sheetB, rowsB) = try await importSheet(town, suffix: "-02@drillcal", name: "b.csv")
        #expect(rowsA > 100 && rowsB > 100)
        let server = try await LiveServer(town: town)
        defer { server.process.signal(SIGTERM) }

        // Each import holds the write lock for ~1–2 s (10 ms per mark inside its transaction).
        func startImport(_ sheet: URL) throws -> RunningProcess {
            try RunningProcess(
                CLI.binary.path, ["attend", town.path, "--import", sheet.path],
                environment: ProcessInfo.processInfo.environment.merging([
                    "DRILLCAL_TEST_MARK_DELAY_US": "10000"
                ].merging(CLI.afterTheYear) { $1 }) { $1 },
                stdout: .discard)
        }
        let imports = [try startImport(sheetA), try startImport(sheetB)]
        let statuses = await withTaskGroup(of: [Int].self) { group in
            for client in 0..<16 {
                group.addTask { [xiaping, drill] in
                    var seen: [Int] = []
                    for i in 0..<20 {
                        let member = xiaping[(client + i) % xiaping.count]
                        seen.append(
                            await server.checkIn(
                                session: drill, member: member, clientID: "load-\(client)-\(i)", code: code
                            ).status)
                    }
                    return seen
                }
            }
            return await group.reduce(into: [Int]()) { $0 += $1 }
        }
        let ends = imports.map { $0.waitUntilExit() }
        #expect(ends == [.exited(0), .exited(0)], "both imports waited and succeeded: \(imports.map(\.stderrText))")
        #expect(statuses.count == 320)
        #expect(
            statuses.filter { $0 == 200 }.count == 320,
            "statuses: \(Dictionary(grouping: statuses) { $0 }.mapValues(\.count))")
        #expect(!statuses.contains(500))
        let store = try SQLiteStore(path: database(town).path)
        #expect(try await store.allMarks().count == rowsA + rowsB + xiaping.count)
        #expect(!server.logged.contains("13800000"), "no phone number in the log")
    }

    @Test("every acknowledged write is fsynced: ≥ 1 fdatasync per check-in 200 and per CLI mark")
    func fsyncPerAcknowledgedWrite() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/strace") else {
            Issue.record("strace is missing: run scripts/setup.sh")
            return
        }
        let town = try published()
        defer { cleanUp(town) }
        let code = try leaderCode(town)
        let log = town.appendingPathComponent("strace.txt")
        func syncs() -> Int {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
                .filter { ($0.contains("fdatasync(") || $0.contains("fsync(")) && $0.contains("= 0") }.count
        }

        // CLI marks: each run is one acknowledged commit.
        for (i, status) in ["--present", "--late", "--present", "--late", "--present"].enumerated() {
            try? FileManager.default.removeItem(at: log)
            let r = try runTool(
                "/usr/bin/strace",
                [
                    "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", log.path, CLI.binary.path, "attend",
                    town.path, drill, status, "m048",
                ])
            #expect(r.status == 0)
            #expect(syncs() >= 1, "CLI mark \(i): \(syncs()) syncs")
        }

        try? FileManager.default.removeItem(at: log)
        let server = try await LiveServer(
            town: town,
            wrapper: ["/usr/bin/strace", "-f", "-qq", "-e", "trace=fsync,fdatasync", "-o", log.path])
        defer { server.process.signal(SIGTERM) }
        // The first request reads (and makes) the store's code key: one commit before counting.
        #expect(
            await server.checkIn(session: drill, member: "m049", clientID: "warm", code: code).status == 200)
        try await Task.sleep(for: .milliseconds(300))
        let before = syncs()
        let acknowledged = 40
        for i in 0..<acknowledged {
            let status = await server.checkIn(
                session: drill, member: xiaping[i % xiaping.count], clientID: "fsync-\(i)", code: code
            ).status
            #expect(status == 200)
        }
        try await server.stop()
        let during = syncs() - before
        print("fsync check: \(acknowledged) acknowledged check-ins, \(during) fsync/fdatasync calls")
        #expect(during >= acknowledged, "\(during) syncs for \(acknowledged) acknowledged check-ins")
    }

    /// The shim logs, after every successful fsync/fdatasync, the file's path and its size then:
    /// what a power cut at that moment would keep of it.
    static let shimSource = #"""
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <fcntl.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <sys/stat.h>
        #include <unistd.h>
        static int logfd = -1;
        __attribute__((constructor)) static void start(void) {
          const char *p = getenv("SYNC_LOG");
          if (p) logfd = open(p, O_WRONLY | O_CREAT | O_APPEND, 0644);
        }
        static void note(int fd) {
          if (logfd < 0) return;
          char link[64], path[4096], line[4200];
          snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
          ssize_t n = readlink(link, path, sizeof path - 1);
          if (n <= 0) return;
          path[n] = 0;
          struct stat st;
          if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
          int len = snprintf(line, sizeof line, "%lld %s\n", (long long)st.st_size, path);
          if (write(logfd, line, len) < 0) {}
        }
        int fsync(int fd) {
          static int (*real)(int);
          if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
          int r = real(fd);
          if (r == 0) note(fd);
          return r;
        }
        int fdatasync(int fd) {
          static int (*real)(int);
          if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
          int r = real(fd);
          if (r == 0) note(fd);
          return r;
        }
        """#

    @Test("100 simulated power cuts (10 of them also kill -9): no acknowledged check-in is lost")
    func powerCuts() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else {
            Issue.record("sqlite3 is missing: run scripts/setup.sh")
            return
        }
        let town = try published()
        defer { cleanUp(town) }
        let code = try leaderCode(town)
        let work = town.appendingPathComponent("powercut", isDirectory: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let shim = work.appendingPathComponent("syncshim.so")
        try CLI.write(Self.shimSource, work.appendingPathComponent("syncshim.c"))
        let cc = try runTool(
            "/usr/bin/cc",
            [
                "-shared", "-fPIC", "-O2", "-o", shim.path, work.appendingPathComponent("syncshim.c").path,
                "-ldl",
            ])
        #expect(cc.status == 0, "the shim compiles")
        let syncLog = work.appendingPathComponent("sync.log")
        let db = database(town).resolvingSymlinksInPath()
        let wal = URL(fileURLWithPath: db.path + "-wal")
        let env = ["LD_PRELOAD": shim.path, "SYNC_LOG": syncLog.path]
        // What `build` and `code issue` wrote before (outside the shim) is made durable and logged as such.
        try runTool("/bin/sync", [])
        var initial = ""
        for file in [db, wal] {
            if let size = try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int {
                initial += "\(size) \(file.path)\n"
            }
        }
        try CLI.write(initial, syncLog)

        let state = LoadState(server: try await LiveServer(town: town, env: env))
        let load = Task { [xiaping, drill] in
            await withTaskGroup(of: Void.self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var i = 0
                        while state.running.load(ordering: .relaxed) {
                            i += 1
                            guard let server = state.current.withLock({ $0 }) else {
                                try? await Task.sleep(for: .milliseconds(20))
                                continue
                            }
                            let id = "pc-\(client)-\(i)"
                            let answer = await server.checkIn(
                                session: drill, member: xiaping[(client + i) % xiaping.count], clientID: id,
                                code: code)
                            if answer.status == 200 {
                                state.acked.withLock { _ = $0.insert(id) }
                            } else {
                                try? await Task.sleep(for: .milliseconds(20))
                            }
                        }
                    }
                }
            }
        }

        var generator = SystemRandomNumberGenerator()
        var lost: [String] = []
        var checkedAcks = 0
        for crash in 0..<100 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...80, using: &generator)))
            let server = try #require(state.current.withLock { $0 })
            let pid = server.process.pid
            kill(pid, SIGSTOP)
            for _ in 0..<200 {
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "T" { break }
                try await Task.sleep(for: .milliseconds(1))
            }
            // The instant: what was acknowledged before it, and what the disk had been told to keep.
            let before = state.acked.withLock { $0 }
            var synced: [String: Int] = [:]
            for line in ((try? String(contentsOf: syncLog, encoding: .utf8)) ?? "").split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 1)
                if parts.count == 2, let size = Int(parts[0]) { synced[String(parts[1])] = size }
            }
            let copy = work.appendingPathComponent("crash-\(crash).sqlite")
            for (source, target) in [(db, copy), (wal, URL(fileURLWithPath: copy.path + "-wal"))] {
                guard let data = try? Data(contentsOf: source), let keep = synced[source.path] else {
                    continue
                }
                try data.prefix(min(keep, data.count)).write(to: target)
            }
            if crash % 10 == 9 {
                // kill -9 as well: the process dies with the write lock; the next one recovers.
                kill(pid, SIGKILL)
                server.process.waitUntilExit()
                state.current.withLock { $0 = nil }
                let next = try await LiveServer(town: town, env: env)
                state.current.withLock { $0 = next }
            } else {
                kill(pid, SIGCONT)
            }
            let stored = try runTool("/usr/bin/sqlite3", [copy.path, "SELECT client_id FROM seen_client_id"])
            #expect(stored.status == 0, "crash copy \(crash) opens")
            let present = Set(stored.out.split(separator: "\n").map(String.init))
            lost += before.subtracting(present).sorted()
            checkedAcks += before.count
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(atPath: copy.path + suffix)
            }
        }
        state.running.store(false, ordering: .relaxed)
        await load.value
        let total = state.acked.withLock { $0.count }
        print(
            "power cuts: 100 instants, \(total) acknowledged check-ins, \(checkedAcks) ack-checks, \(lost.count) lost"
        )
        #expect(total > 200, "the load kept acknowledging check-ins (\(total))")
        #expect(lost.count == 0, "acknowledged but lost: \(lost.prefix(10))")
        if let server = state.current.withLock({ $0 }) { try await server.stop() }
        // And the live file after all that holds every acknowledged mark.
        let final = try runTool("/usr/bin/sqlite3", [db.path, "SELECT client_id FROM seen_client_id"])
        #expect(state.acked.withLock { $0 }.isSubset(of: Set(final.out.split(separator: "\n").map(String.init))))
    }
}

/// What the power-cut test's load shares with the crash loop.
final class LoadState: Sendable {
    let current: Mutex<LiveServer?>
    let acked = Mutex(Set<String>())
    let running = Atomic<Bool>(true)

    init(server: LiveServer) { current = Mutex(server) }
}
