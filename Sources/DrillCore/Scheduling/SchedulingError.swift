/// A plan the scheduler cannot work with (the loader catches these first; the core still refuses them).
public struct SchedulingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule concerned, if any.
    public var ruleID: String?
    /// What is wrong.
    public var message: LocalizedText

    /// Makes an error.
    public init(ruleID: String?, message: LocalizedText) {
        self.ruleID = ruleID
        self.message = message
    }

    public var description: String { (ruleID.map { "rule \($0): " } ?? "") + message.en }
}
