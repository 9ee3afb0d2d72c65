import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

@Suite("manifoldlab sample, end to end")
struct SampleCLITests {
    @Test("CSV has the header x1,…,xD and n rows of D numbers")
    func csvShape() throws {
        let outcome = try CommandLineRunner.run(["sample", "--manifold", "helix", "--dim", "10", "--n", "1000",
                                                 "--noise", "0.05", "--seed", "1"])
        #expect(outcome.status == 0)
        #expect(outcome.stderr.isEmpty)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.first == Substring((1...10).map { "x\($0)" }.joined(separator: ",")))
        #expect(lines.count == 1001)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").compactMap { Double($0) }.count == 10 })
    }

    @Test("the same seed gives byte-identical output, to stdout and to --out")
    func byteIdentical() throws {
        let arguments = ["sample", "--manifold", "torus", "--dim", "5", "--n", "300", "--noise", "0.1", "--seed", "9"]
        let first = try CommandLineRunner.run(arguments)
        #expect(first.stdout == (try CommandLineRunner.run(arguments)).stdout)
        let directory = CommandLineRunner.temporaryDirectory()
        let path = directory.appendingPathComponent("points.csv").path
        let toFile = try CommandLineRunner.run(arguments + ["--out", path])
        #expect(toFile.status == 0 && toFile.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first.stdout)
        // No temporary file is left beside the result.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["points.csv"])
    }

    @Test("--format json is one object with the parameters and the points")
    func json() throws {
        let outcome = try CommandLineRunner.run(["sample", "--manifold", "ring", "--dim", "4", "--n", "5", "--format", "json"])
        #expect(outcome.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
        #expect((object["points"] as! [[Double]]).count == 5)
        #expect((object["parameters"] as! [String: Any])["dim"] as? Int == 4)
    }

    /// Bad inputs: each exits with the status given and prints exactly one line on stderr naming the
    /// option, and nothing on stdout.
    static let badInputs: [([String], Int32, String)] = [
        (["--dim", "0"], 64, "--dim"),
        (["--manifold", "helix", "--dim", "2"], 64, "--dim"),
        (["--manifold", "flat", "--intrinsic", "4", "--dim", "3"], 64, "--dim"),
        (["--noise", "-1"], 64, "--noise"),
        (["--noise", "nan"], 64, "--noise"),
        (["--n", "0"], 64, "--n"),
        (["--manifold", "klein"], 64, "--manifold"),
        (["--against", "line", "--offset", "inf"], 64, "--offset"),
        (["--against", "line", "--angle", "nan"], 64, "--angle"),
        (["--dim", "abc"], 64, "--dim"),
        (["--n", "100000000", "--dim", "10000"], 71, "memory"),
        (["--out", "/nonexistent-dir/p.csv"], 73, "/nonexistent-dir/p.csv"),
        (["--bogus"], 64, "--bogus"),
        (["--max-memory", "0"], 64, "--max-memory"),
        (["--max-memory", "4398046511104", "--n", "100000000000", "--dim", "1"], 64, "--max-memory"),
        (["--manifold", "gaussian", "--dim", "4096"], 64, "--dim"),
        (["--dim", "99999999999"], 64, "--dim"),
        (["--out", "/tmp"], 73, "it is a directory"),
    ]

    @Test("bad input: one line on stderr naming the problem, the right exit status, no output", arguments: badInputs)
    func badInput(arguments: [String], status: Int32, mentions: String) throws {
        let outcome = try CommandLineRunner.run(["sample"] + arguments)
        #expect(outcome.status == status)
        #expect(outcome.stderrLines.count == 1)
        #expect(outcome.stderr.contains(mentions))
        #expect(outcome.stdout.isEmpty)
    }

    @Test("--help explains the manifolds and the placement options")
    func help() throws {
        let outcome = try CommandLineRunner.run(["sample", "--help"])
        #expect(outcome.status == 0)
        for word in ["swissroll", "--offset", "--same-frame", "--noise", "--seed"] { #expect(outcome.stdout.contains(word)) }
    }
}
