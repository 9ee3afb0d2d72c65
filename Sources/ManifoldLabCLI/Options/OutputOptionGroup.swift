import ArgumentParser
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

/// How `sample` writes points: a table or one JSON object (points are not a summary, so no text).
enum PointsFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json
}

/// `--format` and `--out` of `sample`: where and how the points go.
struct OutputOptionGroup: ParsableArguments {
    @Option(help: "Output format: csv (header x1,…,xD, one point per row) or json (parameters and points).")
    var format: PointsFormat = .csv

    @Option(help: "A file to write the points to (atomically: a temporary file renamed when complete) instead of stdout.")
    var out: String?

    /// Opens the destination now, so an unwritable path fails before any work (exit 73).
    func openSink() throws(ManifoldLabError) -> OutputSink {
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

    func commit() throws(ManifoldLabError) {
        if case .file(let file) = self { try file.commit() }
    }
}
