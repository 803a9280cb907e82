import DrillCore
import DrillFeeds
import HTTPTypes
import NIOCore
import Synchronization

/// One version of a town's feeds as the server answers them: looked up by name in dictionaries
/// only, so no request path ever reaches the file system.
public final class FeedCatalog: Sendable {
    /// The town's id as it appears in `/calendars/{town}/`.
    public let townID: String
    /// Public feeds (`town.ics`, `team-<id>.ics`, `village-<id>.ics`) by file name.
    public let publicFeeds: [String: ServedFeed]
    /// Private feeds by member id (`member-<id>.ics`).
    public let memberFeeds: [String: ServedFeed]
    /// What the index page lists, in plan order; names only, never members.
    public let listing: FeedListing
    /// Seconds since 1970 of the newest input this version was built from.
    public let inputsModified: Int
    /// The plan and roster this version was built from, for routes that need more than feeds (the
    /// check-in pages' team minimums and phone tails), so they follow every reload too.
    public let plan: Plan
    /// See `plan`.
    public let roster: Roster
    /// Index pages of this version already rendered, by language and base URL: `GET /` draws every
    /// QR code (milliseconds of CPU), so each page is drawn once per feed version, not per request.
    /// Bounded: the base URL may come from the request's Host header, and a client inventing hosts
    /// must not grow memory; past the bound pages are drawn without being kept.
    private let indexPages = Mutex<[String: IndexAnswer]>([:])
    /// How many index pages this version has drawn (for tests).
    let indexPagesDrawn = Atomic<Int>(0)
    static let indexPageLimit = 16
    /// How many index pages this version keeps (for tests).
    var indexPagesKept: Int { indexPages.withLock { $0.count } }

    init(
        townID: String, publicFeeds: [String: ServedFeed], memberFeeds: [String: ServedFeed],
        listing: FeedListing,
        inputsModified: Int, plan: Plan, roster: Roster
    ) {
        self.plan = plan
        self.roster = roster
        self.townID = townID
        self.publicFeeds = publicFeeds
        self.memberFeeds = memberFeeds
        self.listing = listing
        self.inputsModified = inputsModified
    }

    /// The index page for `language` at `baseURL` with its answer's status line and headers as
    /// HTTP/1.1 bytes (for `FeedFastPath`), drawn the first time it is asked for and kept (at most
    /// `indexPageLimit` base URLs a version, so invented Host headers cannot grow memory).
    func indexAnswer(language: Language, baseURL: String) -> IndexAnswer {
        indexAnswer(language: language, baseURL: baseURL) {
            IndexPage(listing: listing, townID: townID, baseURL: baseURL, language: language).render()
        }
    }

    /// `indexAnswer(language:baseURL:)` drawn by `render` (tests count and replace the drawing).
    func indexAnswer(language: Language, baseURL: String, render: () -> String) -> IndexAnswer {
        let key = language.rawValue + " " + baseURL
        if let answer = indexPages.withLock({ $0[key] }) { return answer }
        let answer = IndexAnswer(page: ByteBuffer(string: render()))
        indexPagesDrawn.add(1, ordering: .relaxed)
        indexPages.withLock { pages in
            if pages.count < Self.indexPageLimit { pages[key] = answer }
        }
        return answer
    }

    /// Prepares every feed of `set`. Content that `previous` already served keeps its prepared
    /// form and Last-Modified; new or changed content is compressed here, once, and gets
    /// `modified` (or one second after the previous version, so Last-Modified never goes back).
    /// - Throws: `Gzip.Failure`.
    static func make(set: FeedSet, plan: Plan, roster: Roster, modified: Int, previous: FeedCatalog?) throws
        -> FeedCatalog
    {
        var publicFeeds: [String: ServedFeed] = [:]
        var memberFeeds: [String: ServedFeed] = [:]
        for file in set.files {
            let memberID = file.name.hasPrefix("member-") ? String(file.name.dropFirst(7).dropLast(4)) : nil
            let old = memberID.map { previous?.memberFeeds[$0] } ?? previous?.publicFeeds[file.name]
            var feed = try ServedFeed(
                name: file.name, text: file.text, visibility: memberID == nil ? .public : .private,
                lastModified: modified)
            if let old {
                if old.digest == feed.digest {
                    feed = old
                } else if old.lastModified >= modified {
                    feed = feed.servedSince(old.lastModified + 1)
                }
            }
            if let memberID { memberFeeds[memberID] = feed } else { publicFeeds[file.name] = feed }
        }
        return FeedCatalog(
            townID: plan.town.id, publicFeeds: publicFeeds, memberFeeds: memberFeeds,
            listing: FeedListing(plan: plan), inputsModified: modified, plan: plan, roster: roster)
    }
}

/// The public feeds the index page offers, with their names in both languages.
public struct FeedListing: Sendable {
    /// One feed on the page.
    public struct Entry: Sendable {
        /// File name under `/calendars/{town}/`.
        public var file: String
        /// Chinese title.
        public var zh: String
        /// English title.
        public var en: String
    }

    /// Town name (zh).
    public var townName: String
    /// Town name (en), falling back to the Chinese one.
    public var townNameEnglish: String
    /// The station that publishes (应急站).
    public var station: String
    /// Plan year.
    public var year: Int
    /// The town feed.
    public var town: Entry
    /// One per team, in plan order.
    public var teams: [Entry]
    /// One per village, in plan order.
    public var villages: [Entry]

    init(plan: Plan) {
        townName = plan.town.name
        townNameEnglish = plan.town.nameEnglish ?? plan.town.name
        station = plan.town.station
        year = plan.year
        town = Entry(
            file: "town.ics", zh: "\(plan.town.name)全部培训演练", en: "All sessions of \(townNameEnglish)")
        teams = plan.teams.map { Entry(file: "team-\($0.id).ics", zh: $0.name, en: $0.displayName(.en)) }
        villages = plan.villages.map {
            Entry(file: "village-\($0.id).ics", zh: "\($0.name)村", en: $0.nameEnglish ?? $0.name)
        }
    }
}

/// An index page and the head of its 200 answer: `Responses.html`'s fields and the page's length.
struct IndexAnswer: Sendable {
    let page: ByteBuffer
    let headers: HTTPFields
    let wireHead: ByteBuffer

    init(page: ByteBuffer) {
        self.page = page
        var headers = Responses.htmlFields
        headers[.contentLength] = String(page.readableBytes)
        self.headers = headers
        wireHead = ServedFeed.WireHeads.head(.ok, headers)
    }
}
