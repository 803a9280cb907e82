import DrillIO
import Foundation

/// Runs one drillcal command per town of a region in worker processes of this same executable
/// (`drillcal region-worker`), one more at a time than there are cores, each worker building one town
/// after another. A separate process isolates failures (a town whose input crashes a parser, or that
/// runs out of memory, takes down only its worker: the town is reported and a new worker takes the
/// rest), each town runs exactly the code path of a single-town run, and peak memory stays at one
/// town per worker. A worker is replaced after `jobsPerWorker` towns, so whatever one town leaves
/// behind in memory cannot pile up over a province. A town that runs past `townLimit` seconds (a
/// hung file system, an input that makes some step run away) has its worker killed: it is reported
/// as timed out and a new worker takes the rest, so one town cannot hold up a province.
struct RegionRunner: Sendable {
    /// What one town's command did.
    struct Outcome: Sendable {
        /// Exit status (a worker killed by a signal counts as 3, "could not be written").
        var status: Int32
        /// Signal that ended the worker during this town, if any.
        var signal: Int32?
        /// The town ran past the runner's time limit and its worker was killed.
        var timedOut = false
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

    /// Parallel workers at most: one more than the cores, so that a core whose worker waits for the
    /// disk (each town's feeds and database are synced before they are switched) has another town to
    /// build. 1,500 towns on 2 cores, alternating: 27.7 / 28.1 s with 2 workers, 27.5 / 26.3 s with
    /// 3; with member feeds (100 towns) 4.7 s against 3.9 s.
    var width = ProcessInfo.processInfo.activeProcessorCount + 1
    /// Towns one worker builds before it is replaced.
    var jobsPerWorker = 64
    /// Seconds one town may take before its worker is killed (nil: no limit).
    var townLimit: Double?

    /// Runs `arguments(i)` for each `i` in `0..<count`, `width` at a time, calling `done` (serialised,
    /// from worker threads) as each finishes; nil arguments skip `i` (done gets nil).
    func run(
        count: Int, arguments: @escaping @Sendable (Int) -> [String]?, done: @escaping @Sendable (Int, Outcome?) -> Void
    ) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drillcal-region-\(getpid())"
        ).path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // A worker that died leaves a closed pipe: writing to it must fail, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        let queue = WorkQueue()
        let exe = Self.executable
        let limit = jobsPerWorker
        let townLimit = townLimit
        Slots.run(min(width, count)) { slot in
            var worker: Worker?
            defer { worker?.finish() }
            while true {
                let i = queue.take()
                guard i < count else { return }
                guard let command = arguments(i) else {
                    queue.serially { done(i, nil) }
                    continue
                }
                if worker == nil || worker!.jobs >= limit {
                    worker?.finish()
                    worker = Worker(exe)
                }
                let outcome = Self.build(command, on: &worker, scratch: scratch, slot: slot, limit: townLimit)
                queue.serially { done(i, outcome) }
            }
        }
    }

    /// Runs one command on `worker`; a worker that could not start or died is set to nil. Its
    /// output goes to the files of its `slot` (one per parallel worker), emptied before each town:
    /// a file made and removed per town left thousands of just-freed inodes that ext4's allocator
    /// steps over (`recently_deleted`) when the next files are made.
    static func build(
        _ command: [String], on worker: inout Worker?, scratch: String, slot: Int, limit: Double? = nil
    ) -> Outcome {
        let started = Date()
        let outPath = scratch + "/\(slot).out"
        let errPath = scratch + "/\(slot).err"
        truncate(outPath, 0)
        truncate(errPath, 0)
        func outcome(_ status: Int32, signal: Int32?, extra: String = "") -> Outcome {
            let output = FileManager.default.contents(atPath: outPath) ?? Data()
            let errors = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
            return Outcome(
                status: status, signal: signal, output: output, errors: errors + extra,
                seconds: Date().timeIntervalSince(started))
        }
        guard let running = worker else {
            return outcome(3, signal: nil, extra: "\(executable): region-worker could not be started")
        }
        let deadline = limit.map { started.addingTimeInterval($0) }
        switch running.run(RegionWorker.Job(arguments: command, out: outPath, err: errPath), until: deadline) {
        case .status(let status):
            return outcome(status, signal: nil)
        case .timedOut:
            worker = nil
            running.terminate()
            var late = outcome(3, signal: nil)
            late.timedOut = true
            return late
        case .ended:
            // No reply: the worker ended during this town.
            worker = nil
            let end = running.finish()
            return outcome(
                3, signal: end.signal, extra: end.signal == nil ? "region-worker exited with \(end.status)" : "")
        }
    }

    /// One `drillcal region-worker` child: jobs go to its standard input, statuses come back on its
    /// standard output.
    final class Worker {
        let pid: pid_t
        private let input: Int32
        private let replies: Int32
        private var buffer: [UInt8] = []
        private(set) var jobs = 0
        private var ended: (status: Int32, signal: Int32?)?

        /// Pipes are made and the child spawned under one lock: a pipe end not yet marked
        /// close-on-exec must not leak into another worker spawned meanwhile (its sibling's input
        /// held open, a worker would never see the end of its jobs).
        private static let spawning = NSLock()

        init?(_ exe: String) {
            Self.spawning.lock()
            defer { Self.spawning.unlock() }
            var toChild: [Int32] = [0, 0]
            var fromChild: [Int32] = [0, 0]
            guard pipe(&toChild) == 0 else { return nil }
            guard pipe(&fromChild) == 0 else {
                close(toChild[0])
                close(toChild[1])
                return nil
            }
            for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
            posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
            let words: [String] = [exe, "region-worker"]
            let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            defer { for p in argv { free(p) } }
            var pid = pid_t()
            let spawned = posix_spawn(&pid, exe, &actions, nil, argv, environ)
            close(toChild[0])
            close(fromChild[1])
            guard spawned == 0 else {
                close(toChild[1])
                close(fromChild[0])
                return nil
            }
            self.pid = pid
            input = toChild[1]
            replies = fromChild[0]
        }

        enum Reply {
            case status(Int32)
            /// The worker ended without replying.
            case ended
            /// No reply by the deadline (the worker is still running).
            case timedOut
        }

        /// Sends one job and waits for its status until `deadline`.
        func run(_ job: RegionWorker.Job, until deadline: Date? = nil) -> Reply {
            jobs += 1
            guard var line = try? JSONEncoder().encode(job) else { return .ended }
            line.append(UInt8(ascii: "\n"))
            guard RegionRunner.writeAll(input, line) else { return .ended }
            return reply(until: deadline)
        }

        /// The next status line, or how waiting for it ended.
        private func reply(until deadline: Date?) -> Reply {
            while true {
                if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeSubrange(...end)
                    return Int32(line).map { .status($0) } ?? .ended
                }
                if let deadline {
                    let left = deadline.timeIntervalSinceNow
                    guard left > 0 else { return .timedOut }
                    var waiting = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
                    let ready = poll(&waiting, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
                    if ready < 0 && errno == EINTR { continue }
                    if ready == 0 { continue }  // the loop checks the deadline again
                    guard ready > 0 else { return .ended }
                }
                var chunk = [UInt8](repeating: 0, count: 256)
                let n = chunk.withUnsafeMutableBytes { read(replies, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return .ended }
                buffer += chunk[..<n]
            }
        }

        /// Kills a worker that ran past its time limit and reaps it.
        func terminate() {
            guard ended == nil else { return }
            _ = kill(pid, SIGKILL)
            finish()
        }

        /// Closes its input and waits for it to end: its exit status, or the signal that ended it.
        @discardableResult
        func finish() -> (status: Int32, signal: Int32?) {
            if let ended { return ended }
            close(input)
            close(replies)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let end: (status: Int32, signal: Int32?) =
                status & 0x7F == 0 ? ((status >> 8) & 0xFF, nil) : (3, status & 0x7F)
            ended = end
            return end
        }
    }
}

extension RegionRunner {
    /// Writes all of `bytes` to `fd` (a pipe between a region build and its workers), through
    /// partial writes and interruptions; false when the other end is gone.
    static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
        Array(bytes).withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
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
