import Foundation

/// A header and rows of cells, written as RFC 4180 CSV (comma-separated, `\n` line ends, cells
/// quoted only when they hold a comma, quote or newline).
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "a row of \(row.count) cells under \(header.count) columns")
        rows.append(row)
    }

    public var text: String {
        var out = Self.line(header)
        for row in rows { out += Self.line(row) }
        return out
    }

    public static func line(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\n"
    }

    static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Matrix {
    /// The points as CSV under the header `x1,…,xD` (unless `header` is false), in chunks to `sink`.
    public func writeCSV(columnPrefix: String = "x", header: Bool = true, to sink: (String) throws -> Void) rethrows {
        if header { try sink((1...max(columns, 1)).map { "\(columnPrefix)\($0)" }.joined(separator: ",") + "\n") }
        var chunk = ""
        chunk.reserveCapacity(1 << 20)
        for i in 0..<rows {
            for j in 0..<columns {
                if j > 0 { chunk += "," }
                chunk += NumberFormat.text(Double(self[i, j]))
            }
            chunk += "\n"
            if chunk.utf8.count > 1 << 20 {
                Interruption.checkpoint()
                try sink(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try sink(chunk) }
    }
}

