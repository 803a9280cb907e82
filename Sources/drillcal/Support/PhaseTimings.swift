import Foundation

/// Phase times of one build for the benchmark scripts: with `DRILLCAL_TIMINGS=FILE` set, `build`
/// appends one line `load=S schedule=S render=S write=S open=S store=S finish=S events=N` (seconds;
/// `load` is reading the town's files and replanning state, `open` opening or creating the town's
/// database, `store` publishing into it, `finish` what follows: carried actions and the report) to
/// FILE, for builds that reach the store, then the same phases' CPU seconds (user + system, of the
/// process) as `cpu.load=S …`: a phase whose wall is well above its CPU was waiting (for the disk, a
/// lock, the other workers). One short `O_APPEND` write per build, so the parallel towns of a region
/// build can share the file. A region build adds one line of its own phases (`region.start=S …`,
/// `RegionBuild.run`).
struct PhaseTimings {
    private var marks: [(String, Double, Double)] = []
    private var last = Date()
    private var lastCPU = PhaseTimings.cpu()
    var events = 0
    /// The build reached the store: its line is worth writing.
    var complete = false

    init() {}

    /// Clocks whose first phase began at `start`, `processStart()` for one that began with the
    /// process (its CPU seconds are then all the process's so far).
    init(since start: Date) {
        last = start
        lastCPU = 0
    }

    /// When this process started (`/proc/self/stat`, in clock ticks since boot; now where unknown):
    /// a phase measured from it includes loading the executable and its libraries.
    static func processStart() -> Date {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return Date() }
        // Fields after the command's closing parenthesis start with field 3 (state); field 22 is
        // the start time.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        var boot = timespec()
        guard fields.count > 19, let ticks = Double(fields[19]), clock_gettime(CLOCK_BOOTTIME, &boot) == 0 else {
            return Date()
        }
        let age = Double(boot.tv_sec) + Double(boot.tv_nsec) / 1e9 - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
        return Date(timeIntervalSinceNow: -max(0, age))
    }

    /// Ends the phase `name` now.
    mutating func end(_ name: String) {
        let now = Date()
        let cpu = Self.cpu()
        marks.append((name, now.timeIntervalSince(last), cpu - lastCPU))
        last = now
        lastCPU = cpu
    }

    /// Restarts the clock without recording (time spent between phases).
    mutating func restart() {
        last = Date()
        lastCPU = Self.cpu()
    }

    /// The process's CPU seconds so far (user + system).
    static func cpu() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    func save() {
        guard let path = ProcessInfo.processInfo.environment["DRILLCAL_TIMINGS"], !path.isEmpty else {
            return
        }
        let line =
            (marks.map { "\($0.0)=\(String(format: "%.6f", $0.1))" }
            + marks.map { "cpu.\($0.0)=\(String(format: "%.6f", $0.2))" }).joined(separator: " ")
            + " events=\(events)\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        _ = line.withCString { write(fd, $0, strlen($0)) }
        close(fd)
    }
}
