/// How the bytes of roster.csv are to be read. Excel in China saves CSV as GB18030 (GBK), so
/// `.auto` takes UTF-8 when the bytes are valid UTF-8 and GB18030 otherwise.
public enum RosterEncoding: String, Sendable, CaseIterable {
    /// UTF-8 if valid, else GB18030.
    case auto
    /// UTF-8 (a byte-order mark is dropped).
    case utf8
    /// GB18030, a superset of GBK and GB2312.
    case gb18030
}
