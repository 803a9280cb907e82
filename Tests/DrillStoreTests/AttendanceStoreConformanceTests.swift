import DrillCore
import Testing

@testable import DrillStore

/// The one conformance suite every `AttendanceStore` must pass, run against each `StoreKind`.
@Suite("AttendanceStore conformance")
struct AttendanceStoreConformanceTests {
    // MARK: Publishing

    @Test("publish stores sessions by start time then UID, with their rosters", arguments: StoreKind.allCases)
    func publishStores(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        // Same start for two UIDs, given out of order: the UID breaks the tie.
        let twin = Sample.session("s0-twin", day: 7)
        // The twin's roster orders differently by team than by member id.
        var rosters = Sample.rosters
        rosters[twin.uid] = [Sample.entry("m0", "钱七", team: "t2"), Sample.entry("m5", "孙八")]
        try await store.publish(
            sessions: [Sample.deadline, Sample.drill, twin, Sample.training], rosters: rosters)

        #expect(
            try await store.sessions().map(\.uid) == ["s1-training", "s0-twin", "s2-drill", "s3-deadline"])
        #expect(try await store.session(Sample.drill.uid) == Sample.drill)
        #expect(try await store.session("nope") == nil)
        #expect(try await store.roster(of: Sample.drill.uid).map(\.memberID) == ["m1", "m2", "m3"])
        #expect(try await store.roster(of: Sample.drill.uid)[1] == Sample.entry("m2", "李四", away: true))
        #expect(try await store.roster(of: Sample.deadline.uid).isEmpty)
        #expect(try await store.roster(of: twin.uid).map(\.memberID) == ["m5", "m0"], "by team, then member")
        try await expectAllRostersAsOneByOne(store)
    }

    /// `allRosters()` is `roster(of:)` of every session in one read: same entries, same order, and
    /// no key for a session with nobody.
    func expectAllRostersAsOneByOne(_ store: any AttendanceStore, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        var expected: [String: [RosterEntry]] = [:]
        for session in try await store.sessions() {
            let roster = try await store.roster(of: session.uid)
            if !roster.isEmpty { expected[session.uid] = roster }
        }
        #expect(!expected.isEmpty, sourceLocation: sourceLocation)
        #expect(try await store.allRosters() == expected, sourceLocation: sourceLocation)
    }

    @Test(
        "publish upserts by UID, cancels what is gone and revives what comes back",
        arguments: StoreKind.allCases)
    func publishUpsertsCancelsRevives(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        try await store.record([Sample.mark("m1", .present, session: Sample.drill.uid)])

        // The drill moves an hour later and is re-sequenced; the training disappears.
        var moved = Sample.drill
        moved.sequence = 1
        moved.slot.startMinute += 60
        moved.slot.endMinute += 60
        try await store.publish(
            sessions: [moved, Sample.deadline], rosters: [moved.uid: Sample.rosters[moved.uid]!])
        #expect(try await store.sessions().count == 3)
        #expect(try await store.session(moved.uid) == moved)
        #expect(try await store.session(Sample.training.uid)?.cancelled == true)
        #expect(try await store.marks(session: Sample.drill.uid).count == 1, "attendance history stays")

        // The training comes back: no longer cancelled, and its roster is what was published now.
        try await store.publish(
            sessions: Sample.all, rosters: [Sample.training.uid: [Sample.entry("m9", "赵六")]])
        #expect(try await store.session(Sample.training.uid) == Sample.training)
        #expect(try await store.roster(of: Sample.training.uid).map(\.memberID) == ["m9"])
        #expect(
            try await store.roster(of: Sample.drill.uid).isEmpty,
            "a session published without a roster has none")
        #expect(try await store.allRosters().keys.sorted() == [Sample.training.uid])
        try await expectAllRostersAsOneByOne(store)
    }

    @Test("publish ignores finalized/cancelled flags given by the publisher", arguments: StoreKind.allCases)
    func publishOwnsFlags(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        var claimed = Sample.training
        claimed.finalized = true
        claimed.cancelled = true
        try await fixture.store.publish(sessions: [claimed], rosters: [:])
        #expect(try await fixture.store.session(claimed.uid) == Sample.training)
    }

    @Test(
        "a finalized session keeps its lock and the roster it was taken against",
        arguments: StoreKind.allCases)
    func rosterAsOfSession(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let before = try await store.roster(of: Sample.training.uid)
        try await store.finalize(Sample.training.uid, by: "站长", at: 1_800_000_100)

        // The team changes: 张三 leaves, 赵六 joins.
        let newRoster = [Sample.entry("m2", "李四"), Sample.entry("m9", "赵六")]
        try await store.publish(
            sessions: Sample.all, rosters: [Sample.training.uid: newRoster, Sample.drill.uid: newRoster])
        #expect(try await store.roster(of: Sample.training.uid) == before)
        #expect(try await store.session(Sample.training.uid)?.finalized == true)
        #expect(try await store.roster(of: Sample.drill.uid) == newRoster)

        // Dropped from the schedule, it stays finalized (and cancelled).
        try await store.publish(sessions: [Sample.drill], rosters: [:])
        let dropped = try #require(try await store.session(Sample.training.uid))
        #expect(dropped.finalized && dropped.cancelled)
        #expect(try await store.roster(of: Sample.training.uid) == before)
    }

    @Test("publish refuses bad input and changes nothing", arguments: StoreKind.allCases)
    func publishRefuses(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let sessionsBefore = try await store.sessions()
        var bad = Sample.drill
        bad.slot.startMinute = 2000
        let cases: [(sessions: [SessionRecord], rosters: [String: [RosterEntry]])] = [
            ([Sample.training, Sample.training], [:]),
            ([Sample.training], ["ghost": [Sample.entry("m1", "张三")]]),
            ([Sample.training], [Sample.training.uid: [Sample.entry("m1", "张三"), Sample.entry("m1", "张三")]]),
            ([Sample.training, bad], [:]),
        ]
        for input in cases {
            await #expect {
                try await store.publish(sessions: input.sessions, rosters: input.rosters)
            } throws: { error in
                guard case .invalid(let text) = error as? StoreError else { return false }
                return !text.isEmpty
            }
        }
        #expect(try await store.sessions() == sessionsBefore)
        #expect(try await store.roster(of: Sample.training.uid).count == 2)
    }

    // MARK: Recording

    @Test("record stores marks, sorted by member, and audits each change", arguments: StoreKind.allCases)
    func recordStores(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let marks = [
            Sample.mark("m2", .excused, reason: "外出务工"),
            Sample.mark("m1", .late),
            Sample.mark("guest:陈七", .present, guest: true),
            Sample.mark("m3", .present, session: Sample.drill.uid, source: .page),
        ]
        #expect(try await store.record(marks) == 4)
        #expect(
            try await store.marks(session: Sample.training.uid).map(\.memberID) == ["guest:陈七", "m1", "m2"])
        #expect(try await store.marks(session: Sample.training.uid).last == marks[0])
        #expect(try await store.allMarks() == [marks[2], marks[1], marks[0], marks[3]])
        #expect(try await store.marks(session: Sample.deadline.uid).isEmpty)

        let audit = try await store.audit(session: Sample.training.uid)
        #expect(audit.count == 3)
        #expect(
            audit[0]
                == AuditEntry(
                    sessionUID: Sample.training.uid, action: "mark", memberID: "m2", before: nil,
                    after: "excused",
                    reason: "外出务工", by: "operator", at: 1_800_000_000, source: "cli"))
        #expect(try await store.audit(session: nil).count == 4)
        #expect(try await store.audit(session: Sample.drill.uid).map(\.source) == ["page"])
        #expect(try await store.record([]) == 0)
    }

    @Test("record is all or nothing: one bad mark writes nothing", arguments: StoreKind.allCases)
    func recordAllOrNothing(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        try await store.record([Sample.mark("m1", .present, clientID: "c0")])
        let marksBefore = try await store.allMarks()
        let auditBefore = try await store.audit(session: nil)

        let batch = [
            Sample.mark("m1", .absent),  // a change to a stored mark
            Sample.mark("m2", .present, clientID: "c1"),  // a new mark with a client id
            Sample.mark("m3", .present, session: Sample.drill.uid),
            Sample.mark("stranger", .present),  // not on the roster, not a guest
        ]
        await #expect(throws: StoreError.unknownMember(session: Sample.training.uid, member: "stranger")) {
            try await store.record(batch)
        }
        #expect(try await store.allMarks() == marksBefore)
        #expect(try await store.audit(session: nil) == auditBefore)
        // The refused batch's client id was not remembered: the corrected retry goes through.
        #expect(try await store.record(Array(batch.dropLast())) == 3)
    }

    @Test("every refusal is the documented StoreError", arguments: StoreKind.allCases)
    func storeErrors(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let uid = Sample.training.uid

        await #expect(throws: StoreError.unknownSession("ghost")) {
            try await store.record([Sample.mark("m1", .present, session: "ghost")])
        }
        await #expect(throws: StoreError.unknownSession("ghost")) {
            try await store.finalize("ghost", by: "a", at: 1)
        }
        await #expect(throws: StoreError.unknownSession("ghost")) {
            try await store.reopen("ghost", by: "a", reason: "r", at: 1)
        }
        await #expect(throws: StoreError.unknownSession("ghost")) {
            try await store.saveSummary(Sample.summary, for: "ghost", by: "a", at: 1)
        }
        await #expect(throws: StoreError.unknownSession("ghost")) { try await store.roster(of: "ghost") }
        await #expect(throws: StoreError.unknownSession("ghost")) { try await store.marks(session: "ghost") }
        await #expect(throws: StoreError.unknownSession("ghost")) { try await store.audit(session: "ghost") }
        await #expect(throws: StoreError.unknownSession("ghost")) { try await store.summary(for: "ghost") }

        // 王五 is on the drill's roster, not the training's.
        await #expect(throws: StoreError.unknownMember(session: uid, member: "m3")) {
            try await store.record([Sample.mark("m3", .present)])
        }
        await #expect(throws: StoreError.duplicateMark(session: uid, member: "m1")) {
            try await store.record([Sample.mark("m1", .present), Sample.mark("m1", .late)])
        }
        for reason in [nil, "", "  "] as [String?] {
            await #expect {
                try await store.record([
                    Sample.mark("m1", .present), Sample.mark("m2", .excused, reason: reason),
                ])
            } throws: { error in
                guard case .invalid(let text) = error as? StoreError else { return false }
                return text.contains("m2") && text.contains("请假")
            }
        }
        await #expect(throws: StoreError.notFinalized(uid)) {
            try await store.reopen(uid, by: "站长", reason: "补录", at: 1)
        }
        try await store.finalize(uid, by: "站长", at: 1)
        await #expect(throws: StoreError.finalized(uid)) { try await store.finalize(uid, by: "站长", at: 2) }
        await #expect(throws: StoreError.finalized(uid)) {
            try await store.record([Sample.mark("m1", .present)])
        }
        await #expect {
            try await store.reopen(uid, by: "站长", reason: " ", at: 3)
        } throws: { error in
            guard case .invalid(let text) = error as? StoreError else { return false }
            return text.contains(uid)
        }
        #expect(try await store.session(uid)?.finalized == true)
        #expect(try await store.allMarks().isEmpty)
        #expect(try await store.audit(session: nil).map(\.action) == ["finalize"])
    }

    @Test("re-recording the same status and reason changes nothing", arguments: StoreKind.allCases)
    func idempotentReRecord(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let first = [Sample.mark("m1", .present), Sample.mark("m2", .excused, reason: "生病")]
        #expect(try await store.record(first) == 2)
        // Same status and reason, recorded by someone else later: no change, no audit entry.
        let again = [Sample.mark("m1", .present, by: "other", at: 1_900_000_000), first[1]]
        #expect(try await store.record(again) == 0)
        #expect(try await store.audit(session: nil).count == 2)
        #expect(
            try await store.marks(session: Sample.training.uid) == first.sorted { $0.memberID < $1.memberID })

        // A new reason is a change; so is a new status, audited with before and after.
        #expect(try await store.record([Sample.mark("m2", .excused, reason: "住院")]) == 1)
        #expect(
            try await store.record([Sample.mark("m1", .late, by: "leader", at: 1_800_000_500, source: .page)])
                == 1)
        let last = try #require(try await store.audit(session: Sample.training.uid).last)
        #expect(
            last
                == AuditEntry(
                    sessionUID: Sample.training.uid, action: "mark", memberID: "m1", before: "present",
                    after: "late",
                    reason: nil, by: "leader", at: 1_800_000_500, source: "page"))
        #expect(try await store.audit(session: nil).count == 4)
    }

    @Test("a retried check-in with the same client id never counts twice", arguments: StoreKind.allCases)
    func clientIDDedupe(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let checkIn = Sample.mark("m1", .present, source: .selfCheckIn, clientID: "qr-1")
        #expect(try await store.record([checkIn]) == 1)
        #expect(try await store.record([checkIn]) == 0)

        // The operator corrects 张三 to late; a late retry of the old check-in must not undo that.
        #expect(try await store.record([Sample.mark("m1", .late)]) == 1)
        #expect(try await store.record([checkIn]) == 0)
        #expect(try await store.marks(session: Sample.training.uid).first?.status == .late)

        // The same client id twice in one call counts once.
        let twice = [
            Sample.mark("m2", .present, source: .page, clientID: "qr-2"),
            Sample.mark("m2", .late, source: .page, clientID: "qr-2"),
        ]
        #expect(try await store.record(twice) == 1)
        #expect(try await store.marks(session: Sample.training.uid).last?.status == .present)

        // A retry after the record is locked is still a quiet no-op, not an error.
        try await store.finalize(Sample.training.uid, by: "站长", at: 1_800_001_000)
        #expect(try await store.record([checkIn, twice[0]]) == 0)
        #expect(try await store.audit(session: nil).map(\.action) == ["mark", "mark", "mark", "finalize"])
    }

    // MARK: Locking and the audit trail

    @Test(
        "finalize, refused mark, reopen with a reason, mark: all in the audit trail",
        arguments: StoreKind.allCases)
    func finalizeReopenTrail(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let uid = Sample.drill.uid
        try await store.record([Sample.mark("m1", .absent, session: uid, by: "队长", at: 100, source: .page)])
        try await store.finalize(uid, by: "站长", at: 200)
        #expect(try await store.session(uid)?.finalized == true)
        await #expect(throws: StoreError.finalized(uid)) {
            try await store.record([Sample.mark("m1", .present, session: uid)])
        }
        try await store.reopen(uid, by: "站长", reason: "张三实际到场，签到表漏登", at: 300)
        #expect(try await store.session(uid)?.finalized == false)
        #expect(try await store.record([Sample.mark("m1", .present, session: uid, by: "站长", at: 400)]) == 1)
        // A mark on another session stays out of this session's trail.
        try await store.record([Sample.mark("m1", .present)])

        let expected = [
            AuditEntry(
                sessionUID: uid, action: "mark", memberID: "m1", before: nil, after: "absent", reason: nil,
                by: "队长", at: 100, source: "page"),
            AuditEntry(
                sessionUID: uid, action: "finalize", memberID: nil, before: nil, after: nil, reason: nil,
                by: "站长", at: 200, source: "cli"),
            AuditEntry(
                sessionUID: uid, action: "reopen", memberID: nil, before: nil, after: nil,
                reason: "张三实际到场，签到表漏登", by: "站长", at: 300, source: "cli"),
            AuditEntry(
                sessionUID: uid, action: "mark", memberID: "m1", before: "absent", after: "present",
                reason: nil,
                by: "站长", at: 400, source: "cli"),
        ]
        #expect(try await store.audit(session: uid) == expected)
        #expect(try await store.audit(session: nil).count == 5)
        #expect(try await store.audit(session: nil).prefix(4) == expected[...])
    }

    @Test("a drill summary round-trips, is replaced and is audited", arguments: StoreKind.allCases)
    func summaryRoundTrip(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let uid = Sample.drill.uid
        #expect(try await store.summary(for: uid) == nil)
        #expect(try await store.summarizedSessions().isEmpty)
        #expect(try await store.allSummaries().isEmpty)
        try await store.saveSummary(Sample.summary, for: uid, by: "站长", at: 500)
        #expect(try await store.summary(for: uid) == Sample.summary)
        #expect(try await store.summarizedSessions() == [uid])

        var revised = Sample.summary
        revised.improvements = "增设应急广播；每季度检查"
        try await store.saveSummary(revised, for: uid, by: "副站长", at: 600)
        #expect(try await store.summary(for: uid) == revised)
        #expect(try await store.summary(for: Sample.training.uid) == nil)
        #expect(try await store.summarizedSessions() == [uid])
        #expect(try await store.allSummaries() == [uid: revised])
        #expect(
            try await store.audit(session: uid) == [
                AuditEntry(
                    sessionUID: uid, action: "summary", memberID: nil, before: nil, after: nil, reason: nil,
                    by: "站长", at: 500, source: "cli"),
                AuditEntry(
                    sessionUID: uid, action: "summary", memberID: nil, before: nil, after: nil, reason: nil,
                    by: "副站长", at: 600, source: "cli"),
            ])
    }

    @Test("concurrent recordings all land, each once", arguments: StoreKind.allCases)
    func concurrentRecordings(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<20 {
                let member = i.isMultiple(of: 2) ? "m1" : "m2"
                group.addTask {
                    try await store.record([
                        Sample.mark(member, .present, source: .selfCheckIn, clientID: "retry-\(member)")
                    ])
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == 2)
        #expect(try await store.audit(session: nil).count == 2)
    }

    // MARK: Private feed tokens

    static let hashA = String(repeating: "a1", count: 32)
    static let hashB = String(repeating: "b2", count: 32)
    static let hashC = String(repeating: "c3", count: 32)

    @Test("an issued token finds its member; unknown hashes find nobody", arguments: StoreKind.allCases)
    func tokenLookup(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        #expect(try await store.member(forTokenHash: Self.hashA) == nil)
        try await store.issueToken(member: "m1", hash: Self.hashA, at: 100)
        try await store.issueToken(member: "m2", hash: Self.hashB, at: 101)
        #expect(try await store.member(forTokenHash: Self.hashA) == "m1")
        #expect(try await store.member(forTokenHash: Self.hashB) == "m2")
        #expect(try await store.member(forTokenHash: Self.hashC) == nil)
    }

    @Test("reissuing replaces the old token; revoking ends it", arguments: StoreKind.allCases)
    func tokenReissueRevoke(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        try await store.issueToken(member: "m1", hash: Self.hashA, at: 100)
        try await store.issueToken(member: "m1", hash: Self.hashB, at: 200)
        #expect(try await store.member(forTokenHash: Self.hashA) == nil, "the old link stops working")
        #expect(try await store.member(forTokenHash: Self.hashB) == "m1")

        #expect(try await store.revokeToken(member: "m1", at: 300) == true)
        #expect(try await store.member(forTokenHash: Self.hashB) == nil)
        #expect(try await store.revokeToken(member: "m1", at: 301) == false, "nothing left to revoke")
        #expect(try await store.revokeToken(member: "nobody", at: 302) == false)
    }

    @Test("tokens refuse a non-digest, an empty member and a reused digest", arguments: StoreKind.allCases)
    func tokenRules(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        await #expect(throws: StoreError.self) {
            try await store.issueToken(member: "m1", hash: "raw-token-not-a-hash", at: 1)
        }
        await #expect(throws: StoreError.self) {
            try await store.issueToken(member: "m1", hash: Self.hashA.uppercased(), at: 1)
        }
        await #expect(throws: StoreError.self) {
            try await store.issueToken(member: "", hash: Self.hashA, at: 1)
        }

        try await store.issueToken(member: "m1", hash: Self.hashA, at: 1)
        try await store.revokeToken(member: "m1", at: 2)
        // A revoked digest must never come back to life, for anyone.
        await #expect(throws: StoreError.self) {
            try await store.issueToken(member: "m2", hash: Self.hashA, at: 3)
        }
        #expect(try await store.member(forTokenHash: Self.hashA) == nil)
        // A refused issue leaves the member's current token alone.
        try await store.issueToken(member: "m2", hash: Self.hashB, at: 4)
        await #expect(throws: StoreError.self) {
            try await store.issueToken(member: "m2", hash: Self.hashB, at: 5)
        }
        #expect(try await store.member(forTokenHash: Self.hashB) == "m2")
    }

    // MARK: Drill-leader codes

    @Test("a leader code opens its session until it is replaced or revoked", arguments: StoreKind.allCases)
    func leaderCodes(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let first = String(repeating: "a1", count: 32), second = String(repeating: "b2", count: 32)
        let other = String(repeating: "c3", count: 32)
        #expect(try await store.session(forLeaderCodeHash: first) == nil)

        try await store.issueLeaderCode(session: Sample.drill.uid, hash: first, by: "站长", at: 1_800_000_000)
        try await store.issueLeaderCode(
            session: Sample.training.uid, hash: other, by: "站长", at: 1_800_000_000)
        #expect(try await store.session(forLeaderCodeHash: first) == Sample.drill.uid)

        // A new code for the drill replaces the old one; the training's code is untouched.
        try await store.issueLeaderCode(session: Sample.drill.uid, hash: second, by: "站长", at: 1_800_000_100)
        #expect(try await store.session(forLeaderCodeHash: first) == nil)
        #expect(try await store.session(forLeaderCodeHash: second) == Sample.drill.uid)
        #expect(try await store.session(forLeaderCodeHash: other) == Sample.training.uid)

        #expect(try await store.revokeLeaderCodes(session: Sample.drill.uid, at: 1_800_000_200) == 1)
        #expect(try await store.revokeLeaderCodes(session: Sample.drill.uid, at: 1_800_000_300) == 0)
        #expect(try await store.session(forLeaderCodeHash: second) == nil)
        #expect(try await store.session(forLeaderCodeHash: other) == Sample.training.uid)
    }

    @Test("leader codes refuse unknown sessions, malformed and reused hashes", arguments: StoreKind.allCases)
    func leaderCodeRefusals(kind: StoreKind) async throws {
        let fixture = try await Sample.published(kind)
        defer { fixture.cleanUp() }
        let store = fixture.store
        let hash = String(repeating: "0f", count: 32)
        await #expect(throws: StoreError.unknownSession("nope")) {
            try await store.issueLeaderCode(session: "nope", hash: hash, by: "站长", at: 1)
        }
        await #expect(throws: StoreError.unknownSession("nope")) {
            try await store.revokeLeaderCodes(session: "nope", at: 1)
        }
        for bad in ["", "ABCDEF", String(repeating: "0F", count: 32), String(repeating: "0", count: 63)] {
            await #expect(throws: StoreError.self) {
                try await store.issueLeaderCode(session: Sample.drill.uid, hash: bad, by: "站长", at: 1)
            }
        }
        try await store.issueLeaderCode(session: Sample.drill.uid, hash: hash, by: "站长", at: 1)
        try await store.revokeLeaderCodes(session: Sample.drill.uid, at: 2)
        // A revoked code must not come back, for this session or another.
        await #expect(throws: StoreError.self) {
            try await store.issueLeaderCode(session: Sample.training.uid, hash: hash, by: "站长", at: 3)
        }
        #expect(try await store.session(forLeaderCodeHash: hash) == nil)
    }

    // MARK: Keys

    @Test(
        "a store key is 32 random bytes, made once and kept; names are separate",
        arguments: StoreKind.allCases)
    func storeKeys(kind: StoreKind) async throws {
        let fixture = try await kind.make()
        defer { fixture.cleanUp() }
        let store = fixture.store
        let a = try await store.storeKey(named: "leader-code-hmac")
        #expect(a.count == 32 && Set(a).count > 8)
        #expect(try await store.storeKey(named: "leader-code-hmac") == a)
        #expect(try await store.storeKey(named: "other") != a)
        let other = try await kind.make()
        defer { other.cleanUp() }
        #expect(try await other.store.storeKey(named: "leader-code-hmac") != a, "each database has its own")
        await #expect(throws: StoreError.self) { _ = try await store.storeKey(named: "") }
    }
}
