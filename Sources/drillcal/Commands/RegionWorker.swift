import ArgumentParser
import DrillServer
import Foundation

/// `drillcal region-worker` (hidden): builds a region's towns one after another in one process,
/// so a province pays the executable's start-up (about 0.1 CPU-s of a 0.5 CPU-s town) once per
/// worker, not once per town. Each job is a whole `drillcal` command line run through the same
/// `Drillcal.execute` as `main`, its standard output and error pointed at the job's own files.
///
/// Protocol (see `RegionRunner.Worker`): one JSON `Job` per line on standard input; one exit status
/// per finished job on the standard output kept aside at start. A worker that dies mid-job ends its
/// reply stream, one that runs past the town time limit is killed; either way the parent reports
/// that town and starts a new worker for the rest.
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
    /// Fault injection for the tests only: a job naming this town hangs (as on a stuck file system),
    /// so the region build's per-town time limit is exercised with the real binary.
    static let hangEnvironment = "DRILLCAL_TEST_HANG_TOWN"

    static func names(_ job: Job, _ town: String) -> Bool {
        job.arguments.contains { $0 == town || $0.hasSuffix("/" + town) }
    }

    func run() async throws {
        // Town after town, each allocating and freeing its feeds' text (10 MB a town with member
        // feeds): freed memory kept for the next town instead of trimmed back to the kernel and
        // faulted in again, zeroed (page faults were 12 % of a province build with member feeds).
        HeapTuning.keepFreedPages()
        let replies = dup(STDOUT_FILENO)
        guard replies >= 0 else { throw ExitCode(3) }
        _ = fcntl(replies, F_SETFD, FD_CLOEXEC)
        let kill = ProcessInfo.processInfo.environment[Self.killEnvironment]
        let hang = ProcessInfo.processInfo.environment[Self.hangEnvironment]
        Self.point(at: "/dev/null")
        var parses = BuildParses()
        while let line = readLine(strippingNewline: true) {
            guard let job = try? JSONDecoder().decode(Job.self, from: Data(line.utf8)) else { throw ExitCode(2) }
            guard Self.point(out: job.out, err: job.err) else {
                Self.reply(replies, 3)
                continue
            }
            if let kill, Self.names(job, kill) { raise(SIGKILL) }
            if let hang, Self.names(job, hang) {
                while true { sleep(3600) }
            }
            let status = await Drillcal.execute(job.arguments, parsed: parses.command(job.arguments))
            Self.point(at: "/dev/null")
            Self.reply(replies, status)
        }
    }

    /// A region's jobs are `build TOWN` and the same options for every town: the command line is
    /// parsed once and the parsed build reused with the next town's folder (ArgumentParser's parse,
    /// reflecting over every option, was 3 % of a province build's CPU). Any other command line, or
    /// one whose options differ, is parsed as it comes.
    struct BuildParses {
        private var options: ArraySlice<String> = []
        private var build: Drillcal.Build?

        /// The parsed command for `arguments`, or nil to let `execute` parse them (and report
        /// their errors).
        mutating func command(_ arguments: [String]) -> Drillcal.Build? {
            guard arguments.count >= 2, arguments[0] == "build", !arguments[1].hasPrefix("-") else { return nil }
            if var build, arguments.dropFirst(2).elementsEqual(options) {
                build.town.directory = arguments[1]
                return build
            }
            guard let parsed = try? Drillcal.parseAsRoot(arguments) as? Drillcal.Build,
                parsed.town.directory == arguments[1]
            else { return nil }
            options = arguments.dropFirst(2)
            build = parsed
            return parsed
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
        _ = RegionRunner.writeAll(fd, "\(status)\n".utf8)
    }
}
