import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

@Suite("Interruption of long divergence estimates and comparisons", .serialized)
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
        let run = try CommandLineRunner.interrupt(arguments, with: signal)
        #expect(!run.timedOut, "the run ignored the signal")
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
        let run = try CommandLineRunner.interrupt(["sample", "--manifold", "torus", "--dim", "8", "--n", "1000000", "--out", path], with: SIGINT)
        #expect(!run.timedOut && !run.signalled)
        #expect(run.status == 130 && run.stderr.split(separator: "\n").count == 1, "\(run.status): \(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("SIGINT during `compare-techniques --out`: exit 130, the finished runs on disk, manifest marked interrupted")
    func interruptComparison() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("cmp").path
        let run = try CommandLineRunner.interrupt(["compare-techniques", "--only", "plain", "--seeds", "500", "--steps", "50", "--dim", "8",
                                 "--hidden", "16", "--out", out], with: SIGINT, after: 1)
        #expect(!run.timedOut && !run.signalled)
        #expect(run.status == 130 && run.stderr.split(separator: "\n").count == 1, "\(run.status): \(run.stderr)")
        #expect(run.stderr.contains("of 500 runs") && run.stdout.isEmpty)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))) as! [String: Any]
        #expect(manifest["interrupted"] as? Bool == true && manifest["signal"] as? String == "SIGINT")
        let finished = try #require(manifest["runs_finished"] as? Int)
        let rows = try String(contentsOfFile: out + "/runs.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(finished < 500 && rows.count == finished)
        // The error column (the tenth) is empty: a finished run has no error; the metrics after it are numbers.
        #expect(rows.allSatisfy { row in
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            return cells.count == 14 && cells[9].isEmpty && cells[10...12].allSatisfy { Double($0) != nil }
        }, "a finished run has no error")
    }
}
