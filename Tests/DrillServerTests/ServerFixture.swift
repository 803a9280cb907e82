import DrillCore
import DrillFeeds
import DrillIO
import DrillStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

@testable import DrillServer

/// A scratch copy of the example town, published the way `drillcal build --now …` publishes it
/// (FeedBuilder, then FeedWriter into feeds/), with an in-memory store for tokens.
struct ServerFixture {
    /// The town folder (…/calendars/qingshan).
    let town: URL
    /// What FeedBuilder produced, by file name: the bytes the server must answer with.
    let expected: [String: String]
    let store: InMemoryStore
    let library: FeedLibrary

    /// The optimiser budget of both the fixture's build and the server's reloads: the server must answer
    /// with exactly the bytes build exported, so both schedule with the same budget. It is small because
    /// every reload reschedules, and the default budget keeps a debug build busy for seconds on two
    /// cores, long enough for a request to time out behind it.
    static let moves = 20_000

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Copies `calendars/`, optionally edits plan.yaml, builds and writes the feeds, loads the server's library.
    static func make(editPlan: (String) -> String = { $0 }) throws -> ServerFixture {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drillserver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let calendars = dir.appendingPathComponent("calendars")
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("calendars"), to: calendars)
        let town = calendars.appendingPathComponent("qingshan")
        try? FileManager.default.removeItem(at: town.appendingPathComponent("feeds"))
        try? FileManager.default.removeItem(at: town.appendingPathComponent("feeds.d"))
        let planURL = town.appendingPathComponent("plan.yaml")
        try Data(editPlan(try String(contentsOf: planURL, encoding: .utf8)).utf8).write(to: planURL)

        let expected = try publish(town)
        let library = try FeedLibrary(folder: TownFolder(
            directory: town.path, moves: moves))
        return ServerFixture(town: town, expected: expected, store: InMemoryStore(), library: library)
    }

    /// What `drillcal build --now 2026-11-29T08:00:00Z` does to the feeds folder; returns the texts.
    @discardableResult
    static func publish(_ town: URL) throws -> [String: String] {
        let input = try TownLoader.load(directory: town.path, recurrence: LibicalRecurrence())
        let schedule = try Scheduler(
            plan: input.plan, roster: input.roster, holidays: input.holidays, recurrence: LibicalRecurrence()
        ).schedule(search: SearchOptions(moveBudget: moves))
        let folder = town.appendingPathComponent("feeds")
        let set = try FeedBuilder(
            plan: input.plan, roster: input.roster, schedule: schedule, language: .zh,
            now: Stamp(seconds: 1_795_939_200), previous: try FeedWriter.previousManifest(in: folder)
        ).build()
        try FeedWriter.write(set, to: folder)
        return Dictionary(uniqueKeysWithValues: set.files.map { ($0.name, $0.text) })
    }

    /// The application under test.
    func app(
        logger given: Logger? = nil, store other: (any AttendanceStore)? = nil,
        _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        var logger = Logger(label: "drillserver.tests")
        logger.logLevel = .warning
        if let given { logger = given }
        return buildApplication(configuration: configuration, store: other ?? store, town: library, logger: logger)
    }

    /// The same routes with a given token throttle (a frozen clock keeps throttle tests independent
    /// of how fast the machine runs them).
    func app(
        throttle: TokenThrottle, store: (any AttendanceStore)? = nil,
        _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        return Application(
            router: buildRouter(
                configuration: configuration, store: store ?? self.store, town: library, throttle: throttle))
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: town.deletingLastPathComponent().deletingLastPathComponent())
    }
}

extension ByteBuffer {
    var text: String { String(buffer: self) }
    var bytes: [UInt8] { Array(readableBytesView) }
}

extension HTTPFields {
    /// Fields from pairs, for request headers.
    static func make(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields[HTTPField.Name(name)!] = value }
        return fields
    }
}
