import CGzip

/// gzip (RFC 1952) through zlib, for `Content-Encoding: gzip` bodies. Each feed version is
/// compressed once when it is loaded, never per request.
enum Gzip {
    /// A zlib failure (out of memory, or corrupt input when inflating).
    struct Failure: Error, CustomStringConvertible {
        var code: Int32
        var description: String { "zlib error \(code)" }
    }

    /// The gzip member holding `bytes`, at the highest compression (it is paid once per version).
    static func compress(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let initCode = czlib_deflate_init_gzip(&stream, 9)
        guard initCode == Z_OK else { throw Failure(code: initCode) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        let code: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard code == Z_STREAM_END else { throw Failure(code: code) }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// The bytes inside a gzip member (for tests and self-checks).
    static func decompress(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        let initCode = czlib_inflate_init_gzip(&stream)
        guard initCode == Z_OK else { throw Failure(code: initCode) }
        defer { inflateEnd(&stream) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var code: Int32 = Z_OK
        bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    code = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                result.append(contentsOf: chunk[0..<produced])
            } while code == Z_OK
        }
        guard code == Z_STREAM_END else { throw Failure(code: code == Z_OK ? Z_DATA_ERROR : code) }
        return result
    }
}
