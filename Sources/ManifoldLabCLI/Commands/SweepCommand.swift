import ArgumentParser
import Foundation
import ManifoldLabCore

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a command over a grid of option values; one table of the results.",
        discussion: """
        Give the sweep's own options first, then the command and its options; a value that is a list \
        (0.1,0.2,0.5), a range (0.01:1:9 linear, 0.01:1:9:log, 0..9 integers) or --seeds 0..9 (an axis \
        of --seed) becomes an axis of the grid; the last axis varies fastest. file: values are never \
        split; --minibatch-disc, --from, --to and --start separate alternatives with ';'.

          manifoldlab sweep --jobs 2 --out noise.csv js --p line --q plane --noise 0.01:1:5:log --seeds 0..2

        The table has one header; the grid's columns come first unless the command reports them \
        itself. Rows are written in grid order as runs finish, so a killed sweep keeps what it wrote, \
        and --resume runs only the combinations not yet in --out. --print-commands prints one shell \
        command line per run instead (for GNU parallel, ssh or a Slurm array), quoted so that every \
        value arrives unchanged.
        """
    )

    @Option(help: "Runs at the same time on this machine (each is one process).")
    var jobs: Int = 1

    @Option(help: "The table: csv (one header, one or more rows per run) or json (the runs' objects, one per line, with the grid's keys).")
    var format: SweepRunner.Format = .csv

    @Option(name: .customLong("out"), help: "The table's file (written as runs finish); stdout without it or with -.", completion: .file())
    var output: String?

    /// The table's file; nil for standard output.
    var out: String? { output == "-" ? nil : output }

    @Flag(help: "Continue the table in --out: run only the combinations it does not hold yet.")
    var resume = false

    @Flag(name: .customLong("print-commands"), help: "Print one shell command line per run, and run nothing.")
    var printCommands = false

    @Option(help: "Who runs the commands: local (this process starts them) or parallel (GNU parallel, here or on the hosts of --sshloginfile).")
    var engine: SweepEngine = .local

    @Option(name: .customLong("sshloginfile"), help: "With --engine parallel: GNU parallel's file of hosts ([ncpus/]host per line); manifoldlab must be at the same path on each.", completion: .file())
    var sshLoginFile: String?

    @Option(help: "With --engine parallel: keep GNU parallel's job log (start, runtime, exit status of every run) in this file.", completion: .file())
    var joblog: String?

    @Argument(parsing: .captureForPassthrough, help: "The command to run and its options, with lists and ranges.")
    var command: [String] = []

    func run() throws {
        guard jobs >= 1, jobs <= 1024 else {
            throw ManifoldLabError.invalidValue(parameter: "jobs", value: String(jobs), allowed: "1 to 1024 runs at a time")
        }
        let grid = try SweepGrid(command)
        let binary = CommandLine.executablePath
        if printCommands {
            for index in 0..<grid.count {
                StandardOutput.write(ShellQuoting.line([binary] + grid.arguments(index) + ["--format", format.rawValue]) + "\n")
            }
            return
        }
        if resume && out == nil { throw ManifoldLabError.conflictingOptions("--resume continues the table in --out: give --out FILE") }
        var skip = Set<Int>(), header: [String]?
        if let out, FileManager.default.fileExists(atPath: out) {
            let existing = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if !existing.isEmpty {
                guard resume else {
                    throw ManifoldLabError.unwritableOutput(path: out, reason: "it exists and holds rows: pass --resume to continue it, or remove it")
                }
                (skip, header) = SweepResume.finished(existing, grid: grid, format: format)
            }
        }
        let sink = try out.map { path throws(ManifoldLabError) in try SweepTable(path: path) }
        let progress = ProgressLine(label: "sweep", unit: "runs")
        Signals.install()
        if engine == .local && (sshLoginFile != nil || joblog != nil) {
            throw ManifoldLabError.conflictingOptions("--sshloginfile and --joblog are GNU parallel's: add --engine parallel")
        }
        let parallel = engine == .parallel ? ParallelEngine(jobs: jobs, sshLoginFile: sshLoginFile, jobLog: joblog) : nil
        let failures = try SweepRunner(grid: grid, format: format, jobs: jobs, binary: binary).run(
            skip: skip, header: header, parallel: parallel,
            write: { text throws(ManifoldLabError) in
                if let sink { try sink.append(text) } else { StandardOutput.write(text) }
            },
            progress: { done, total in progress.update(done, of: total) })
        progress.finish()
        for (index, problem) in failures {
            FileHandle.standardError.write(Data("manifoldlab: sweep: run \(index + 1) (\(ShellQuoting.line(grid.arguments(index)))): \(problem)\n".utf8))
        }
        if !failures.isEmpty {
            throw ManifoldLabError.numericalFailure("\(failures.count) of \(grid.count - skip.count) runs failed (listed above); \(out == nil ? "their rows are missing" : "--resume reruns those that printed nothing")")
        }
    }
}

extension SweepRunner.Format: ExpressibleByArgument {}

/// Who starts a sweep's runs.
enum SweepEngine: String, ExpressibleByArgument, CaseIterable {
    case local, parallel
}

extension CommandLine {
    /// This process's binary, for the child runs.
    static var executablePath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
}

/// The sweep's `--out`: appended to as rows arrive (never replaced), flushed after each write.
final class SweepTable: @unchecked Sendable {
    private let handle: FileHandle
    let path: String

    init(path: String) throws(ManifoldLabError) {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw .unwritableOutput(path: path, reason: "it is a directory (a file is expected here)")
        }
        if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
        self.handle = handle
        _ = try? handle.seekToEnd()
    }

    func append(_ text: String) throws(ManifoldLabError) {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw .unwritableOutput(path: path, reason: error.localizedDescription)
        }
    }
}

/// Which runs of a grid a table already holds: a row matches a run when its value in every axis's
/// column equals the run's (as numbers when both read as numbers: `1e-1` is `0.1`).
enum SweepResume {
    static func finished(_ table: String, grid: SweepGrid, format: SweepRunner.Format) -> (Set<Int>, [String]?) {
        var rows: [[String: String]] = []
        var header: [String]?
        let lines = table.split(separator: "\n").map(String.init)
        switch format {
        case .csv:
            guard let first = lines.first else { return ([], nil) }
            header = CSVRow.split(first)
            for line in lines.dropFirst() {
                rows.append(Dictionary(zip(header!, CSVRow.split(line)), uniquingKeysWith: { a, _ in a }))
            }
        case .json:
            for line in lines {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
                rows.append(object.mapValues { value in
                    if let number = value as? NSNumber, !(value is Bool) { return NumberFormat.text(number.doubleValue) }
                    return "\(value)"
                })
            }
        }
        func normal(_ text: String) -> String { Double(text).map { NumberFormat.text($0) } ?? text }
        let done = Set(rows.map { row in grid.axes.map { normal(row[$0.key] ?? "\u{0}") } })
        let finished = Set((0..<grid.count).filter { done.contains(grid.point($0).map(normal)) })
        return (finished, header)
    }
}
