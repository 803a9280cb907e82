import DrillCore

/// A session as the JSON API shows it.
struct SessionSummary: Codable, Sendable {
    var uid: String
    var title: String
    var kind: String
    var date: String
    var start: String
    var end: String
    var teams: [String]
    var venue: String?
    var finalized: Bool
    var cancelled: Bool
}

/// `GET /api/sessions/{uid}`: roster and marks only for the session's leader.
struct SessionDetail: Codable, Sendable {
    var session: SessionSummary
    var teams: [TeamCount]
    var counted: Int
    var minimum: Int
    var roster: [RosterName]?
    var marks: [MarkView]?
    /// Members' own notices that they cannot come (请假, source `member`): an excused pre-mark
    /// until the leader records what happened. Leader only (the reasons are personal).
    var notices: [NoticeView]?
}

/// A member's absence notice as the session's leader sees it.
struct NoticeView: Codable, Sendable {
    var member: String
    var reason: String
    /// When it was given, seconds since 1970 UTC.
    var at: Int
    /// Always `member`: given on the member's own page.
    var source: String
}

/// A roster line: names only, never phones.
struct RosterName: Codable, Sendable {
    var member: String
    var name: String
    var teams: [String]
}

/// A stored mark as the leader sees it.
struct MarkView: Codable, Sendable {
    var member: String
    var status: String
    var reason: String?
    var source: String
    var guest: Bool
}

/// `POST /api/sessions/{uid}/marks` body.
struct MarksRequest: Codable, Sendable {
    struct Mark: Codable, Sendable {
        var member: String
        var status: String
        var reason: String?
        var clientID: String?
    }
    var marks: [Mark]
}

/// `POST /api/sessions/{uid}/marks` answer.
struct MarksResponse: Codable, Sendable {
    var changed: Int
    var counted: Int
    var minimum: Int
    var teams: [TeamCount]
}
