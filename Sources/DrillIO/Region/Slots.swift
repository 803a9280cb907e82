import Foundation

/// Runs a region build's worker slots, each on a thread of its own.
///
/// Each slot mostly waits: on its worker process's pipe, while that worker builds or waits for the
/// disk. `DispatchQueue.concurrentPerform` ran no more iterations at once than there are cores, so
/// a region build given more workers than cores (`--jobs`) ran no more towns at once; threads run
/// every slot from the start.
public enum Slots {
    /// Calls `body(slot)` for each slot in `0..<count`, all at once, and returns when all have returned.
    public static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for slot in 0..<count {
            group.enter()
            Thread {
                body(slot)
                group.leave()
            }.start()
        }
        group.wait()
    }
}
