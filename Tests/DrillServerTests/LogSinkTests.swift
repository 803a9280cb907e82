@testable import DrillServer
import Foundation
import HTTPTypes
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

    @Test("SinkLogHandler writes StreamLogHandler's lines: the same text after the time, and the time in its format")
    func sameLinesAsStreamLogHandler() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk full" } }
        let ours = Capture()
        let theirs = Capture()
        let oursSink = LogSink(descriptor: ours.descriptor, interval: nil)
        let theirsSink = LogSink(descriptor: theirs.descriptor, interval: nil)
        var a = Logger(label: "drillcal.serve") { SinkLogHandler(label: $0, sink: oursSink) }
        var b = Logger(label: "drillcal.serve") { StreamLogHandler(label: $0, stream: theirsSink.stream, metadataProvider: nil) }
        let empty = Logger(label: "") { SinkLogHandler(label: $0, sink: oursSink) }
        let emptyB = Logger(label: "") { StreamLogHandler(label: $0, stream: theirsSink.stream, metadataProvider: nil) }
        for logger in [a, b] {
            logger.info("plain")
            logger.warning("with metadata", metadata: ["zeta": "1", "alpha": "two words", "mid": ["x", "y"]])
        }
        a[metadataKey: "hb.request.id"] = "abc"
        b[metadataKey: "hb.request.id"] = "abc"
        a.logLevel = .debug
        b.logLevel = .debug
        for logger in [a, b] {
            logger.debug("request", metadata: ["status": "200", "hb.request.id": "override"])
            logger.error("failed", error: Broken())
            logger.trace("not written at debug")
        }
        empty.notice("no label")
        emptyB.notice("no label")
        oursSink.flush()
        theirsSink.flush()
        let mine = ours.text.split(separator: "\n")
        let reference = theirs.text.split(separator: "\n")
        #expect(mine.count == 5 && reference.count == 5)
        // The time is the one field read from the clock; the rest must match byte for byte.
        #expect(mine.map { $0.drop { $0 != " " } } == reference.map { $0.drop { $0 != " " } })
        let time = try Regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4} ")
        #expect(mine.allSatisfy { $0.prefixMatch(of: time) != nil })
        #expect(mine[2].contains("hb.request.id=override") && mine[2].contains("status=200"))
        #expect(mine[3].contains("error.message=disk full"))
    }

    @Test("a request line written directly (the fast path's) is the line the middleware logs through swift-log")
    func directRequestLine() throws {
        let capture = Capture()
        let sink = LogSink(descriptor: capture.descriptor, interval: nil)
        var logger = Logger(label: "drillcal.serve") { SinkLogHandler(label: $0, sink: sink) }
        let handler = try #require(logger.handler as? SinkLogHandler)
        typealias Log = RequestLogMiddleware<FeedRequestContext>
        var withID = logger
        withID[metadataKey: "hb.request.id"] = "7f3a"
        // The reference: the middleware's line as swift-log's event (SinkLogHandler.log(event:),
        // itself held to StreamLogHandler's bytes above).
        withID.info(
            "request",
            metadata: ["method": "GET", "path": "/feeds/REDACTED", "status": "304", "duration_us": "12"],
            source: "DrillServer")
        #expect(
            handler.logRequest(
                requestID: "7f3a", method: "GET", path: Log.redacted("/feeds/SECRETTOKEN.ics"), status: 304,
                micros: 12, source: "DrillServer"))
        // The router's logger (only the request id as metadata) writes the same line directly.
        Log.log(withID, method: .get, path: "/feeds/SECRETTOKEN.ics", status: .notModified, since: .now)
        // A logger with keys of its own, or above info, is left to swift-log: nothing written here.
        logger[metadataKey: "instance"] = "a"
        #expect(!(try #require(logger.handler as? SinkLogHandler)).logRequest(
            requestID: "1", method: "GET", path: "/", status: 200, micros: 1, source: "DrillServer"))
        var quiet = handler
        quiet.logLevel = .warning
        #expect(!quiet.logRequest(requestID: "1", method: "GET", path: "/", status: 200, micros: 1, source: "DrillServer"))
        var other = logger
        other[metadataKey: "hb.request.id"] = "9"
        #expect(!(try #require(other.handler as? SinkLogHandler)).logRequest(
            method: "GET", path: "/", status: 200, micros: 1, source: "DrillServer"), "more keys than the id")
        sink.flush()
        let lines = capture.text.split(separator: "\n")
        try #require(lines.count == 3)
        // The same bytes after the time, but for the measured duration.
        let duration = try Regex("duration_us=[0-9]+ ")
        let shapes = lines.map { $0.drop { $0 != " " }.replacing(duration, with: "duration_us=N ") }
        #expect(shapes[0] == shapes[1])
        #expect(shapes[0] == shapes[2])
        #expect(lines[1].hasSuffix(" info drillcal.serve: duration_us=12 hb.request.id=7f3a method=GET path=/feeds/REDACTED status=304 [DrillServer] request"))
        #expect(!capture.text.contains("SECRETTOKEN"))
    }
}
