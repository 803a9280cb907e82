import ArgumentParser
import Foundation

/// `drillcal region-worker` (hidden): builds towns for a region build, one after another, in one
/// process.
///
/// A process per town paid the executable's start-up again for every town (loading the binary,
/// the runtime's first type and conformance look-ups, the argument parser's first parse: about
/// 0.1 CPU-s of a 0.5 CPU-s town). A worker pays it once for many towns and still gives each town
/// exactly a single-town run: each job is a whole `drillcal` command line run through the same
/// `Drillcal.execute` as `main`, with standard output and error pointed at that job's own files.
///
/// Protocol (see `RegionRunner.Worker`): standard input carries one JSON `Job` per line; standard
/// output, kept aside when the worker starts, carries one line per finished job, its exit status.
/// A worker that dies mid-job (a crash, the out-of-memory killer) ends its reply stream: the parent
/// reports that town with the signal and the job's standard error, and starts a new worker for the
/// towns left.
struct RegionWorker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "region-worker",
        abstract: "区域构建的内部工作进程 / internal worker of a region build",
        shouldDisplay: false)

    struct Job: Codable {
        var arguments: [String]
        var out: String
        var err: String
    }

    /// Fault injection for the tests only: a worker given a job whose command line names this town
    /// folder (the path or its end, e.g. `north/hexi`) kills itself with SIGKILL before running it, the way the kernel's out-of-memory killer
    /// would, so the crash path is exercised with the real binary.
    static let killEnvironment = "DRILLCAL_TEST_KILL_TOWN"

    func run() async throws {
        let replies = dup(STDOUT_FILENO)
        guard replies >= 0 else { throw ExitCode(3) }
        _ = fcntl(replies, F_SETFD, FD_CLOEXEC)
        let kill = ProcessInfo.processInfo.environment[Self.killEnvironment]
        Self.point(at: "/dev/null")
        while let line = readLine(strippingNewline: true) {
            guard let job = try? JSONDecoder().decode(Job.self, from: Data(line.utf8)) else { throw ExitCode(2) }
            guard Self.point(out: job.out, err: job.err) else {
                Self.reply(replies, 3)
                continue
            }
            if let kill, job.arguments.contains(where: { $0 == kill || $0.hasSuffix("/" + kill) }) {
                raise(SIGKILL)
            }
            let status = await Drillcal.execute(job.arguments)
            Self.point(at: "/dev/null")
            Self.reply(replies, status)
        }
    }

    /// Points standard output and error at a job's files (after flushing what was buffered).
    @discardableResult
    static func point(out: String, err: String) -> Bool {
        fflush(nil)  // every stdio stream: what the last job printed goes to its own file
        let o = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let e = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer {
            if o >= 0 { close(o) }
            if e >= 0 { close(e) }
        }
        guard o >= 0, e >= 0 else { return false }
        return dup2(o, STDOUT_FILENO) >= 0 && dup2(e, STDERR_FILENO) >= 0
    }

    @discardableResult
    static func point(at path: String) -> Bool { point(out: path, err: path) }

    static func reply(_ fd: Int32, _ status: Int32) {
        let line = Array("\(status)\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
