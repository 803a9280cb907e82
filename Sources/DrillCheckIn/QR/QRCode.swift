import CQREncode

/// QR codes through libqrencode, drawn as SVG: one path of unit squares, with the four-module quiet zone.
enum QRCode {
    /// The SVG of `text` at error-correction level M, or nil if libqrencode refuses it (too long).
    static func svg(_ text: String, pixels: Int = 320) -> String? {
        // Case-sensitive 8-bit mode: a URL keeps its case.
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard let data = code.pointee.data else { return nil }
        var path = ""
        for y in 0..<width {
            for x in 0..<width where data[y * width + x] & 1 == 1 {
                path += "M\(x + 4) \(y + 4)h1v1h-1z"
            }
        }
        let size = width + 8
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(pixels)" height="\(pixels)" \
            shape-rendering="crispEdges" role="img"><rect width="\(size)" height="\(size)" fill="#fff"/>\
            <path d="\(path)" fill="#000"/></svg>
            """
    }
}
