import CZlib
import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Files built here by each format's own rules, byte for byte: NEP 1 for .npy, PKWARE's APPNOTE
/// for the .npz zip container (with the zip64 fields numpy writes), RFC 1952 for gzip.
enum FormatBuilder {
    /// A .npy file: magic, version, header length (2 bytes in v1, 4 in v2/v3), the dict padded with
    /// spaces and a newline to a multiple of 64, then `values` in `descr`'s type and byte order.
    static func npy(_ values: [Double], shape: [Int], descr: String = "<f8", fortran: Bool = false, version: UInt8 = 1) -> Data {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(tuple), }"
        let prefix = 8 + (version == 1 ? 2 : 4)
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [version, 0])
        let length = header.utf8.count
        data.append(contentsOf: (0..<(version == 1 ? 2 : 4)).map { UInt8((length >> (8 * $0)) & 0xFF) })
        data.append(contentsOf: Array(header.utf8))
        let big = descr.hasPrefix(">")
        for value in values {
            var bytes: [UInt8]
            switch descr.dropFirst() {
            case "f8": bytes = withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init)
            case "f4": bytes = withUnsafeBytes(of: Float(value).bitPattern.littleEndian, Array.init)
            case "i4": bytes = withUnsafeBytes(of: Int32(value).littleEndian, Array.init)
            case "i8": bytes = withUnsafeBytes(of: Int64(value).littleEndian, Array.init)
            default: bytes = withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) + [UInt8](repeating: 0, count: 8)  // c16
            }
            data.append(contentsOf: big ? bytes.reversed() : bytes)
        }
        return data
    }

    /// A raw deflate (method 8) or gzip stream of `data` through zlib.
    static func compress(_ data: Data, gzip: Bool) -> Data {
        var stream = z_stream()
        deflateInit2_(&stream, 6, Z_DEFLATED, gzip ? 16 + 15 : -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var input = [UInt8](data)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        let written = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                deflate(&stream, Z_FINISH)
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        return Data(output[..<written])
    }

    /// A zip archive of `members` as numpy.savez(_compressed) writes it: each member's local header
    /// with 0xFFFFFFFF sizes and a zip64 extra field, the central directory with real sizes.
    static func npz(_ members: [(name: String, content: Data)], deflated: Bool) -> Data {
        var file = Data(), directory = Data()
        func le(_ value: Int, _ bytes: Int) -> [UInt8] { (0..<bytes).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        for (name, content) in members {
            let stored = deflated ? compress(content, gzip: false) : content
            let crc = Int(content.withUnsafeBytes { crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count)) })
            let offset = file.count, nameBytes = Array(name.utf8), method = deflated ? 8 : 0
            let zip64 = le(1, 2) + le(16, 2) + le(content.count, 8) + le(stored.count, 8)
            file.append(contentsOf: le(0x0403_4B50, 4) + le(45, 2) + le(0, 2) + le(method, 2) + le(0, 4) + le(crc, 4)
                        + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(nameBytes.count, 2) + le(zip64.count, 2) + nameBytes + zip64)
            file.append(stored)
            directory.append(contentsOf: le(0x0201_4B50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(method, 2) + le(0, 4) + le(crc, 4)
                             + le(stored.count, 4) + le(content.count, 4) + le(nameBytes.count, 2) + le(0, 2) + le(0, 2)
                             + le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + nameBytes)
        }
        let start = file.count
        file.append(directory)
        file.append(contentsOf: le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(members.count, 2) + le(members.count, 2)
                    + le(directory.count, 4) + le(start, 4) + le(0, 2))
        return file
    }

    static func file(_ data: Data, _ name: String) throws -> String {
        let path = TestFiles.temporaryDirectory().appendingPathComponent(name).path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }
}

@Suite("Sample files in the formats researchers have: text with or without a header, .npy, .npz, gzip")
struct SampleFileFormatsTests {
    /// 3 points in R^2 with values exact in every element type.
    static let expected = Matrix<Double>(rows: 3, columns: 2, storage: [1, -2, 3, 4, -5, 6])

    @Test("text: CSV without a header, TSV with one, numpy.savetxt's whitespace and # comments, all read alike")
    func text() throws {
        for text in ["1,-2\n3,4\n-5,6\n", "a\tb\n1\t-2\n3\t4\n-5\t6\n", "# x y\n1.000000000000000000e+00 -2.0e+00\n3 4\n  -5   6  \n\n",
                     "x1,x2\n1,-2\n# a comment\n3,4\n-5,6\n"] {
            #expect(try DelimitedText.parse(text, path: "t") == Self.expected, "\(text.debugDescription)")
        }
        #expect(throws: ManifoldLabError.badInputFile(path: "t", line: 2, problem: "1 values where row 1 has 2")) {
            try DelimitedText.parse("1,2\n3\n", path: "t")
        }
    }

    @Test(".npy: float32/64 and int32/64, both byte orders, C and Fortran order, versions 1–3",
          arguments: ["<f8", ">f8", "<f4", ">f4", "<i4", ">i4", "<i8", ">i8"])
    func npy(descr: String) throws {
        let c = [1.0, -2, 3, 4, -5, 6], fortran = [1.0, 3, -5, -2, 4, 6]  // the same 3 × 2 array
        for version: UInt8 in [1, 2, 3] {
            #expect(try NumPyArray.parse(FormatBuilder.npy(c, shape: [3, 2], descr: descr, version: version), path: "a.npy") == Self.expected)
            #expect(try NumPyArray.parse(FormatBuilder.npy(fortran, shape: [3, 2], descr: descr, fortran: true, version: version),
                                         path: "a.npy") == Self.expected)
        }
        #expect(try NumPyArray.parse(FormatBuilder.npy([1, 2, 3], shape: [3], descr: descr), path: "a.npy")
                == Matrix(rows: 3, columns: 1, storage: [1, 2, 3]))
    }

    @Test(".npy written by the tool reads back bit for bit, with numpy's header layout")
    func npyRoundTrip() throws {
        let points = Matrix<Double>(rows: 2, columns: 3, storage: [0.1, -1e-300, 1e300, .pi, -0.0, .leastNonzeroMagnitude])
        let data = NumPyArray.encode(points)
        #expect(data == FormatBuilder.npy(points.storage, shape: [2, 3]))
        #expect(try NumPyArray.parse(data, path: "a.npy").storage.map(\.bitPattern) == points.storage.map(\.bitPattern))
    }

    @Test(".npy refusals name the byte offset", arguments: [
        (FormatBuilder.npy([1, 2, 3, 4, 5], shape: [3, 2]), "at byte 128: shape (3, 2) of <f8 needs 6 values; the file holds 5"),
        (FormatBuilder.npy([1, 2], shape: [1, 1, 2]), "a 3-D array"),
        (FormatBuilder.npy([1], shape: [1], descr: "<c16"), "dtype <c16"),
        (FormatBuilder.npy([1, .nan], shape: [1, 2]), "at byte 136: value nan at row 1, column 2 is not finite"),
        (Data([0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0]), "at byte 6: format version 4.0"),
        (FormatBuilder.npy([1], shape: [1]).prefix(40), "the header says it is 118 bytes long"),
    ])
    func npyRefusals(data: Data, message: String) {
        #expect {
            _ = try NumPyArray.parse(data, path: "a.npy")
        } throws: { error in
            let error = error as! ManifoldLabError
            return error.kind == .badInput && error.description.contains(message) && error.description.hasPrefix("a.npy: ")
        }
    }

    @Test(".npz, stored and deflated: the only array, or the one named; several without a name are listed")
    func npz() throws {
        for deflated in [false, true] {
            let one = try FormatBuilder.file(FormatBuilder.npz([("x.npy", FormatBuilder.npy([1, -2, 3, 4, -5, 6], shape: [3, 2]))],
                                                                deflated: deflated), "one-\(deflated).npz")
            #expect(try SampleFile.load(path: one) == Self.expected)
            let two = try FormatBuilder.file(FormatBuilder.npz([("a.npy", FormatBuilder.npy([9], shape: [1])),
                                                                ("b.npy", FormatBuilder.npy([1, -2, 3, 4, -5, 6], shape: [3, 2], descr: ">i4"))],
                                                               deflated: deflated), "two-\(deflated).npz")
            #expect(try SampleFile.load(path: two + ":b") == Self.expected)
            #expect(throws: ManifoldLabError.badInputFile(path: two, line: nil, problem: "holds 2 arrays ('a', 'b'): pick one with file:\(two):NAME")) {
                try SampleFile.load(path: two)
            }
            #expect(throws: ManifoldLabError.badInputFile(path: two, line: nil, problem: "no array 'c'; it holds 'a', 'b'")) {
                try SampleFile.load(path: two + ":c")
            }
        }
    }

    @Test(".npz: a corrupted member fails its CRC-32; a truncated archive has no end record")
    func npzCorrupt() throws {
        var archive = FormatBuilder.npz([("x.npy", FormatBuilder.npy([1, 2], shape: [2]))], deflated: false)
        let truncated = try FormatBuilder.file(archive.prefix(archive.count - 10), "cut.npz")
        #expect { try SampleFile.load(path: truncated) } throws: { "\($0)".contains("no end of central directory") }
        archive[archive.count / 3] ^= 0xFF  // inside the stored .npy data or header
        let corrupt = try FormatBuilder.file(archive, "bad.npz")
        #expect { try SampleFile.load(path: corrupt) } throws: { ($0 as! ManifoldLabError).kind == .badInput }
    }

    @Test("gzip: compressed CSV and .npy read as the uncompressed files; a truncated stream is refused")
    func gzip() throws {
        let csv = FormatBuilder.compress(Data("x,y\n1,-2\n3,4\n-5,6\n".utf8), gzip: true)
        #expect(try SampleFile.load(path: FormatBuilder.file(csv, "a.csv.gz")) == Self.expected)
        let npy = FormatBuilder.compress(FormatBuilder.npy([1, -2, 3, 4, -5, 6], shape: [3, 2]), gzip: true)
        #expect(try SampleFile.load(path: FormatBuilder.file(npy, "a.npy.gz")) == Self.expected)
        let cut = try FormatBuilder.file(npy.prefix(npy.count / 2), "cut.npy.gz")
        #expect { try SampleFile.load(path: cut) } throws: { "\($0)".contains("truncated") }
        // A gzip bomb beyond the memory limit is refused before it is expanded.
        let bomb = FormatBuilder.compress(Data(count: 1 << 22), gzip: true)
        #expect { try SampleFile.load(path: FormatBuilder.file(bomb, "bomb.gz"), maxMemory: 1 << 20) } throws: {
            ($0 as! ManifoldLabError).kind == .resources
        }
    }
}
