import ArgumentParser
import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation

/// Options every command that reads a town folder shares.
struct TownOptions: ParsableArguments {
    @Argument(help: "城镇目录（含 plan.yaml 与 roster.csv）/ town folder with plan.yaml and roster.csv")
    var directory: String

    @Option(help: "输出语言 / output language: zh or en")
    var lang: Language = .zh

    @Option(help: "名册编码 / roster encoding: auto, utf8 or gb18030")
    var encoding: RosterEncoding = .auto

    @Option(
        help: """
            出勤数据库：SQLite 文件（默认 DIR/drillcal.sqlite）或 postgres://用户[:密码]@主机[:端口]/数据库 / \
            attendance database: an SQLite file (default DIR/drillcal.sqlite) or postgres://user[:password]@host[:port]/db
            """)
    var database: String?

    /// Whether `--database` names a PostgreSQL database.
    var usesPostgres: Bool { database.map(PostgresStore.isURL) ?? false }

    /// The database as messages name it: the SQLite path, or the PostgreSQL URL without its password.
    var databasePath: String {
        if let database, PostgresStore.isURL(database) { return PostgresStore.redacted(database) }
        return database ?? (directory as NSString).appendingPathComponent("drillcal.sqlite")
    }

    /// Whether the store is an SQLite file not made yet (nor a write-ahead log of an earlier one).
    var newSQLiteFile: Bool {
        !usesPostgres && !FileManager.default.fileExists(atPath: databasePath)
            && !FileManager.default.fileExists(atPath: databasePath + "-wal")
    }

    /// The database as given (with a PostgreSQL password, if any): for passing on to a child process.
    var databaseArgument: String { database ?? databasePath }

    /// Opens the store, or exits 2 (missing and `create` false, or a malformed URL) or 3 (cannot open
    /// or reach). A PostgreSQL database always exists (its schema is made on first use).
    func openStore(create: Bool) async throws -> (any AttendanceStore)? {
        if let database, PostgresStore.isURL(database) {
            do {
                return try await PostgresStore(url: database)
            } catch {
                // The message names the URL without its password.
                Console.error(error.message(lang))
                if case .invalid = error { throw ExitCode(2) }
                throw ExitCode(3)
            }
        }
        if !create && !FileManager.default.fileExists(atPath: databasePath) { return nil }
        let delay = UInt32(ProcessInfo.processInfo.environment["DRILLCAL_TEST_MARK_DELAY_US"] ?? "") ?? 0
        do {
            return try SQLiteStore(path: databasePath, markDelayMicroseconds: delay)
        } catch {
            Console.error("\(databasePath): " + error.message(lang))
            throw ExitCode(3)
        }
    }

    /// Opens the store that `build` created, or exits 2 saying to run `build` first.
    func requireStore() async throws -> any AttendanceStore {
        guard let store = try await openStore(create: false) else {
            Console.error(lang.pick(
                "\(databasePath) 不存在：请先运行 drillcal build \(directory) 发布排期",
                "\(databasePath) does not exist: run drillcal build \(directory) first to publish the schedule"))
            throw ExitCode(2)
        }
        return store
    }

    /// Reads everything the store holds, or exits 3.
    func attendanceData(_ store: some AttendanceStore) async throws -> AttendanceData {
        do {
            let sessions = try await store.sessions()
            // One read each, not one per session (a third of a town check's time).
            var rosters = try await store.allRosters()
            for s in sessions where rosters[s.uid] == nil { rosters[s.uid] = [] }
            let summaries = try await store.allSummaries()
            let done = Dictionary(
                try await store.deadlineRecords().map { ($0.sessionUID, $0) }, uniquingKeysWith: { a, _ in a })
            return AttendanceData(
                sessions: sessions, rosters: rosters, marks: try await store.allMarks(), summaries: summaries,
                deadlinesDone: done, actions: try await store.actions())
        } catch {
            Console.error(error.message(lang))
            throw ExitCode(3)
        }
    }

    /// Reads the town or exits 2 with the loader's message (file, line, field, expected, found).
    func load() throws -> TownInput {
        do {
            return try TownLoader.load(directory: directory, encoding: encoding, recurrence: LibicalRecurrence())
        } catch {
            Console.error(error.message(lang))
            throw ExitCode(2)
        }
    }

    /// The town's scheduler, with libical expanding RRULEs.
    func scheduler(_ input: TownInput, replan: Replan = Replan()) -> Scheduler {
        Scheduler(
            plan: input.plan, roster: input.roster, holidays: input.holidays, recurrence: LibicalRecurrence(),
            replan: replan)
    }

    /// Every demand of the plan, or exits 2.
    func demands(_ input: TownInput) throws -> [Demand] {
        do {
            return try scheduler(input).demands()
        } catch {
            Console.error("\(input.planFile): " + error.message.text(lang))
            throw ExitCode(2)
        }
    }

    /// Schedules the town or exits 2.
    func schedule(
        _ input: TownInput, replan: Replan = Replan(), recordRejections: Bool = false,
        search: SearchOptions = SearchOptions()
    ) throws -> Schedule {
        do {
            return try scheduler(input, replan: replan).schedule(recordRejections: recordRejections, search: search)
        } catch {
            Console.error("\(input.planFile): " + error.message.text(lang))
            throw ExitCode(2)
        }
    }
}

extension Language: ExpressibleByArgument {}
extension RosterEncoding: ExpressibleByArgument {}

/// Today in the plan's time zone, or the day given with --as-of.
func today(_ asOf: String?, timeZone: String, lang: Language) throws -> CivilDate {
    if let asOf {
        guard let d = CivilDate(iso: asOf) else {
            Console.error(lang.pick("--as-of：应为日期如 2027-07-01，实际为 “\(asOf)”",
                "--as-of: expected a date such as 2027-07-01, found \"\(asOf)\""))
            throw ExitCode(2)
        }
        return d
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
    let c = calendar.dateComponents([.year, .month, .day], from: Date())
    return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
}

/// Writing to the terminal.
enum Console {
    /// Prints an error on standard error (red on a colour terminal).
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((paint(text, .red, fd: STDERR_FILENO) + "\n").utf8))
    }

    /// Prints a warning on standard error (yellow on a colour terminal).
    static func warning(_ text: String) {
        FileHandle.standardError.write(Data((paint(text, .yellow, fd: STDERR_FILENO) + "\n").utf8))
    }

    /// The colours drillcal uses.
    enum Colour: String {
        case red = "31"
        case green = "32"
        case yellow = "33"
    }

    /// Whether to colour what goes to `fd`: only a terminal, never with `NO_COLOR` set to
    /// anything (https://no-color.org) or `TERM=dumb`.
    static func colours(fd: Int32) -> Bool {
        let env = ProcessInfo.processInfo.environment
        if let noColour = env["NO_COLOR"], !noColour.isEmpty { return false }
        if env["TERM"] == "dumb" { return false }
        return isatty(fd) == 1
    }

    /// `text` in `colour` when `fd` is a colour terminal, else as is.
    static func paint(_ text: String, _ colour: Colour, fd: Int32 = STDOUT_FILENO) -> String {
        colours(fd: fd) ? "\u{1B}[\(colour.rawValue)m" + text + "\u{1B}[0m" : text
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
