import ArgumentParser

/// `--member-feeds`: whether `build` writes the private member feeds.
enum MemberFeedsMode: String, ExpressibleByArgument, Codable, Sendable {
    case write, skip
}
