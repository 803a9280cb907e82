import CQREncode

/// A QR code drawn as inline SVG: libqrencode gives the modules, and each row's dark runs become
/// one path, so the page needs no image files and no JavaScript.
public enum QRCode {
    /// Modules of light margin around the symbol (the standard's quiet zone).
    public static let quietZone = 4

    /// An `<svg>` element encoding `text` (error correction M), `pixels` wide, or nil when
    /// libqrencode refuses (text too long for any version).
    /// - Parameters:
    ///   - text: what to encode, as 8-bit data.
    ///   - pixels: rendered width and height.
    ///   - label: accessible name (already HTML-escaped by the caller's rules: it is escaped here).
    public static func svg(_ text: String, pixels: Int = 168, label: String) -> String? {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        var path = ""
        for y in 0..<width {
            var x = 0
            while x < width {
                // Bit 0 of each module byte is "dark".
                guard data[y * width + x] & 1 == 1 else {
                    x += 1
                    continue
                }
                let start = x
                while x < width && data[y * width + x] & 1 == 1 { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        let size = width + 2 * quietZone
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="qr" role="img" aria-label="\(HTML.escape(label))" \
            width="\(pixels)" height="\(pixels)" viewBox="0 0 \(size) \(size)" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }
}
