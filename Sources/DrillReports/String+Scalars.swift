// HTML escaping lives in DrillWeb (`HTML.escape`, `HTML.multiline`), shared with the web pages.

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
