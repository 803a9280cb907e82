/// What every store checks before issuing a private feed token, so the stores cannot drift.
enum FeedTokenRules {
    /// Refuses an empty member id and anything but a SHA-256 digest as 64 lowercase hex digits
    /// (a raw token passed by mistake would otherwise be stored in the clear).
    static func check(member: String, hash: String) throws(StoreError) {
        guard !member.isEmpty else { throw .invalid("token: empty member id") }
        let hex = hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        guard hash.utf8.count == 64, hex else {
            throw .invalid("token: expected a SHA-256 digest as 64 lowercase hex digits")
        }
    }

    /// A digest issued before: reissuing it would revive a revoked link.
    static let reused = StoreError.invalid("token: this digest was already issued")
}
