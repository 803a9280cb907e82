import DrillCore
import DrillFeeds
import DrillIO
import Foundation

/// A town folder the server publishes, read the way `drillcal build` reads it.
///
/// ```swift
/// let folder = TownFolder(directory: "calendars/qingshan", language: .zh)
/// let built = try folder.build()
/// ```
public struct TownFolder: Sendable {
    /// The town folder (plan.yaml, roster.csv, feeds/).
    public var directory: String
    /// Language of the feeds, as `build --lang`.
    public var language: Language
    /// How roster.csv is encoded, as `build --encoding`.
    public var encoding: RosterEncoding
    /// Publish a schedule with unmet demand, as `build --allow-partial`.
    public var allowPartial: Bool
    /// The optimiser's seed, as `build --seed`.
    public var seed: UInt64
    /// The optimiser's budget in evaluated moves, as `build --moves`. There is no time cap, as in
    /// `build` by default, so the schedule (and the bytes served) are the ones `build` writes.
    public var moves: Int
    /// What was published before (pinned, frozen, changed by hand), read from the store at each
    /// build so the server publishes what `drillcal build` would (issue 8); nil schedules afresh.
    public var replan: (@Sendable (Plan) -> Replan)?
    /// The members' absence notices with their sessions' days, read from the store at each build
    /// and checked at each reload, so a notice given on a member's page lowers the expected
    /// turnout the served feeds and rosters show, as `drillcal build` does; nil reads none.
    public var notices: (@Sendable () -> NoticeDays)?

    /// Makes a folder description.
    public init(
        directory: String, language: Language = .zh, encoding: RosterEncoding = .auto,
        allowPartial: Bool = false, seed: UInt64 = SearchOptions().seed, moves: Int = SearchOptions().moveBudget,
        replan: (@Sendable (Plan) -> Replan)? = nil, notices: (@Sendable () -> NoticeDays)? = nil
    ) {
        self.replan = replan
        self.notices = notices
        self.directory = directory
        self.language = language
        self.encoding = encoding
        self.allowPartial = allowPartial
        self.seed = seed
        self.moves = moves
    }

    /// The optimiser's options: the same as `drillcal build --seed --moves` without --time-limit.
    public var searchOptions: SearchOptions { SearchOptions(seed: seed, moveBudget: moves) }

    /// What one build produced and the files it read.
    public struct Built: Sendable {
        /// The feeds, exactly as `drillcal build` would write them.
        public var set: FeedSet
        /// The plan they came from.
        public var plan: Plan
        /// The roster they came from (the check-in routes read phone tails from it).
        public var roster: Roster
        /// Files the build read (plan, roster, holidays, manifest), to watch for changes.
        public var inputs: [String]
        /// Newest modification time among `inputs`, seconds since 1970.
        public var modified: Int
        /// The absence notices the roster counts (a reload follows a change in them).
        public var notices = NoticeDays()
    }

    /// Path of the manifest `drillcal build` keeps beside the feeds.
    public var manifestPath: String { feedsFolder.appendingPathComponent("manifest.json").path }

    var feedsFolder: URL { URL(fileURLWithPath: directory).appendingPathComponent("feeds") }

    /// Files to watch before the first build has said which holidays file the plan uses.
    var defaultInputs: [String] {
        let base = URL(fileURLWithPath: directory)
        return [
            base.appendingPathComponent("plan.yaml").path, base.appendingPathComponent("roster.csv").path,
            manifestPath,
        ]
    }

    /// Schedules the town and builds every feed in memory, with the stored manifest, as
    /// `drillcal build` does but without writing anything.
    ///
    /// The build time (DTSTAMP of events that changed since the manifest) is the newest input's
    /// modification time, not the clock, so the same files always give the same bytes and the
    /// same ETags, across reloads and restarts.
    /// - Throws: `TownLoadError` naming the file and what is wrong.
    public func build() throws(TownLoadError) -> Built {
        var input: TownInput
        do {
            input = try TownLoader.load(
                directory: directory, encoding: encoding, recurrence: LibicalRecurrence())
        } catch {
            throw TownLoadError(message: error.message(language))
        }
        // Members' notices count them away on their sessions' days, as in `drillcal build`.
        let notices = self.notices?() ?? NoticeDays()
        input.roster = input.roster.addingNotices(notices)
        let schedule: Schedule
        do {
            schedule = try Scheduler(
                plan: input.plan, roster: input.roster, holidays: input.holidays,
                recurrence: LibicalRecurrence(), replan: replan?(input.plan) ?? Replan()
            ).schedule(search: searchOptions)
        } catch {
            throw TownLoadError(message: "\(input.planFile): " + error.message.text(language))
        }
        if !schedule.unmet.isEmpty && !allowPartial {
            throw TownLoadError(
                message: language.pick(
                    "\(schedule.unmet.count) 场未能排入，不发布（drillcal build 同样不会导出；可用 --allow-partial）",
                    "\(schedule.unmet.count) demand(s) could not be placed; not publishing, as drillcal build would not (use --allow-partial)"
                ), exitCode: 1)
        }
        let previous: FeedManifest
        do {
            previous = try FeedWriter.previousManifest(in: feedsFolder)
        } catch {
            throw TownLoadError(message: error.message(language))
        }
        let inputs = [input.planFile, input.rosterFile, input.holidaysFile, manifestPath]
        let modified = inputs.compactMap { FileStamp(path: $0)?.seconds }.max() ?? 0
        do {
            let set = try FeedBuilder(
                // Calendar text follows the plan (feeds.language); `language` is for messages only.
                plan: input.plan, roster: input.roster, schedule: schedule, language: input.plan.feeds.language,
                now: Stamp(seconds: modified), previous: previous
            ).build()
            return Built(
                set: set, plan: input.plan, roster: input.roster, inputs: inputs, modified: modified, notices: notices)
        } catch {
            throw TownLoadError(message: error.message, exitCode: 3)
        }
    }
}

/// Why a town folder could not be published: the message names the file and what is wrong.
public struct TownLoadError: Error, Sendable, CustomStringConvertible {
    /// The message, in the folder's language.
    public var message: String
    /// The exit code `drillcal serve` leaves with, the same as `drillcal build` for the same
    /// folder: 2 bad input, 1 unmet demand, 3 feeds that could not be built.
    public var exitCode: Int32 = 2
    public var description: String { message }
}

/// What identifies one version of a file without reading it: modification time (with
/// nanoseconds), size and inode, so an edit within the same second, or a file renamed over the
/// old one, is still seen.
struct FileStamp: Hashable, Sendable {
    var seconds: Int
    var nanoseconds: Int
    var size: Int
    var inode: UInt

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
        size = Int(info.st_size)
        inode = UInt(info.st_ino)
    }

    /// The stamps of `paths` (nil for a missing file), in order.
    static func of(_ paths: [String]) -> [FileStamp?] { paths.map { FileStamp(path: $0) } }
}
