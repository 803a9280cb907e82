/// How a person turned out for a session (出勤情况).
public enum AttendanceStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// 到场.
    case present
    /// 迟到: counted toward turnout.
    case late
    /// 请假, with a reason: not counted, not held against the member's rate.
    case excused
    /// 缺勤.
    case absent

    /// Whether the status counts toward the team's turnout.
    public var counts: Bool { self == .present || self == .late }

    /// Chinese or English label.
    public func label(_ language: Language) -> String {
        switch self {
        case .present: language.pick("到场", "present")
        case .late: language.pick("迟到", "late")
        case .excused: language.pick("请假", "excused")
        case .absent: language.pick("缺勤", "absent")
        }
    }

    /// Reads a status from its key or Chinese label (sign-in sheets are filled in Chinese).
    public init?(key: String) {
        let k = key.trimmedSpace
        if let s = AttendanceStatus(rawValue: k.lowercased()) {
            self = s
            return
        }
        switch k {
        case "到", "到场", "出勤", "签到", "√", "✓": self = .present
        case "迟到": self = .late
        case "请假", "假": self = .excused
        case "缺", "缺勤", "未到", "×", "✗": self = .absent
        default: return nil
        }
    }
}

/// Where a mark came from, kept in the audit trail.
public enum MarkSource: String, Sendable, Codable, Hashable, CaseIterable {
    /// `drillcal attend` on the command line.
    case cli
    /// A sign-in sheet imported with `drillcal attend --import`.
    case importSheet = "import"
    /// The drill leader's check-in page.
    case page
    /// A member's own QR check-in.
    case selfCheckIn = "self"
}
