import DrillFeeds

/// Atomic file replacement shared by every command that writes a file.
enum FeedWriterBridge {
    static func replace(_ path: String, _ bytes: [UInt8]) throws { try FeedWriter.replace(path, with: bytes) }
}
