import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

/// Issue 13's Wasserstein examples, end to end: each once printed a wrong number with exit 0.
@Suite("manifoldlab wasserstein: right or refused at extreme scale")
struct WassersteinTrustCLITests {
    static func value(_ arguments: [String]) throws -> (Double, [String: Any]) {
        let outcome = try CommandLineRunner.run(["wasserstein"] + arguments + ["--format", "json"], timeout: 120)
        #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        return (try #require(object["value"] as? Double), object)
    }

    @Test("circles 1e200 apart: W1 ≈ 1e200 (it printed 0 after the squared distances overflowed)",
          arguments: ["exact", "sinkhorn", "sliced"])
    func farApart(method: String) throws {
        let (w, object) = try Self.value(["--p", "circle", "--q", "circle", "--offset", "1e200", "--n", "300", "--method", method])
        // Circles of radius 1 in planes 1e200 apart: W1 lies between 1e200 − 2 and 1e200 + 2 for
        // exact and Sinkhorn; sliced is a lower bound ≥ 1e200 / √D on average over directions.
        let lower = method == "sliced" ? 1e200 / 3 : 1e200 * (1 - 1e-9)
        #expect(w >= lower && w <= 1e200 * (1 + 1e-9), "\(method): \(w)")
        let details = object["details"] as? [String: Any] ?? [:]
        #expect(details.values.allSatisfy { ($0 as? Double)?.isFinite ?? true }, "\(details)")
    }

    @Test("the same Gaussian sample files at scale 1e-8 and 1: W2 scales by 1e-8, and W(P, P) = 0")
    func smallScale() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for (scale, seed) in [("1e-8", "1"), ("1e-8", "2"), ("1", "1"), ("1", "2")] {
            let path = directory.appendingPathComponent("g\(scale)-\(seed).csv").path
            let outcome = try CommandLineRunner.run(["sample", "--manifold", "gaussian", "--scale", scale, "--n", "400",
                                                     "--seed", seed, "--out", path])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            files.append("file:" + path)
        }
        let (small, _) = try Self.value(["--p", files[0], "--q", files[1], "--order", "2"])
        let (unit, _) = try Self.value(["--p", files[2], "--q", files[3], "--order", "2"])
        #expect(abs(small - 1e-8 * unit) <= 1e-6 * 1e-8 * unit, "\(small) vs 1e-8 × \(unit)")
        #expect(try Self.value(["--p", files[0], "--q", files[0], "--order", "2"]).0 == 0)
        // Text shows the digits, not `0.000000`.
        let text = try CommandLineRunner.run(["wasserstein", "--p", files[0], "--q", files[1], "--order", "2"])
        #expect(text.stdout.contains(String(format: "%.6e", small)), "\(text.stdout)")
        #expect(try Self.value(["--p", files[2], "--q", files[2], "--order", "1"]).0 == 0)
    }

    @Test("two segments at 30° whose planes are 1e200 apart: the closed form W2 = 1e200 (offset² overflowed)")
    func segmentsFarApart() throws {
        let (w, object) = try Self.value(["--p", "line", "--q", "line", "--same-frame", "--offset", "1e200", "--angle", "30", "--order", "2"])
        #expect(object["method"] as? String == "exact")
        #expect(abs(w - 1e200) <= 1e-12 * 1e200, "\(w)")
        let (unit, _) = try Self.value(["--p", "line", "--q", "line", "--same-frame", "--offset", "0", "--angle", "90", "--order", "2"])
        #expect(abs(unit - (2.0 / 12).squareRoot()) <= 1e-12, "\(unit)")  // W2² = (L1² + L2²)/12 at 90°
    }

    @Test("a 2-row file of 10⁶ columns: the memory check counts its 2 rows, not the default --n")
    func wideFile() throws {
        let directory = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let columns = 1_000_000
        var text = (1...columns).map { "x\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<2 { text += (0..<columns).map { $0 == 0 ? String(3 * row) : "0" }.joined(separator: ",") + "\n" }
        let path = directory.appendingPathComponent("wide.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        // It used to be refused: 2 × 1000 default points × 10⁶ columns × 8 bytes = 16 GB > 4 GiB.
        let (w, _) = try Self.value(["--p", "file:" + path, "--q", "file:" + path, "--order", "1"])
        #expect(w == 0)
    }

    @Test("--method sinkhorn is W2 by default (within 1 % of exact on helix vs torus); --blur and --epsilon set ε and say so; misuse is one line")
    func sinkhornBlur() throws {
        let common = ["--p", "helix", "--q", "torus", "--n", "800", "--order", "2"]
        let (exact, _) = try Self.value(common + ["--method", "exact"])
        let (standard, object) = try Self.value(common + ["--method", "sinkhorn"])
        #expect(abs(standard - exact) < 0.01 * exact, "sinkhorn \(standard) vs exact \(exact)")
        #expect((object["reason"] as? String ?? "").contains("default blur"))
        let (blurred, details) = try Self.value(common + ["--method", "sinkhorn", "--blur", "0.5"])
        #expect(blurred < 0.95 * exact, "a blur of 0.5 smooths the helix away: \(blurred) vs \(exact)")
        #expect((details["details"] as? [String: Any])?["blur"] as? Double == 0.5)
        let (fixed, fixedObject) = try Self.value(common + ["--method", "sinkhorn", "--epsilon", "0.25"])
        #expect(abs(fixed - blurred) < 1e-9 * blurred, "--epsilon 0.25 is --blur 0.5 for W2: \(fixed) vs \(blurred)")
        #expect((fixedObject["details"] as? [String: Any])?["epsilon"] as? Double == 0.25)
        for bad in [["--blur", "0.1"], ["--method", "sinkhorn", "--blur", "0.1", "--epsilon", "0.01"],
                    ["--method", "sinkhorn", "--blur", "-1"], ["--method", "sinkhorn", "--epsilon", "0"]] {
            let outcome = try CommandLineRunner.run(["wasserstein"] + common + bad)
            #expect(outcome.status == 64, "\(bad): \(outcome.status) \(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(bad): \(outcome.stderr)")
        }
    }

    @Test("exact OT beyond --max-memory is refused in one line that points to --method sinkhorn")
    func exactPointsToSinkhorn() throws {
        let outcome = try CommandLineRunner.run(["wasserstein", "--p", "helix", "--q", "torus", "--method", "exact",
                                                 "--n", "5000", "--max-memory", "100"])
        #expect(outcome.status != 0 && outcome.stdout.isEmpty)
        #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("--method sinkhorn"), "\(outcome.stderr)")
    }
}
