/// A piece of user-facing text in Chinese and English; Chinese is the default.
public struct LocalizedText: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Chinese (zh-CN).
    public var zh: String
    /// English.
    public var en: String

    /// Makes a text.
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    /// Text that reads the same in both languages (an id, a number).
    public init(_ both: String) {
        self.zh = both
        self.en = both
    }

    /// The text in `language`.
    public func text(_ language: Language) -> String { language == .zh ? zh : en }

    public var description: String { zh }
}
