import ArgumentParser
import DrillCore
import DrillStore
import Foundation

/// Corrective actions carried over into next year's plan folder (上年度结转整改措施).
///
/// `drillcal actions OLD carry --to NEW` writes `NEW/carried-actions.json` with the open actions of
/// OLD (closed ones stay in OLD's report); every command of NEW that reads its store (`build`,
/// `check`, `report`, `actions`) loads the file into NEW's store, once per action, marked with the
/// year and number it came from. The file is machine-written JSON; the same actions give the same bytes.
struct CarriedActionsFile: Codable, Equatable {
    /// One carried action with its origin (an action carried twice keeps its first origin).
    struct Item: Codable, Equatable {
        var town: String
        var year: Int
        var id: Int
        var text: String
        var owner: String
        var due: String
        /// The session it followed in its year, in words; empty for one added by hand.
        var source: String
    }

    /// The folder's town and year it was carried from.
    var town: String
    var year: Int
    var actions: [Item]

    static let fileName = "carried-actions.json"

    /// The open actions of a year's store, in number order.
    init(town: String, year: Int, open actions: [CorrectiveAction], title: (String) -> String) {
        self.town = town
        self.year = year
        self.actions = actions.filter { $0.status == .open }.sorted { $0.id < $1.id }.map { a in
            let origin =
                a.carriedFrom
                ?? CarriedFrom(town: town, year: year, id: a.id, source: a.sessionUID.map(title) ?? "")
            return Item(
                town: origin.town, year: origin.year, id: origin.id, text: a.text, owner: a.owner,
                due: a.due.description, source: origin.source)
        }
    }

    /// The bytes written: sorted keys, two-space indent, CJK unescaped, a final newline.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// `DIR/carried-actions.json`.
    static func path(in directory: String) -> String {
        (directory as NSString).appendingPathComponent(fileName)
    }

    /// Whether `directory` holds a carried-over actions file (``load(into:directory:lang:)`` has work).
    static func present(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: path(in: directory))
    }

    /// Loads `DIR/carried-actions.json` into `store` if the file exists; returns how many actions were
    /// new. A file that is not what `carry` writes exits 2 naming the file and field; nothing is added.
    static func load(into store: any AttendanceStore, directory: String, lang: Language) async throws -> Int {
        let path = Self.path(in: directory)
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        let file: CarriedActionsFile
        do {
            file = try JSONDecoder().decode(CarriedActionsFile.self, from: data)
        } catch {
            Console.error(
                lang.pick(
                    "\(path)：应为 drillcal actions carry 写出的上年度结转整改措施（JSON），实际无法读取：\(Self.describe(error))",
                    "\(path): expected the carried-over actions drillcal actions carry writes (JSON), found unreadable: \(Self.describe(error))"
                ))
            throw ExitCode(2)
        }
        var items: [(CarriedFrom, Item, CivilDate)] = []
        for (index, item) in file.actions.enumerated() {
            guard let due = CivilDate(iso: item.due) else {
                Console.error(
                    lang.pick(
                        "\(path)：actions[\(index)].due 应为日期如 2027-09-30，实际为 “\(item.due)”",
                        "\(path): actions[\(index)].due: expected a date such as 2027-09-30, found \"\(item.due)\""
                    ))
                throw ExitCode(2)
            }
            items.append(
                (CarriedFrom(town: item.town, year: item.year, id: item.id, source: item.source), item, due))
        }
        let added: Int
        switch await carry(items, into: store) {
        case .success(let n): added = n
        case .failure(let error):
            Console.error("\(path): " + error.message(lang))
            throw ExitCode(error.isInput ? 2 : 3)
        }
        if added > 0 {
            FileHandle.standardError.write(
                Data(
                    lang.pick(
                        "已载入上年度结转整改措施 \(added) 项（\(fileName)）\n",
                        "Loaded \(added) corrective action(s) carried over from last year (\(fileName))\n"
                    ).utf8))
        }
        return added
    }

    /// Adds each item through `carryAction`; how many were new.
    static func carry(_ items: [(CarriedFrom, Item, CivilDate)], into store: any AttendanceStore) async -> Result<
        Int, StoreError
    > {
        do {
            let before = Set(
                (try await store.actions()).compactMap(\.carriedFrom).map { "\($0.town)|\($0.year)|\($0.id)" }
            )
            var added = 0
            let now = Int(Date().timeIntervalSince1970)
            for (origin, item, due) in items {
                try await store.carryAction(
                    from: origin, text: item.text, owner: item.owner, due: due, by: "carry", at: now)
                if !before.contains("\(origin.town)|\(origin.year)|\(origin.id)") { added += 1 }
            }
            return .success(added)
        } catch {
            return .failure(error)
        }
    }

    /// A decoding error as the field path and what was wrong.
    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let c)?:
            return (c.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".") + " missing"
        case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .dataCorrupted(let c)?:
            return c.codingPath.map(\.stringValue).joined(separator: ".") + " " + c.debugDescription
        default:
            return "\(error)"
        }
    }
}
