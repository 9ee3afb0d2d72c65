import Foundation
import ManifoldLabCore

/// Hands a sweep's runs to Slurm as one job array, and later reads what the array left behind.
///
/// `prepare` writes, into a directory of its own:
/// - `runs/N.sh`: run N's command line (N is its place in the grid, from 1), quoted for `/bin/sh`;
/// - `array.sh`: the array job; task N runs `runs/N.sh` in the sweep's working directory and leaves
///   `runs/N.out`, `runs/N.err` and `runs/N.status` (its exit status) beside it;
/// - `collect.sh`: `manifoldlab sweep --collect DIR` with the sweep's `--out`, which builds the
///   table exactly as the local engine would;
/// - `submit.sh`: submits the array, then the collection as a job that waits for every task
///   (`afterany`); extra `sbatch` options given to it (`--partition=…`, `--wait`) go to both;
/// - `sweep.json`: the sweep itself (command, format, runs), read back by `--collect`.
struct SlurmEngine {
    /// What `--collect` needs to know about the sweep.
    struct Record: Codable {
        /// The sweep's command with its lists and ranges, as given.
        let command: [String]
        let format: String
        /// The grid indices (from 0) that the array runs.
        let runs: [Int]
        let workingDirectory: String

        enum CodingKeys: String, CodingKey { case command, format, runs, workingDirectory = "working_directory" }
    }

    /// The directory of the scripts and the runs' outputs (absolute).
    let directory: String

    init(directory: String) {
        self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
    }

    /// Writes the scripts for the runs at `indices` of `grid`; `collection` is the argument list of
    /// the `sweep --collect` that `collect.sh` runs after `--collect DIR` (its `--out`, `--resume`).
    func prepare(grid: SweepGrid, command: [String], format: SweepRunner.Format, indices: [Int], binary: String,
                 collection: [String], maximumRunning: Int?) throws(ManifoldLabError) {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw .unwritableOutput(path: directory, reason: "it exists and is not empty: name a new directory with --slurm-dir")
        }
        let runs = directory + "/runs"
        do { try manager.createDirectory(atPath: runs, withIntermediateDirectories: true) } catch {
            throw .unwritableOutput(path: runs, reason: error.localizedDescription)
        }
        let cwd = manager.currentDirectoryPath
        for index in indices {
            try write("runs/\(index + 1).sh", "exec " + ShellQuoting.line([binary] + grid.arguments(index) + ["--format", format.rawValue]) + "\n")
        }
        // Every script names its directory once, in a variable: values are quoted once, for /bin/sh.
        let dir = "dir=" + ShellQuoting.quote(directory)
        let throttle = maximumRunning.map { "%\($0)" } ?? ""
        try write("array.sh", """
            #!/bin/sh
            #SBATCH --job-name=manifoldlab-sweep
            #SBATCH --array=\(Self.arraySpecification(indices.map { $0 + 1 }))\(throttle)
            #SBATCH --output=/dev/null
            #SBATCH --cpus-per-task=1
            # One run of a manifoldlab sweep per array task: its streams and exit status go to runs/.
            \(dir)
            run="$dir/runs/$SLURM_ARRAY_TASK_ID"
            cd \(ShellQuoting.quote(cwd)) || { echo "cannot enter the sweep's directory" > "$run.err"; echo 66 > "$run.status"; exit 0; }
            /bin/sh "$run.sh" > "$run.out" 2> "$run.err"
            echo $? > "$run.status.tmp" && mv "$run.status.tmp" "$run.status"

            """, executable: true)
        try write("collect.sh", """
            #!/bin/sh
            #SBATCH --job-name=manifoldlab-collect
            #SBATCH --output=/dev/null
            # Builds the sweep's table from runs/ (as the local engine would); its messages go to collect.err.
            \(dir)
            cd \(ShellQuoting.quote(cwd)) || exit 66
            exec \(ShellQuoting.line([binary, "sweep", "--collect"])) "$dir" \(ShellQuoting.line(collection)) 2> "$dir/collect.err"

            """, executable: true)
        try write("submit.sh", """
            #!/bin/sh
            # Submits the sweep's array, then its collection once every task has ended. sbatch options
            # given here go to both jobs (--partition=short; --wait blocks until the table is written).
            set -e
            \(dir)
            array=$(sbatch --parsable "$@" "$dir/array.sh")
            echo "submitted array job ${array%%;*} (\(indices.count) runs); their outputs go to $dir/runs" >&2
            sbatch --parsable --dependency=afterany:"${array%%;*}" "$@" "$dir/collect.sh"

            """, executable: true)
        let record = Record(command: command, format: format.rawValue, runs: indices, workingDirectory: cwd)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(record) else { throw .unwritableOutput(path: directory + "/sweep.json", reason: "cannot encode the sweep") }
        try write("sweep.json", String(decoding: json, as: UTF8.self) + "\n")
    }

    /// The sweep recorded in `directory` by `prepare`.
    func record() throws(ManifoldLabError) -> Record {
        let path = directory + "/sweep.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableInput(path: path, reason: "no sweep was prepared here (manifoldlab sweep --engine slurm --slurm-dir DIR … writes it)")
        }
        do { return try JSONDecoder().decode(Record.self, from: data) } catch {
            throw .badInputFile(path: path, line: nil, problem: "not a sweep record (\(error.localizedDescription))")
        }
    }

    /// What run `index` (from 0) left in `runs/`: a run without a status file did not end under Slurm.
    func outcome(of index: Int) -> SweepRunner.Outcome {
        let base = directory + "/runs/\(index + 1)"
        func text(_ suffix: String) -> String? { FileManager.default.contents(atPath: base + suffix).map { String(decoding: $0, as: UTF8.self) } }
        guard let status = text(".status").flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            return SweepRunner.Outcome(stdout: "", stderr: "it did not end under Slurm (no status file in runs/; see sacct for task \(index + 1))", status: 255)
        }
        return SweepRunner.Outcome(stdout: text(".out") ?? "", stderr: text(".err") ?? "", status: status)
    }

    /// Slurm's `--array` list for sorted task numbers: runs of consecutive numbers as `a-b`.
    static func arraySpecification(_ tasks: [Int]) -> String {
        var parts: [String] = [], start = tasks.first, previous = tasks.first
        for task in tasks.dropFirst() + [Int.min] {
            if let p = previous, task == p + 1 { previous = task; continue }
            if let s = start, let p = previous { parts.append(s == p ? "\(s)" : "\(s)-\(p)") }
            start = task; previous = task
        }
        return parts.joined(separator: ",")
    }

    private func write(_ name: String, _ text: String, executable: Bool = false) throws(ManifoldLabError) {
        let path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: executable ? 0o755 : 0o644]) else {
            throw .unwritableOutput(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
