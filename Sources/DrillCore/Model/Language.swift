/// The language of user-facing text: Chinese by default, English on request.
public enum Language: String, Sendable, Codable, CaseIterable {
    case zh, en

    /// Picks the text for this language; only that text is made (interpolating the other language's
    /// sentence too was measurable where every event, report row or check line goes through here).
    @inlinable
    public func pick(_ zh: @autoclosure () -> String, _ en: @autoclosure () -> String) -> String {
        self == .zh ? zh() : en()
    }
}
