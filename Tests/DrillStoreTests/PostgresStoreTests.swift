import DrillCore
import Foundation
import Testing

@testable import DrillStore

/// What only the PostgreSQL store has: its URL, its migration table, its errors.
@Suite("PostgresStore")
struct PostgresStoreTests {
    @Test("a postgres:// URL is taken apart; messages never show its password")
    func urls() throws {
        let url = try PostgresURL("postgres://drill%20cal:p%40ss@db.example:6543/county?search_path=town_a")
        #expect(
            url
                == PostgresURL(
                    host: "db.example", port: 6543, user: "drill cal", password: "p@ss", database: "county",
                    searchPath: "town_a"))
        #expect(url.redacted == "postgres://drill cal:***@db.example:6543/county?search_path=town_a")
        #expect(try PostgresURL("postgresql://u@h/d").port == 5432)
        #expect(PostgresStore.redacted("postgres://u:secret@h:1/d") == "postgres://u:***@h:1/d")
        #expect(!PostgresStore.redacted("postgres://u:secret@h:1").contains("secret"), "even when malformed")
        for bad in [
            "postgres://h/d", "postgres://u@h", "postgres://u:secret@h:5432", "mysql://u@h/d",
            "postgres://u@h/d?search_path=Bad-Name",
        ] {
            #expect(throws: StoreError.self) { try PostgresURL(bad) }
            do { _ = try PostgresURL(bad) } catch { #expect(!error.message(.en).contains("secret")) }
        }
    }

    @Test("concurrent check-ins are written a batch at a time in three statements; a refused call falls back alone")
    func batchesAtOnce() async throws {
        let fixture = try await Sample.published(.postgres)
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? PostgresStore)
        let members = ["m1", "m2"]
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await store.record([
                        Sample.mark(
                            members[i % 2], i % 3 == 0 ? .late : .present, source: .page, clientID: "batch-\(i)")
                    ])
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(answers.count == 40)
        #expect(store.recordPaths.atOnce >= 1 && store.recordPaths.callByCall == 0, "\(store.recordPaths)")
        // Every call's audit row is there, in order, and each member's record is its last mark.
        let audit = try await store.audit(session: Sample.training.uid).filter { $0.action == "mark" }
        #expect(audit.count == answers.reduce(0, +))
        let marks = try await store.marks(session: Sample.training.uid)
        #expect(marks.map(\.memberID) == ["m1", "m2"])
        for mark in marks {
            #expect(audit.last { $0.memberID == mark.memberID }?.after == mark.status.rawValue)
        }
        // A call the plan refuses (a member not on the roster) sends its batch call by call: only it fails.
        await #expect(throws: StoreError.self) {
            try await store.record([Sample.mark("stranger", .present, clientID: "batch-x")])
        }
        #expect(store.recordPaths.callByCall == 1, "the refused call's batch went call by call")
        #expect(try await store.marks(session: Sample.training.uid).count == 2, "nothing of it was stored")
    }

    @Test("a batch the database refuses is rolled back and written again call by call: only the refused calls fail")
    func refusedBatchFallsBack() async throws {
        let fixture = try await Sample.published(.postgres)
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? PostgresStore)
        // A rule only the database knows (the plans accept m2): its rows fail inside the batch's statement.
        try await store.client.withConnection { c in
            try await c.exec("ALTER TABLE attendance ADD CONSTRAINT test_refuse_m2 CHECK (member_id <> 'm2')", store.logger)
        }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for i in 0..<30 {
                group.addTask {
                    let member = i % 3 == 0 ? "m2" : "m1"
                    let ok = (try? await store.record([Sample.mark(member, .present, clientID: "refuse-\(i)")])) != nil
                    return (i, ok)
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 30)
        for (i, ok) in results { #expect(ok == (i % 3 != 0), "call \(i)") }
        #expect(store.recordPaths.callByCall >= 1, "\(store.recordPaths)")
        #expect(try await store.marks(session: Sample.training.uid).map(\.memberID) == ["m1"])
        let audit = try await store.audit(session: Sample.training.uid).filter { $0.action == "mark" }
        #expect(audit.allSatisfy { $0.memberID == "m1" } && !audit.isEmpty)
        // The refused calls' client ids were not remembered: sent again after the rule is lifted, they count.
        try await store.client.withConnection { c in
            try await c.exec("ALTER TABLE attendance DROP CONSTRAINT test_refuse_m2", store.logger)
        }
        #expect(try await store.record([Sample.mark("m2", .present, clientID: "refuse-0")]) == 1)
    }

    @Test("concurrent check-ins read their live count once per batch, after its commit")
    func countsOncePerBatch() async throws {
        let fixture = try await Sample.published(.postgres)
        defer { fixture.cleanUp() }
        let store = try #require(fixture.store as? PostgresStore)
        let drill = Sample.drill.uid
        let answers = try await withThrowingTaskGroup(of: RecordedCount.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await store.recordAndCount(
                        [Sample.mark(["m1", "m2", "m3"][i % 3], .present, session: drill, clientID: "count-\(i)")],
                        session: drill)
                }
            }
            return try await group.reduce(into: [RecordedCount]()) { $0.append($1) }
        }
        #expect(answers.count == 40)
        let batches = store.recordStatistics.transactions
        #expect(store.batchCountReads == batches, "one count per batch: \(store.batchCountReads) for \(batches)")
        #expect(batches < 40, "the calls shared transactions (\(batches))")
        #expect(answers.allSatisfy { ($0.turnout["t1"]?.counted ?? 0) + ($0.turnout["t2"]?.counted ?? 0) >= 1 })
        #expect(try await store.turnout(session: drill)["t1"] == LiveTeamCount(rosterSize: 2, counted: 2))
    }

    /// Polls `condition` for up to ten seconds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("two servers recording at once: each batch sees what the other committed before its lock was granted")
    func twoServersSeeEachOther() async throws {
        let url = try await PostgresCluster.shared().freshURL()
        let a = try await PostgresStore(url: url)
        let b = try await PostgresStore(url: url)  // another server on the same database
        defer {
            a.close()
            b.close()
        }
        try await a.publish(sessions: Sample.all, rosters: Sample.rosters)
        // Every client id is sent through both servers at once (a phone retrying through the other
        // instance): a batch that read its snapshot before the other's commit would store it twice
        // (a second audit row) or fail on seen_client_id's key.
        let rounds = 60
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<rounds {
                for store in [a, b] {
                    group.addTask {
                        try await store.record([
                            Sample.mark(["m1", "m2"][i % 2], i % 3 == 0 ? .late : .present, source: .page, clientID: "both-\(i)")
                        ])
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(results.count == 2 * rounds, "no call failed")
        let audit = try await a.audit(session: Sample.training.uid).filter { $0.action == "mark" }
        #expect(audit.count == results.reduce(0, +), "each reported change audited once")
        #expect(audit.count <= rounds, "no client id was recorded twice: \(audit.count) changes for \(rounds) ids")
        #expect(a.recordStatistics.transactions + b.recordStatistics.transactions < 2 * rounds, "batched")
        // A stale snapshot shows as a batch the database refuses (the client id's key), retried call by call.
        #expect(a.recordPaths.callByCall == 0 && b.recordPaths.callByCall == 0, "\(a.recordPaths) \(b.recordPaths)")
        // Every batch took the lock and its snapshot in one round trip.
        #expect(a.batchesLockedInOne == a.recordStatistics.transactions, "\(a.batchesLockedInOne)")
        #expect(b.batchesLockedInOne == b.recordStatistics.transactions, "\(b.batchesLockedInOne)")
    }

    @Test("a database user who may not create temporary functions still records: lock and snapshot one after the other")
    func withoutTemporaryFunctions() async throws {
        let cluster = try await PostgresCluster.shared()
        let admin = try await PostgresStore(url: cluster.freshURL())
        defer { admin.close() }
        // A database of its own where PUBLIC lost TEMP, and an ordinary role (the superuser would bypass it).
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let database = "notemp_\(suffix)"
        let role = "clerk_\(suffix)"
        try await admin.client.withConnection { c in
            try await c.exec("CREATE DATABASE \(unescaped: database)", admin.logger)
            try await c.exec("REVOKE TEMPORARY ON DATABASE \(unescaped: database) FROM PUBLIC", admin.logger)
            try await c.exec("CREATE ROLE \(unescaped: role) LOGIN", admin.logger)
            try await c.exec("GRANT CREATE ON DATABASE \(unescaped: database) TO \(unescaped: role)", admin.logger)
        }
        let url = "postgres://\(role)@127.0.0.1:\(cluster.port)/\(database)?search_path=s"
        let store = try await PostgresStore(url: url)
        defer { store.close() }
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        // The premise: this user cannot make the function.
        await #expect(throws: (any Error).self) {
            try await store.client.withConnection { c in
                try await c.exec("CREATE FUNCTION pg_temp.probe() RETURNS int LANGUAGE sql AS 'SELECT 1'", store.logger)
            }
        }
        let changed = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<20 {
                group.addTask {
                    try await store.record([Sample.mark(["m1", "m2"][i % 2], .present, clientID: "nt-\(i)")])
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(changed == 2, "m1 and m2 marked present once each")
        #expect(try await store.marks(session: Sample.training.uid).map(\.memberID).sorted() == ["m1", "m2"])
        #expect(store.batchesLockedInOne == 0)
        #expect(store.recordPaths.callByCall == 0, "\(store.recordPaths)")
    }

    @Test("the read cache answers lookups from memory and forgets them when any process commits a change")
    func readCacheFollowsOtherProcesses() async throws {
        let url = try await PostgresCluster.shared().freshURL()
        let server = try await PostgresStore(url: url)
        let other = try await PostgresStore(url: url)  // another process: the CLI, another server
        defer {
            server.close()
            other.close()
        }
        try await other.publish(sessions: Sample.all, rosters: Sample.rosters)
        let drill = Sample.drill.uid
        // Not started: every lookup goes to the database.
        _ = try await server.session(drill)
        _ = try await server.session(drill)
        #expect(server.readCacheStatistics.hits == 0)

        server.startReadCache()
        #expect(try await Self.eventually { server.readCacheIsLive }, "the listener connects")
        #expect(try await server.session(drill)?.finalized == false)
        let before = server.readCacheStatistics.hits
        #expect(try await server.session(drill)?.finalized == false)
        #expect(server.readCacheStatistics.hits == before + 1, "the second lookup came from memory")

        // Another process finalizes the session: the server sees it without restarting (and its
        // sessions version moves, which its session lists are kept by).
        let version = try await server.sessionsVersion()
        try await other.finalize(drill, by: "镇应急站", at: 1_800_000_100)
        #expect(try await server.sessionsVersion() != version)
        #expect(try await Self.eventually { try await server.session(drill)?.finalized == true })
        // Its own write is seen at once.
        let ownBefore = server.readCacheStatistics.invalidations
        try await server.reopen(drill, by: "镇应急站", reason: "补录", at: 1_800_000_200)
        #expect(try await server.session(drill)?.finalized == false)
        // Its own commit empties its cache at once and comes back through LISTEN a moment later,
        // emptying it again: wait for that echo, so it cannot land between the lookups below.
        #expect(try await Self.eventually { server.readCacheStatistics.invalidations >= ownBefore + 2 })

        // A leader code issued elsewhere opens the session; revoked elsewhere, it stops doing so.
        let hash = String(repeating: "ab", count: 32)
        #expect(try await server.session(forLeaderCodeHash: hash) == nil)
        let emptiedBefore = server.readCacheStatistics.invalidations
        try await other.issueLeaderCode(session: drill, hash: hash, by: "镇应急站", at: 1_800_000_300)
        // Its notification reaches the server a moment after the commit.
        #expect(try await Self.eventually { server.readCacheStatistics.invalidations > emptiedBefore })
        #expect(try await server.session(forLeaderCodeHash: hash) == drill, "a miss is not kept")
        let hits = server.readCacheStatistics.hits
        #expect(try await server.session(forLeaderCodeHash: hash) == drill)
        #expect(server.readCacheStatistics.hits == hits + 1)
        let revokedBefore = server.readCacheStatistics.invalidations
        #expect(try await other.revokeLeaderCodes(session: drill, at: 1_800_000_400) == 1)
        #expect(try await Self.eventually { try await server.session(forLeaderCodeHash: hash) == nil })
        // A miss is read from the database, so the revocation's notification may still be on its way.
        #expect(try await Self.eventually { server.readCacheStatistics.invalidations > revokedBefore })

        // Marks and store keys do not empty it (they change no cached row).
        _ = try await server.session(drill)
        let emptied = server.readCacheStatistics.invalidations
        _ = try await other.record([Sample.mark("m1", .present, session: drill)])
        _ = try await other.storeKey(named: "leader-code")
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.readCacheStatistics.invalidations == emptied)

        // Stopped: nothing is kept any more.
        server.readCache.stop()
        #expect(!server.readCacheIsLive)
        let stopped = server.readCacheStatistics.hits
        _ = try await server.session(drill)
        _ = try await server.session(drill)
        #expect(server.readCacheStatistics.hits == stopped)
    }

    @Test("an unreachable server is a database error naming the URL without its password")
    func unreachable() async throws {
        do {
            _ = try await PostgresStore(url: "postgres://drillcal:topsecret@127.0.0.1:1/postgres")
            Issue.record("opened a store on port 1")
        } catch {
            guard case .database(let text) = error else { throw error }
            #expect(text.hasPrefix("postgres://drillcal:***@127.0.0.1:1/postgres"), "\(text)")
            #expect(!text.contains("topsecret"))
        }
    }

    @Test("every SQLite migration is applied to PostgreSQL under the same name, once, even opened twice")
    func migrations() async throws {
        let url = try await PostgresCluster.shared().freshURL()
        let store = try await PostgresStore(url: url)
        defer { store.close() }
        let again = try await PostgresStore(url: url)
        defer { again.close() }
        let sqlite = try await SQLiteStore.inMemory().appliedMigrations()
        #expect(try await store.appliedMigrations() == sqlite)
        #expect(PostgresSchema.migrations.map(\.name) == sqlite)
    }
}
