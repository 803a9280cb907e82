#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// glibc's allocator settings for a long-running server.
///
/// Under check-in load perf found about a tenth of the server's CPU in page faults, `madvise` and page
/// clearing: SQLite gives every new page cache (each temporary b-tree of a query, each statement that
/// sorts) a bulk block of about 90 KB; when it is freed, glibc trims the top of the worker thread's
/// arena back to the kernel (`MADV_DONTNEED` once the top exceeds the 128 KiB trim threshold), and the
/// next request faults the same pages in again, zeroed. Raising the trim threshold keeps freed memory in
/// the process for reuse; fixing the mmap threshold keeps blocks up to 4 MiB in the arenas instead of a
/// fresh `mmap` each. Both are within glibc's own dynamic range (it raises them up to 32 MiB / 64 MiB
/// by itself after large frees); setting them only makes that the starting point. Measured with
/// `scripts/bench-checkin.sh`: server CPU per acknowledged mark 1.47/1.31/1.28 ms → 1.15/1.02/1.25 ms,
/// marks/s 1,127/1,210/1,235 → 1,426/1,604/1,262 in alternating runs (README, issue 11).
public enum HeapTuning {
    public static let trimThreshold = 64 << 20
    public static let mmapThreshold = 4 << 20

    /// Applies the settings; true when glibc accepted both (false elsewhere).
    @discardableResult
    public static func keepFreedPages() -> Bool {
        #if canImport(Glibc)
        return mallopt(M_TRIM_THRESHOLD, Int32(trimThreshold)) == 1
            && mallopt(M_MMAP_THRESHOLD, Int32(mmapThreshold)) == 1
        #else
        return false
        #endif
    }
}
