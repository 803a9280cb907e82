import DrillServer
import Foundation
import Logging
import Testing

/// The server's log lines: formatted by swift-log, written in batches.
@Suite("Buffered log")
struct LogSinkTests {
    /// A temporary file open for writing, and a way to read what reached it.
    final class Capture {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drillcal-log-\(UUID())")
        let descriptor: Int32
        init() { descriptor = open(url.path, O_CREAT | O_WRONLY | O_TRUNC, 0o600) }
        var text: String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        deinit {
            close(descriptor)
            try? FileManager.default.removeItem(at: url)
        }
    }

    @Test("lines wait in memory and reach the descriptor in order, in one write per flush")
    func batches() {
        let capture = Capture()
        let sink = LogSink(descriptor: capture.descriptor, interval: nil)
        let logger = Logger(label: "drillcal.serve") { StreamLogHandler(label: $0, stream: sink.stream, metadataProvider: nil) }
        for i in 0..<100 {
            logger.info("request", metadata: ["path": "/feeds/REDACTED", "n": "\(i)"])
        }
        #expect(capture.text.isEmpty, "nothing written before a flush")
        sink.flush()
        let lines = capture.text.split(separator: "\n")
        #expect(lines.count == 100)
        #expect(lines.enumerated().allSatisfy { $0.element.contains(" n=\($0.offset) ") }, "in order")
        #expect(lines.allSatisfy { $0.contains("info drillcal.serve:") && $0.contains("path=/feeds/REDACTED") && $0.hasSuffix("request") })
        #expect(sink.writes == 1)
        sink.flush()
        #expect(sink.writes == 1, "an empty flush writes nothing")
    }

    @Test("a full buffer is written at once; a running sink writes waiting lines by itself")
    func limitsAndInterval() async throws {
        let capture = Capture()
        let small = LogSink(descriptor: capture.descriptor, limit: 1_000, interval: nil)
        var stream = small.stream
        for _ in 0..<30 { stream.write(String(repeating: "x", count: 99) + "\n") }
        #expect(small.writes == 3, "every 1,000 bytes written as they fill")
        #expect(capture.text.utf8.count == 3_000)

        let other = Capture()
        let timed = LogSink(descriptor: other.descriptor, interval: .milliseconds(20))
        var timedStream = timed.stream
        timedStream.write("one line\n")
        for _ in 0..<250 where other.text.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(other.text == "one line\n")
    }
}
