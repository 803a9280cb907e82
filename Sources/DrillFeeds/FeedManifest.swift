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
        func string(_ s: String) { JSONBytes.appendString(s, to: &out) }
        typealias F = ManifestFragments
        out.append(contentsOf: F.head)
        if events.isEmpty { out.append(0x0A) }
        for (i, uid) in JSONBytes.sortedByBytes(events.keys).enumerated() {
            let e = events[uid]!
            out.append(contentsOf: i == 0 ? F.firstEvent : F.nextEvent)
            string(uid)
            out.append(contentsOf: F.eventOpen)
            // The entry's keys, in UTF-8 order: cancelledAt, contentHash, end, feeds, location,
            // sequence, stamp, start, summary (each fragment holds the separator, the indent and
            // the key; the first one has no comma before it).
            if let cancelledAt = e.cancelledAt {
                out.append(contentsOf: F.cancelledAt)
                string(cancelledAt)
                out.append(contentsOf: F.nextContentHash)
            } else {
                out.append(contentsOf: F.firstContentHash)
            }
            string(e.contentHash)
            out.append(contentsOf: F.end)
            string(e.end)
            out.append(contentsOf: F.feeds)
            if e.feeds.isEmpty { out.append(0x0A) }
            for (j, feed) in e.feeds.enumerated() {
                out.append(contentsOf: j == 0 ? F.firstFeed : F.nextFeed)
                string(feed)
            }
            out.append(contentsOf: F.feedsClose)
            if let location = e.location {
                out.append(contentsOf: F.location)
                string(location)
            }
            out.append(contentsOf: F.sequence)
            out.append(contentsOf: String(e.sequence).utf8)
            out.append(contentsOf: F.stamp)
            string(e.stamp)
            out.append(contentsOf: F.start)
            string(e.start)
            out.append(contentsOf: F.summary)
            string(e.summary)
            out.append(contentsOf: F.eventClose)
        }
        out.append(contentsOf: F.eventsClose)
        out.append(contentsOf: String(version).utf8)
        out.append(contentsOf: F.tail)
        return out
    }
}

/// The fixed bytes between `manifest.json`'s values (newlines, two spaces a level, keys and `" : "`),
/// made once: appending them whole instead of byte by byte halved writing a town's manifest.
enum ManifestFragments {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func key(_ k: String, level: Int, first: Bool) -> [UInt8] {
        bytes((first ? "" : ",") + "\n" + String(repeating: " ", count: level * 2) + "\"\(k)\" : ")
    }
    static let head = bytes("{\n  \"events\" : {")
    static let firstEvent = bytes("\n    ")
    static let nextEvent = bytes(",\n    ")
    static let eventOpen = bytes(" : {")
    static let cancelledAt = key("cancelledAt", level: 3, first: true)
    static let firstContentHash = key("contentHash", level: 3, first: true)
    static let nextContentHash = key("contentHash", level: 3, first: false)
    static let end = key("end", level: 3, first: false)
    static let feeds = key("feeds", level: 3, first: false) + bytes("[")
    static let firstFeed = bytes("\n        ")
    static let nextFeed = bytes(",\n        ")
    static let feedsClose = bytes("\n      ]")
    static let location = key("location", level: 3, first: false)
    static let sequence = key("sequence", level: 3, first: false)
    static let stamp = key("stamp", level: 3, first: false)
    static let start = key("start", level: 3, first: false)
    static let summary = key("summary", level: 3, first: false)
    static let eventClose = bytes("\n    }")
    static let eventsClose = bytes("\n  },\n  \"version\" : ")
    static let tail = bytes("\n}")
}
