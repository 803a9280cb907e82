// Serves only the check-in routes over a town's SQLite store, until `drillcal serve` exists:
//   drillcal-checkin-dev DIR [PORT] [--database FILE]
// Binds 127.0.0.1; the town's plan and roster give team minimums and phone tails.
import DrillCheckIn
import DrillFeeds
import DrillIO
import DrillStore
import Foundation
import Hummingbird
import NIOCore

/// A request context that knows the client's address, so the routes can rate-limit per address.
struct DevContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

var args = Array(CommandLine.arguments.dropFirst())
var database: String?
if let i = args.firstIndex(of: "--database"), i + 1 < args.count {
    database = args[i + 1]
    args.removeSubrange(i...(i + 1))
}
guard let directory = args.first else {
    FileHandle.standardError.write(Data("usage: drillcal-checkin-dev DIR [PORT] [--database FILE]\n".utf8))
    exit(2)
}
let port = args.count > 1 ? Int(args[1]) ?? 8080 : 8080
let input = try TownLoader.load(directory: directory, recurrence: LibicalRecurrence())
let store = try SQLiteStore(
    path: database ?? (directory as NSString).appendingPathComponent("drillcal.sqlite"))
let router = Router(context: DevContext.self)
addCheckInRoutes(
    to: router, store: store, town: CheckInTown(plan: input.plan, roster: input.roster), language: .zh)
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
