import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabCLI
import TestSupport

/// `manifoldlab evaluate` and `manifoldlab dimension` end to end: every metric in every format,
/// the values a law compared with itself must give, refusals as records with exit 70, one-line
/// usage errors, and files at 1e150 giving the same scale-free metrics as at 1.
@Suite("manifoldlab evaluate / dimension, end to end")
struct EvaluateCLITests {
    /// The JSON records of a run, by `metric(sample)`.
    static func records(_ stdout: String) throws -> [String: [String: Any]] {
        var result: [String: [String: Any]] = [:]
        for line in stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let metric = try #require(object["metric"] as? String), sample = try #require(object["sample"] as? String)
            result[sample == "both" ? metric : "\(metric)(\(sample))"] = object
        }
        return result
    }

    @Test("a ring against itself: every metric once, precision/recall/coverage high, IS ≈ 8, 8 modes, dimension ≈ 2")
    func ringAgainstItself() throws {
        let run = try CommandLineRunner.run(["evaluate", "--real", "ring", "--fake", "ring", "--dim", "8", "--n", "1000",
                                             "--kid-subset-size", "200", "--kid-subsets", "10", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try Self.records(run.stdout)
        let expected = ["frechet_distance", "kid", "mmd", "precision", "recall", "density", "coverage", "w1", "w2", "sliced_w2",
                        "js_lower_bound", "dimension_twonn(real)", "dimension_mle(real)", "dimension_twonn(fake)",
                        "dimension_mle(fake)", "inception_score(fake)", "modes_covered(fake)", "high_quality_fraction(fake)"]
        #expect(Set(records.keys) == Set(expected))
        func value(_ key: String) -> Double { records[key]?["value"] as? Double ?? .nan }
        #expect(value("precision") > 0.9 && value("recall") > 0.9 && value("coverage") > 0.9)
        #expect(abs(value("density") - 1) < 0.1)
        // 10 splits of 100 points: each split's p(y) is a little off uniform, which lowers the score by ~K(K − 1)/2N.
        #expect(abs(value("inception_score(fake)") - 8) < 0.5 && value("modes_covered(fake)") == 8)
        #expect(abs(value("dimension_twonn(real)") - 2) < 0.3)
        #expect(abs(value("js_lower_bound")) < 0.05)
        // A metric with no error estimate says so with null, not 0.
        #expect(records["density"]?["stderr"] is NSNull && records["mmd"]?["stderr"] is Double)
        for record in records.values {
            #expect(record["refused"] as? Bool == false && record["seed"] as? Int == 0 && record["dim"] as? Int == 8)
        }
    }

    @Test("text and csv: one line per metric; csv reads back with its header; --metrics picks groups")
    func formats() throws {
        let text = try CommandLineRunner.run(["evaluate", "--real", "helix", "--fake", "circle", "--n", "300", "--metrics", "fd", "prdc"])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 5 && lines[0].hasPrefix("frechet_distance = ") && lines[0].contains("(no error estimate)"))
        let csv = try CommandLineRunner.run(["evaluate", "--real", "helix", "--fake", "circle", "--n", "300", "--metrics", "mmd",
                                             "--format", "csv", "--no-header"])
        #expect(csv.status == 0 && csv.stdout.split(separator: "\n").count == 1 && csv.stdout.hasPrefix("mmd,both,"))
    }

    @Test("files at 1e150 give the scale-free metrics of the same files at 1, and KID, beyond the largest double, is refused (exit 70)")
    func extremeScale() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for (name, factor) in [("a", 1.0), ("b", 1.0), ("A", 1e150), ("B", 1e150)] {
            let shift = name.lowercased() == "b" ? 0.5 : 0
            let rng = RandomStream(seed: Seed(name.lowercased() == "a" ? 1 : 2))
            var text = ""
            for _ in 0..<300 { text += (0..<4).map { j in String((rng.gaussian() + (j == 0 ? shift : 0)) * factor) }.joined(separator: ",") + "\n" }
            let path = directory.appendingPathComponent(name + ".csv").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let metrics = ["--metrics", "fd", "kid", "mmd", "prdc", "dimension", "--kid-subset-size", "300", "--format", "json"]
        let unit = try CommandLineRunner.run(["evaluate", "--real", "file:" + paths[0], "--fake", "file:" + paths[1]] + metrics)
        let large = try CommandLineRunner.run(["evaluate", "--real", "file:" + paths[2], "--fake", "file:" + paths[3]] + metrics)
        #expect(unit.status == 0, "\(unit.stderr)")
        #expect(large.status == 70 && large.stderrLines.count == 1 && large.stderr.contains("kid: ") && large.stderr.contains("beyond the largest double"),
                "\(large.stderr)")
        let a = try Self.records(unit.stdout), b = try Self.records(large.stdout)
        #expect(b["kid"]?["refused"] as? Bool == true && b["kid"]?["value"] is NSNull)
        for key in ["mmd", "precision", "recall", "density", "coverage", "dimension_twonn(real)", "dimension_mle(fake)"] {
            let x = try #require(a[key]?["value"] as? Double), y = try #require(b[key]?["value"] as? Double)
            #expect(abs(x - y) <= 1e-9 * max(abs(x), 1e-12), "\(key): \(x) vs \(y)")
        }
        let fd = try #require(a["frechet_distance"]?["value"] as? Double), fdLarge = try #require(b["frechet_distance"]?["value"] as? Double)
        #expect(abs(fdLarge / 1e300 - fd) < 1e-9 * fd)
    }

    @Test("bad input is one line and a usage status; a sample too small for some metrics gets refused records, the rest reported")
    func errors() throws {
        for arguments in [["evaluate", "--real", "ring"], ["evaluate", "--real", "ring", "--fake", "ring", "--metrics", "fid"],
                          ["evaluate", "--real", "ring", "--fake", "ring", "--kid-subsets", "0"],
                          ["evaluate", "--real", "ring", "--fake", "ring", "--bandwidth", "-1"],
                          ["dimension", "--p", "helix", "--k-min", "30", "--k-max", "20"],
                          ["evaluate", "--real", "ring", "--fake", "file:/nonexistent.csv"],
                          ["evaluate", "--real", "helix", "--fake", "helix", "--metrics", "modes"]] {
            let run = try CommandLineRunner.run(arguments)
            #expect(run.status != 0 && run.status != 70 && run.stderrLines.count == 1 && run.stderr.hasPrefix("manifoldlab: error: "),
                    "\(arguments): \(run.status) \(run.stderr)")
        }
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("three.csv").path
        try "0,0\n1,0\n0,1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let small = try CommandLineRunner.run(["evaluate", "--real", "circle", "--fake", "file:" + path, "--n", "3",
                                               "--metrics", "fd", "mmd", "prdc", "--format", "json"])
        #expect(small.status == 70 && small.stderrLines.count == 1 && small.stderr.contains("mmd: "), "\(small.stderr)")
        let records = try Self.records(small.stdout)
        #expect(records["frechet_distance"]?["refused"] as? Bool == false && records["mmd"]?["refused"] as? Bool == true)
        // A refused group is a refused record for each of its metrics.
        #expect(["precision", "recall", "density", "coverage"].allSatisfy { records[$0]?["refused"] as? Bool == true })
    }

    @Test("--modes file:CENTRES --mode-std s: the mode metrics of any data; 3 of 8 modes filled equally score IS = 3; a count elsewhere")
    func modeCentresFile() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // 8 centres on a circle of radius 2 in R^3, and 240 fake points cycling over the first three
        // (each split of 24 holds 8 of each), 0.01 from their centre.
        let centres = (0..<8).map { k -> [Double] in [2 * cos(Double(k) * .pi / 4), 2 * sin(Double(k) * .pi / 4), 0.5] }
        let path = directory.appendingPathComponent("centres.csv").path, fake = directory.appendingPathComponent("fake.csv").path
        try centres.map { $0.map { String($0) }.joined(separator: ",") }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let rng = RandomStream(seed: Seed(4))
        let points = (0..<240).map { i in centres[i % 3].map { $0 + 0.01 * rng.gaussian() } }
        try points.map { $0.map { String($0) }.joined(separator: ",") }.joined(separator: "\n").write(toFile: fake, atomically: true, encoding: .utf8)
        let run = try CommandLineRunner.run(["evaluate", "--real", "file:" + fake, "--fake", "file:" + fake, "--metrics", "modes",
                                             "--modes", "file:" + path, "--mode-std", "0.05", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try Self.records(run.stdout)
        #expect(abs((records["inception_score(fake)"]?["value"] as? Double ?? 0) - 3) < 1e-9)
        #expect(records["modes_covered(fake)"]?["value"] as? Double == 3 && records["high_quality_fraction(fake)"]?["value"] as? Double == 1)
        for arguments in [["js", "--modes", "file:" + path], ["evaluate", "--real", "file:" + fake, "--fake", "file:" + fake, "--modes", "file:" + path],
                          ["dimension", "--p", "file:" + fake, "--modes", "file:" + path, "--mode-std", "0.1"]] {
            let refused = try CommandLineRunner.run(arguments)
            #expect(refused.status == 64 && refused.stderrLines.count == 1, "\(arguments): \(refused.stderr)")
        }
    }

    @Test("dimension: a helix in R^64 reads 1, a 3-flat in R^10 reads 3, by both estimators")
    func dimension() throws {
        for (arguments, expected) in [(["--p", "helix", "--dim", "64"], 1.0), (["--p", "flat", "--intrinsic", "3", "--dim", "10"], 3.0)] {
            let run = try CommandLineRunner.run(["dimension"] + arguments + ["--n", "3000", "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let records = try Self.records(run.stdout)
            #expect(records.count == 2)
            for key in ["dimension_twonn(p)", "dimension_mle(p)"] {
                let value = try #require(records[key]?["value"] as? Double)
                #expect(abs(value - expected) < 0.1 * expected + 0.05, "\(arguments) \(key): \(value)")
            }
        }
    }
}
