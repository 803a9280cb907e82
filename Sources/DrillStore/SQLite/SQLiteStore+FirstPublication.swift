import DrillCore
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
    /// The bytes of a new database file holding a town's first publication: `sessions` and their
    /// rosters published and their codes assigned, exactly as `publishAssigningCodes` leaves a new
    /// file (the same statements, run on a copy of ``templateImage`` in memory).
    ///
    /// Why: a town's first build opened a new file and published into it through the write-ahead
    /// log, which cost seven syncs (the template copy and its folder, the log's creation and its
    /// folder, the commit, the checkpoint's log and file) and the opening of a pool of connections;
    /// a province makes 1,500 such files at once, and its build spent more time waiting on those
    /// syncs than publishing (see the README's province benchmarks). Made in memory, the file
    /// is written once and made durable together with the town's feeds (one `syncfs`), then linked
    /// into place (``placeStagedFile(_:at:syncFolder:)``): a crash leaves no database or a whole one.
    /// - Throws: what publishing would throw (a roster naming an unknown session, a bad row).
    public static func firstPublicationImage(sessions: [SessionRecord], rosters: [String: [RosterEntry]])
        throws(StoreError) -> [UInt8]
    {
        configureSQLite()
        do {
            let queue = try DatabaseQueue(configuration: configuration)
            if let image = memoryTemplateImage {
                try queue.inDatabase { db in try deserialize(image, into: db) }
            } else {
                try StoreSchema.migrator.migrate(queue)
            }
            try queue.write { db in
                // v9's insert trigger counts each new session row with an UPDATE of the counter,
                // ~5 µs a row of the ~8 µs a session costs to insert (Python's sqlite3 on a benchmark
                // town's 376 sessions, rosters and codes: 9.8–10.6 ms with the trigger, 7.9–8.6 ms
                // without it and the counter raised once). The table starts empty and a publication
                // never deletes a session, so the rows it holds afterwards are the inserts the trigger
                // would have counted; updates are still counted by their own trigger. The trigger is
                // put back with its own text, so the file's schema is the migrations' (tested).
                let counted = try String.fetchOne(
                    db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'session_counted_insert'")
                if counted != nil {
                    guard try Int.fetchOne(db, sql: "SELECT count(*) FROM session") == 0 else {
                        throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "template holds sessions")
                    }
                    try db.execute(sql: "DROP TRIGGER session_counted_insert")
                }
                try publish(db, sessions: sessions, rosters: rosters)
                _ = try assignCodes(db, sessions.map(\.uid))
                if let counted {
                    try db.execute(sql: counted)
                    try db.execute(
                        sql: "UPDATE change_counter SET value = value + (SELECT count(*) FROM session) WHERE name = 'session'")
                }
            }
            var image = try queue.inDatabase { db -> [UInt8] in
                var size: sqlite3_int64 = 0
                guard let bytes = sqlite3_serialize(db.sqliteConnection, "main", &size, 0), size >= 100 else {
                    throw DatabaseError(resultCode: .SQLITE_NOMEM, message: "sqlite3_serialize failed")
                }
                defer { sqlite3_free(bytes) }
                return Array(UnsafeBufferPointer(start: bytes, count: Int(size)))
            }
            // WAL mode in the header, as in the template: the file opens as a WAL database closed cleanly.
            image[18] = 2
            image[19] = 2
            return image
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(error)
        }
    }

    /// ``templateImage`` with the rollback-journal header bytes an in-memory database needs (it
    /// cannot be in WAL mode), made once.
    static let memoryTemplateImage: [UInt8]? = templateImage.map {
        var image = $0
        image[18] = 1
        image[19] = 1
        return image
    }

    /// Replaces the content of `db`'s main database with `image` (SQLite owns the copy), in a
    /// buffer with room for a town's publication (~0.5 MB), so that it is not grown page by page.
    private static func deserialize(_ image: [UInt8], into db: Database) throws {
        let room = image.count + 2 << 20
        guard let buffer = sqlite3_malloc64(sqlite3_uint64(room)) else {
            throw DatabaseError(resultCode: .SQLITE_NOMEM)
        }
        image.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: image.count) }
        let flags = UInt32(SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE)
        let rc = sqlite3_deserialize(
            db.sqliteConnection, "main", buffer.assumingMemoryBound(to: UInt8.self), sqlite3_int64(image.count),
            sqlite3_int64(room), flags)
        guard rc == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rc)) }
        db.clearSchemaCache()
    }

    /// Writes `image` to a new temporary file beside `path` and returns its path. The file is not
    /// synced: the caller makes it durable (the build does, together with the feeds) before
    /// ``placeStagedFile(_:at:syncFolder:)``, and removes the temporary name afterwards.
    public static func stageNewFile(_ image: [UInt8], for path: String) throws(StoreError) -> String {
        removeDeadStagedFiles(for: path)
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.database(String(cString: strerror(errno))) }
        let written = writeAll(fd, image)
        let reason = String(cString: strerror(errno))
        guard Glibc.close(fd) == 0, written else {
            unlink(temporary)
            throw StoreError.database(reason)
        }
        return temporary
    }

    /// Gives the staged (and already durable) file `temporary` the name `path`, refusing to
    /// replace a file that appeared there meanwhile (`link(2)`, not `rename`), and syncs the folder
    /// when `syncFolder` (false when the caller syncs that folder anyway). The temporary name stays
    /// for the caller to remove.
    /// - Returns: false, changing nothing, when a database (or a write-ahead log, which would be
    ///   replayed into this file) appeared at `path` during the build.
    public static func placeStagedFile(_ temporary: String, at path: String, syncFolder: Bool) throws(StoreError) -> Bool {
        if FileManager.default.fileExists(atPath: path + "-wal") { return false }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return false }
            throw StoreError.database(String(cString: strerror(errno)))
        }
        guard syncFolder else { return true }
        let parent = (path as NSString).deletingLastPathComponent
        let folder = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0, fsync(folder) == 0 else {
            let reason = String(cString: strerror(errno))
            if folder >= 0 { Glibc.close(folder) }
            throw StoreError.database(parent + ": " + reason)
        }
        Glibc.close(folder)
        return true
    }

    /// Removes `<path>.new-<pid>-<n>` files a killed build left (its process gone).
    static func removeDeadStagedFiles(for path: String) {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        let prefix = (path as NSString).lastPathComponent + ".new-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where entry.hasPrefix(prefix) {
            guard let pid = entry.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }) else { continue }
            if pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM) { continue }
            unlink(folder + "/" + entry)
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and interruptions.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
    }
}
