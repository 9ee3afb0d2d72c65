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
        split; --minibatch-disc, --from, --to and --start separate alternatives with ';'. In CMD's \
        other values, {KEY} is the run's value of --KEY (an axis, or a single value; dashes as \
        underscores): --out runs/noise-{noise} gives every run its own folder. A {KEY} that names no \
        option is refused.

          manifoldlab sweep --jobs 2 --out noise.csv js --p line --q plane --noise 0.01:1:5:log --seeds 0..2

        The table has one header; the grid's columns come first unless the command reports them \
        itself. Rows are written in grid order as runs finish, so a killed sweep keeps what it wrote, \
        and --resume runs only the combinations not yet in --out, then puts its rows back in grid \
        order. --print-commands prints one shell \
        command line per run instead, quoted so that every value arrives unchanged.

        Beyond this machine: --engine parallel hands the runs to GNU parallel (--sshloginfile for \
        other hosts); --engine slurm --slurm-dir DIR writes a job array and prints how to submit it:

          manifoldlab sweep --engine slurm --slurm-dir noise.slurm --out noise.csv js --noise 0.01:1:5:log --seeds 0..9
          noise.slurm/submit.sh --partition=short

        The array's tasks leave each run's output in DIR/runs; a job that waits for them all builds \
        the table with 'manifoldlab sweep --collect DIR'. Slurm refuses arrays beyond its \
        MaxArraySize (1001 tasks by default): sweep larger grids in parts, or with --resume.
        """
    )

    @Option(help: "Runs at the same time (each is one process; default 1); with --engine slurm, the most array tasks running at once (no limit by default).")
    var jobs: Int?

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

    @Option(help: "Who runs the commands: local (this process starts them), parallel (GNU parallel, here or on the hosts of --sshloginfile) or slurm (a job array to submit; see --slurm-dir).")
    var engine: SweepEngine = .local

    @Option(name: .customLong("sshloginfile"), help: "With --engine parallel: GNU parallel's file of hosts ([ncpus/]host per line); manifoldlab must be at the same path on each, and runs start in the same directory.", completion: .file())
    var sshLoginFile: String?

    @Option(help: "With --engine parallel: keep GNU parallel's job log (start, runtime, exit status of every run) in this file.", completion: .file())
    var joblog: String?

    @Option(name: .customLong("slurm-dir"), help: "With --engine slurm: a new directory for the array's scripts (submit.sh, array.sh, collect.sh) and the runs' outputs; submit.sh submits the array and then the job that writes the table to --out (DIR/table.csv without it).", completion: .directory)
    var slurmDirectory: String?

    @Option(help: "Build the table from what the Slurm array prepared in this directory left in its runs/ (the sweep's collect.sh does this); the format is the sweep's.", completion: .directory)
    var collect: String?

    @Argument(parsing: .captureForPassthrough, help: "The command to run and its options, with lists and ranges.")
    var command: [String] = []

    func validate() throws {
        if let jobs, !(1...1024).contains(jobs) {
            throw ManifoldLabError.invalidValue(parameter: "jobs", value: String(jobs), allowed: "1 to 1024 runs at a time")
        }
        if engine != .parallel && (sshLoginFile != nil || joblog != nil) {
            throw ManifoldLabError.conflictingOptions("--sshloginfile and --joblog are GNU parallel's: add --engine parallel")
        }
        if engine != .slurm && slurmDirectory != nil {
            throw ManifoldLabError.conflictingOptions("--slurm-dir is for --engine slurm")
        }
        if engine == .slurm && slurmDirectory == nil {
            throw ManifoldLabError.conflictingOptions("--engine slurm writes its scripts into a new directory: give --slurm-dir DIR")
        }
        if collect != nil && (!command.isEmpty || engine != .local || printCommands) {
            throw ManifoldLabError.conflictingOptions("--collect DIR builds the table of a prepared Slurm sweep: give it no command, engine or --print-commands")
        }
        if resume && out == nil { throw ManifoldLabError.conflictingOptions("--resume continues the table in --out: give --out FILE") }
    }

    func run() throws {
        if let collect { return try collectSlurm(SlurmEngine(directory: collect)) }
        let grid = try SweepGrid(command)
        let binary = CommandLine.executablePath
        if printCommands {
            for index in 0..<grid.count {
                StandardOutput.write(ShellQuoting.line([binary] + grid.arguments(index) + ["--format", format.rawValue]) + "\n")
            }
            return
        }
        let (skip, header) = try finishedRows(grid: grid, format: format)
        if engine == .slurm, let slurmDirectory {
            let slurm = SlurmEngine(directory: slurmDirectory)
            let pending = (0..<grid.count).filter { !skip.contains($0) }
            guard !pending.isEmpty else {
                FileHandle.standardError.write(Data("manifoldlab: sweep: every run is already in \(out ?? "--out"); nothing to prepare\n".utf8))
                return
            }
            let table = out.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? slurm.directory + "/table." + (format == .csv ? "csv" : "jsonl")
            try slurm.prepare(grid: grid, command: command, format: format, indices: pending, binary: binary,
                              collection: ["--out", table] + (resume ? ["--resume"] : []), maximumRunning: jobs)
            FileHandle.standardError.write(Data("manifoldlab: sweep: \(pending.count) runs prepared in \(slurm.directory); submit them with \(ShellQuoting.quote(slurm.directory + "/submit.sh")) (add --wait to block until done); the table goes to \(table)\n".utf8))
            return
        }
        var batch: ((_ pending: [Int]) throws(ManifoldLabError) -> [SweepRunner.Outcome])?
        if engine == .parallel {
            let parallel = ParallelEngine(jobs: jobs ?? 1, sshLoginFile: sshLoginFile, jobLog: joblog)
            let format = self.format
            batch = { pending throws(ManifoldLabError) in
                try parallel.run(pending.map { [binary] + grid.arguments($0) + ["--format", format.rawValue] })
            }
        }
        try runAndWrite(SweepRunner(grid: grid, format: format, jobs: jobs ?? 1, binary: binary), skip: skip, header: header, batch: batch)
    }

    /// The table of a Slurm sweep prepared in `slurm.directory`, from the files its array left.
    private func collectSlurm(_ slurm: SlurmEngine) throws {
        let record = try slurm.record()
        let grid = try SweepGrid(record.command)
        guard let format = SweepRunner.Format(rawValue: record.format) else {
            throw ManifoldLabError.badInputFile(path: slurm.directory + "/sweep.json", line: nil, problem: "unknown format '\(record.format)'")
        }
        var (skip, header) = try finishedRows(grid: grid, format: format)
        skip.formUnion(Set(0..<grid.count).subtracting(record.runs))
        try runAndWrite(SweepRunner(grid: grid, format: format, jobs: 1, binary: CommandLine.executablePath), skip: skip, header: header,
                        batch: { pending throws(ManifoldLabError) in pending.map(slurm.outcome) })
    }

    /// The grid indices that `--out` already holds (with `--resume`), and its CSV header.
    private func finishedRows(grid: SweepGrid, format: SweepRunner.Format) throws(ManifoldLabError) -> (Set<Int>, [String]?) {
        guard let out, FileManager.default.fileExists(atPath: out),
              let existing = try? String(contentsOfFile: out, encoding: .utf8), !existing.isEmpty else { return ([], nil) }
        guard resume else {
            throw .unwritableOutput(path: out, reason: "it exists and holds rows: pass --resume to continue it, or remove it")
        }
        return SweepResume.finished(existing, grid: grid, format: format)
    }

    /// Runs (or collects) the grid's pending runs and writes the table, then reports the failures.
    private func runAndWrite(_ runner: SweepRunner, skip: Set<Int>, header: [String]?,
                             batch: ((_ pending: [Int]) throws(ManifoldLabError) -> [SweepRunner.Outcome])?) throws {
        let sink = try out.map { path throws(ManifoldLabError) in try SweepTable(path: path) }
        let progress = ProgressLine(label: "sweep", unit: "runs")
        Signals.install()
        let failures = try runner.run(
            skip: skip, header: header, batch: batch,
            write: { text throws(ManifoldLabError) in
                if let sink { try sink.append(text) } else { StandardOutput.write(text) }
            },
            progress: { done, total in progress.update(done, of: total) })
        progress.finish()
        // A resumed table got its new rows at the end: put every row back in grid order.
        if !skip.isEmpty, let out, let table = try? String(contentsOfFile: out, encoding: .utf8) {
            let ordered = SweepResume.inGridOrder(table, grid: runner.grid, format: runner.format)
            if ordered != table { try OutputFile.write(ordered, to: out) }
        }
        for (index, problem) in failures {
            FileHandle.standardError.write(Data("manifoldlab: sweep: run \(index + 1) (\(ShellQuoting.line(runner.grid.arguments(index)))): \(problem)\n".utf8))
        }
        if !failures.isEmpty {
            throw ManifoldLabError.numericalFailure("\(failures.count) of \(runner.grid.count - skip.count) runs failed (listed above); \(out == nil ? "their rows are missing" : "--resume reruns those that printed nothing")")
        }
    }
}

extension SweepRunner.Format: ExpressibleByArgument {}

/// Who starts a sweep's runs.
enum SweepEngine: String, ExpressibleByArgument, CaseIterable {
    case local, parallel, slurm
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
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }  // failure shows as the handle below
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
        let (header, rows) = parse(table, format: format)
        let keys = Set(rows.map { key($0.values, grid) })
        let finished = Set((0..<grid.count).filter { keys.contains(grid.point($0).map(normal)) })
        return (finished, header)
    }

    /// The table with its rows sorted into grid order (stable: a run's several rows keep theirs;
    /// a row that matches no run goes to the end). Every line of the table is kept.
    static func inGridOrder(_ table: String, grid: SweepGrid, format: SweepRunner.Format) -> String {
        let (header, rows) = parse(table, format: format)
        var position: [[String]: Int] = [:]
        for index in 0..<grid.count { position[grid.point(index).map(normal)] = index }
        let sorted = rows.enumerated().sorted { a, b in
            let (i, j) = (position[key(a.element.values, grid)] ?? Int.max, position[key(b.element.values, grid)] ?? Int.max)
            return i != j ? i < j : a.offset < b.offset
        }
        let headerLine = header == nil ? "" : (CSVRow.records(table).first ?? "") + "\n"
        return headerLine + sorted.map { $0.element.text + "\n" }.joined()
    }

    /// The header (CSV) and the rows: each row's text and its values by column.
    private static func parse(_ table: String, format: SweepRunner.Format) -> ([String]?, [(text: String, values: [String: String])]) {
        switch format {
        case .csv:
            let lines = CSVRow.records(table)
            guard let first = lines.first else { return (nil, []) }
            let header = CSVRow.split(first)
            return (header, lines.dropFirst().map { ($0, Dictionary(zip(header, CSVRow.split($0)), uniquingKeysWith: { a, _ in a })) })
        case .json:
            // A line that is not an object is kept (it matches no run).
            return (nil, table.split(separator: "\n").map(String.init).map { line in
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return (line, [:]) }
                return (line, object.mapValues { value in
                    if let number = value as? NSNumber, !(value is Bool) { return NumberFormat.text(number.doubleValue) }
                    return "\(value)"
                })
            })
        }
    }

    private static func key(_ values: [String: String], _ grid: SweepGrid) -> [String] {
        grid.axes.map { normal(values[$0.key] ?? "\u{0}") }
    }

    private static func normal(_ text: String) -> String { Double(text).map { NumberFormat.text($0) } ?? text }
}
