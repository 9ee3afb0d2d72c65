import Foundation

/// Points as text, one per row: comma-separated (CSV), tab-separated (TSV) or separated by runs of
/// spaces (what `numpy.savetxt` writes by default), with or without a header row.
///
/// The separator is read from the first row: a comma makes it CSV, else a tab TSV, else
/// whitespace. A first row whose cells all parse as numbers is data; otherwise it is the header.
/// Accepted: a UTF-8 byte-order mark, CRLF line ends, `#` comment lines (`numpy.savetxt`'s
/// header), spaces around cells, blank lines at the end. Refused with the file and line: ragged
/// rows, text, NaN or ±∞, no data rows.
enum DelimitedText {
    enum Separator: Equatable { case comma, tab, whitespace }

    static func parse(_ text: String, path: String) throws(ManifoldLabError) -> Matrix<Double> {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        func blank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }
        func comment(_ line: Substring) -> Bool { line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("#") }
        guard let first = lines.firstIndex(where: { !blank($0) && !comment($0) }) else {
            throw .badInputFile(path: path, line: nil, problem: "empty file (expected one point per row, optionally under a header row)")
        }
        let separator: Separator = lines[first].contains(",") ? .comma : lines[first].contains("\t") ? .tab : .whitespace
        func cells(_ line: Substring) -> [Substring] {
            switch separator {
            case .comma: return line.split(separator: ",", omittingEmptySubsequences: false)
            case .tab: return line.split(separator: "\t", omittingEmptySubsequences: false)
            case .whitespace: return line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            }
        }
        let firstCells = cells(lines[first])
        let columns = firstCells.count
        let hasHeader = !firstCells.allSatisfy { Double($0.trimmingCharacters(in: .whitespaces)) != nil }
        let expected = hasHeader ? "the header has \(columns) columns" : "row \(first + 1) has \(columns)"
        var storage: [Double] = []
        var rows = 0
        for index in (hasHeader ? first + 1 : first)..<lines.count {
            let line = lines[index]
            if comment(line) { continue }
            if blank(line) {
                // Blank lines are allowed only at the end of the file.
                if lines[(index + 1)...].allSatisfy(blank) { break }
                throw .badInputFile(path: path, line: index + 1, problem: "empty row")
            }
            let row = cells(line)
            guard row.count == columns else {
                throw .badInputFile(path: path, line: index + 1, problem: "\(row.count) values where \(expected)")
            }
            for cell in row {
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
