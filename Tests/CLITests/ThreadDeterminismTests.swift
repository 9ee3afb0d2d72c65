import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

/// The same command and seed give byte-identical files whatever OPENBLAS_NUM_THREADS and
/// OMP_NUM_THREADS say: the binary pins OpenBLAS to one thread at start-up (main.swift,
/// `BLASBackend.setThreads(1)`), and its own parallelism (Sinkhorn's row halves) splits rows, never
/// a sum. Each command runs twice under each setting; wall times are left out of the comparison.
@Suite("Determinism across thread counts", .serialized)
struct ThreadDeterminismTests {
    static let settings: [[String: String]] = [
        ["OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"],
        ["OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"],
    ]

    /// Manifest fields that measure the run rather than define it.
    static let timingKeys: Set<String> = ["seconds", "seconds_to_first_step", "steps_per_second", "out", "run_id"]

    /// The manifest's text (sorted keys, one field per line) without the lines of timing fields.
    static func manifestWithoutTimes(_ url: URL) throws -> Data {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
        let kept = text.split(separator: "\n").filter { line in
            !timingKeys.contains { line.trimmingCharacters(in: .whitespaces).hasPrefix("\"\($0)\" :") }
        }
        return Data(kept.joined(separator: "\n").utf8)
    }

    @Test("train-toy writes byte-identical metrics, samples and projections (and manifest less wall times) under 1 and 2 BLAS/OpenMP threads, twice each")
    func training() throws {
        let base = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let arguments = ["train-toy", "--dim", "16", "--hidden", "32", "--layers", "2", "--batch", "64", "--steps", "40",
                         "--log-every", "10", "--eval-points", "100", "--noise", "0.1", "--seed", "3"]
        var reference: [String: Data]?
        for (index, environment) in (Self.settings + Self.settings).enumerated() {
            let directory = base.appendingPathComponent("run\(index)")
            let run = try CommandLineRunner.run(arguments + ["--out", directory.path], environment: environment, timeout: 120)
            #expect(run.status == 0, "\(environment): \(run.stderr)")
            var files: [String: Data] = [:]
            for name in ["metrics.csv", "samples.csv", "projected.csv"] {
                files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
            }
            files["manifest.json"] = try Self.manifestWithoutTimes(directory.appendingPathComponent("manifest.json"))
            if let reference {
                for (name, data) in files { #expect(data == reference[name], "\(name) differs under \(environment)") }
            } else {
                reference = files
                #expect(files.values.allSatisfy { !$0.isEmpty })
            }
        }
    }

    @Test("divergence estimates that go through BLAS or threads print identical numbers under 1 and 2 threads, twice each", arguments: [
        ["wasserstein", "--method", "sinkhorn", "--p", "helix", "--q", "torus", "--dim", "6", "--n", "600", "--order", "2"],
        ["js", "--p", "torus", "--q", "sphere", "--noise", "0.3", "--n", "1500", "--method", "smoothed"],
        ["kl", "--p", "helix", "--q", "circle", "--dim", "40", "--n", "1500", "--method", "knn", "--noise", "0.05"],
        ["wasserstein", "--method", "exact", "--p", "swissroll", "--q", "plane", "--dim", "5", "--n", "700"],
    ])
    func estimates(arguments: [String]) throws {
        var outputs: [String] = []
        for environment in Self.settings + Self.settings {
            let run = try CommandLineRunner.run(arguments + ["--format", "json", "--seed", "5"], environment: environment, timeout: 120)
            #expect(run.status == 0, "\(environment): \(run.stderr)")
            #expect(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) is [String: Any])
            // The printed text itself (shortest round-trip decimals), less the wall time.
            outputs.append(run.stdout.replacingOccurrences(of: #""seconds":[^,}]*,?"#, with: "", options: .regularExpression))
        }
        #expect(Set(outputs).count == 1, "outputs differ: \(outputs)")
        #expect(outputs[0].contains("\"value\""))
    }
}
