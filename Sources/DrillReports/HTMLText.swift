/// Escaping for text from the report: names, notes and summaries can contain anything.
enum HTMLText {
    /// Escapes `& < > " '` so the text is inert both in element content and in attribute values.
    static func escape(_ s: String) -> String {
        s.mappingScalars { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            // NUL is a parse error in HTML; keep the position visible rather than dropping it silently.
            case "\u{0}": "\u{FFFD}"
            default: nil
            }
        }
    }

    /// Escapes, then keeps the author's line breaks (summaries are written as several lines).
    static func multiline(_ s: String) -> String {
        let lines = s.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { escape(String($0)) }.joined(separator: "<br>")
    }
}

extension String {
    /// CR LF and lone CR as LF, compared on scalars ("\r\n" is one Character).
    func replacingCRLF() -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\n" && previousCR { previousCR = false; continue }
            previousCR = scalar == "\r"
            out.append(scalar == "\r" ? "\n" : scalar)
        }
        return String(out)
    }
}
