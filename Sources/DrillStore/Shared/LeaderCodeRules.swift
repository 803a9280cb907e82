import DrillCore

/// The checks of `issueLeaderCode`, written once for every store so they cannot drift.
enum LeaderCodeRules {
    /// The hash, if it looks like a SHA-256 digest in lowercase hex; a store never sees the code itself.
    static func checkHash(_ hash: String) throws(StoreError) -> String {
        let hex = hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        guard hash.utf8.count == 64, hex else {
            throw .invalid("签到码的哈希应为 64 位小写十六进制（SHA-256），实际为 “\(hash.prefix(80))”")
        }
        return hash
    }

    /// Refuses a hash stored before: a reused code could reopen a session whose code was revoked.
    static func checkUnused(_ hash: String, alreadyStored: Bool) throws(StoreError) {
        if alreadyStored { throw .invalid("该签到码已发放过（签到码不可重复使用），请重新生成") }
    }
}

/// One drill-leader code as a store keeps it: the hash, who issued it, and whether it was revoked.
struct LeaderCodeRecord: Hashable, Sendable {
    var sessionUID: String
    var hash: String
    var issuedBy: String
    var issuedAt: Int
    var revokedAt: Int?
}
