import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabCLI
import TestSupport

private let fast = ["semi-supervised", "--dim", "8", "--hidden", "16", "--layers", "1", "--batch", "32", "--steps", "20",
                    "--log-every", "10", "--n-unlabelled", "600", "--test-points", "300"]

@Suite("semi-supervised, end to end")
struct SemiSupervisedCLITests {
    @Test("JSON summary: the accuracies, their spreads and the Bayes accuracy, as the issue names them")
    func summary() throws {
        let run = try CommandLineRunner.run(fast + ["--seeds", "2", "--jobs", "2", "--mode-std", "0.6", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for key in ["accuracy", "accuracy_std", "baseline_accuracy", "baseline_accuracy_std", "bayes_accuracy",
                    "bayes_accuracy_stderr", "gain", "gain_ci95", "bayes_test_accuracy"] {
            let value = try #require(json[key] as? Double, "\(key)")
            #expect(value.isFinite, "\(key)")
        }
        #expect(json["classes"] as? Int == 25 && json["seeds"] as? Int == 2 && json["runs_finished"] as? Int == 2)
        let bayes = try #require(json["bayes_accuracy"] as? Double)
        #expect(abs(bayes - 0.8536) < 0.005)  // the 5×5 grid at std 0.6: (1 − 8Φ(−1/0.6)/5)²
    }

    @Test("one seed: spreads are null, never 0")
    func oneSeed() throws {
        let run = try CommandLineRunner.run(fast + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["accuracy_std"] is NSNull && json["gain_ci95"] is NSNull)
    }

    @Test("--out writes metrics.csv (every seed's rows), runs.csv and a manifest with every parameter")
    func files() throws {
        let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("semi")
        let run = try CommandLineRunner.run(fast + ["--seeds", "2", "--seed", "5", "--out", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let metrics = try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        #expect(metrics.first == "seed,step,supervised_loss,unsupervised_loss,g_loss,accuracy,baseline_loss,baseline_accuracy")
        #expect(metrics.count == 1 + 2 * 3)  // steps 1, 10, 20 for seeds 5 and 6
        #expect(metrics[1].hasPrefix("5,1,") && metrics[4].hasPrefix("6,1,"))
        let runs = try String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 3 && runs[0].hasPrefix("seed,steps_run,accuracy,baseline_accuracy"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect(manifest["command"] as? String == "semi-supervised" && manifest["seeds"] as? [Int] == [5, 6])
        let configuration = try #require(manifest["configuration"] as? [String: Any])
        for key in ["n_unlabelled", "labels", "supervised_weight", "unsupervised_weight", "g_cost", "lr", "test_points", "dim", "seed"] {
            #expect(configuration[key] != nil, "\(key)")
        }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("plots.gp").path))
    }

    @Test("bad input: one line on stderr, exit 64", arguments: [
        ["--data", "line"], ["--labels", "0"], ["--labels", "20"], ["--layers", "0"], ["--n-unlabelled", "1"],
        ["--supervised-weight", "0"], ["--unsupervised-weight", "-1"], ["--unsupervised-weight", "nan"], ["--seeds", "0"],
        ["--jobs", "0"], ["--g-cost", "minimax"], ["--test-points", "3"], ["--lr", "0"], ["--modes", "file:c.csv"],
    ])
    func refusals(extra: [String]) throws {
        let run = try CommandLineRunner.run(fast + extra)
        #expect(run.status == 64, "\(extra): \(run.stderr)")
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
    }

    @Test("grid's --modes note: printed once after a success, never beside an error")
    func gridNote() throws {
        let ok = try CommandLineRunner.run(["sample", "--manifold", "grid", "--modes", "4", "--n", "3"])
        #expect(ok.status == 0 && ok.stderrLines == ["manifoldlab: note: --modes 4 counts all of grid's modes (a 2×2 grid); until December 2026 it counted modes per side"])
        let bad = try CommandLineRunner.run(fast + ["--modes", "4", "--layers", "0"])
        #expect(bad.status == 64 && bad.stderrLines.count == 1 && bad.stderr.hasPrefix("manifoldlab: error: "), "\(bad.stderr)")
    }

    @Test("the same seed prints the same accuracies")
    func deterministic() throws {
        let a = try CommandLineRunner.run(fast + ["--format", "csv"]), b = try CommandLineRunner.run(fast + ["--format", "csv"])
        let strip: (String) -> [Substring] = { $0.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false) }
        let header = a.stdout.split(separator: "\n")[0].split(separator: ",", omittingEmptySubsequences: false)
        let seconds = try #require(header.firstIndex(of: "seconds"))
        var rowA = strip(a.stdout), rowB = strip(b.stdout)
        rowA.remove(at: seconds); rowB.remove(at: seconds)
        #expect(rowA == rowB)
    }
}
