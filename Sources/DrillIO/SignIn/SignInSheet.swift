import DrillCore

/// A sign-in sheet column (签到表): `uid,member,name,status,reason` or `活动,编号,姓名,出勤,原因`.
/// `time`, `place` and `team` (时间、地点、队伍) are what a printed sheet (`drillcal sheet`) shows
/// beside each name; they are read for their form only and ignored.
enum SignInColumn: String, CSVColumn {
    case uid, time, place, team, member, name, status, reason

    var key: String { rawValue }

    var chinese: String {
        switch self {
        case .uid: "活动"
        case .member: "编号"
        case .name: "姓名"
        case .status: "出勤"
        case .reason: "原因"
        case .time: "时间"
        case .place: "地点"
        case .team: "队伍"
        }
    }

    /// The session column may be left out of a one-session sheet (`attend DIR UID --import`).
    var isRequired: Bool { self == .status }

    /// Absence reasons are never repeated in a message.
    var isPersonal: Bool { self == .reason }

    var maxCharacters: Int {
        switch self {
        case .name: InputLimits.nameCharacters
        case .uid: 200
        case .member, .status: 64
        case .time, .place, .team: InputLimits.lineCharacters
        case .reason: InputLimits.lineCharacters
        }
    }
}

/// One row of a sign-in sheet.
public struct SignInRow: Hashable, Sendable {
    /// Physical line in the file.
    public var line: Int
    /// Session UID.
    public var uid: String
    /// Member id, or nil for a guest (a person not on the team, given by name).
    public var memberID: String?
    /// Name as written (checked against the roster when a member id is given).
    public var name: String
    /// Status.
    public var status: AttendanceStatus
    /// Reason (required for excused).
    public var reason: String?
}

/// Reads a sign-in sheet: CSV exported from a spreadsheet (UTF-8, UTF-8 with BOM, GB18030), or
/// the Excel workbook itself (.xlsx, its first worksheet; `drillcal sheet --format xlsx` makes one).
public enum SignInSheet {
    /// Reads and checks a sheet's form; references (sessions, members) are checked by the caller against the store.
    /// - Throws: `InputError` naming the line and column of the first problem.
    /// - Parameter session: the session of a one-session sheet (given on the command line): rows
    ///   without a session UID (or a sheet without that column) belong to it, and a row naming
    ///   another session is refused.
    public static func load(file: String, encoding: RosterEncoding, session: String? = nil) throws(InputError)
        -> [SignInRow]
    {
        let bytes = try FileBytes.read(file, limit: InputLimits.tableBytes)
        // A workbook is known by its bytes (a ZIP archive), whatever its name says.
        let text =
            XLSXTable.isWorkbook(bytes)
            ? try XLSXTable.csv(bytes, file: file) : try TextDecoder.decode(bytes, encoding: encoding, file: file)
        return try parse(text: text, file: file, session: session)
    }

    /// Checks a sheet given as text (`session` as in `load`).
    public static func parse(text: String, file: String, session: String? = nil) throws(InputError) -> [SignInRow] {
        let table = try CSVTable<SignInColumn>(text: text, file: file)
        var out: [SignInRow] = []
        for row in table.rows {
            var uid = row.value(.uid)
            if let session {
                if uid.isEmpty {
                    uid = session
                } else if uid != session {
                    throw row.error(
                        .uid, LocalizedText(zh: "命令行给出的活动 \(session)（或留空）", en: "the session given, \(session) (or empty)"),
                        found: uid)
                }
            }
            guard !uid.isEmpty else {
                throw row.error(
                    .uid,
                    LocalizedText(
                        zh: "活动 UID（或在命令行给出活动：attend DIR UID --import 表）",
                        en: "a session UID (or give the session: attend DIR UID --import SHEET)"),
                    found: "")
            }
            let member = row.value(.member)
            let name = row.value(.name)
            guard !member.isEmpty || !name.isEmpty else {
                throw row.error(
                    .member, LocalizedText(zh: "队员编号（来宾可只填姓名）", en: "a member id (or a guest's name)"), found: "")
            }
            // A row of a printed sheet nobody filled in (no status, no reason) records nothing:
            // the member counts as not recorded (absent), as if not on the sheet.
            if row.value(.status).isEmpty && row.value(.reason).isEmpty && !member.isEmpty { continue }
            guard let status = AttendanceStatus(key: row.value(.status)) else {
                throw row.error(
                    .status,
                    LocalizedText(zh: "到场、迟到、请假或缺勤（present/late/excused/absent）", en: "present, late, excused or absent (到场/迟到/请假/缺勤)"),
                    found: row.value(.status))
            }
            let reason = row.value(.reason)
            if status == .excused && reason.isEmpty {
                throw row.error(.reason, LocalizedText(zh: "请假原因", en: "a reason for the excused absence"), found: "")
            }
            out.append(
                SignInRow(
                    line: row.line, uid: uid, memberID: member.isEmpty ? nil : member, name: name, status: status,
                    reason: reason.isEmpty ? nil : reason))
        }
        return out
    }
}
