import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

private struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
}

private func manifoldlab(_ arguments: [String]) throws -> Run {
    try CommandLineRunner.requireBinary()
    let process = Process()
    process.executableURL = CommandLineRunner.binary
    process.arguments = arguments
    // No BLAS work here: skip the start-up re-exec that picks OpenBLAS kernels (halves the run time).
    process.environment = ProcessInfo.processInfo.environment.merging(["MANIFOLDLAB_REEXEC": "1"]) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try CommandLineRunner.launchLock.withLock { _ in try process.run() }
    let stdout = CommandLineRunner.readAll(out.fileHandleForReading)
    let stderr = CommandLineRunner.readAll(err.fileHandleForReading)
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
               stderr: String(decoding: stderr, as: UTF8.self))
}

@Suite("manifoldlab dirac, end to end")
struct DiracCLITests {
    @Test("the default run says in words that simultaneous GD on the GAN does not converge")
    func defaultText() throws {
        let run = try manifoldlab(["dirac"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.contains("eigenvalues:                  0.0 + 0.5i, 0.0 − 0.5i"))
        #expect(run.stdout.contains("spectral radius of update:    \((1 + 0.01 / 4).squareRoot())"))
        #expect(run.stdout.split(separator: "\n").last!.hasPrefix("does not converge: "))
    }

    @Test("--format json prints exactly one object with the parameters and results")
    func json() throws {
        let run = try manifoldlab(["dirac", "--loss", "r1", "--gamma", "2", "--start", "-1,0.5", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for key in ["loss", "update", "d_steps", "lr", "steps", "start", "gamma", "noise", "clip",
                    "final_distance", "eigenvalues", "spectral_radius", "converges"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["converges"] as? Bool == true)
        #expect(object["start"] as? [Double] == [-1, 0.5])
        let eigenvalues = try #require(object["eigenvalues"] as? [[Double]])
        // γ = 2: −1 ± √(1 − ¼), both real.
        let expected = [-1 + 0.75.squareRoot(), -1 - 0.75.squareRoot()]
        #expect(eigenvalues.count == 2 && eigenvalues.allSatisfy { $0.count == 2 && $0[1] == 0 })
        #expect(zip(eigenvalues.map { $0[0] }.sorted(), expected.sorted()).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("--out writes the trajectory CSV atomically: header and N + 1 rows")
    func trajectoryFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dirac-\(getpid()).csv").path
        defer { unlink(path) }
        let run = try manifoldlab(["dirac", "--loss", "noise", "--steps", "20", "--out", path])
        #expect(run.status == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "step,theta,psi,distance")
        #expect(lines.count == 22)
        #expect(lines[1] == "0,1.0,1.0,\(2.0.squareRoot())")
    }

    @Test("a NaN result (h·v overflows at h = 1e300) is refused with exit 70, never printed")
    func nanRefused() throws {
        let run = try manifoldlab(["dirac", "--lr", "1e300", "--update", "alternating", "--steps", "243"])
        #expect(run.status == 70 && run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("manifoldlab: error: ") && run.stderr.split(separator: "\n").count == 1)
    }

    @Test("bad input: one line on stderr, exit status 64", arguments: [
        ["--lr", "0"], ["--lr", "-0.5"], ["--gamma", "-1"], ["--noise", "-0.1"], ["--start", "nan,1"],
        ["--start", "1"], ["--loss", "lsgan"], ["--update", "sideways"], ["--steps", "0"], ["--clip", "0"],
        ["--loss", "noise", "--noise", "0"], ["--d-steps", "2"], ["--lr", "inf"],
        ["--out", "/tmp/manifoldlab-dirac-same.csv", "--field", "/tmp/manifoldlab-dirac-same.csv"],
    ])
    func badInput(arguments: [String]) throws {
        let run = try manifoldlab(["dirac"] + arguments)
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/manifoldlab-dirac-same.csv"))
        #expect(run.stderr.hasPrefix("manifoldlab: error: ") && run.stderr.split(separator: "\n").count == 1)
    }
}
