import Logging
import NIOPosix
import ServiceLifecycle

/// Watches the town folder: once per `interval` it compares the watched files' stamps and
/// rebuilds the feeds when one changed, so a new roster or plan shows without a restart.
/// Stops at graceful shutdown.
///
/// The check and the rebuild run on NIO's blocking thread pool, not on Swift's cooperative pool:
/// a rebuild schedules the whole town (seconds of CPU in a debug build) and, on a two-core machine,
/// would otherwise hold one of the two threads every request handler needs.
struct FeedReloader: Service {
    let library: FeedLibrary
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let (library, logger) = (library, logger)
            do {
                try await NIOThreadPool.singleton.runIfActive { library.reloadIfChanged(logger: logger) }
            } catch {
                return  // the pool is shutting down
            }
        }
    }
}
