import DrillIO
import Foundation
import Synchronization
import Testing

/// A region build's worker slots all run at once, more of them than there are cores.
@Suite struct SlotsTests {
    @Test func everySlotRunsAtOnceEvenAboveTheCoreCount() {
        let count = ProcessInfo.processInfo.activeProcessorCount + 3
        let started = Mutex(0)
        let sawAll = Mutex<[Int]>([])
        Slots.run(count) { slot in
            started.withLock { $0 += 1 }
            // Each slot waits (up to 20 s) until every slot has started: slots run a core at a
            // time would each give up here and not be counted below.
            let deadline = Date().addingTimeInterval(20)
            while started.withLock({ $0 }) < count && Date() < deadline { usleep(1_000) }
            if started.withLock({ $0 }) == count { sawAll.withLock { $0.append(slot) } }
        }
        #expect(sawAll.withLock { $0.sorted() } == Array(0..<count))
    }

    @Test func returnsOnlyWhenEverySlotHasReturned() {
        let finished = Mutex(0)
        Slots.run(5) { slot in
            usleep(UInt32(slot) * 20_000)
            finished.withLock { $0 += 1 }
        }
        #expect(finished.withLock { $0 } == 5)
        Slots.run(0) { _ in Issue.record("no slot runs for a count of 0") }
    }
}
