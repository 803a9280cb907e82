/// A roster.csv column, known by its English key (any case) or its Chinese header.
enum RosterColumn: String, CSVColumn {
    case id, name, phone, teams, roles, village, grid, unavailable

    /// The Chinese header (编号, 姓名, …).
    var chinese: String {
        switch self {
        case .id: "编号"
        case .name: "姓名"
        case .phone: "电话"
        case .teams: "队伍"
        case .roles: "来源"
        case .village: "村"
        case .grid: "网格"
        case .unavailable: "不可用时段"
        }
    }

    var key: String { rawValue }

    /// Columns a roster must have (teams may be empty for grid staff, but the column is needed).
    var isRequired: Bool { [.id, .name, .teams, .roles].contains(self) }

    /// Phone numbers and absence reasons are never repeated in a message.
    var isPersonal: Bool { self == .phone || self == .unavailable }

    var maxCharacters: Int {
        switch self {
        case .name: InputLimits.nameCharacters
        case .id, .phone, .village, .grid: 64
        case .teams, .roles, .unavailable: InputLimits.cellCharacters
        }
    }
}
