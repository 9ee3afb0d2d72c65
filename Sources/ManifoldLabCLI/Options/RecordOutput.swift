import Foundation
import ManifoldLabCore

/// A record that a command prints as a line of text, a JSON object or a CSV row, and that may be
/// refused (a divergence, an evaluation metric).
protocol PrintedRecord: Encodable {
    static var csvHeader: [String] { get }
    var csvRow: [String] { get }
    var textLine: String { get }
    var refused: Bool { get }
    /// This record's part of the one-line error when it is one of `count` refused records.
    func refusal(among count: Int) -> String
}

extension DivergenceReport: PrintedRecord {
    func refusal(among count: Int) -> String { count == 1 ? reason : "\(divergence.uppercased()): \(reason)" }
}

extension MetricReport: PrintedRecord {
    func refusal(among count: Int) -> String { "\(metric): \(reason)" }
}

/// Prints `records` in `format` (text: the accepted ones only), then, if any was refused, throws
/// one numerical failure naming them: a refused record is a record in JSON and CSV (value null,
/// refused true) and a line on stderr in every format, and the run exits 70, so a sweep never takes
/// it for a number.
func printRecords<R: PrintedRecord>(_ records: [R], format: OutputFormat, header: HeaderOptionGroup) throws(ManifoldLabError) {
    let accepted = records.filter { !$0.refused }
    switch format {
    case .text where !accepted.isEmpty: StandardOutput.write(accepted.map(\.textLine).joined(separator: "\n") + "\n")
    case .text: break
    case .json: StandardOutput.write(records.map { JSONOutput.line($0) }.joined(separator: "\n") + "\n")
    case .csv:
        var table = CSVTable(header: R.csvHeader)
        for record in records { table.append(record.csvRow) }
        StandardOutput.write(header.table(table.text))
    }
    let refused = records.filter(\.refused)
    if !refused.isEmpty {
        throw .numericalFailure(refused.map { $0.refusal(among: refused.count) }.joined(separator: "; "))
    }
}
