/// The language of user-facing text: Chinese by default, English on request.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en

    /// Picks the text for this language.
    public func pick(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }
}
