import Foundation

/// The `.npy` format (NumPy's NEP 1): the magic `\x93NUMPY`, a version byte pair, the header's
/// length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), an ASCII (v3: UTF-8)
/// Python dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (n, d), }` padded
/// with spaces to a multiple of 64 (v1: 16) and ended by a newline, then the raw values.
///
/// Read: little- and big-endian float32, float64, int32 and int64, C or Fortran order, a 2-D
/// array as n points of dimension d and a 1-D array as n points on a line. Written: version 1,
/// little-endian float64, C order — what `numpy.load` reads everywhere.
public enum NumPyArray {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    static func isNumPy(_ data: Data) -> Bool { data.starts(with: magic) }

    /// The points in `data` (a whole `.npy` file); errors name `path` and the byte offset.
    public static func parse(_ data: Data, path: String) throws(ManifoldLabError) -> Matrix<Double> {
        let bytes = [UInt8](data)
        func bad(_ offset: Int, _ problem: String) -> ManifoldLabError {
            .badInputFile(path: path, line: nil, problem: "at byte \(offset): \(problem)")
        }
        guard bytes.count >= 10, bytes.starts(with: magic) else { throw bad(0, "not a .npy file (no \\x93NUMPY magic)") }
        let major = bytes[6]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default: throw bad(6, "format version \(major).\(bytes[7]); versions 1 to 3 are read")
        }
        guard bytes.count >= 8 + lengthBytes else { throw bad(8, "the file ends inside the header length") }
        let headerLength = (0..<lengthBytes).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let headerStart = 8 + lengthBytes, dataStart = headerStart + headerLength
        guard dataStart <= bytes.count else {
            throw bad(headerStart, "the header says it is \(headerLength) bytes long; the file ends at byte \(bytes.count)")
        }
        let header = String(decoding: bytes[headerStart..<dataStart], as: UTF8.self)
        let descr = try field("descr", in: header, offset: headerStart, path: path)
        let fortran = try field("fortran_order", in: header, offset: headerStart, path: path)
        let shapeText = try field("shape", in: header, offset: headerStart, path: path)

        guard let type = ElementType(descr: descr) else {
            throw bad(headerStart, "dtype \(descr); float32, float64, int32 and int64 (either byte order) are read")
        }
        guard fortran == "False" || fortran == "True" else { throw bad(headerStart, "fortran_order is \(fortran), not True or False") }
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = dims.compactMap { Int($0) }
        guard shape.count == dims.count, shape.allSatisfy({ $0 >= 0 }) else { throw bad(headerStart, "shape \(shapeText) is not a tuple of sizes") }
        let rows: Int, columns: Int
        switch shape.count {
        case 1: (rows, columns) = (shape[0], 1)
        case 2: (rows, columns) = (shape[0], shape[1])
        default: throw bad(headerStart, "a \(shape.count)-D array (shape \(shapeText)); points are a 2-D array n × d (or 1-D: n × 1)")
        }
        guard rows > 0, columns > 0 else { throw bad(headerStart, "shape \(shapeText) holds no points") }
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        let needed = count.multipliedReportingOverflow(by: type.size)
        guard !overflow, !needed.overflow, dataStart + needed.partialValue <= bytes.count else {
            throw bad(dataStart, "shape \(shapeText) of \(descr) needs \(count) values; the file holds \((bytes.count - dataStart) / type.size)")
        }
        var storage = [Double](repeating: 0, count: count)
        for index in 0..<count {
            let value = type.read(bytes, at: dataStart + index * type.size)
            // C order: index = r·d + c; Fortran order: index = c·n + r.
            let (r, c) = fortran == "True" ? (index % rows, index / rows) : (index / columns, index % columns)
            guard value.isFinite else {
                throw bad(dataStart + index * type.size, "value \(value) at row \(r + 1), column \(c + 1) is not finite")
            }
            storage[r * columns + c] = value
        }
        return Matrix(rows: rows, columns: columns, storage: storage)
    }

    /// `points` as a version-1 `.npy` file of little-endian float64 in C order.
    public static func encode(_ points: Matrix<Double>) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(points.rows), \(points.columns)), }"
        // Magic (6) + version (2) + length (2) + header + newline: a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data(magic + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        points.storage.withUnsafeBufferPointer { buffer in
            for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// The value text of `key` in the header's dict literal: `'<f8'` → `<f8`, `(3, 2)` → `(3, 2)`.
    static func field(_ key: String, in header: String, offset: Int, path: String) throws(ManifoldLabError) -> String {
        guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\""),
              let colon = header[keyRange.upperBound...].firstIndex(of: ":") else {
            throw .badInputFile(path: path, line: nil, problem: "at byte \(offset): the header has no '\(key)' (header: \(header.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        var rest = header[header.index(after: colon)...].drop(while: { $0 == " " })
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else {
                throw .badInputFile(path: path, line: nil, problem: "at byte \(offset): the '\(key)' tuple is not closed")
            }
            return String(rest[...close])
        }
        if let quote = rest.first, quote == "'" || quote == "\"" {
            rest = rest.dropFirst()
            return String(rest.prefix(while: { $0 != quote }))
        }
        return String(rest.prefix(while: { $0 != "," && $0 != "}" })).trimmingCharacters(in: .whitespaces)
    }

    /// An element type that can be read: its size and how to turn its bytes into a Double.
    struct ElementType {
        enum Kind { case float, signed }
        let kind: Kind
        let size: Int
        let bigEndian: Bool

        /// `<f8`, `>i4`, `=f4`, `|i8` …; nil for anything else.
        init?(descr: String) {
            guard descr.count == 3, let order = descr.first, let code = descr.dropFirst().first,
                  let size = Int(String(descr.last!)) else { return nil }
            switch (code, size) {
            case ("f", 4), ("f", 8): kind = .float
            case ("i", 4), ("i", 8): kind = .signed
            default: return nil
            }
            switch order {
            case "<", "|": bigEndian = false
            case ">": bigEndian = true
            case "=": bigEndian = UInt16(1).bigEndian == 1
            default: return nil
            }
            self.size = size
        }

        func read(_ bytes: [UInt8], at offset: Int) -> Double {
            var bits: UInt64 = 0
            for i in 0..<size {
                let byte = UInt64(bytes[offset + (bigEndian ? size - 1 - i : i)])
                bits |= byte << (8 * UInt64(i))
            }
            switch (kind, size) {
            case (.float, 4): return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            case (.float, _): return Double(bitPattern: bits)
            case (.signed, 4): return Double(Int32(truncatingIfNeeded: bits))
            case (.signed, _): return Double(Int64(bitPattern: bits))
            }
        }
    }
}
