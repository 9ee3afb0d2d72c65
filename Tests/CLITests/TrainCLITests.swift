import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

private let fast = ["--dim", "8", "--hidden", "16", "--layers", "1", "--batch", "32", "--steps", "60",
                    "--log-every", "20", "--eval-points", "50", "--lr", "1e-3"]

private func rows(_ path: URL) throws -> [[String]] {
    try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

@Suite("train-toy and vanish, end to end")
struct TrainCLITests {
    @Test("--out DIR writes metrics.csv, samples.csv and manifest.json that parse, and the text summary says where")
    func files() throws {
        let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("run")
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--noise", "0.1", "--out", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("D accuracy") && run.stdout.contains(dir.path))
        let metrics = try rows(dir.appendingPathComponent("metrics.csv"))
        #expect(metrics[0] == ["step", "noise", "d_loss", "g_loss", "d_accuracy_real", "d_accuracy_fake", "g_grad_minimax",
                               "g_grad_nonsat", "d_grad_fake", "js_lower_bound", "w1", "smoothed_js",
                               "smoothed_js_stderr", "modes_covered", "high_quality_fraction", "mode_kl", "off_plane",
                               "smoothed_js_note", "precision", "recall", "density", "coverage", "inception_score"])
        #expect(metrics.dropFirst().map { $0[0] } == ["1", "20", "40", "60"])
        // Every diagnostic is a finite number, precision…coverage too; the mode columns (and the
        // Inception Score analogue) are empty for data without modes.
        #expect(metrics.dropFirst().allSatisfy { row in
            row.count == 23 && row.prefix(13).allSatisfy { Double($0)?.isFinite == true } && row[13..<18].allSatisfy(\.isEmpty)
                && row[18..<22].allSatisfy { (Double($0) ?? -1) >= 0 } && row[22].isEmpty
        })
        // σ > 0: every row has a smoothed JS below log 2 with a positive standard error.
        #expect(metrics.dropFirst().allSatisfy { row in
            (Double(row[11]) ?? .nan) < log(2.0) && (Double(row[12]) ?? 0) > 0
        })
        let samples = try rows(dir.appendingPathComponent("samples.csv"))
        #expect(samples.count == 51 && samples[0].count == 8)
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect(manifest["version"] is String && manifest["blas_core"] is String)
        let parameters = try #require(manifest["parameters"] as? [String: Any])
        #expect(parameters["seed"] as? Int == 0 && parameters["steps"] as? Int == 60 && parameters["noise"] as? Double == 0.1)
        #expect((parameters["seconds"] as? Double ?? 0) > 0 && (parameters["steps_per_second"] as? Double ?? 0) > 0)
    }

    @Test("two runs with the same seed write byte-identical metrics.csv")
    func deterministic() throws {
        let base = CommandLineRunner.temporaryDirectory()
        for name in ["a", "b"] {
            let run = try CommandLineRunner.run(["train-toy"] + fast + ["--noise", "0.05", "--out", base.appendingPathComponent(name).path])
            #expect(run.status == 0)
        }
        let a = try Data(contentsOf: base.appendingPathComponent("a/metrics.csv"))
        let b = try Data(contentsOf: base.appendingPathComponent("b/metrics.csv"))
        #expect(a == b && !a.isEmpty)
    }

    @Test("--format json prints one object with the final metrics, steps, steps_per_second and seconds")
    func json() throws {
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--format", "json", "--precision", "float"])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["steps"] as? Int == 60 && object["precision"] as? String == "float")
        #expect(object["steps_per_second"] is Double && object["seconds"] is Double)
        let final = try #require(object["final"] as? [String: Any])
        for key in ["d_accuracy_real", "d_accuracy_fake", "g_grad_minimax", "g_grad_nonsat", "js_lower_bound", "w1"] {
            #expect(final[key] is Double, "missing \(key)")
        }
        #expect(final["smoothed_js"] is NSNull && final["smoothed_js_stderr"] is NSNull, "σ = 0: no smoothed JS, null (the key is there in every run)")
    }

    @Test("--format json with σ > 0: the final record has the smoothed JS and its standard error")
    func jsonSmoothedJS() throws {
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--format", "json", "--noise", "0.2"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let final = try #require(object["final"] as? [String: Any])
        let js = try #require(final["smoothed_js"] as? Double), stderr = try #require(final["smoothed_js_stderr"] as? Double)
        #expect(js > 0 && js < log(2.0) && stderr > 0 && stderr < js, "\(js) ± \(stderr)")
    }

    @Test("a diverging run exits 70 with one line naming the step, after writing valid metrics so far")
    func divergence() throws {
        let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("diverged")
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--optimizer", "sgd", "--lr", "1e6", "--precision", "float",
                                                                  "--log-every", "1", "--out", dir.path])
        #expect(run.status == 70)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("training diverged at step"), "\(run.stderr)")
        let metrics = try rows(dir.appendingPathComponent("metrics.csv"))
        #expect(metrics.count >= 2)
        #expect(metrics.dropFirst().allSatisfy { $0.count == 23 })
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path))
    }

    @Test("bad input: one line on stderr, exit 64, no output", arguments: [
        ["train-toy", "--loss", "hinge"], ["train-toy", "--noise", "-1"], ["train-toy", "--dim", "0"],
        ["train-toy", "--format", "xml"], ["train-toy", "--noise-anneal"], ["vanish", "--optimizer", "lbfgs"],
        ["vanish", "--steps", "0"], ["train-toy", "--data", "blob"],
    ])
    func badInput(arguments: [String]) throws {
        let run = try CommandLineRunner.run(arguments)
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
        #expect(run.stderrLines.count == 1 && run.stdout.isEmpty)
    }

    @Test("an unwritable --out is refused before training with exit 73")
    func unwritable() throws {
        let run = try CommandLineRunner.run(["train-toy", "--out", "/proc/manifoldlab-cannot-exist"])
        #expect(run.status == 73 && run.stderrLines.count == 1)
    }

    @Test("vanish --format json has the promised keys, and --out writes vanish.csv")
    func vanish() throws {
        let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("vanish")
        let run = try CommandLineRunner.run(["vanish", "--hidden", "16", "--steps", "100", "--probe-batches", "3",
                                             "--format", "json", "--out", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for key in ["orders_of_magnitude", "final_d_accuracy", "steps_to_full_accuracy", "g_grad_nonsat_final_mean",
                    "g_grad_nonsat_final_std", "dim", "noise", "seed", "seconds"] {
            #expect(object.keys.contains(key), "missing \(key)")
        }
        let csv = try rows(dir.appendingPathComponent("vanish.csv"))
        #expect(csv.count == 12 && csv[0].prefix(3) == ["step", "d_accuracy_mean", "d_accuracy_std"])
    }
}

@Suite("Interruption of long runs")
struct InterruptionTests {
    @Test("SIGINT during train-toy: exit 130, one stderr line, complete metrics.csv and a manifest marked interrupted",
          arguments: [SIGINT, SIGTERM])
    func interruptTraining(signal: Int32) throws {
        let directory = CommandLineRunner.temporaryDirectory().appendingPathComponent("run").path
        let run = try CommandLineRunner.interrupt(["train-toy", "--steps", "1000000", "--hidden", "16", "--log-every", "20",
                                                   "--out", directory], with: signal, after: 1)
        #expect(!run.timedOut, "the run ignored the signal")
        #expect(run.status == 130)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("interrupted"))
        let metrics = try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(metrics.count >= 2)
        #expect(metrics.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == metrics[0].split(separator: ",").count })
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/manifest.json"))) as! [String: Any]
        let parameters = manifest["parameters"] as! [String: Any]
        #expect(parameters["interrupted"] as? Bool == true)
        #expect((parameters["steps_run"] as? Int ?? 0) < 1_000_000)
    }

    @Test("--format csv: the summary as one row under its header, the same numbers as the JSON (train-toy, vanish, dirac)")
    func summaryRows() throws {
        let commands: [[String]] = [["train-toy"] + fast, ["vanish", "--dim", "8", "--hidden", "16", "--steps", "40", "--probe-batches", "2"],
                                    ["dirac", "--steps", "50"]]
        for command in commands {
            let csv = try CommandLineRunner.run(command + ["--format", "csv"])
            let json = try CommandLineRunner.run(command + ["--format", "json"])
            #expect(csv.status == 0 && json.status == 0, "\(command): \(csv.stderr)")
            let rows = OutputChecks.csv(csv.stdout)
            #expect(rows.count == 2 && rows[0].count == rows[1].count, "\(command): \(csv.stdout)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            // Every top-level number of the JSON is the same cell of the row (the runs are deterministic).
            for (key, value) in object {
                guard let number = value as? Double, key != "seconds", !key.hasPrefix("seconds"), key != "steps_per_second",
                      let column = rows[0].firstIndex(of: key) else { continue }
                let cell: String = rows[1][column]
                if cell == "true" || cell == "false" { continue }  // a Bool, which JSONSerialization also reads as a number
                // The JSON's own digits (JSONSerialization on Linux can miss the last bit): the same text in both.
                let written = json.stdout.range(of: "\"\(key)\":([^,}]+)", options: .regularExpression)
                    .map { String(json.stdout[$0].dropFirst(key.count + 3)) }
                #expect(written == cell, "\(command) \(key): \(cell) vs \(written ?? "?") (\(number))")
            }
        }
    }

    @Test("old spellings still work with one note on stderr: vanish --gap/--d-steps, dirac --sigma/--h/--loss gan")
    func oldSpellings() throws {
        let vanish = try CommandLineRunner.run(["vanish", "--dim", "8", "--hidden", "16", "--gap", "0.5", "--d-steps", "20",
                                                "--probe-batches", "2", "--record-every", "5", "--format", "json"])
        #expect(vanish.status == 0 && vanish.stderrLines.filter { $0.contains("note: --gap is now --offset") }.count == 1)
        #expect(vanish.stderr.contains("note: --d-steps is now --steps"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(vanish.stdout.utf8)) as? [String: Any])
        #expect(object["offset"] as? Double == 0.5 && object["steps"] as? Int == 20)
        let dirac = try CommandLineRunner.run(["dirac", "--loss", "gan", "--sigma", "0.2", "--h", "0.05", "--steps", "10", "--format", "json"])
        #expect(dirac.status == 0 && dirac.stderrLines.count == 3, "\(dirac.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(dirac.stdout.utf8)) as? [String: Any])
        #expect(summary["loss"] as? String == "minimax" && summary["lr"] as? Double == 0.05 && summary["noise"] as? Double == 0.2)
    }
}
