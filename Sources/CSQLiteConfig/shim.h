/* sqlite3_config is variadic, which Swift cannot call: one fixed-argument wrapper per setting used. */
#include <sqlite3.h>

/* SQLITE_CONFIG_MEMSTATUS: whether SQLite counts its allocations (under a process-wide mutex).
   Only takes effect before SQLite is initialised (the first open); returns SQLITE_MISUSE after. */
static inline int drillcal_sqlite3_config_memstatus(int on) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on);
}
