import Foundation
import ManifoldLabCore

/// Runs a sweep's command lines through GNU parallel (on this machine, or on the hosts of an
/// `--sshloginfile`, in the same working directory): one shell-quoted command per run in a job
/// file, NUL-separated (`--null`) so that a value with a newline stays one command, `--tagstring {#}`
/// so that every output line names its run, and parallel's job log for the exit statuses.
struct ParallelEngine {
    let jobs: Int
    /// A file of `[ncpus/]host` lines for parallel's `--sshloginfile` (the binary must exist at the
    /// same path on every host).
    let sshLoginFile: String?
    /// parallel's `--joblog`, kept where the user asks (a temporary file otherwise).
    let jobLog: String?

    /// The outcome of each command line, in order.
    func run(_ lines: [[String]]) throws(ManifoldLabError) -> [SweepRunner.Outcome] {
        guard let parallel = SearchPath.executable("parallel") else {
            throw .unreadableInput(path: "parallel", reason: "GNU parallel is not installed (Debian: apt-get install parallel); use --engine local")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("manifoldlab-sweep-\(getpid())-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true) } catch {
            throw .unwritableOutput(path: scratch.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let jobFile = scratch.appendingPathComponent("commands").path
        let log = jobLog ?? scratch.appendingPathComponent("joblog").path
        do { try (lines.map(ShellQuoting.line).joined(separator: "\u{0}") + "\u{0}").write(toFile: jobFile, atomically: true, encoding: .utf8) } catch {
            throw .unwritableOutput(path: jobFile, reason: error.localizedDescription)
        }
        var arguments = ["--will-cite", "--null", "--jobs", String(jobs), "--tagstring", "{#}", "--joblog", log, "-a", jobFile]
        if let sshLoginFile { arguments += ["--sshloginfile", sshLoginFile, "--workdir", "."] }
        let result = SweepRunner.execute(parallel, arguments)
        // Output lines (stdout and stderr) are "SEQ\tLINE"; runs are numbered from 1 in the job file's order.
        func split(_ text: String) -> [String] {
            var perRun = [String](repeating: "", count: lines.count)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                guard let tab = line.firstIndex(of: "\t"), let seq = Int(line[..<tab]), (1...lines.count).contains(seq) else { continue }
                perRun[seq - 1] += line[line.index(after: tab)...] + "\n"
            }
            return perRun
        }
        let stdout = split(result.stdout), stderr = split(result.stderr)
        // The job log: a header, then Seq Host Starttime JobRuntime Send Receive Exitval Signal Command, tab-separated.
        var status = [Int32](repeating: 255, count: lines.count)
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        for row in logText.split(separator: "\n").dropFirst() {
            let cells = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard cells.count > 7, let seq = Int(cells[0]), (1...lines.count).contains(seq), let exit = Int32(cells[6]) else { continue }
            status[seq - 1] = exit
        }
        let failure = result.stderr.split(separator: "\n").last.map(String.init) ?? "GNU parallel exited with status \(result.status)"
        return (0..<lines.count).map { i in
            SweepRunner.Outcome(stdout: stdout[i], stderr: stderr[i].isEmpty ? (status[i] == 255 ? failure : "exit status \(status[i])") : stderr[i],
                                status: status[i])
        }
    }
}
