import Foundation

/// A throw-away PostgreSQL 15 cluster for the store tests: `initdb` into a temporary folder, `pg_ctl
/// start` on a free loopback port (its socket in that folder too), stopped with `pg_ctl stop` and the
/// folder removed when the test process exits. No container, nothing installed into the system
/// cluster. Started once per test process, on first use; each store under test gets a schema of its own.
///
/// PostgreSQL refuses to run as root: when the tests run as root the cluster's folder is given to the
/// `postgres` user (made by Debian's `postgresql` package) and `initdb`/`pg_ctl` run as that user
/// through `runuser`. `scripts/setup.sh` installs `postgresql` when it is missing.
/// `DRILLCAL_PG_BIN` overrides the binaries' folder (default `/usr/lib/postgresql/15/bin`).
final class PostgresCluster: Sendable {
    let port: Int
    let folder: URL

    /// The superuser `initdb` makes (trust authentication on loopback only).
    static let user = "drillcal"

    /// The cluster, started on first use (callers wait without blocking a thread); the same failure
    /// for every test if it cannot start.
    static func shared() async throws -> PostgresCluster { try await Starter.one.cluster() }

    private actor Starter {
        static let one = Starter()
        private var result: Result<PostgresCluster, ClusterError>?
        func cluster() throws(ClusterError) -> PostgresCluster {
            if result == nil {
                do throws(ClusterError) { result = .success(try PostgresCluster.start()) } catch {
                    result = .failure(error)
                }
            }
            return try result!.get()
        }
    }

    struct ClusterError: Error, CustomStringConvertible {
        let description: String
    }

    private init(port: Int, folder: URL) {
        self.port = port
        self.folder = folder
    }

    /// `postgres://` URL of a fresh schema of its own in the cluster's `postgres` database.
    func freshURL() -> String {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return "postgres://\(Self.user)@127.0.0.1:\(port)/postgres?search_path=\(schema)"
    }

    // MARK: Starting and stopping

    /// Folder of the running cluster, for the exit handler.
    nonisolated(unsafe) private static var running: (bin: String, folder: String, asPostgres: Bool)?

    private static func start() throws(ClusterError) -> PostgresCluster {
        let bin = ProcessInfo.processInfo.environment["DRILLCAL_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
        guard FileManager.default.isExecutableFile(atPath: bin + "/initdb"),
            FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl")
        else {
            throw ClusterError(description: "PostgreSQL 15 is missing (\(bin)/initdb): run scripts/setup.sh")
        }
        let asPostgres = getuid() == 0
        let folder = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent(
                "drillcal-pg-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ClusterError(description: "cannot make \(folder.path): \(error)")
        }
        if asPostgres {
            guard let pw = getpwnam("postgres") else {
                throw ClusterError(
                    description: "running as root, and there is no postgres user to run PostgreSQL as: "
                        + "run scripts/setup.sh (Debian's postgresql package makes it)")
            }
            guard chown(folder.path, pw.pointee.pw_uid, pw.pointee.pw_gid) == 0 else {
                throw ClusterError(description: "cannot give \(folder.path) to the postgres user")
            }
        }
        let data = folder.appendingPathComponent("data").path
        let port = freePort()
        try run(
            bin + "/initdb",
            ["-D", data, "-U", user, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            asPostgres: asPostgres)
        running = (bin, folder.path, asPostgres)
        atexit { PostgresCluster.stopAtExit() }
        let options = [
            "-p \(port)", "-k \(folder.path)", "-c listen_addresses=127.0.0.1", "-c max_connections=400",
            "-c shared_buffers=32MB",
        ].joined(separator: " ")
        try run(
            bin + "/pg_ctl",
            [
                "-D", data, "-l", folder.appendingPathComponent("server.log").path, "-w", "-t", "60", "-o",
                options, "start",
            ],
            asPostgres: asPostgres)
        return PostgresCluster(port: port, folder: folder)
    }

    /// Stops the cluster at once and removes its folder: called when the test process exits.
    private static func stopAtExit() {
        guard let running else { return }
        _ = try? run(
            running.bin + "/pg_ctl", ["-D", running.folder + "/data", "-m", "immediate", "-w", "stop"],
            asPostgres: running.asPostgres)
        try? FileManager.default.removeItem(atPath: running.folder)
    }

    /// Runs a PostgreSQL tool (as `postgres` through runuser when root) and waits; throws with its
    /// output. posix_spawn and waitpid: Foundation's Process could leave the child unreaped here.
    private static func run(_ tool: String, _ arguments: [String], asPostgres: Bool) throws(ClusterError) {
        let argv =
            asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] + arguments : [tool] + arguments
        let output = NSTemporaryDirectory() + "pg-tool-\(UUID().uuidString).log"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard spawned == 0 else {
            throw ClusterError(description: "\(argv[0]): cannot start (errno \(spawned))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exited == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            throw ClusterError(
                description: "\((tool as NSString).lastPathComponent) \(arguments.joined(separator: " ")) "
                    + "exited \(exited): \(text)")
        }
    }

    /// A loopback TCP port nothing listens on now.
    private static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
