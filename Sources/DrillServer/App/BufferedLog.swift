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
        let full = pending.withLock { bytes in
            bytes.append(contentsOf: text.utf8)
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
