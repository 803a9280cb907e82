import DrillCore
import Foundation
import Testing

@testable import DrillStore

/// Every store the conformance suite runs against: in memory, SQLite (in memory and in a file), and
/// PostgreSQL 15 in a cluster the tests start themselves (`PostgresCluster`), one schema per store.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case sqliteInMemory
    case sqliteFile
    case postgres

    var testDescription: String { rawValue }

    /// A fresh, empty store of this kind.
    func make() async throws -> StoreFixture {
        switch self {
        case .inMemory: return StoreFixture(store: InMemoryStore(), folder: nil)
        case .sqliteInMemory: return StoreFixture(store: try SQLiteStore.inMemory(), folder: nil)
        case .sqliteFile:
            let folder = try StoreFixture.temporaryFolder()
            let store = try SQLiteStore(path: folder.appendingPathComponent("attendance.sqlite").path)
            return StoreFixture(store: store, folder: folder)
        case .postgres:
            let store = try await PostgresStore(url: try await PostgresCluster.shared().freshURL())
            return StoreFixture(store: store, folder: nil, close: { store.close() })
        }
    }
}

/// A store under test and what to remove or close afterwards.
struct StoreFixture {
    let store: any AttendanceStore
    let folder: URL?
    var close: (() -> Void)? = nil

    func cleanUp() {
        close?()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("drillstore-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A small published schedule: two teams, a training, a joint drill and a deadline.
enum Sample {
    static let day = CivilDate(year: 2027, month: 5, day: 12)!

    static func session(
        _ uid: String, kind: SessionKind = .training, teams: [String] = ["t1"], day offset: Int = 0,
        start: Int = 540, sequence: Int = 0
    ) -> SessionRecord {
        SessionRecord(
            uid: uid, sequence: sequence, ruleID: "rule-\(kind.key)", kind: kind, teamIDs: teams,
            slot: TimeSlot(date: day.adding(days: offset), startMinute: start, endMinute: start + 120),
            venueID: teams.isEmpty ? nil : "venue-1", supervisorID: teams.isEmpty ? nil : "sup-1")
    }

    static let training = session("s1-training")
    static let drill = session("s2-drill", kind: .drill(.live, .comprehensive), teams: ["t1", "t2"], day: 7)
    static let deadline = session("s3-deadline", kind: .deadline, teams: [], day: 14, start: 0)
    static let all = [training, drill, deadline]

    static func entry(_ member: String, _ name: String, team: String = "t1", away: Bool = false)
        -> RosterEntry
    {
        RosterEntry(memberID: member, name: name, teamID: team, roles: [.militia, .volunteer], away: away)
    }

    static let rosters: [String: [RosterEntry]] = [
        training.uid: [entry("m2", "李四"), entry("m1", "张三")],
        drill.uid: [entry("m3", "王五", team: "t2"), entry("m1", "张三"), entry("m2", "李四", away: true)],
    ]

    static func mark(
        _ member: String, _ status: AttendanceStatus, session: String = training.uid, reason: String? = nil,
        guest: Bool = false, by: String = "operator", at: Int = 1_800_000_000, source: MarkSource = .cli,
        clientID: String? = nil
    ) -> AttendanceMark {
        AttendanceMark(
            sessionUID: session, memberID: member, status: status, reason: reason, guest: guest,
            recordedBy: by, recordedAt: at, source: source, clientID: clientID)
    }

    static let summary = DrillSummary(
        purpose: "检验山洪灾害转移避险预案", timeAndPlace: "2027年5月19日 村委会", units: "镇综合队、村队",
        scenario: "夜间强降雨", problems: "广播覆盖不足", causes: "设备老化", lessons: "提前预警",
        improvements: "增设应急广播")

    /// A store with the sample schedule published.
    static func published(_ kind: StoreKind) async throws -> StoreFixture {
        let fixture = try await kind.make()
        try await fixture.store.publish(sessions: all, rosters: rosters)
        return fixture
    }
}
