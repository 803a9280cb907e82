import DrillCore
import Foundation
import Synchronization

/// A session's roster as the SQLite store keeps it since v11-packed-rosters: one JSON text per
/// session, `[[member id, name, team id, [role keys], away 0|1], ...]`, entries by team then member
/// id, no whitespace. The view `roster_entry` lists it as rows again (the old table's columns), so
/// every read and any hand query with `sqlite3` still sees one row per member and team.
///
/// Why one text per session and not one row per member: a province's first build inserted ~6,200
/// roster rows a town, each with its key's B-tree work, its foreign-key lookup and its JSON check,
/// and that was most of the build's store phase (README, "Benchmarks for a province"). Python's
/// sqlite3 on one town's rows: 17–18 ms as rows, 2.7 ms packed.
///
/// Written only here, so a text is a function of the sorted roster: a publication compares texts to
/// find the rosters that changed, without decoding the stored ones. What the schema cannot check
/// per entry (shape, one entry per member and team) is held by this writer and by
/// `PublishPlan.checkedRoster`; the schema checks that the text is a JSON array.
enum PackedRoster {
    /// The stored text of `roster`, which must already be in store order (team, then member id);
    /// nil for an empty roster, which is stored as no row.
    static func text(_ roster: [RosterEntry]) -> String? {
        guard !roster.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(roster.count * 96)
        out.append(UInt8(ascii: "["))
        for (index, entry) in roster.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "["))
            JSONBytes.appendString(entry.memberID, to: &out)
            out.append(UInt8(ascii: ","))
            JSONBytes.appendString(entry.name, to: &out)
            out.append(UInt8(ascii: ","))
            JSONBytes.appendString(entry.teamID, to: &out)
            out.append(contentsOf: ",[".utf8)
            for (roleIndex, role) in entry.roles.enumerated() {
                if roleIndex > 0 { out.append(UInt8(ascii: ",")) }
                JSONBytes.appendString(role.rawValue, to: &out)
            }
            out.append(contentsOf: (entry.away ? "],1]" : "],0]").utf8)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The view that lists packed rosters as the rows v1-rosters stored, under the old table's name
    /// and columns (`roles` is the JSON text of the list, `away` 0 or 1).
    static let viewSQL = """
        CREATE VIEW roster_entry AS
        SELECT r.session_uid AS session_uid, e.value ->> 0 AS member_id, e.value ->> 1 AS name,
          e.value ->> 2 AS team_id, e.value ->> 3 AS roles, e.value ->> 4 AS away
        FROM session_roster r, json_each(r.entries) e
        """

    /// Who a packed roster lists, by entry (member id, team id), as the check-in reads need it.
    struct Members: Sendable {
        let entries: [(member: String, team: String)]
        let memberIDs: Set<String>

        /// Parsed from a stored text; nil when it is not the shape `text(_:)` writes.
        init?(text: String) {
            guard
                let list = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[Any]]
            else { return nil }
            var entries: [(member: String, team: String)] = []
            entries.reserveCapacity(list.count)
            for fields in list {
                guard fields.count == 5, let member = fields[0] as? String, let team = fields[2] as? String
                else { return nil }
                entries.append((member, team))
            }
            self.entries = entries
            memberIDs = Set(entries.map(\.member))
        }
    }

    /// Parsed rosters by session UID, each kept with the text it was parsed from and used only
    /// while the stored text is the same (a publication from another process is seen at the next
    /// read). Why: every check-in asks whether the member is on the roster and for the live count
    /// per team; reading the packed text with SQLite's `json_each` and `->>` cost 30–90 µs a call
    /// for a 32-member roster, against 8–23 µs as rows (Python's sqlite3), and the single-server
    /// check-in rate fell by about a fifth.
    final class Cache: Sendable {
        private let parsed = Mutex<[String: (text: String, members: Members)]>([:])
        /// Sessions kept at most (then started afresh): a server checks in a few sessions at a time.
        private static let limit = 256

        /// The members of `uid`'s roster stored as `text`.
        /// - Throws: `.database` when the text is not a packed roster.
        func members(of uid: String, text: String) throws(StoreError) -> Members {
            if let known = parsed.withLock({ $0[uid] }), JSONBytes.sameBytes(known.text, text) { return known.members }
            guard let members = Members(text: text) else {
                throw StoreError.database("session \(uid): the stored roster is not a list of entries")
            }
            parsed.withLock { cache in
                if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
                cache[uid] = (text, members)
            }
            return members
        }
    }
}
