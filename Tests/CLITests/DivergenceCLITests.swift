import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

@Suite("manifoldlab js / kl / divergences, end to end")
struct DivergenceCLITests {
    @Test("`js --dim 3` prints the log 2 line with its reason and method")
    func defaultJS() throws {
        let outcome = try CommandLineRunner.run(["js", "--dim", "3"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("JS(line‖plane) = 0.693147 nats (= log 2: "))
        #expect(outcome.stdout.contains("[exact]"))
    }

    @Test("--format json: exactly one object per divergence with the documented keys; KL = ∞ is \"inf\"")
    func json() throws {
        let outcome = try CommandLineRunner.run(["kl", "--p", "line", "--q", "line", "--same-frame", "--offset", "1", "--format", "json"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        for key in ["divergence", "value", "stderr", "method", "unit", "p", "q", "dim", "offset", "angle", "noise", "n", "seed", "seconds"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["value"] as? String == "inf")
        #expect(object["unit"] as? String == "nats")
    }

    @Test("--format csv: a header and one row per divergence, read back as numbers")
    func csv() throws {
        let outcome = try CommandLineRunner.run(["js", "--p", "line", "--q", "line", "--same-frame", "--offset", "0.2",
                                                 "--noise", "0.2", "--n", "2000", "--format", "csv"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("divergence,value,stderr,method"))
        let value = Double(lines[1].split(separator: ",")[1])!
        #expect(abs(value - 0.1203) < 0.02)
    }

    @Test("a refused estimate is a JSON record with value null, refused true and the raw number; exit 70")
    func refusedRecord() throws {
        // Identical Gaussians in R^100: kNN's bias gives JS ≈ −0.76, outside [0, log 2].
        let base = ["js", "--p", "gaussian", "--q", "gaussian", "--same-frame", "--dim", "100", "--method", "knn", "--n", "2000"]
        let json = try CommandLineRunner.run(base + ["--format", "json"])
        #expect(json.status == 70 && json.stderrLines.count == 1 && json.stderr.contains("outside [0, log 2]"), "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["refused"] as? Bool == true)
        #expect(object["value"] is NSNull)
        let raw = try #require((object["details"] as? [String: Any])?["raw_value"] as? Double)
        #expect(raw < 0)
        #expect((object["reason"] as? String)?.contains("bias dominates") == true)

        let csv = try CommandLineRunner.run(base + ["--format", "csv"])
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(csv.status == 70 && rows.count == 2 && rows[0].last == "refused" && rows[1].last == "true" && rows[1][1].isEmpty)

        let text = try CommandLineRunner.run(base)
        #expect(text.status == 70 && text.stdout.isEmpty && text.stderrLines.count == 1)
    }

    @Test("the same seed gives byte-identical numbers")
    func deterministic() throws {
        let arguments = ["js", "--p", "helix", "--q", "circle", "--noise", "0.2", "--n", "500", "--format", "csv", "--seed", "4"]
        let strip = { (s: String) in s.split(separator: "\n").map { $0.split(separator: ",").prefix(13).joined(separator: ",") } }
        #expect(strip(try CommandLineRunner.run(arguments).stdout) == strip(try CommandLineRunner.run(arguments).stdout))
    }

    static let badInputs: [([String], Int32, String)] = [
        (["js", "--noise", "-1"], 64, "--noise"),
        (["js", "--p", "moebius"], 64, "--p"),
        (["js", "--method", "smoothed"], 64, "--noise"),
        (["js", "--method", "magic"], 64, "--method"),
        (["js", "--n", "1", "--noise", "0.1"], 64, "--n"),
        (["js", "--p", "file:/nonexistent.csv"], 66, "/nonexistent.csv"),
        (["js", "--p", "file:"], 64, "--p"),
        (["wasserstein", "--order", "3"], 64, "--order"),
        (["kl", "--method", "exact", "--p", "ring", "--q", "grid", "--same-frame"], 64, "exact"),
        (["js", "--offset", "nan"], 64, "--offset"),
        (["js", "--p", "uniform", "--dim", "100000"], 64, "--dim"),
        (["wasserstein", "--n", "1", "--method", "exact", "--p", "helix", "--q", "circle"], 64, "--n"),
        (["kl", "--n", "1", "--method", "knn"], 64, "--n"),
        (["js", "--p", "file:/tmp"], 66, "/tmp"),
        (["divergences", "--max-memory", "-1"], 64, "--max-memory"),
        (["js", "--method", "smoothed", "--noise", "1e-300", "--n", "10"], 70, "NaN"),
    ]

    @Test("bad input: one line on stderr, the right exit status, nothing on stdout", arguments: badInputs)
    func badInput(arguments: [String], status: Int32, mentions: String) throws {
        let outcome = try CommandLineRunner.run(arguments)
        #expect(outcome.status == status)
        #expect(outcome.stderrLines.count == 1)
        #expect(outcome.stderr.contains(mentions))
        #expect(outcome.stdout.isEmpty)
    }
}
