import AsyncHTTPClient
import ChildProcess
import Foundation
import NIOCore
import NIOHTTP1

/// A `drillcal serve` process on a free port, optionally wrapped (strace, an LD_PRELOAD shim).
final class LiveServer: Sendable {
    let process: RunningProcess
    let base: String

    /// What the server printed to standard output so far.
    var printed: String { process.stdoutText }
    /// What the server logged to standard error so far.
    var logged: String { process.stderrText }

    /// Starts `drillcal serve DIR --port 0` (through `wrapper` if given) and waits until it listens.
    init(town: URL, wrapper: [String] = [], env: [String: String] = [:], extra: [String] = []) async throws {
        let args = ["serve", town.path, "--port", "0", "--log-level", "warning"] + extra
        // Check-ins are taken only for sessions that have started: the server's clock is set after the year.
        let environment = ProcessInfo.processInfo.environment.merging(CLI.afterTheYear) { $1 }.merging(env) { $1 }
        process =
            wrapper.isEmpty
            ? try RunningProcess(CLI.binary.path, args, environment: environment)
            : try RunningProcess(wrapper[0], Array(wrapper.dropFirst()) + [CLI.binary.path] + args, environment: environment)
        guard let found = try await Self.listeningBase(of: process) else {
            process.signal(SIGKILL)
            throw LiveServerError.didNotStart(process.stderrText)
        }
        base = found
    }

    /// The `http://127.0.0.1:PORT` a starting `drillcal serve` prints once it listens; nil when it
    /// exits first or prints none within 1,200 polls 50 ms apart.
    static func listeningBase(of process: RunningProcess) async throws -> String? {
        for _ in 0..<1200 {
            try await Task.sleep(for: .milliseconds(50))
            let text = process.stdoutText
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return String(text[range])
            }
            if !process.isRunning { return nil }
        }
        return nil
    }

    /// SIGTERM, then waits for the exit.
    func stop() async throws {
        guard process.isRunning else { return }
        // Through a wrapper (strace), the server is the wrapper's child: SIGTERM it first, since a
        // wrapper that gets SIGTERM detaches and exits, leaving the server running after the test.
        for child in Self.children(of: process.pid) { kill(child, SIGTERM) }
        process.signal(SIGTERM)
        _ = try await process.waitUntilExit(seconds: 10)
    }

    /// The direct children of a process (from /proc).
    static func children(of pid: Int32) -> [Int32] {
        let tasks = "/proc/\(pid)/task"
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
        return ids.flatMap { id -> [Int32] in
            let text = (try? String(contentsOfFile: "\(tasks)/\(id)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0) }
        }
    }

    /// One HTTP request; the status (0 when no answer came) and the body. Through AsyncHTTPClient
    /// on NIO's event loop: URLSession on Linux drives curl's sockets with dispatch sources, whose
    /// teardown races are a known crash (swift-corelibs-foundation#4791), and these tests refuse and
    /// reset connections on purpose (servers killed under load).
    static func send(
        _ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil,
        timeout: Double = 60
    ) async -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let bytes = try await response.body.collect(upTo: 64 << 20)
            return (Int(response.status.code), Data(bytes.readableBytesView))
        } catch {
            return (0, Data())
        }
    }

    /// POSTs one mark with the leader code as a bearer; the status.
    func checkIn(session: String, member: String, clientID: String, code: String) async -> (
        status: Int, body: Data
    ) {
        let body = #"{"marks":[{"member":"\#(member)","status":"present","clientID":"\#(clientID)"}]}"#
        return await Self.send(
            "POST", "\(base)/api/sessions/\(session)/marks",
            headers: ["Authorization": "Bearer \(code)", "Content-Type": "application/json"],
            body: Data(body.utf8))
    }
}

enum LiveServerError: Error {
    case didNotStart(String)
}

/// Runs a program to the end; its exit status and standard output.
@discardableResult
func runTool(_ path: String, _ args: [String]) throws -> (status: Int32, out: String) {
    let r = try ChildProcess.run(
        path, args, environment: ProcessInfo.processInfo.environment.merging(CLI.afterTheYear) { $1 }, stderr: .discard)
    return (r.status, r.stdoutText)
}
