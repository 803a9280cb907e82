import DrillCore

/// What was last published for each UID, kept beside the feeds (`feeds/manifest.json`).
///
/// It lets a rebuild keep SEQUENCE and DTSTAMP for events whose content did not change (so the
/// same inputs give byte-identical feeds), raise SEQUENCE for changed ones, and publish a session
/// that disappeared as STATUS:CANCELLED under the same UID for `cancelledRetentionDays` before
/// dropping it, as subscribers' clients expect.
public struct FeedManifest: Codable, Sendable, Hashable {
    /// One published event.
    public struct Entry: Codable, Sendable, Hashable {
        /// SEQUENCE last published.
        public var sequence: Int
        /// Hash of the event's content without SEQUENCE and DTSTAMP.
        public var contentHash: String
        /// DTSTAMP last published, `YYYYMMDDTHHMMSSZ`.
        public var stamp: String
        /// Feed file names that carried it.
        public var feeds: [String]
        /// When it was first published as cancelled (nil while scheduled).
        public var cancelledAt: String?
        /// The event as last published, to re-emit it as cancelled.
        public var summary: String
        /// Start, `YYYYMMDDTHHMMSS` local.
        public var start: String
        /// End, `YYYYMMDDTHHMMSS` local.
        public var end: String
        /// Location, if any.
        public var location: String?
    }

    /// Format version.
    public var version: Int = 1
    /// Entries by UID.
    public var events: [String: Entry] = [:]

    /// An empty manifest (first build).
    public init() {}

    /// How long a cancelled event stays in the feeds.
    public static let cancelledRetentionDays = 30
}

extension FeedManifest {
    /// `manifest.json`'s bytes: exactly what `JSONEncoder` with `[.prettyPrinted, .sortedKeys,
    /// .withoutEscapingSlashes]` writes for this manifest (keys in UTF-8 byte order, `" : "`, two
    /// spaces a level, an empty list as `[`, a blank line, `]`, absent optionals left out).
    ///
    /// Written by hand, departing from "a well-kept library for each format", because this one
    /// file is the largest JSON a build writes (every event with every member feed that carries it,
    /// about 300 KB a town with member feeds) and `JSONEncoder`'s boxed value tree was 55 % of the
    /// feed write phase. `JSONDecoder` still reads it, and `ManifestJSONTests` compares this output
    /// with `JSONEncoder`'s, byte for byte, on random manifests (escapes, CJK, emoji, empty lists).
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + events.count * 400)
        func text(_ s: String) { out.append(contentsOf: s.utf8) }
        func newline(_ level: Int) {
            out.append(0x0A)
            for _ in 0..<(level * 2) { out.append(0x20) }
        }
        func string(_ s: String) { JSONBytes.appendString(s, to: &out) }
        func key(_ k: String, _ level: Int, first: Bool) {
            if !first { out.append(0x2C) }
            newline(level)
            string(k)
            text(" : ")
        }
        func sortedKeys<T>(_ d: [String: T]) -> [String] {
            d.keys.sorted(by: JSONBytes.bytesPrecede)
        }
        out.append(0x7B)  // {
        key("events", 1, first: true)
        out.append(0x7B)
        if events.isEmpty {
            newline(0)
        }
        for (i, uid) in sortedKeys(events).enumerated() {
            let e = events[uid]!
            key(uid, 2, first: i == 0)
            out.append(0x7B)
            // The entry's keys, in UTF-8 order: cancelledAt, contentHash, end, feeds, location,
            // sequence, stamp, start, summary.
            var first = true
            if let cancelledAt = e.cancelledAt {
                key("cancelledAt", 3, first: first)
                string(cancelledAt)
                first = false
            }
            key("contentHash", 3, first: first)
            string(e.contentHash)
            key("end", 3, first: false)
            string(e.end)
            key("feeds", 3, first: false)
            out.append(0x5B)  // [
            if e.feeds.isEmpty { newline(0) }
            for (j, feed) in e.feeds.enumerated() {
                if j > 0 { out.append(0x2C) }
                newline(4)
                string(feed)
            }
            newline(3)
            out.append(0x5D)  // ]
            if let location = e.location {
                key("location", 3, first: false)
                string(location)
            }
            key("sequence", 3, first: false)
            text(String(e.sequence))
            key("stamp", 3, first: false)
            string(e.stamp)
            key("start", 3, first: false)
            string(e.start)
            key("summary", 3, first: false)
            string(e.summary)
            newline(2)
            out.append(0x7D)
        }
        newline(1)
        out.append(0x7D)
        key("version", 1, first: false)
        text(String(version))
        newline(0)
        out.append(0x7D)
        return out
    }
}
