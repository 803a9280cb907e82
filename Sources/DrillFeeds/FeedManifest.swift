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
