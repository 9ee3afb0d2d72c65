import CZlib
import Foundation

/// zlib's inflate for the two containers sample files come in: a gzip stream (`x.csv.gz`,
/// `x.npy.gz`) and a raw deflate stream (a member of an `.npz` archive written by
/// `numpy.savez_compressed`). Output is capped at `limit` bytes, so a small file that expands to
/// more than the memory budget is refused instead of exhausting memory.
enum Inflate {
    enum Container { case gzip, raw }

    static func decompress(_ input: Data, _ container: Container, limit: Int, path: String) throws(ManifoldLabError) -> Data {
        var stream = z_stream()
        // 16 + 15: a gzip header and trailer around a 32 KiB window; −15: bare deflate.
        let windowBits: Int32 = container == .gzip ? 16 + MAX_WBITS : -MAX_WBITS
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .numericalFailure("zlib could not start inflating \(path)")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        var failure: ManifoldLabError?
        input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.bindMemory(to: Bytef.self).baseAddress
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(raw.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(buffer.baseAddress!, count: buffer.count - Int(stream.avail_out))
                }
                if output.count > limit {
                    failure = .tooMuchMemory(needed: output.count, limit: limit, what: "decompressing \(path)")
                    return
                }
                // A gzip file may hold several members back to back (`cat a.gz b.gz`): go on after each.
                if status == Z_STREAM_END, container == .gzip, stream.avail_in > 0 {
                    status = inflateReset(&stream)
                }
            } while status == Z_OK
            if status != Z_STREAM_END {
                let at = raw.count - Int(stream.avail_in)
                let why = status == Z_BUF_ERROR ? "the compressed data end early (truncated file?)" : "corrupt compressed data"
                failure = .badInputFile(path: path, line: nil, problem: "\(why) near byte \(at) of the compressed stream")
            }
        }
        if let failure { throw failure }
        return output
    }

    /// The CRC-32 that zip archives store for each member.
    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { raw in
            UInt32(CZlib.crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count)))
        }
    }
}
