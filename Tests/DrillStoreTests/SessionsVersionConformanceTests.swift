import DrillCore
import Foundation
import Testing

@testable import DrillStore

/// `sessionsVersion()`: what a server's session lists are kept by.
@Suite("Sessions version conformance")
struct SessionsVersionConformanceTests {
    @Test("the version moves with every change to the sessions and only then, whoever writes",
        arguments: StoreKind.allCases)
    func moves(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        let empty = try #require(try await store.sessionsVersion(), "every store of the package tracks it")
        try await store.publish(sessions: Sample.all, rosters: Sample.rosters)
        let published = try #require(try await store.sessionsVersion())
        #expect(published != empty)
        #expect(try await store.sessionsVersion() == published, "reading changes nothing")

        // Marks, summaries and codes leave the sessions as they are.
        _ = try await store.record([Sample.mark("m1", .present)])
        try await store.saveSummary(Sample.summary, for: Sample.drill.uid, by: "站长", at: 5)
        try await store.issueLeaderCode(
            session: Sample.drill.uid, hash: String(repeating: "cd", count: 32), by: "站长", at: 6)
        #expect(try await store.sessionsVersion() == published)

        try await store.finalize(Sample.training.uid, by: "站长", at: 10)
        let finalized = try #require(try await store.sessionsVersion())
        #expect(finalized != published)
        try await store.reopen(Sample.training.uid, by: "站长", reason: "补录", at: 11)
        let reopened = try #require(try await store.sessionsVersion())
        #expect(reopened != finalized && reopened != published)

        // Another process on the same file sees and makes changes the same way.
        if kind == .sqliteFile, let folder = fixture.folder {
            let other = try SQLiteStore(path: folder.appendingPathComponent("attendance.sqlite").path)
            #expect(try await other.sessionsVersion() == reopened)
            try await other.finalize(Sample.training.uid, by: "站长", at: 12)
            try other.close()
            #expect(try await store.sessionsVersion() != reopened, "a change by another connection")
        }
    }
}
