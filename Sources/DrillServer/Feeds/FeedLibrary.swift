import DrillCore
import Logging
import Synchronization

/// The current version of a town's feeds, swapped whole when the folder changes.
///
/// Requests read `catalog` (one lock, one reference copy); `reloadIfChanged` rebuilds off the
/// request path and swaps the new catalog in, so a request sees the old version or the new one,
/// never a mix. A folder that stops loading (a typo in plan.yaml) keeps the last good version
/// online and logs why.
public final class FeedLibrary: Sendable {
    /// The folder published.
    public let folder: TownFolder
    private let current: Mutex<FeedCatalog>
    /// Files watched and their stamps when the current catalog (or the last failed attempt) was built.
    private let watched: Mutex<(paths: [String], stamps: [FileStamp?])>
    /// The absence notices the current catalog (or the last failed attempt) counted.
    private let notices: Mutex<NoticeDays>
    /// Requests `FeedFastPath` answered from this library (for tests and the benchmark).
    let fastAnswers = Atomic<Int>(0)

    /// Builds the first version.
    /// - Throws: `TownLoadError` when the folder cannot be published; `Gzip.Failure`.
    public init(folder: TownFolder) throws {
        self.folder = folder
        let paths = folder.defaultInputs
        let before = FileStamp.of(paths)
        let built = try folder.build()
        let catalog = try FeedCatalog.make(
            set: built.set, plan: built.plan, roster: built.roster, modified: built.modified, previous: nil)
        current = Mutex(catalog)
        watched = Mutex((built.inputs, built.inputs == paths ? before : FileStamp.of(built.inputs)))
        notices = Mutex(built.notices)
    }

    /// The version to answer from.
    public var catalog: FeedCatalog { current.withLock { $0 } }

    /// Rebuilds when any watched file, or the members' absence notices, changed since the last attempt.
    /// - Returns: whether a new version was swapped in.
    @discardableResult
    public func reloadIfChanged(logger: Logger) -> Bool {
        let (paths, stamps) = watched.withLock { $0 }
        // Stamps are taken before building: a change made during the build is seen next time.
        let now = FileStamp.of(paths)
        let given = folder.notices?()
        guard now != stamps || (given != nil && given != notices.withLock({ $0 })) else { return false }
        let started = ContinuousClock.now
        do {
            let built = try folder.build()
            let previous = catalog
            let next = try FeedCatalog.make(
                set: built.set, plan: built.plan, roster: built.roster, modified: built.modified,
                previous: previous)
            current.withLock { $0 = next }
            watched.withLock { $0 = (built.inputs, built.inputs == paths ? now : FileStamp.of(built.inputs)) }
            notices.withLock { $0 = built.notices }
            let changed =
                next.publicFeeds.count(where: { previous.publicFeeds[$0.key]?.digest != $0.value.digest })
                + next.memberFeeds.count(where: { previous.memberFeeds[$0.key]?.digest != $0.value.digest })
            logger.info(
                "feeds reloaded",
                metadata: [
                    "feeds": "\(next.publicFeeds.count + next.memberFeeds.count)", "changed": "\(changed)",
                    "duration_ms": "\((ContinuousClock.now - started).milliseconds)",
                ])
            return true
        } catch {
            watched.withLock { $0.stamps = now }
            if let given { notices.withLock { $0 = given } }
            logger.error(
                "feeds not reloaded; still serving the previous version", metadata: ["error": "\(error)"])
            return false
        }
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
