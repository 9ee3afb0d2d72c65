import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// The formats a command can print.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv, json

    func requireOneOf(_ allowed: [OutputFormat]) throws(ManifoldLabError) {
        guard allowed.contains(self) else {
            throw .invalidOption(option: "--format", value: rawValue,
                                 allowed: "one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
    }
}

/// `--format` and `--out`: where and how results go.
struct OutputOptionGroup: ParsableArguments {
    @Option(help: "Output format: csv or json (text where a command prints a summary).")
    var format: OutputFormat = .csv

    @Option(help: "Write to this file (atomically: a temporary file renamed when complete) instead of stdout.")
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
