import DrillCore

/// The audit entries every store appends, built in one place so their wording cannot drift.
extension AuditEntry {
    /// Actions the audit trail knows, as stored.
    enum Action: String, CaseIterable {
        case mark, finalize, reopen, summary
    }

    /// Finalize, reopen and summary come from the command line (`drillcal attend`), which is the
    /// only place that can lock, unlock or write a summary.
    static let commandSource = MarkSource.cli.rawValue

    /// A mark changed from `before` to `mark`.
    static func marked(_ mark: AttendanceMark, before: AttendanceMark?) -> AuditEntry {
        AuditEntry(
            sessionUID: mark.sessionUID, action: Action.mark.rawValue, memberID: mark.memberID,
            before: before?.status.rawValue, after: mark.status.rawValue, reason: mark.reason,
            by: mark.recordedBy, at: mark.recordedAt, source: mark.source.rawValue)
    }

    /// A session's record was locked.
    static func finalized(_ uid: String, by: String, at: Int) -> AuditEntry {
        AuditEntry(
            sessionUID: uid, action: Action.finalize.rawValue, memberID: nil, before: nil, after: nil,
            reason: nil, by: by, at: at, source: commandSource)
    }

    /// A session's record was unlocked, with why.
    static func reopened(_ uid: String, by: String, reason: String, at: Int) -> AuditEntry {
        AuditEntry(
            sessionUID: uid, action: Action.reopen.rawValue, memberID: nil, before: nil, after: nil,
            reason: reason, by: by, at: at, source: commandSource)
    }

    /// A drill's summary was stored or replaced.
    static func summarySaved(_ uid: String, by: String, at: Int) -> AuditEntry {
        AuditEntry(
            sessionUID: uid, action: Action.summary.rawValue, memberID: nil, before: nil, after: nil,
            reason: nil, by: by, at: at, source: commandSource)
    }
}
