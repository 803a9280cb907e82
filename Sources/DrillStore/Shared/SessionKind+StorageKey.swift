import DrillCore

extension SessionKind {
    /// The kind as one text value, the way stores keep it: `training`, `deadline`, or
    /// `drill:<form>:<scope>` (`drill:live:comprehensive`), so a plain column can hold form and scope.
    public var storageKey: String {
        switch self {
        case .training: "training"
        case .deadline: "deadline"
        case .drill(let form, let scope): "drill:\(form.rawValue):\(scope.rawValue)"
        }
    }

    /// Reads a kind back from its `storageKey`; nil for anything else.
    public init?(storageKey: String) {
        switch storageKey {
        case "training": self = .training
        case "deadline": self = .deadline
        default:
            let parts = storageKey.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "drill",
                let form = DrillForm(rawValue: String(parts[1])),
                let scope = DrillScope(rawValue: String(parts[2]))
            else { return nil }
            self = .drill(form, scope)
        }
    }

    /// Every kind, for schema checks that list the allowed keys.
    static var allStorageKeys: [String] {
        var keys = ["training", "deadline"]
        for form in DrillForm.allCases {
            for scope in DrillScope.allCases { keys.append(SessionKind.drill(form, scope).storageKey) }
        }
        return keys
    }
}
