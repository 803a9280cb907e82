/// A reporting deadline recorded as done (`drillcal done DIR SESSION --note …`). A deadline is done
/// only when this record exists: the date passing proves nothing.
public struct DeadlineRecord: Hashable, Sendable, Codable {
    /// The deadline session's UID.
    public var sessionUID: String
    /// What was done (报送文号, 经办人…), may be empty.
    public var note: String
    /// Who recorded it.
    public var by: String
    /// When, seconds since 1970 UTC.
    public var at: Int

    /// Makes a record.
    public init(sessionUID: String, note: String, by: String, at: Int) {
        self.sessionUID = sessionUID
        self.note = note
        self.by = by
        self.at = at
    }
}

/// Whether a corrective action is still to do.
public enum ActionStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// 未完成.
    case open
    /// 已完成.
    case done

    /// Chinese or English label.
    public func label(_ language: Language) -> String {
        switch self {
        case .open: language.pick("整改中", "open")
        case .done: language.pick("已完成", "done")
        }
    }
}

/// Where a corrective action carried over from an earlier year's plan folder came from
/// (`drillcal actions OLD carry --to NEW`): the old folder's town, year and action number, and the
/// session it followed there, in words (its UID means nothing in the new year's store).
public struct CarriedFrom: Hashable, Sendable, Codable {
    public var town: String
    public var year: Int
    /// The action's number in the old year's store.
    public var id: Int
    /// The old session's title, empty for an action added by hand.
    public var source: String

    /// Makes an origin.
    public init(town: String, year: Int, id: Int, source: String = "") {
        self.town = town
        self.year = year
        self.id = id
        self.source = source
    }

    /// 上年度结转 (2027 年 #3) / carried over from 2027 (#3).
    public func label(_ language: Language) -> String {
        language.pick("上年度结转（\(year) 年 #\(id)）", "carried over from \(year) (#\(id))")
    }
}

/// A corrective action (整改措施) from a drill summary's improvements or added by hand: the HSEEP
/// improvement-plan item with an owner, a due date and a status.
public struct CorrectiveAction: Hashable, Sendable, Codable, Identifiable {
    /// Store-assigned number, from 1.
    public var id: Int
    /// The drill whose summary it came from, if any.
    public var sessionUID: String?
    /// What is to be done.
    public var text: String
    /// Who is responsible (责任单位/责任人).
    public var owner: String
    /// Due date.
    public var due: CivilDate
    /// Status.
    public var status: ActionStatus
    /// How it was closed (完成情况), empty while open.
    public var note: String
    /// Who added it and when (seconds since 1970 UTC).
    public var createdBy: String
    public var createdAt: Int
    /// When it was closed.
    public var closedAt: Int?
    /// Set for an action carried over from an earlier year (上年度结转).
    public var carriedFrom: CarriedFrom?

    /// Makes an action.
    public init(
        id: Int, sessionUID: String?, text: String, owner: String, due: CivilDate,
        status: ActionStatus = .open,
        note: String = "", createdBy: String, createdAt: Int, closedAt: Int? = nil, carriedFrom: CarriedFrom? = nil
    ) {
        self.id = id
        self.sessionUID = sessionUID
        self.text = text
        self.owner = owner
        self.due = due
        self.status = status
        self.note = note
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.carriedFrom = carriedFrom
    }

    /// Whether it is open past its due date on `day`.
    public func isOverdue(on day: CivilDate) -> Bool { status == .open && due < day }
}

extension DrillSummary {
    /// The improvement measures (改进措施) one per item: split on line breaks, `；`, `;` and leading
    /// numbering such as `1.` or `（1）`, empty items dropped.
    public var improvementItems: [String] {
        var items: [String] = []
        var current = ""
        for ch in improvements {
            if ch == "\n" || ch == "\r\n" || ch == "\r" || ch == "；" || ch == ";" {
                items.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        items.append(current)
        return items.map { Self.stripNumbering($0) }.filter { !$0.isEmpty }
    }

    static func stripNumbering(_ raw: String) -> String {
        var s = Substring(raw.trimmedSpace)
        // "1." "1、" "(1)" "（1）" "一、"
        let open: Set<Character> = ["(", "（"]
        let close: Set<Character> = [")", "）"]
        let digits = "0123456789一二三四五六七八九十"
        if let f = s.first, open.contains(f), let end = s.firstIndex(where: { close.contains($0) }),
            s[s.index(after: s.startIndex)..<end].allSatisfy({ digits.contains($0) })
        {
            s = s[s.index(after: end)...]
        } else {
            let prefix = s.prefix { digits.contains($0) }
            if !prefix.isEmpty, let next = s.dropFirst(prefix.count).first, ".、．)）".contains(next) {
                s = s.dropFirst(prefix.count + 1)
            }
        }
        return String(s).trimmedSpace
    }
}
