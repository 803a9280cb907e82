import Foundation
import Synchronization
import Testing

@testable import DrillIO

/// `Concurrently.map` (a region's per-town stats and reads) returns every index's result in order,
/// and really runs several at once: jobs that each wait for the others finish only if they overlap.
@Suite struct ConcurrentlyTests {
    @Test(arguments: [0, 1, 2, 7, 8, 9, 1_000])
    func everyIndexOnceAndInOrder(count: Int) {
        let calls = Mutex([Int](repeating: 0, count: count))
        let results = Concurrently.map(count) { i in
            calls.withLock { $0[i] += 1 }
            return i * i
        }
        #expect(results == (0..<count).map { $0 * $0 })
        #expect(calls.withLock { $0 } == [Int](repeating: 1, count: count))
    }

    /// Four jobs that each wait (up to a minute) until all four have started: one at a time, the
    /// first would wait out its minute and none would see the others.
    @Test func jobsOverlap() {
        let started = Mutex(0)
        let results = Concurrently.map(4, threads: 4) { _ -> Bool in
            started.withLock { $0 += 1 }
            for _ in 0..<60_000 {
                if started.withLock({ $0 }) == 4 { return true }
                usleep(1_000)
            }
            return false
        }
        #expect(results == [true, true, true, true])
    }

    @Test func oneThreadRunsInTheCallersOrder() {
        let order = Mutex([Int]())
        _ = Concurrently.map(5, threads: 1) { i in order.withLock { $0.append(i) } }
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
    }
}
