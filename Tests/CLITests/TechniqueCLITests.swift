import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

private let fast = ["--data", "ring", "--latent", "2", "--dim", "8", "--hidden", "16", "--layers", "1", "--batch", "32",
                    "--steps", "30", "--log-every", "10", "--eval-points", "50"]

@Suite("Techniques and compare-techniques, end to end")
struct TechniqueCLITests {
    @Test("train-toy on ring prints the mode metrics in its JSON summary")
    func summary() throws {
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--feature-matching", "--minibatch-disc", "4,2",
                                                                  "--historical-avg", "0.1", "--label-smoothing", "0.9",
                                                                  "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["modes_covered"] is Int && json["high_quality_fraction"] is Double && json["w1"] is Double)
        let techniques = try #require(json["techniques"] as? [String: Any])
        #expect(techniques["feature_matching"] as? Bool == true && techniques["minibatch_disc"] as? [Int] == [4, 2])
    }

    @Test("bad technique options: one line on stderr, exit 64", arguments: [
        ["--minibatch-disc", "abc"], ["--minibatch-disc", "0,4"], ["--minibatch-disc", "4,2", "--loss", "wgan-gp"],
        ["--label-smoothing", "0"], ["--label-smoothing", "1.5"], ["--label-smoothing", "nan"],
        ["--label-smoothing", "0.9", "--loss", "wgan"], ["--historical-avg", "-1"], ["--historical-avg", "inf"],
        ["--feature-matching", "--layers", "0"],
    ])
    func refusals(extra: [String]) throws {
        let run = try CommandLineRunner.run(["train-toy"] + fast + extra)
        #expect(run.status == 64, "\(extra): \(run.stderr)")
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
    }

    @Test("compare-techniques: a table, CSV that parses, runs.csv and summary.csv in --out")
    func compare() throws {
        let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("compare")
        let args = ["compare-techniques", "--dim", "8", "--hidden", "16", "--layers", "1", "--batch", "32", "--steps", "20",
                    "--seeds", "2", "--only", "plain,feature-matching", "--jobs", "2"]
        let run = try CommandLineRunner.run(args + ["--format", "csv", "--out", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("technique,runs,modes"))
        #expect(lines[1].hasPrefix("plain,2,8,") && lines[2].hasPrefix("feature-matching,2,8,"))
        let runs = try String(contentsOf: dir.appendingPathComponent("runs.csv"), encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 5)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("manifest.json").path))
        let bad = try CommandLineRunner.run(args + ["--only", "unrolled"])
        #expect(bad.status == 64 && bad.stderrLines.count == 1)
        // An explicit --data is taken as given (never silently replaced by the default ring).
        for data in ["helix", "line"] {
            let refused = try CommandLineRunner.run(["compare-techniques", "--data", data, "--steps", "5"])
            #expect(refused.status == 64 && refused.stderr.contains("ring or grid"), "\(refused.stderr)")
        }
    }
}

@Suite("Virtual batch normalisation, end to end")
struct VirtualBatchNormCLITests {
    @Test("train-toy --virtual-batchnorm: JSON says so, generator.json is written, walk runs on it")
    func trainAndWalk() throws {
        let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("vbn")
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--virtual-batchnorm", "--format", "json", "--out", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let techniques = try #require(json["techniques"] as? [String: Any])
        #expect(techniques["virtual_batchnorm"] as? Bool == true && techniques["label"] as? String == "virtual-batchnorm")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("generator.json").path))
        let walk = try CommandLineRunner.run(["walk", "--run", dir.path, "--steps", "8", "--format", "csv"])
        #expect(walk.status == 0, "\(walk.stderr)")
        #expect(walk.stdout.split(separator: "\n").count == 10, "header + 9 points")
    }

    @Test("--virtual-batchnorm without a hidden layer or with an affine G: one line on stderr, exit 64",
          arguments: [["--layers", "0"], ["--generator", "affine"]])
    func refusals(extra: [String]) throws {
        let run = try CommandLineRunner.run(["train-toy"] + fast + ["--virtual-batchnorm"] + extra)
        #expect(run.status == 64 && run.stderrLines.count == 1, "\(run.stderr)")
    }
}
