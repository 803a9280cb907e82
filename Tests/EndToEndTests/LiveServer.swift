import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `drillcal serve` process on a free port, optionally wrapped (strace, an LD_PRELOAD shim).
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let printed = Mutex("")
    let logged = Mutex("")
    private(set) var base = ""

    /// Starts `drillcal serve DIR --port 0` (through `wrapper` if given) and waits until it listens.
    init(town: URL, wrapper: [String] = [], env: [String: String] = [:], extra: [String] = []) async throws {
        let args = ["serve", town.path, "--port", "0", "--log-level", "warning"] + extra
        if wrapper.isEmpty {
            process.executableURL = CLI.binary
            process.arguments = args
        } else {
            process.executableURL = URL(fileURLWithPath: wrapper[0])
            process.arguments = Array(wrapper.dropFirst()) + [CLI.binary.path] + args
        }
        // Check-ins are taken only for sessions that have started: the server's clock is set after the year.
        process.environment = ProcessInfo.processInfo.environment.merging(CLI.afterTheYear) { $1 }.merging(env) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            printed.withLock { $0 += chunk }
        }
        err.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            logged.withLock { $0 += chunk }
        }
        try process.run()
        for _ in 0..<1200 {
            try await Task.sleep(for: .milliseconds(50))
            let text = printed.withLock { $0 }
            if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                base = String(text[range])
                return
            }
            if !process.isRunning { break }
        }
        throw LiveServerError.didNotStart(logged.withLock { $0 })
    }

    /// SIGTERM, then waits for the exit.
    func stop() async throws {
        guard process.isRunning else { return }
        // Through a wrapper (strace), the server is the wrapper's child: SIGTERM it first, since a
        // wrapper that gets SIGTERM detaches and exits, leaving the server running after the test.
        for child in Self.children(of: process.processIdentifier) { kill(child, SIGTERM) }
        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
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

    /// One HTTP request; the status (0 when no answer came) and the body.
    static func send(
        _ method: String, _ url: String, headers: [String: String] = [:], body: Data? = nil,
        timeout: Double = 60
    ) async -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = timeout
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = body
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
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
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(CLI.afterTheYear) { $1 }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}
