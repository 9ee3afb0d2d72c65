import Foundation
import ManifoldLabCore
import ManifoldLabGAN

/// What `train-toy` and `vanish` hand back: files to write, a fault to report, a summary to print.
protocol TrainingRunResult {
    associatedtype Summary: Encodable
    var fault: ManifoldLabError? { get }
    func writeFiles(to directory: RunDirectory) throws(ManifoldLabError)
    func summary(out: String?) -> Summary
    func text(out: String?) -> String
    /// The gnuplot script the run writes and the pictures it draws.
    static var plots: (script: String, pictures: [String]) { get }
}

extension TrainingResult: TrainingRunResult {
    static var plots: (script: String, pictures: [String]) { ("plots.gp", ["curves.png", "samples.png"]) }
    func writeFiles(to directory: RunDirectory) throws(ManifoldLabError) { _ = try write(to: directory) }
}

extension VanishResult: TrainingRunResult {
    static var plots: (script: String, pictures: [String]) { ("vanish.gp", ["vanish.png"]) }
    func writeFiles(to directory: RunDirectory) throws(ManifoldLabError) { try write(to: directory) }
}

/// Writes the run's files (also after a fault or an interruption, so everything logged is on disk),
/// then reports the fault as the command's error, or prints the summary as text, one JSON line, or
/// one CSV row under its header.
func report(_ result: some TrainingRunResult, directory: RunDirectory?, out: String?, format: OutputFormat,
            header: HeaderOptionGroup) throws(ManifoldLabError) {
    if let directory {
        try result.writeFiles(to: directory)
        if RunDirectory.gnuplot == nil {
            let (script, pictures) = type(of: result).plots
            FileHandle.standardError.write(Data(("manifoldlab: note: gnuplot is not installed, so \(pictures.joined(separator: " and ")) \(pictures.count == 1 ? "was" : "were") not drawn; "
                + "install it (Debian: apt-get install gnuplot-nox) and run `gnuplot \(script)` in \(directory.path)\n").utf8))
        }
    }
    if let fault = result.fault { throw fault }
    switch format {
    case .json: StandardOutput.write(JSONOutput.line(result.summary(out: out)) + "\n")
    case .csv: StandardOutput.write(header.table(SummaryRow.csv(result.summary(out: out))))
    case .text: StandardOutput.write(result.text(out: out))
    }
}
