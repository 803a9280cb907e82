import Crypto
import HTTPTypes
import Hummingbird

/// One feed ready to answer requests: its bytes and their gzip form, computed once per version,
/// and the response headers of each, so a request only picks one and copies references.
/// A class: a request takes the feed out of the catalog's dictionary with one retain, where the
/// struct's fifteen references were each retained and released per request.
public final class ServedFeed: Sendable {
    /// Who may cache the feed: shared caches for public feeds, only the subscriber's client for a
    /// member's private feed.
    public enum Visibility: Sendable {
        case `public`, `private`
    }

    /// File name as `drillcal build` writes it (`town.ics`, `member-m001.ics`).
    public let name: String
    /// The calendar text as UTF-8, exactly as `drillcal build` writes the file.
    public let bytes: ByteBuffer
    /// `bytes` as one gzip member.
    public let gzipped: ByteBuffer
    /// Strong entity tag of `bytes` (quoted SHA-256 prefix); the gzip form's tag adds `-gz`.
    public let etag: String
    /// Entity tag of the gzip representation.
    public let gzipETag: String
    /// Seconds since 1970 when this content was first served.
    public let lastModified: Int
    /// Public or private.
    public let visibility: Visibility
    /// Full SHA-256 of `bytes`, hex: identifies the content across reloads.
    let digest: String

    /// Headers of the 200 answer without and with gzip (Content-Length included, so HEAD and 304
    /// answers can reuse them with an empty body).
    let plainHeaders: HTTPFields
    let gzipHeaders: HTTPFields
    /// The same for a 304: no Content-Length (it would describe a body the 304 does not have).
    let plain304: HTTPFields
    let gzip304: HTTPFields
    /// The four heads as HTTP/1.1 bytes (`FeedFastPath`). Kept for members' feeds too: about 1 KB
    /// beside each member's ~70 KB of bytes and gzip bytes, and building a member's head on every
    /// request cost 5 µs of the ~200 of answering it.
    let wireHeads: WireHeads

    /// Status line and header lines of each answer, prepared once per version.
    struct WireHeads {
        let ok: ByteBuffer
        let okGzip: ByteBuffer
        let notModified: ByteBuffer
        let notModifiedGzip: ByteBuffer

        init(plain: HTTPFields, gzip: HTTPFields, plain304: HTTPFields, gzip304: HTTPFields) {
            ok = Self.head(.ok, plain)
            okGzip = Self.head(.ok, gzip)
            notModified = Self.head(.notModified, plain304)
            notModifiedGzip = Self.head(.notModified, gzip304)
        }

        /// `HTTP/1.1 <code> <reason>` and one `Name: value` line per field, each ending in CRLF.
        static func head(_ status: HTTPResponse.Status, _ fields: HTTPFields) -> ByteBuffer {
            var text = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
            for field in fields { text += "\(field.name.rawName): \(field.value)\r\n" }
            return ByteBuffer(string: text)
        }
    }

    /// Prepares a feed: hashes it, compresses it and builds its headers.
    /// - Parameters:
    ///   - name: file name.
    ///   - text: calendar text.
    ///   - visibility: public or private.
    ///   - lastModified: when this content was first served, seconds since 1970.
    /// - Throws: `Gzip.Failure` if zlib fails (out of memory).
    convenience init(name: String, text: String, visibility: Visibility, lastModified: Int) throws {
        let raw = Array(text.utf8)
        let digest = SHA256.hash(data: raw).map { Self.hex($0) }.joined()
        let packed = try Gzip.compress(raw)
        self.init(
            name: name, bytes: ByteBuffer(bytes: raw), gzipped: ByteBuffer(bytes: packed), digest: digest,
            visibility: visibility, lastModified: lastModified)
    }

    private init(
        name: String, bytes: ByteBuffer, gzipped: ByteBuffer, digest: String, visibility: Visibility,
        lastModified: Int
    ) {
        self.name = name
        self.bytes = bytes
        self.gzipped = gzipped
        self.digest = digest
        self.visibility = visibility
        self.lastModified = lastModified
        // 128 bits of the digest are plenty to tell versions apart.
        etag = "\"\(digest.prefix(32))\""
        gzipETag = "\"\(digest.prefix(32))-gz\""

        var common = HTTPFields()
        common[.contentType] = "text/calendar; charset=utf-8"
        common[.lastModified] = HTTPDate.format(lastModified)
        common[.vary] = "Accept-Encoding"
        switch visibility {
        case .public:
            common[.cacheControl] = "public, max-age=300"
        case .private:
            common[.cacheControl] = "private, max-age=300"
            // The URL is the secret: keep it out of Referer headers and search engines.
            common[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
            common[HTTPField.Name("X-Robots-Tag")!] = "noindex"
        }
        var plain = common
        plain[.eTag] = etag
        plain[.contentLength] = String(bytes.readableBytes)
        var gzip = common
        gzip[.eTag] = gzipETag
        gzip[.contentEncoding] = "gzip"
        gzip[.contentLength] = String(gzipped.readableBytes)
        plainHeaders = plain
        gzipHeaders = gzip
        plain304 = plain.removing(.contentLength)
        gzip304 = gzip.removing(.contentLength)
        wireHeads = WireHeads(plain: plain, gzip: gzip, plain304: plain304, gzip304: gzip304)
    }

    /// The same content first served at another time (only Last-Modified changes).
    func servedSince(_ seconds: Int) -> ServedFeed {
        ServedFeed(
            name: name, bytes: bytes, gzipped: gzipped, digest: digest, visibility: visibility,
            lastModified: seconds)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}

extension HTTPFields {
    /// These fields without `name`.
    fileprivate func removing(_ name: HTTPField.Name) -> HTTPFields {
        var copy = self
        copy[name] = nil
        return copy
    }
}
