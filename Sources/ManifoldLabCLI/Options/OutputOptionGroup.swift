import ArgumentParser
import Foundation
import ManifoldLabCore
import ManifoldLabGAN

/// How a command prints its result on stdout: every command but `sample` offers all three.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// Lines for a person.
    case text
    /// A header and one row per record (a run's summary is one row: nested keys as `parent_child`).
    case csv
    /// One JSON object per line (RFC 8259, snake_case keys).
    case json
}

/// How `sample` writes points: a table, one JSON object, or a NumPy `.npy` array (points are not a
/// summary, so no text).
enum PointsFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json, npy
}

/// `--format` and `--out` of `sample`: where and how the points go.
struct OutputOptionGroup: ParsableArguments {
    @Option(help: "Output format: csv (header x1,…,xD, one point per row), json (parameters and points) or npy (a float64 n × D array for numpy.load).")
    var format: PointsFormat = .csv

    @OptionGroup var header: HeaderOptionGroup

    @Option(help: "Where the points go instead of stdout: a file (written atomically, a symlink's target replaced), a FIFO or device (written into, never replaced), or - for stdout.", completion: .file())
    var out: String?

    /// Opens the destination now, so an unwritable path fails before any work (exit 73).
    func openSink() throws(ManifoldLabError) -> OutputSink {
        let destination = out ?? "-"
        if format == .npy, destination == "-", isatty(STDOUT_FILENO) == 1 {
            throw .unwritableOutput(path: "standard output", reason: "it is a terminal, and .npy is binary: give --out FILE.npy or pipe it")
        }
        if let out { return .file(try OutputFile(path: out)) }
        return .standardOutput
    }
}

/// Standard output or an atomic file.
enum OutputSink {
    case standardOutput
    case file(OutputFile)

    func write(_ text: String) throws(ManifoldLabError) {
        switch self {
        case .standardOutput: StandardOutput.write(text)
        case .file(let file): try file.write(text)
        }
    }

    func write(_ data: Data) throws(ManifoldLabError) {
        switch self {
        case .standardOutput: FileHandle.standardOutput.write(data)
        case .file(let file): try file.write(data)
        }
    }

    func commit() throws(ManifoldLabError) {
        if case .file(let file) = self { try file.commit() }
    }
}
