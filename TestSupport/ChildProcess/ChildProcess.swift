// Starts programs for the tests: posix_spawn(3), pipes read with poll(2), waitpid(2).
//
// Why not Foundation's `Process`: on Linux it watches children and pipes through libdispatch
// sources (a `readabilityHandler` is a dispatch read source), and a dispatch source whose file
// descriptor is closed or reused before its cancellation finishes can crash libdispatch's manager
// thread (`_dispatch_event_loop_drain`; swiftlang/swift#87033, swift-corelibs-foundation#4791).
// The test process starts several hundred children, many at once, and one CI run died that way.
// Why not swift-subprocess (which avoids dispatch on Linux): its API is async only, and the test
// helpers are called synchronously from a few hundred places, some inside non-async closures;
// blocking on an async call from swift-testing's two cooperative threads can deadlock. What is left
// to write is small: spawn with the standard streams set, drain two pipes, reap.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
import CChildProcess
import Foundation
import Synchronization

/// How a child ended.
public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    /// The exit code, or the number of the signal that ended it (as Foundation's `terminationStatus`).
    public var status: Int32 {
        switch self {
        case .exited(let code): code
        case .signalled(let signal): signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signalled(let signal): "signal \(signal)"
        }
    }

    init(waitStatus: Int32) {
        // <sys/wait.h>'s macros are not imported into Swift.
        let signal = waitStatus & 0x7f
        self = signal == 0 ? .exited((waitStatus >> 8) & 0xff) : .signalled(signal)
    }
}

/// Where a child's standard output or error goes.
public enum ChildOutput: Sendable {
    /// Into a pipe the parent reads.
    case capture
    /// To /dev/null.
    case discard
}

/// A failed system call while starting a child.
public struct ChildProcessError: Error, CustomStringConvertible {
    public let call: String
    public let path: String
    public let code: Int32
    public var description: String { "\(call) \(path): \(String(cString: strerror(code)))" }
}

/// A finished child and what it wrote.
public struct ChildResult: Sendable {
    public var termination: Termination
    public var stdout: Data
    public var stderr: Data
    public var status: Int32 { termination.status }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public enum ChildProcess {
    /// Runs `path` with `arguments` to its end; standard input is /dev/null; `environment` nil is
    /// this process's.
    public static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil,
        stdout: ChildOutput = .capture, stderr: ChildOutput = .capture
    ) throws -> ChildResult {
        let child = try Spawned(path: path, arguments: arguments, environment: environment, stdout: stdout, stderr: stderr)
        var out = Data()
        var err = Data()
        drain(child.stdout, child.stderr) { stream, bytes in
            if stream == 0 { out.append(contentsOf: bytes) } else { err.append(contentsOf: bytes) }
        }
        return ChildResult(termination: reap(child.pid), stdout: out, stderr: err)
    }

    /// Reads `first` and `second` (either may be -1) until both reach end of file, handing each
    /// chunk to `sink` with 0 for `first`, 1 for `second`; closes both.
    static func drain(_ first: Int32, _ second: Int32, _ sink: (Int, UnsafeRawBufferPointer) -> Void) {
        var fds = [pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0)]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        while fds.contains(where: { $0.fd >= 0 }) {
            // poll(2) skips negative descriptors.
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, buffer.baseAddress, buffer.count)
                if n > 0 {
                    sink(i, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                } else if n == 0 || errno != EINTR && errno != EAGAIN {
                    close(fds[i].fd)
                    fds[i].fd = -1
                }
            }
        }
        for fd in fds where fd.fd >= 0 { close(fd.fd) }
    }

    /// Waits for `pid` to end.
    static func reap(_ pid: pid_t) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Termination(waitStatus: status)
    }
}

/// A started child: its pid and the parent's ends of its output pipes (-1 when not captured).
struct Spawned {
    let pid: pid_t
    let stdout: Int32
    let stderr: Int32

    init(path: String, arguments: [String], environment: [String: String]?, stdout: ChildOutput, stderr: ChildOutput) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with every signal at its default and none blocked: the test process
        // ignores SIGPIPE (NIO does) and a server started from it must not inherit that.
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // A child started at the same moment by another test must never hold this child's write end
        // (the reader would wait for its end of file as long as that other child lives): pipes are
        // created close-on-exec, and every child also closes all descriptors above 2 (the last file
        // action below), whoever opened them and however.
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        func wire(_ output: ChildOutput, to target: Int32) throws -> Int32 {
            switch output {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                return -1
            case .capture:
                var ends: [Int32] = [-1, -1]
                guard drillcal_pipe_cloexec(&ends) == 0 else { throw ChildProcessError(call: "pipe2", path: path, code: errno) }
                parentEnds.append(ends[0])
                childEnds.append(ends[1])
                posix_spawn_file_actions_adddup2(&actions, ends[1], target)
                return ends[0]
            }
        }
        let out: Int32
        let err: Int32
        do {
            out = try wire(stdout, to: 1)
            err = try wire(stderr, to: 2)
        } catch {
            for fd in parentEnds { close(fd) }
            throw error
        }

        drillcal_spawn_addclosefrom(&actions, 3)

        let argv = ([path] + arguments).map { strdup($0) }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
        defer {
            for p in argv { free(p) }
            for p in env { free(p) }
        }
        var pid: pid_t = 0
        let rc = (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
            (env + [nil]).withUnsafeBufferPointer { envBuffer in
                posix_spawn(&pid, path, &actions, &attributes, argvBuffer.baseAddress!, envBuffer.baseAddress!)
            }
        }
        guard rc == 0 else {
            for fd in parentEnds { close(fd) }
            throw ChildProcessError(call: "posix_spawn", path: path, code: rc)
        }
        self.pid = pid
        self.stdout = out
        self.stderr = err
    }
}

/// A child that runs beside the test (a server): its output is collected by a thread of its own
/// as it comes; it is reaped when asked, and killed and reaped when released while still running.
public final class RunningProcess: Sendable {
    public let pid: pid_t
    /// Held by the reader thread too; not `self`, so that releasing the last reference to a
    /// running server still reaches `deinit`.
    private final class Output: Sendable {
        let out = Mutex(Data())
        let err = Mutex(Data())
    }
    private let output = Output()
    private let ended = Mutex<Termination?>(nil)

    public init(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil,
        stdout: ChildOutput = .capture, stderr: ChildOutput = .capture
    ) throws {
        let child = try Spawned(path: path, arguments: arguments, environment: environment, stdout: stdout, stderr: stderr)
        pid = child.pid
        if child.stdout >= 0 || child.stderr >= 0 {
            // A plain thread, not a dispatch source: it blocks in poll(2) until both pipes close.
            let reader = Thread { [output] in
                ChildProcess.drain(child.stdout, child.stderr) { stream, bytes in
                    if stream == 0 {
                        output.out.withLock { $0.append(contentsOf: bytes) }
                    } else {
                        output.err.withLock { $0.append(contentsOf: bytes) }
                    }
                }
            }
            reader.start()
        }
    }

    /// What the child wrote to standard output so far.
    public var stdoutText: String { String(decoding: output.out.withLock { $0 }, as: UTF8.self) }
    /// What the child wrote to standard error so far.
    public var stderrText: String { String(decoding: output.err.withLock { $0 }, as: UTF8.self) }

    /// How it ended, or nil while it runs (reaps it once it has ended).
    public var termination: Termination? {
        ended.withLock { ended in
            if ended == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { ended = Termination(waitStatus: status) }
            }
            return ended
        }
    }

    public var isRunning: Bool { termination == nil }

    /// Sends `signal` while it runs (never to a pid that was reaped and may be reused).
    public func signal(_ signal: Int32) {
        ended.withLock { ended in
            if ended == nil { kill(pid, signal) }
        }
    }

    /// Blocks until it ends.
    @discardableResult
    public func waitUntilExit() -> Termination {
        ended.withLock { ended in
            if let ended { return ended }
            let termination = ChildProcess.reap(pid)
            ended = termination
            return termination
        }
    }

    /// Polls every 50 ms until it ends or `seconds` pass; how it ended, or nil.
    public func waitUntilExit(seconds: Double) async throws -> Termination? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let termination { return termination }
            try await Task.sleep(for: .milliseconds(50))
        }
        return termination
    }

    deinit {
        // A server a failed test left running is stopped, and no zombie stays behind.
        if ended.withLock({ $0 }) == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == 0 {
                kill(pid, SIGKILL)
                _ = ChildProcess.reap(pid)
            }
        }
    }
}
