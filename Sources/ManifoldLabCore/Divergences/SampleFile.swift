import Foundation

/// A user's sample file: a header row, then one point per row, comma-separated numbers.
///
/// Accepted: a UTF-8 byte-order mark, CRLF line ends, a trailing newline, spaces around cells.
/// Refused with the file and line: ragged rows, text, NaN or ±∞, no data rows.
public enum SampleFile {
    public static func load(path: String, maxMemory: Int = ByteCount.defaultLimit) throws(ManifoldLabError) -> Matrix<Double> {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadableInput(path: path, reason: FileManager.default.fileExists(atPath: path)
                                   ? "permission denied or not a regular file" : "no such file")
        }
        if data.count > maxMemory {
            throw .tooMuchMemory(needed: data.count, limit: maxMemory, what: "reading \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    public static func parse(_ text: String, path: String) throws(ManifoldLabError) -> Matrix<Double> {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let header = lines.first, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .badInputFile(path: path, line: nil, problem: "empty file (expected a header row, then one point per row)")
        }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).count
        if let first = header.split(separator: ",").first, Double(first.trimmingCharacters(in: .whitespaces)) != nil,
           header.split(separator: ",").allSatisfy({ Double($0.trimmingCharacters(in: .whitespaces)) != nil }) {
            throw .badInputFile(path: path, line: 1, problem: "the first row holds numbers; a header row (e.g. x1,x2,…) must come first")
        }
        var storage: [Double] = []
        var rows = 0
        for (index, line) in lines.enumerated().dropFirst() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                // Blank lines are allowed only at the end of the file.
                if lines[(index + 1)...].allSatisfy({ $0.allSatisfy { $0 == " " || $0 == "\t" } }) { break }
                throw .badInputFile(path: path, line: index + 1, problem: "empty row")
            }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == columns else {
                throw .badInputFile(path: path, line: index + 1, problem: "\(cells.count) values where the header has \(columns) columns")
            }
            for cell in cells {
                let trimmed = cell.trimmingCharacters(in: .whitespaces)
                guard let value = Double(trimmed) else {
                    throw .badInputFile(path: path, line: index + 1, problem: "'\(trimmed)' is not a number")
                }
                guard value.isFinite else {
                    throw .badInputFile(path: path, line: index + 1, problem: "'\(trimmed)' is not finite")
                }
                storage.append(value)
            }
            rows += 1
        }
        guard rows > 0 else { throw .badInputFile(path: path, line: nil, problem: "no data rows after the header") }
        return Matrix(rows: rows, columns: columns, storage: storage)
    }
}
