import Foundation
import Logging
import Synchronization

/// Log output gathered in memory and written to a file descriptor in batches: every `interval`, as
/// soon as `limit` bytes are waiting, and on `flush()` (the server calls it when it stops).
///
/// swift-log's `StreamLogHandler` formats the lines (`key=value` metadata, as before) but flushes
/// stderr after every one: a `write` per request, under one lock shared by every thread, which at
/// thousands of requests a second costs more than the feed being answered. Through this sink a
/// burst of requests costs one `write` per batch. What a `kill -9` can lose is the last interval's
/// lines (0.1 s by default); nothing the server acknowledges depends on them.
///
/// ```swift
/// let sink = LogSink()
/// let logger = Logger(label: "drillcal.serve") { StreamLogHandler(label: $0, stream: sink.stream, metadataProvider: nil) }
/// defer { sink.flush() }
/// ```
public final class LogSink: Sendable {
    private let descriptor: Int32
    private let limit: Int
    private let pending = Mutex<[UInt8]>([])
    /// Held while a batch is written, so batches reach the descriptor in the order they were taken.
    private let writing = Mutex<Void>(())
    private let batches = Atomic<Int>(0)

    /// Makes a sink.
    /// - Parameters:
    ///   - descriptor: where lines go (standard error by default).
    ///   - limit: bytes waiting that trigger a write at once.
    ///   - interval: how often waiting lines are written anyway; nil: only on `limit` and `flush()`.
    public init(descriptor: Int32 = STDERR_FILENO, limit: Int = 64 * 1024, interval: Duration? = .milliseconds(100))
    {
        self.descriptor = descriptor
        self.limit = limit
        pending.withLock { $0.reserveCapacity(limit) }
        if let interval {
            let micros = UInt32(interval.components.seconds * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000)
            // A plain thread, not a task: the write may block, and the server's pools are for requests.
            let thread = Thread { [weak self] in
                while let sink = self {
                    sink.flush()
                    usleep(max(micros, 1_000))
                }
            }
            thread.name = "drillcal-log"
            thread.start()
        }
    }

    /// The stream a `StreamLogHandler` writes into.
    public var stream: Stream { Stream(sink: self) }

    /// Lines appended since the last write: written now.
    public func flush() {
        writing.withLock { _ in
            var bytes: [UInt8] = []
            pending.withLock { swap(&$0, &bytes) }
            guard !bytes.isEmpty else { return }
            batches.add(1, ordering: .relaxed)
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // the log is gone (a closed pipe): drop the batch, never stop serving
                    }
                }
            }
        }
    }

    /// Writes made so far (each a batch of lines): for tests and the benchmark.
    public var writes: Int { batches.load(ordering: .relaxed) }

    func append(_ text: String) {
        append { $0.append(contentsOf: text.utf8) }
    }

    /// Appends what `write` adds to the pending batch (under the sink's lock: keep it short).
    func append(_ write: (inout [UInt8]) -> Void) {
        let full = pending.withLock { bytes in
            write(&bytes)
            return bytes.count >= limit
        }
        if full { flush() }
    }

    /// A `TextOutputStream` over the sink.
    public struct Stream: TextOutputStream, Sendable {
        let sink: LogSink
        public mutating func write(_ string: String) { sink.append(string) }
    }
}

/// swift-log's `StreamLogHandler` line, byte for byte (`<time> <level> <label>: k=v … [<source>]
/// <message>`), written into a `LogSink` for a fraction of the CPU.
///
/// The server writes one such line per request. `StreamLogHandler` rendered the time with
/// `localtime` + `strftime` on every line and sorted and joined its metadata twice per request
/// (once when the request id is set, once when logging): about a third of the CPU of answering a
/// 304 (issue 11's benchmark: 119 → 84 µs per request without the line). Here the time text is
/// made once per second and shared, and metadata is sorted and joined once, when a line is written.
///
/// ```swift
/// let sink = LogSink()
/// let logger = Logger(label: "drillcal.serve") { SinkLogHandler(label: $0, sink: sink) }
/// ```
public struct SinkLogHandler: LogHandler {
    private let label: String
    private let sink: LogSink
    private let clock: LocalSecondClock
    public var logLevel: Logger.Level = .info
    public var metadata = Logger.Metadata()

    /// A handler for `label` writing into `sink`; `clock` (shared by default) renders the time.
    public init(label: String, sink: LogSink, clock: LocalSecondClock = .shared) {
        self.label = label
        self.sink = sink
        self.clock = clock
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata, !explicit.isEmpty {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        var line = clock.now()
        line.reserveCapacity(160)
        line += " "
        line += event.level.rawValue
        if !label.isEmpty { line += " " }
        line += label
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        sink.append(line)
    }

    /// Writes `RequestLogMiddleware`'s line for one request, byte for byte what `log(event:)` writes
    /// for it (same time text, level, label, metadata sorted by key, source and message), without
    /// swift-log's event, the metadata dictionaries and their sort: `FeedFastPath` writes one per
    /// feed request, where the general path cost 13–17 µs of CPU (perf, issue 11's benchmark).
    /// Writes nothing and returns false when this handler carries metadata of its own (a logger
    /// given extra keys), whose keys would have to be merged in: the caller then logs as usual.
    /// `logRequest(requestID:…)` for the router's request logger, whose only metadata is the id
    /// Hummingbird gave the request (`hb.request.id`): the id is taken from there. False, writing
    /// nothing, when the handler carries any other key.
    func logRequest(method: String, path: String, status: Int, micros: Int64, source: String) -> Bool {
        guard metadata.count == 1, let id = metadata["hb.request.id"] else { return false }
        var bare = self
        bare.metadata = [:]
        return bare.logRequest(
            requestID: id.description, method: method, path: path, status: status, micros: micros, source: source)
    }

    func logRequest(
        requestID: String, method: String, path: String, status: Int, micros: Int64, source: String
    ) -> Bool {
        var id = requestID
        return id.withUTF8 {
            logRequest(
                requestID: UnsafeRawBufferPointer($0), method: method, path: path, status: status, micros: micros,
                source: source)
        }
    }

    /// The same with the id as its text's bytes (`FastRequestID` writes its digits without a string).
    func logRequest(
        requestID: UnsafeRawBufferPointer, method: String, path: String, status: Int, micros: Int64, source: String
    ) -> Bool {
        guard metadata.isEmpty, logLevel <= .info else { return false }
        let time = clock.now()
        let label = label
        // Written straight into the sink's pending batch: no line string built and copied again;
        // each piece copied from its contiguous bytes (appending a `String.UTF8View` went through
        // the generic sequence copy, 2 % of a 304's CPU).
        sink.append { bytes in
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes.append(contentsOf: $0) }
            }
            put(time)
            put(" info ")
            put(label)
            // Keys in sorted order: duration_us < hb.request.id < method < path < status.
            put(": duration_us=")
            put(String(micros))
            put(" hb.request.id=")
            bytes.append(contentsOf: requestID)
            put(" method=")
            put(method)
            put(" path=")
            put(path)
            put(" status=")
            put(String(status))
            put(" [")
            put(source)
            put("] request\n")
        }
        return true
    }
}

/// The local time as `StreamLogHandler` writes it (`%Y-%m-%dT%H:%M:%S%z`), rendered once per second.
public final class LocalSecondClock: Sendable {
    /// The process's clock.
    public static let shared = LocalSecondClock()
    private let cached = Mutex<(second: Int, text: String)>((-1, ""))

    public init() {}

    /// The current second's text.
    public func now() -> String {
        let second = time(nil)
        return cached.withLock { cache in
            if cache.second != second {
                cache = (second, Self.render(second))
            }
            return cache.text
        }
    }

    static func render(_ second: Int) -> String {
        var seconds = second
        var local = tm()
        guard localtime_r(&seconds, &local) != nil else { return "<unknown>" }
        var buffer = [Int8](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &local)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
