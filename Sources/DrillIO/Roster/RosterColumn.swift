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

    /// Columns a roster must have.
    var isRequired: Bool { [.id, .name, .teams, .roles].contains(self) }
}
