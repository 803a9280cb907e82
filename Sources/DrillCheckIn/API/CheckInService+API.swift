import DrillCore
import DrillStore
import Foundation
import Hummingbird

extension CheckInService {
    func summary(_ s: SessionRecord, l: Language) -> SessionSummary {
        SessionSummary(
            uid: s.uid, title: town.title(of: s, l), kind: s.kind.storageKey, date: s.slot.date.description,
            start: LocalTime(minutes: s.slot.startMinute % 1440)?.description ?? "",
            end: LocalTime(minutes: s.slot.endMinute % 1440)?.description ?? "", teams: s.teamIDs,
            venue: s.venueID.map { town.venueNames[$0] ?? $0 }, finalized: s.finalized, cancelled: s.cancelled
        )
    }

    /// `GET /api/sessions`: every published session that is not cancelled, by start time.
    /// Built again only when a session or the town changed (`SessionListCache`).
    func apiSessions(_ request: Request) async throws -> Response {
        let l = language(of: request)
        let version = try await storeCall(l) { try await store.sessionsVersion() }
        let body = try await apiLists.value("api|\(l.rawValue)", version: version, revision: town.revision) {
            let sessions = try await storeCall(l) { try await store.sessions() }
            let live: [SessionSummary] = sessions.filter { !$0.cancelled }.map { summary($0, l: l) }
            return try JSONBody.encode(["sessions": live])
        }
        return JSONBody.response(bytes: body)
    }

    /// `GET /api/sessions/{uid}`: the session and its counts; roster and marks for its leader only.
    func apiSession(_ request: Request, uid: String, ip: String) async throws -> Response {
        let l = language(of: request)
        let session = try await liveSession(uid, l: l)
        let auth = try await leader(request, uid: uid, ip: ip, l: l)
        return try JSONBody.response(try await detail(session, leader: auth != nil, l: l))
    }

    func detail(_ session: SessionRecord, leader: Bool, l: Language) async throws -> SessionDetail {
        let uid = session.uid
        // Without a leader only the counts are shown: one aggregate read, no rows decoded.
        guard leader else {
            let teams = teamCounts(session, try await storeCall(l) { try await store.turnout(session: uid) }, l: l)
            return SessionDetail(
                session: summary(session, l: l), teams: teams, counted: teams.reduce(0) { $0 + $1.counted },
                minimum: teams.reduce(0) { $0 + $1.minimum }, roster: nil, marks: nil, notices: nil)
        }
        let roster = try await storeCall(l) { try await store.roster(of: uid) }
        let marks = try await storeCall(l) { try await store.marks(session: uid) }
        let teams = turnout(session, roster: roster, marks: marks, l: l)
        let notices =
            leader
            ? try await storeCall(l) { try await store.absences() }.filter { $0.sessionUID == uid }
                .map { NoticeView(member: $0.memberID, reason: $0.reason, at: $0.at, source: "member") } : nil
        var names: [RosterName] = []
        for entry in roster {
            if let i = names.firstIndex(where: { $0.member == entry.memberID }) {
                names[i].teams.append(entry.teamID)
            } else {
                names.append(RosterName(member: entry.memberID, name: entry.name, teams: [entry.teamID]))
            }
        }
        return SessionDetail(
            session: summary(session, l: l), teams: teams, counted: teams.reduce(0) { $0 + $1.counted },
            minimum: teams.reduce(0) { $0 + $1.minimum }, roster: leader ? names : nil,
            marks: leader
                ? marks.map {
                    MarkView(
                        member: $0.memberID, status: $0.status.rawValue, reason: $0.reason,
                        source: $0.source.rawValue,
                        guest: $0.guest)
                } : nil,
            notices: notices)
    }

    /// `POST /api/sessions/{uid}/marks`: records the leader's marks, all or nothing; a mark whose
    /// `clientID` was recorded before changes nothing, so the page can retry until it hears back.
    func apiRecord(_ request: Request, uid: String, ip: String) async throws -> Response {
        let l = language(of: request)
        guard let auth = try await leader(request, uid: uid, ip: ip, l: l) else {
            throw CheckInError.unauthenticated(l)
        }
        try checkWrite(request, auth: auth, l: l)
        let session = try await liveSession(uid, l: l)
        guard hasOpened(session) else { throw CheckInError.notStarted(l, when: when(session)) }
        let body: MarksRequest
        do {
            body = try JSONDecoder().decode(
                MarksRequest.self, from: Data(try await RequestBodyReader.text(request).utf8))
        } catch {
            throw CheckInError.badRequest(
                l, zh: "请求体应为 JSON：{\"marks\":[{\"member\",\"status\",\"reason\",\"clientID\"}]}",
                en: "the body must be JSON: {\"marks\":[{\"member\",\"status\",\"reason\",\"clientID\"}]}")
        }
        guard body.marks.count <= 500 else {
            throw CheckInError.badRequest(l, zh: "一次最多 500 条", en: "at most 500 marks per request")
        }
        let at = now
        var marks: [AttendanceMark] = []
        for m in body.marks {
            guard let status = AttendanceStatus(key: m.status) else {
                throw CheckInError.badRequest(
                    l, zh: "status 应为 present、late、excused 或 absent，实际为 “\(m.status)”",
                    en: "status must be present, late, excused or absent, found \"\(m.status)\"")
            }
            guard m.member.count <= 100, (m.reason ?? "").count <= 500, (m.clientID ?? "").count <= 100 else {
                throw CheckInError.badRequest(l, zh: "字段过长", en: "a field is too long")
            }
            let reason = m.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            marks.append(
                AttendanceMark(
                    sessionUID: session.uid, memberID: m.member, status: status,
                    reason: reason?.isEmpty == false ? reason : nil, recordedBy: auth.recorder,
                    recordedAt: at,
                    source: .page, clientID: m.clientID?.isEmpty == false ? m.clientID : nil))
        }
        // The live count comes with the write: a group-committed store reads it once per batch.
        let recorded = try await storeCall(l) { try await store.recordAndCount(marks, session: session.uid) }
        let teams = teamCounts(session, recorded.turnout, l: l)
        return try JSONBody.response(
            MarksResponse(
                changed: recorded.changed, counted: teams.reduce(0) { $0 + $1.counted },
                minimum: teams.reduce(0) { $0 + $1.minimum }, teams: teams))
    }
}
