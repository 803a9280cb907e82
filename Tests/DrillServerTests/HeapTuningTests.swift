#if canImport(Glibc)
import CMalloc
import Glibc
import Testing

@testable import DrillServer

@Suite("glibc heap tuning for the server")
struct HeapTuningTests {
    /// Free bytes the allocator holds (every arena, the top chunk included) after a 2 MiB block is
    /// allocated, written and freed, minus the free bytes while it was held.
    private func keptAfterFree(size: Int) -> Int {
        guard let block = malloc(size) else { return -1 }
        memset(block, 1, size)
        let held = mallinfo2().fordblks
        free(block)
        return Int(mallinfo2().fordblks) - Int(held)
    }

    /// With glibc's 128 KiB trim threshold the freed top of the heap goes back to the kernel (and the
    /// next request faults it in again); after `keepFreedPages` the same free leaves it in the process.
    @Test func freedPagesStayInTheProcess() {
        let size = 2 << 20
        #expect(size < HeapTuning.mmapThreshold && size < HeapTuning.trimThreshold)
        // The block comes from an arena in both halves (not its own mmap).
        #expect(mallopt(M_MMAP_THRESHOLD, Int32(HeapTuning.mmapThreshold)) == 1)
        #expect(mallopt(M_TRIM_THRESHOLD, 128 << 10) == 1)
        let trimmed = keptAfterFree(size: size)
        #expect(trimmed < size / 2, "glibc's default threshold gives the freed top back (kept \(trimmed) bytes)")

        #expect(HeapTuning.keepFreedPages())
        let kept = keptAfterFree(size: size)
        #expect(kept >= size, "after keepFreedPages the freed 2 MiB stays free inside the heap (kept \(kept))")
    }
}
#endif
