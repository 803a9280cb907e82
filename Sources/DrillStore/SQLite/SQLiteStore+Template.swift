import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
    /// The bytes of an empty database that has run every migration: made once per process, in
    /// memory, by the same migrator (`StoreSchema`), and copied into each new database file.
    ///
    /// Why: running the migrations is GRDB building each table's SQL and introspecting the schema
    /// between statements, ~4.7 ms of CPU per new file (perf, a 100-town province, 2 cores), and a
    /// province build makes 1,500 new files in worker processes that build 64 towns each. The copy
    /// holds exactly what the migrations make (tables, indexes, triggers, GRDB's list of applied
    /// migrations), so opening it migrates nothing; a template that cannot be made leaves every
    /// file to the migrations, as before.
    static let templateImage: [UInt8]? = {
        configureSQLite()
        do {
            let queue = try DatabaseQueue(configuration: configuration)
            try StoreSchema.migrator.migrate(queue)
            return try queue.inDatabase { db -> [UInt8]? in
                var size: sqlite3_int64 = 0
                guard let bytes = sqlite3_serialize(db.sqliteConnection, "main", &size, 0), size > 0 else {
                    return nil
                }
                defer { sqlite3_free(bytes) }
                var image = Array(UnsafeBufferPointer(start: bytes, count: Int(size)))
                // WAL mode in the header (file format write and read versions 2, as SQLite writes
                // them when a database enters WAL mode): the file opens as a WAL database closed
                // cleanly. Left at 1 (an in-memory database's), the pool's switch to WAL was one more
                // transaction through a rollback journal: four more fsyncs per new file (strace).
                guard image.count >= 100 else { return nil }
                image[18] = 2
                image[19] = 2
                return image
            }
        } catch {
            return nil
        }
    }()

    /// Creates the database file `path` from ``templateImage`` when neither it nor a write-ahead
    /// log of an earlier file is there; returns whether it did. Written to a temporary file beside
    /// it, flushed to disk, then linked into place, which fails if the file appeared meanwhile (a
    /// file someone else just made is never replaced); the folder is flushed too, so the new name
    /// survives a power cut like the first transaction written into it. Any failure leaves no file
    /// behind and the caller's open creates and migrates the file as before.
    @discardableResult
    static func createFromTemplate(_ path: String) -> Bool {
        // The file first: a process opening an existing database (every command but a first build)
        // never makes the template.
        guard !FileManager.default.fileExists(atPath: path), !FileManager.default.fileExists(atPath: path + "-wal"),
            let image = templateImage
        else { return false }
        let temporary = path + ".template-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { unlink(temporary) }
        let synced = writeAll(fd, image) && fsync(fd) == 0
        Glibc.close(fd)
        guard synced, link(temporary, path) == 0 else { return false }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            _ = fsync(folder)
            Glibc.close(folder)
        }
        return true
    }
}
