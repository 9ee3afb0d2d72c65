import Foundation

/// An `.npz` archive as `numpy.savez` (members stored) and `numpy.savez_compressed` (members
/// deflated) write it: a zip file whose members `NAME.npy` are `.npy` arrays. Read through the
/// zip's central directory (with its zip64 fields, which numpy writes for every member), each
/// member's CRC-32 checked.
public struct NumPyArchive {
    struct Member {
        let name: String
        let method: Int
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let localHeader: Int
    }

    let path: String
    let bytes: LittleEndianBytes
    let members: [Member]

    static func isZip(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) }

    /// The array names, as `numpy.load(path).files` lists them (`x.npy` → `x`).
    public var names: [String] { members.map { $0.name.hasSuffix(".npy") ? String($0.name.dropLast(4)) : $0.name } }

    init(_ data: Data, path: String) throws(ManifoldLabError) {
        self.path = path
        let bytes = LittleEndianBytes(data)
        func u16(_ at: Int) -> UInt16 { bytes.u16(at) }
        func u32(_ at: Int) -> UInt32 { bytes.u32(at) }
        func u64(_ at: Int) -> UInt64 { bytes.u64(at) }
        func bad(_ offset: Int, _ problem: String) -> ManifoldLabError {
            .badInputFile(path: path, line: nil, problem: "at byte \(offset): \(problem)")
        }
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65535.
        let lowest = max(0, bytes.count - 22 - 65_535)
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: lowest, by: -1).first(where: { u32($0) == 0x0605_4B50 }) else {
            throw bad(bytes.count, "no end of central directory: not a complete zip/.npz archive (truncated?)")
        }
        var entries = Int(u16(end + 10)), directory = Int(u32(end + 16))
        if (entries == 0xFFFF || directory == 0xFFFF_FFFF), end >= 20, u32(end - 20) == 0x0706_4B50 {
            let record = Int(u64(end - 20 + 8))
            guard record + 56 <= bytes.count, u32(record) == 0x0606_4B50 else { throw bad(record, "a broken zip64 end record") }
            entries = Int(u64(record + 32))
            directory = Int(u64(record + 48))
        }
        var members: [Member] = []
        var at = directory
        for _ in 0..<entries {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4B50 else { throw bad(at, "expected a central directory entry") }
            let flags = u16(at + 8), method = Int(u16(at + 10))
            var compressed = Int(u32(at + 20)), size = Int(u32(at + 24)), local = Int(u32(at + 42))
            let nameLength = Int(u16(at + 28)), extraLength = Int(u16(at + 30)), commentLength = Int(u16(at + 32))
            guard at + 46 + nameLength + extraLength <= bytes.count else { throw bad(at, "a central directory entry runs past the end") }
            let name = String(decoding: bytes.storage[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            // zip64 extra field (id 1): the 8-byte sizes and offset whose 4-byte fields are 0xFFFFFFFF.
            var extra = at + 46 + nameLength
            while extra + 4 <= at + 46 + nameLength + extraLength {
                let id = u16(extra), length = Int(u16(extra + 2))
                if id == 1 {
                    var field = extra + 4
                    if size == 0xFFFF_FFFF { size = Int(u64(field)); field += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = Int(u64(field)); field += 8 }
                    if local == 0xFFFF_FFFF { local = Int(u64(field)) }
                }
                extra += 4 + length
            }
            guard flags & 1 == 0 else { throw bad(at, "member \(name) is encrypted") }
            members.append(Member(name: name, method: method, crc: u32(at + 16), compressedSize: compressed, size: size, localHeader: local))
            at += 46 + nameLength + extraLength + commentLength
        }
        self.members = members
        self.bytes = bytes
    }

    /// The array `key` (nil: the only one), decompressed and checked.
    func array(_ key: String?, limit: Int) throws(ManifoldLabError) -> Matrix<Double> {
        let listed = names.map { "'\($0)'" }.joined(separator: ", ")
        let index: Int
        if let key {
            guard let found = names.firstIndex(of: key) else {
                throw .badInputFile(path: path, line: nil, problem: "no array '\(key)'; it holds \(listed.isEmpty ? "none" : listed)")
            }
            index = found
        } else {
            guard members.count == 1 else {
                throw .badInputFile(path: path, line: nil, problem: members.isEmpty ? "an empty archive"
                                    : "holds \(members.count) arrays (\(listed)): pick one with file:\(path):NAME")
            }
            index = 0
        }
        let member = members[index]
        let label = "\(path):\(names[index])"
        let local = member.localHeader
        guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else {
            throw .badInputFile(path: path, line: nil, problem: "at byte \(local): expected the local header of \(member.name)")
        }
        let start = local + 30 + Int(u16(local + 26)) + Int(u16(local + 28))
        guard member.size <= limit else { throw .tooMuchMemory(needed: member.size, limit: limit, what: "reading \(label)") }
        guard start + member.compressedSize <= bytes.count else {
            throw .badInputFile(path: path, line: nil, problem: "at byte \(start): member \(member.name) runs past the end of the file")
        }
        let raw = Data(bytes.storage[start..<(start + member.compressedSize)])
        let content: Data
        switch member.method {
        case 0: content = raw
        case 8: content = try Inflate.decompress(raw, .raw, limit: limit, path: label)
        default:
            throw .badInputFile(path: path, line: nil, problem: "member \(member.name) uses zip compression method \(member.method); stored (0) and deflate (8) are read")
        }
        guard content.count == member.size, Inflate.crc32(content) == member.crc else {
            throw .badInputFile(path: path, line: nil, problem: "member \(member.name) does not match its size or CRC-32 (corrupt archive)")
        }
        return try NumPyArray.parse(content, path: label)
    }

    private func u16(_ at: Int) -> UInt16 { bytes.u16(at) }
    private func u32(_ at: Int) -> UInt32 { bytes.u32(at) }
}

/// Bytes read as the little-endian integers of zip records (callers check the bounds).
struct LittleEndianBytes {
    let storage: [UInt8]
    init(_ data: Data) { storage = [UInt8](data) }
    var count: Int { storage.count }
    func u16(_ at: Int) -> UInt16 { UInt16(storage[at]) | UInt16(storage[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(storage[at + $1]) << (8 * UInt32($1)) } }
    func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(storage[at + $1]) << (8 * UInt64($1)) } }
}
