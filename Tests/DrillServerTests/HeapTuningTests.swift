#if canImport(Glibc)
import CMalloc
import Glibc
import Testing

@testable import DrillServer

@Suite("glibc heap tuning for the server")
struct HeapTuningTests {
    /// glibc accepts both settings (it refuses values outside its range, e.g. an mmap threshold over
    /// 32 MiB, and then nothing would change).
    @Test func settingsAreAccepted() {
        #expect(HeapTuning.keepFreedPages())
    }

    /// Their effect, observed in a forked child: the test process runs many threads that allocate
    /// meanwhile and share glibc's arenas, so its allocator counters move under any in-process check
    /// (a first version of this test failed that way in the full suite). The child has one thread and
    /// calls only C functions. With glibc's default 128 KiB threshold a 2 MiB block is a mapping of its
    /// own (unmapped again on free: the pages the server faulted in over and over); after
    /// `keepFreedPages` the same block comes from the heap and its pages stay when it is freed.
    @Test func blocksComeFromTheHeapAfterTuning() {
        let pid = fork()
        if pid == 0 {
            alarm(10)  // never hang the suite
            let size = 2 << 20
            func mappedDuringAllocation() -> Int {
                let before = mallinfo2().hblks
                guard let block = malloc(size) else { _exit(90) }
                memset(block, 1, size)
                let during = mallinfo2().hblks
                free(block)
                return Int(during) - Int(before)
            }
            guard mallopt(M_MMAP_THRESHOLD, 128 << 10) == 1 else { _exit(91) }
            guard mappedDuringAllocation() == 1 else { _exit(92) }  // glibc's default: its own mapping
            guard HeapTuning.keepFreedPages() else { _exit(93) }
            guard mappedDuringAllocation() == 0 else { _exit(94) }  // tuned: from the heap
            _exit(0)
        }
        #expect(pid > 0, "fork failed")
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        // Exit code 0: both halves held (92: the default did not map the block; 94: tuning did not
        // keep it in the heap; a signal, e.g. the alarm: the child hung).
        #expect(status & 0x7f == 0, "the child was killed by signal \(status & 0x7f)")
        #expect((status >> 8) & 0xff == 0, "the child exited with \((status >> 8) & 0xff)")
    }
}
#endif
