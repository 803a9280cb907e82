import Foundation

/// Runs one drillcal command per town of a region as child processes of this same executable, as
/// many at a time as there are cores. A child process per town isolates failures completely (a
/// town whose input crashes a parser, or that runs out of memory, takes only itself down), gives
/// each town exactly the code path and bytes of a single-town run, and keeps peak memory at one
/// town per core.
struct RegionRunner: Sendable {
    /// What one child did.
    struct Outcome: Sendable {
        /// Exit status (a child killed by a signal counts as 3, "could not be written").
        var status: Int32
        /// Signal that ended it, if any.
        var signal: Int32?
        /// Its standard output and error.
        var output: Data
        var errors: String
        var seconds: Double
    }

    /// This executable.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
    }

    /// Size and modification time of this executable: a new drillcal may write other bytes.
    static var executableIdentity: String {
        var info = stat()
        guard stat(executable, &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec)-\(info.st_mtim.tv_nsec)"
    }

    /// Parallel children at most.
    var width = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `arguments(i)` for each `i` in `0..<count`, `width` at a time, calling `done` (serialised,
    /// from worker threads) as each finishes.
    func run(
        count: Int, arguments: @Sendable (Int) -> [String]?, done: @escaping @Sendable (Int, Outcome?) -> Void
    ) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drillcal-region-\(getpid())"
        ).path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let queue = WorkQueue()
        let exe = Self.executable
        DispatchQueue.concurrentPerform(iterations: min(width, count)) { _ in
            while true {
                let i = queue.take()
                guard i < count else { return }
                let outcome = arguments(i).map { Self.spawn(exe, $0, scratch: scratch, index: i) }
                queue.serially { done(i, outcome) }
            }
        }
    }

    static func spawn(_ exe: String, _ arguments: [String], scratch: String, index: Int) -> Outcome {
        let started = Date()
        let outPath = scratch + "/\(index).out"
        let errPath = scratch + "/\(index).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([exe] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, exe, &actions, nil, argv, environ)
        guard spawned == 0 else {
            return Outcome(
                status: 3, signal: nil, output: Data(),
                errors: "\(exe): \(String(cString: strerror(spawned)))",
                seconds: 0)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = FileManager.default.contents(atPath: outPath) ?? Data()
        let errors = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        unlink(outPath)
        unlink(errPath)
        let seconds = Date().timeIntervalSince(started)
        if status & 0x7F == 0 {
            return Outcome(
                status: (status >> 8) & 0xFF, signal: nil, output: output, errors: errors, seconds: seconds)
        }
        return Outcome(status: 3, signal: status & 0x7F, output: output, errors: errors, seconds: seconds)
    }
}

/// A one-line progress bar on standard error, only when it is a terminal.
struct ProgressBar: Sendable {
    let total: Int
    let enabled: Bool

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func show(done: Int, failed: Int, label: String) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line =
            "\r\(bar) \(done)/\(total)" + (failed > 0 ? " ✘\(failed)" : "") + " \(label.prefix(30))\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// The next index to run, and a lock for reporting, shared by the worker threads.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }

    func serially(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body()
    }
}
