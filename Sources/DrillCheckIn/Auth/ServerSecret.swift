import Crypto
import DrillCore
import Foundation

/// The secret every server of one deployment shares (leader cookies, CSRF tokens, QR tokens), read
/// from a file or an environment variable; never from the repository or the database, so a copy of
/// the database alone cannot forge a login.
///
/// Any text of at least 32 bytes (surrounding whitespace ignored) will do, e.g.
/// `head -c 32 /dev/urandom | base64 > /etc/drillcal/secret`; the key is its SHA-256.
///
/// ```swift
/// let key = try ServerSecret.load(file: "/etc/drillcal/secret", environment: ProcessInfo.processInfo.environment)
/// ```
public enum ServerSecret {
    /// The environment variable holding the secret itself.
    public static let variable = "DRILLCAL_SECRET"
    /// The environment variable naming the file that holds it.
    public static let fileVariable = "DRILLCAL_SECRET_FILE"
    /// Fewest bytes a secret may have.
    public static let minimumBytes = 32

    /// Why a secret was refused.
    public enum Failure: Error, Sendable, Equatable {
        /// The file could not be read.
        case unreadable(path: String, reason: String)
        /// Too short: where it came from and how many bytes it had.
        case tooShort(source: String, found: Int)

        /// The message, naming the source, what was expected and what was found.
        public func message(_ l: Language) -> String {
            switch self {
            case .unreadable(let path, let reason):
                l.pick(
                    "\(path)：无法读取服务密钥文件（\(reason)）", "\(path): cannot read the server secret file (\(reason))"
                )
            case .tooShort(let source, let found):
                l.pick(
                    "\(source)：服务密钥应至少 \(minimumBytes) 字节的随机文本（如 head -c 32 /dev/urandom | base64），实际为 \(found) 字节",
                    "\(source): the server secret must be at least \(minimumBytes) bytes of random text (e.g. head -c 32 /dev/urandom | base64), found \(found) bytes"
                )
            }
        }
    }

    /// The key from `file` if given, else from `DRILLCAL_SECRET_FILE`, else from `DRILLCAL_SECRET`;
    /// nil when none is set (one server alone: a random key per process will do).
    public static func load(file: String?, environment: [String: String]) throws(Failure) -> SymmetricKey? {
        if let path = file ?? environment[fileVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw .unreadable(path: path, reason: (error as NSError).localizedDescription)
            }
            return try key(from: data, source: path)
        }
        if let text = environment[variable] {
            return try key(from: Data(text.utf8), source: variable)
        }
        return nil
    }

    /// The key for these bytes (trimmed of surrounding whitespace), or `.tooShort`.
    public static func key(from data: Data, source: String) throws(Failure) -> SymmetricKey {
        let bytes = Array(data)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let trimmed = bytes.drop(while: isSpace).reversed().drop(while: isSpace).reversed()
        guard trimmed.count >= minimumBytes else { throw .tooShort(source: source, found: trimmed.count) }
        return SymmetricKey(data: Data(SHA256.hash(data: Data(trimmed))))
    }

    /// Whether a file's permission bits let users other than its owner read it.
    public static func isReadableByOthers(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int
        else { return false }
        return mode & 0o044 != 0
    }
}
