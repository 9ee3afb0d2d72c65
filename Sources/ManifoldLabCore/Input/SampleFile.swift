import Foundation

/// A user's sample file, read by content: `.npy` (``NumPyArray``), `.npz` (``NumPyArchive``,
/// `PATH.npz:NAME` picks an array), text (``DelimitedText``: CSV, TSV or whitespace, header
/// optional), any of them gzip-compressed; the path `-` reads standard input.
public enum SampleFile {
    /// How messages name standard input.
    static let standardInputName = "standard input"

    /// The points that `spec` (the text after `file:`) names. Refused before allocating when the
    /// file, or what it expands to, is larger than `maxMemory`.
    public static func load(path spec: String, maxMemory: Int = ByteCount.defaultLimit) throws(ManifoldLabError) -> Matrix<Double> {
        let (path, key) = split(spec)
        let label = path == "-" ? standardInputName : path
        var data = try read(path, label: label, limit: maxMemory)
        if data.starts(with: [0x1F, 0x8B]) { data = try Inflate.decompress(data, .gzip, limit: maxMemory, path: label) }
        if NumPyArchive.isZip(data) {
            return try NumPyArchive(data, path: label).array(key, limit: maxMemory)
        }
        if let key {
            throw .badInputFile(path: label, line: nil, problem: "names an array ('\(key)'), but it is not an .npz archive")
        }
        if NumPyArray.isNumPy(data) { return try NumPyArray.parse(data, path: label) }
        return try DelimitedText.parse(String(decoding: data, as: UTF8.self), path: label)
    }

    /// `x.npz:key` → (`x.npz`, `key`); anything else is a path (a file that exists by the whole
    /// name wins, so a path with a colon still reads).
    static func split(_ spec: String) -> (path: String, key: String?) {
        guard let range = spec.range(of: ".npz:", options: .backwards), !FileManager.default.fileExists(atPath: spec) else {
            return (spec, nil)
        }
        return (String(spec[..<range.lowerBound]) + ".npz", String(spec[range.upperBound...]))
    }

    /// The bytes of `path` (`-`: standard input, read to its end), at most `limit` of them.
    static func read(_ path: String, label: String, limit: Int) throws(ManifoldLabError) -> Data {
        if path == "-" { return try readToEnd(.standardInput, label: label, limit: limit) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadableInput(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw .unreadableInput(path: path, reason: "it is a directory") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limit {
            throw .tooMuchMemory(needed: size, limit: limit, what: "reading \(path)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadableInput(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        return try readToEnd(handle, label: label, limit: limit)
    }

    /// Everything `handle` holds until its end (a pipe, a FIFO or /dev/stdin has no size),
    /// refused past `limit` bytes.
    static func readToEnd(_ handle: FileHandle, label: String, limit: Int) throws(ManifoldLabError) -> Data {
        var data = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return data }
            data.append(chunk)
            if data.count > limit { throw .tooMuchMemory(needed: data.count, limit: limit, what: "reading \(label)") }
        }
    }

    /// Text parsing, kept for callers that hold the text already.
    public static func parse(_ text: String, path: String) throws(ManifoldLabError) -> Matrix<Double> {
        try DelimitedText.parse(text, path: path)
    }
}
