import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport

private let tiny = ["--dim", "8", "--hidden", "16", "--layers", "1", "--batch", "32", "--steps", "20",
                    "--log-every", "10", "--eval-points", "50", "--lr", "1e-3"]

private func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

/// Runs the binary through `/bin/sh -c 'ulimit -v KiB; exec …'`, so it starts under that RLIMIT_AS.
private func runLimited(kib: Int, _ arguments: [String]) throws -> CommandLineRunner.Outcome {
    try CommandLineRunner.run(["-c", "ulimit -v \(kib) && exec \"$0\" \"$@\"", CommandLineRunner.binary.path] + arguments,
                              executable: URL(fileURLWithPath: "/bin/sh"))
}

/// Issue 13's robustness reproductions (a)–(e), each through the binary.
@Suite("Every printed number is right or refused, end to end")
struct RobustnessCLITests {
    @Test("(a) train-toy --noise 1e-300: no NaN anywhere; the smoothed JS is empty with a reason")
    func tinyNoise() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CommandLineRunner.run(["train-toy"] + tiny + ["--noise", "1e-300", "--out", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("smoothed JS not computable"), "\(run.stdout)")
        let metrics = try read(dir.appendingPathComponent("metrics.csv")), manifest = try read(dir.appendingPathComponent("manifest.json"))
        for text in [run.stdout, metrics, manifest] { #expect(!text.lowercased().contains("nan"), "\(text)") }
        let rows = OutputChecks.csv(metrics)
        let js = try #require(rows[0].firstIndex(of: "smoothed_js")), note = try #require(rows[0].firstIndex(of: "smoothed_js_note"))
        #expect(rows.count == 4 && rows.dropFirst().allSatisfy { $0[js].isEmpty && $0[note].contains("σ² underflows") })
        #expect(try JSONSerialization.jsonObject(with: Data(manifest.utf8)) is [String: Any])
    }

    @Test("(a) sample --noise 1e308 is refused by name; σ = 1e300 gives finite points in valid JSON")
    func hugeNoise() throws {
        let refused = try CommandLineRunner.run(["sample", "--manifold", "torus", "--noise", "1e308", "--format", "json"])
        #expect(refused.status == 64 && refused.stderrLines.count == 1 && refused.stderr.contains("--noise") && refused.stdout.isEmpty)
        let run = try CommandLineRunner.run(["sample", "--manifold", "torus", "--noise", "1e300", "--format", "json", "--n", "50"])
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[Double]])
        #expect(points.count == 50 && points.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test("(b) under ulimit -v, work beyond the process's address space is refused in one line (exit 71), no backtrace")
    func addressSpaceLimit() throws {
        let run = try runLimited(kib: 4_000_000, ["wasserstein", "--method", "exact", "--p", "circle", "--q", "sphere",
                                                  "--n", "40000", "--max-memory", "16000"])
        #expect(!run.signalled && run.status == 71, "\(run.status) \(run.stderr)")
        #expect(run.stderrLines.count == 1 && run.stderr.contains("RLIMIT_AS") && run.stdout.isEmpty, "\(run.stderr)")
        let small = try runLimited(kib: 4_000_000, ["sample", "--n", "10"])
        #expect(small.status == 0, "a small run still works under the limit: \(small.stderr)")
    }

    @Test("(c) a second run that writes no generator.json removes the first run's; walk refuses a mismatched pair")
    func runsOwnTheirDirectory() throws {
        let base = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: base) }
        let first = base.appendingPathComponent("a"), second = base.appendingPathComponent("b")
        for dir in [first, second] {
            #expect(try CommandLineRunner.run(["train-toy"] + tiny + ["--out", dir.path]).status == 0)
        }
        let diverged = try CommandLineRunner.run(["train-toy"] + tiny + ["--lr", "1e300", "--out", first.path])
        #expect(diverged.status == 70)
        #expect(!FileManager.default.fileExists(atPath: first.appendingPathComponent("generator.json").path))
        let walkDiverged = try CommandLineRunner.run(["walk", "--run", first.path])
        #expect(walkDiverged.status == 66 && walkDiverged.stderrLines.count == 1 && walkDiverged.stdout.isEmpty)
        // Another run's generator beside this manifest: refused by run id.
        let third = base.appendingPathComponent("c")
        #expect(try CommandLineRunner.run(["train-toy"] + tiny + ["--seed", "3", "--out", third.path]).status == 0)
        try FileManager.default.removeItem(at: second.appendingPathComponent("generator.json"))
        try FileManager.default.copyItem(at: third.appendingPathComponent("generator.json"), to: second.appendingPathComponent("generator.json"))
        let walk = try CommandLineRunner.run(["walk", "--run", second.path])
        #expect(walk.status == 65 && walk.stderrLines.count == 1 && walk.stderr.contains("another run") && walk.stdout.isEmpty, "\(walk.stderr)")
        #expect(try CommandLineRunner.run(["walk", "--run", third.path, "--steps", "2"]).status == 0)
        // Endpoints so far out that distances overflow are refused by name, never printed as ∞.
        let far = try CommandLineRunner.run(["walk", "--run", third.path, "--from", "1e308", "--format", "json"])
        #expect(far.status == 64 && far.stderr.contains("--from") && far.stdout.isEmpty, "\(far.stderr)")
    }

    @Test("(d) dirac --loss noise at σ = 1e-200 runs; σ = 1e200 is one line naming --noise and its range (exit 64)")
    func diracSigma() throws {
        let small = try CommandLineRunner.run(["dirac", "--loss", "noise", "--noise", "1e-200", "--steps", "100", "--format", "json"])
        #expect(small.status == 0, "\(small.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(small.stdout.utf8)) is [String: Any])
        let large = try CommandLineRunner.run(["dirac", "--loss", "noise", "--noise", "1e200"])
        #expect(large.status == 64 && large.stderrLines.count == 1 && large.stdout.isEmpty)
        #expect(large.stderr.contains("--noise") && large.stderr.contains("1e+50") && !large.stderr.contains("GSL"), "\(large.stderr)")
        // Overflow elsewhere: a far start has a finite distance; an overflowing linearisation is refused.
        let far = try CommandLineRunner.run(["dirac", "--start", "1e300,1e300", "--steps", "10"])
        #expect(far.status == 0 && !OutputChecks.words(far.stdout).contains("inf") && !OutputChecks.words(far.stdout).contains("nan"), "\(far.stdout)")
        let gamma = try CommandLineRunner.run(["dirac", "--loss", "r1", "--gamma", "1e300"])
        #expect(gamma.status == 70 && gamma.stderrLines.count == 1 && gamma.stdout.isEmpty && gamma.stderr.contains("--gamma"))
    }

    @Test("(e) SIGHUP and SIGQUIT stop train-toy like SIGTERM: files written, manifest interrupted, exit 130, no backtrace",
          arguments: [SIGHUP, SIGQUIT])
    func hangupAndQuit(signal: Int32) throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var arguments = ["train-toy"] + tiny + ["--out", dir.path]
        arguments[arguments.firstIndex(of: "--steps")! + 1] = "10000000"
        let run = try CommandLineRunner.interrupt(arguments, with: signal)
        let name = signal == SIGHUP ? "SIGHUP" : "SIGQUIT"
        #expect(!run.signalled && !run.timedOut && run.status == 130, "\(run.status) \(run.stderr)")
        #expect(run.stderrLines.count == 1 && run.stderr.contains("interrupted by \(name)"), "\(run.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect((manifest["parameters"] as? [String: Any])?["interrupted"] as? Bool == true)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("metrics.csv").path))
    }

    @Test("(e) a SIGKILLed sample --out leaves its temporary file; the next run to the path removes it")
    func killedTemporaryFile() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("big.csv").path
        let process = Process()
        process.executableURL = CommandLineRunner.binary
        process.arguments = ["sample", "--n", "20000000", "--dim", "10", "--out", target]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try CommandLineRunner.launchLock.withLock { _ in try process.run() }
        func temporaries() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix(".big.csv.tmp-") }
        }
        for _ in 0..<600 where temporaries().isEmpty && process.isRunning { Thread.sleep(forTimeInterval: 0.01) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(temporaries().count == 1, "the killed run's temporary file is there to clean")
        // A live writer's temporary file (this test process) must survive.
        let live = dir.appendingPathComponent(".big.csv.tmp-\(getpid())-9")
        try Data().write(to: live)
        let next = try CommandLineRunner.run(["sample", "--n", "5", "--out", target])
        #expect(next.status == 0)
        #expect(temporaries() == [live.lastPathComponent])
        #expect(OutputChecks.csv(try String(contentsOfFile: target, encoding: .utf8)).count == 6)
    }
}
