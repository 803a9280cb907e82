import Logging
import ServiceLifecycle

/// Watches the town folder: once per `interval` it compares the watched files' stamps and
/// rebuilds the feeds when one changed, so a new roster or plan shows without a restart.
/// Stops at graceful shutdown.
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
            library.reloadIfChanged(logger: logger)
        }
    }
}
