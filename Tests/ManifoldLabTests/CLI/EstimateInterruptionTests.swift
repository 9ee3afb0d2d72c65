import Foundation
import Testing

/// Whether `pid` has handlers for both SIGINT and SIGTERM (its `SigCgt` mask in /proc), i.e. it
/// has passed the start-up re-exec and installed ``Interruption``: signalling before that would
/// test the default action, not the program.
private func catchesInterrupts(_ pid: Int32) -> Bool {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
          let mask = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
    return mask & (1 << (SIGINT - 1)) != 0 && mask & (1 << (SIGTERM - 1)) != 0
}

/// Runs `arguments`, sends `signal` as soon as the handlers are installed, and returns the exit
/// status, stdout and stderr. A run that ignores the signal is killed after 60 s (no test waits
/// longer; none asserts a duration).
private func interrupt(_ arguments: [String], with signal: Int32, after delay: TimeInterval = 0) throws
    -> (status: Int32, signalled: Bool, ignored: Bool, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = CommandLineRunner.binary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    for _ in 0..<600 where process.isRunning && !catchesInterrupts(process.processIdentifier) {
        Thread.sleep(forTimeInterval: 0.01)
    }
    Thread.sleep(forTimeInterval: delay)
    kill(process.processIdentifier, signal)
    for _ in 0..<600 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
    let ignored = process.isRunning
    if ignored { kill(process.processIdentifier, SIGKILL) }
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, process.terminationReason == .uncaughtSignal, ignored, stdout, stderr)
}

@Suite("Interruption of long divergence estimates and comparisons", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineRunner.binary.path), "the manifoldlab binary is not built"))
struct EstimateInterruptionTests {
    /// Each of these runs for seconds to minutes. The command prints only when every estimate is
    /// done and has no checkpoint of its own after the estimators, so exit 130 with nothing on
    /// stdout shows that a checkpoint inside the estimator's loop stopped it.
    static let runs: [([String], Int32)] = [
        (["js", "--p", "helix", "--q", "circle", "--noise", "0.05", "--n", "200000", "--method", "smoothed"], SIGINT),
        (["kl", "--p", "torus", "--q", "sphere", "--noise", "0.2", "--n", "200000", "--method", "smoothed"], SIGTERM),
        (["divergences", "--p", "helix", "--q", "circle", "--noise", "0.05", "--n", "200000", "--format", "json"], SIGINT),
        (["js", "--p", "helix", "--q", "circle", "--n", "400000", "--method", "knn"], SIGTERM),
        (["wasserstein", "--method", "exact", "--p", "helix", "--q", "torus", "--dim", "5", "--n", "6000"], SIGTERM),
        (["wasserstein", "--method", "sinkhorn", "--n", "3000", "--order", "2"], SIGINT),
    ]

    @Test("SIGINT/SIGTERM during an estimate: exit 130, one stderr line, nothing on stdout", arguments: runs)
    func interruptEstimate(arguments: [String], signal: Int32) throws {
        let run = try interrupt(arguments, with: signal)
        #expect(!run.ignored, "the run ignored the signal")
        #expect(!run.signalled, "killed by the signal instead of stopping at a checkpoint")
        #expect(run.status == 130, "\(run.status): \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.hasPrefix("manifoldlab: error: interrupted by \(signal == SIGINT ? "SIGINT" : "SIGTERM")"))
        #expect(run.stdout.isEmpty)
    }

    @Test("SIGINT while `sample --out` writes: exit 130, no output file and no temporary file left")
    func interruptSampleOut() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("points.csv").path
        let run = try interrupt(["sample", "--manifold", "torus", "--dim", "8", "--n", "1000000", "--out", path], with: SIGINT)
        #expect(!run.ignored && !run.signalled)
        #expect(run.status == 130 && run.stderr.split(separator: "\n").count == 1, "\(run.status): \(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("SIGINT during `compare-techniques --out`: exit 130, the finished runs on disk, manifest marked interrupted")
    func interruptComparison() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("cmp").path
        let run = try interrupt(["compare-techniques", "--only", "plain", "--seeds", "500", "--steps", "50", "--dim", "8",
                                 "--hidden", "16", "--out", out], with: SIGINT, after: 1)
        #expect(!run.ignored && !run.signalled)
        #expect(run.status == 130 && run.stderr.split(separator: "\n").count == 1, "\(run.status): \(run.stderr)")
        #expect(run.stderr.contains("of 500 runs") && run.stdout.isEmpty)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["interrupted"] as? String == "SIGINT")
        let finished = try #require(manifest["runs_finished"] as? Int)
        let rows = try String(contentsOfFile: out + "/runs.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(finished < 500 && rows.count == finished)
        #expect(rows.allSatisfy { $0.hasSuffix(",") }, "a finished run has no error")  // the error column is last and empty
    }
}
