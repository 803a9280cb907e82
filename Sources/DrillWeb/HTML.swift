/// The one HTML helper of drillcal: escaping for text and attribute values, and the document
/// skeleton every page shares (the feed index, the check-in pages; the annual report escapes
/// through here too). Every name on a page goes through `escape`.
public enum HTML {
    /// `text` with `& < > " '` replaced by character references; safe in text and in quoted
    /// attributes. NUL, a parse error in HTML, becomes U+FFFD so its position stays visible.
    ///
    /// Works on Unicode scalars: a `"` or `<` followed by a combining mark is one Character in
    /// Swift, and a Character-level escape would let it through.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Escapes, then keeps the author's line breaks (CR LF, CR or LF) as `<br>`: summaries and
    /// findings are written as several lines.
    public static func multiline(_ text: String) -> String {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = scalar == "\r"
            if scalar == "\r" || scalar == "\n" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        lines.append(String(current))
        return lines.map(escape).joined(separator: "<br>")
    }

    /// A whole HTML document: doctype, `lang`, UTF-8, a mobile viewport, the title (escaped),
    /// the page's style (with `nonce` when the page sends a Content-Security-Policy), the body.
    ///
    /// - Parameters:
    ///   - language: `zh-CN` or `en`, for `<html lang>`.
    ///   - title: plain text; escaped here.
    ///   - style: CSS, trusted (written in the code, never from data).
    ///   - nonce: the CSP nonce for the inline style, if any.
    ///   - head: further trusted `<head>` markup (a referrer policy).
    ///   - body: the body's markup, already escaped where it holds data.
    public static func document(
        language: String, title: String, style: String, nonce: String? = nil, head: String = "", body: String
    ) -> String {
        let nonceAttribute = nonce.map { " nonce=\"\(escape($0))\"" } ?? ""
        return """
            <!doctype html>
            <html lang="\(escape(language))">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(head)<title>\(escape(title))</title>
            <style\(nonceAttribute)>\(style)</style>
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
    }
}
