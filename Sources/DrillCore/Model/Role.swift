/// Where a team member comes from, or what they do: the "source mix" a team must have.
///
/// Raw values are the English keys used in files; `chinese` is the label a town official reads
/// and also accepted on input (roster sheets in China are filled in Chinese).
public enum Role: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    // Town comprehensive team sources.
    case police, medical, militia
    case forestFirefighter = "forest_firefighter"
    case firefighter
    case property, enterprise, volunteer
    // Village team sources.
    case groupLeader = "group_leader"
    case coreMilitia = "core_militia"
    case clinic, school, labourer
    // Grid duties.
    case emergencyManager = "emergency_manager"
    case infoOfficer = "info_officer"
    case ranger
    case redCross = "red_cross"

    /// The Chinese label (警务, 医务, …).
    public var chinese: String {
        switch self {
        case .police: "警务"
        case .medical: "医务"
        case .militia: "民兵"
        case .forestFirefighter: "森林消防"
        case .firefighter: "消防站"
        case .property: "物业管理"
        case .enterprise: "企事业单位"
        case .volunteer: "志愿者"
        case .groupLeader: "村民小组长"
        case .coreMilitia: "基干民兵"
        case .clinic: "卫生所"
        case .school: "学校"
        case .labourer: "青壮劳力"
        case .emergencyManager: "应急管理员"
        case .infoOfficer: "灾害信息员"
        case .ranger: "护林员"
        case .redCross: "红十字志愿者"
        }
    }

    /// An English label for reports.
    public var english: String {
        switch self {
        case .police: "police"
        case .medical: "medical"
        case .militia: "militia"
        case .forestFirefighter: "forest firefighter"
        case .firefighter: "fire station"
        case .property: "property management"
        case .enterprise: "enterprise"
        case .volunteer: "volunteer"
        case .groupLeader: "group leader"
        case .coreMilitia: "core militia"
        case .clinic: "clinic"
        case .school: "school"
        case .labourer: "labourer"
        case .emergencyManager: "emergency manager"
        case .infoOfficer: "disaster information officer"
        case .ranger: "forest ranger"
        case .redCross: "Red Cross volunteer"
        }
    }

    /// The label in `language`.
    public func label(_ language: Language) -> String { language == .zh ? chinese : english }

    /// Reads a role from its key (`police`) or its Chinese label (`警务`, also a few common synonyms).
    public init?(key: String) {
        let k = key.trimmedSpace
        if let r = Role(rawValue: k.lowercased()) {
            self = r
            return
        }
        if let r = Role.allCases.first(where: { $0.chinese == k }) {
            self = r
            return
        }
        switch k {
        case "公安", "派出所", "警察": self = .police
        case "医生", "卫生院", "医护": self = .medical
        case "消防", "消防员": self = .firefighter
        case "物业": self = .property
        case "企业", "事业单位": self = .enterprise
        case "卫生室", "村医": self = .clinic
        case "教师": self = .school
        case "劳力": self = .labourer
        case "网格员", "应急管理专员": self = .emergencyManager
        case "信息员": self = .infoOfficer
        default: return nil
        }
    }

    public static func < (a: Role, b: Role) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

extension StringProtocol {
    /// Drops leading and trailing white space (ASCII and the ideographic space U+3000).
    public var trimmedSpace: String {
        // Nearly every value begins and ends with a printable ASCII byte: then neither its first nor its
        // last Character is white space (a Character whose first, or last, byte is such a byte is that
        // character alone or a cluster of several scalars, never white space), so there is nothing to
        // trim and no Character needs to be formed.
        var s = Substring(self)
        if let first = s.utf8.first, let last = s.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last)
        {
            return String(s)
        }
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
