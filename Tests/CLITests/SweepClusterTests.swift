import Foundation
import Testing
import ManifoldLabCore
@testable import ManifoldLabCLI
import TestSupport

/// Issue 15's engines beyond one machine, for real: GNU parallel over ssh to an sshd on 127.0.0.1,
/// and a Slurm job array on a single-node Slurm, both started by `tools/cluster.sh` for this test.
/// Every value crosses the shells of each path: a directory named with spaces, quotes, `;`, `$(…)`,
/// backquotes and a newline holds the samples, the Slurm scripts and the table.
@Suite("sweep on a cluster: GNU parallel over ssh and a Slurm array, on daemons started here")
struct SweepClusterTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("ssh and Slurm engines give the local engine's table; a hostile path arrives unchanged and runs nothing; a failed run is named",
          .enabled(if: getuid() == 0, "starts munged, slurmctld, slurmd and sshd, which needs root: run `sudo make test-cluster`"))
    func cluster() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let daemons = dir.path + "/cluster"
        let script = Self.repository.appendingPathComponent("tools/cluster.sh")
        let bash = URL(fileURLWithPath: "/bin/bash")
        let started = try CommandLineRunner.run([script.path, "start", daemons], timeout: 600, executable: bash)
        defer { _ = try? CommandLineRunner.run([script.path, "stop", daemons], timeout: 60, executable: bash) }
        try #require(started.status == 0, "the cluster did not start: \(started.stderr)")
        var settings: [String: String] = [:]
        for line in started.stdout.split(separator: "\n") {
            if let equals = line.firstIndex(of: "=") { settings[String(line[..<equals])] = String(line[line.index(after: equals)...]) }
        }
        let slurmConf = try #require(settings["SLURM_CONF"]), sshLogin = try #require(settings["SSH_LOGIN"])

        let hostile = dir.path + "/a b'c\";d $(touch PWNED) `touch PWNED2`\nline"
        try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
        for (name, manifold) in [("p", "line"), ("q", "circle")] {
            #expect(try CommandLineRunner.run(["sample", "--manifold", manifold, "--n", "40", "--out", "\(hostile)/\(name).csv"]).status == 0)
        }
        let grid = ["wasserstein", "--p", "file:\(hostile)/p.csv", "--q", "file:\(hostile)/q.csv", "--method", "sliced",
                    "--projections", "10,-3,20", "--seeds", "0..1"]
        let withoutSeconds = SweepCLITests.withoutSeconds
        let local = try CommandLineRunner.run(["sweep", "--jobs", "2"] + grid, directory: dir)
        #expect(local.status == 70 && local.stderr.contains("run 3 (") && local.stderr.contains("--projections=-3"), "\(local.stderr)")
        let expected = withoutSeconds(local.stdout)
        #expect(expected.count == 5 && expected[1].contains("file:\(hostile)/p.csv"), "\(local.stdout)")

        // GNU parallel over ssh: the login line names the ssh command (key, port) and the host.
        try (sshLogin + "\n").write(toFile: dir.path + "/hosts", atomically: true, encoding: .utf8)
        let ssh = try CommandLineRunner.run(["sweep", "--engine", "parallel", "--sshloginfile", dir.path + "/hosts"] + grid, directory: dir)
        #expect(ssh.status == 70 && ssh.stderr.contains("run 3 ("), "\(ssh.stderr)")
        #expect(withoutSeconds(ssh.stdout) == expected, "\(ssh.stdout)")

        // Slurm: prepare, submit (blocking), and the collecting job writes the table.
        let slurmDir = hostile + "/slurm", table = hostile + "/table.csv"
        let prepared = try CommandLineRunner.run(["sweep", "--engine", "slurm", "--slurm-dir", slurmDir, "--out", table] + grid, directory: dir)
        #expect(prepared.status == 0 && prepared.stderr.contains("6 runs prepared"), "\(prepared.stderr)")
        let submitted = try CommandLineRunner.run([slurmDir + "/submit.sh", "--wait"], environment: ["SLURM_CONF": slurmConf], timeout: 300,
                                                  directory: dir, executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(submitted.stderr.contains("submitted array job"), "\(submitted.stderr)")
        let collected = (try? String(contentsOfFile: table, encoding: .utf8)) ?? ""
        #expect(withoutSeconds(collected) == expected, "\(collected)")
        let collectErrors = (try? String(contentsOfFile: slurmDir + "/collect.err", encoding: .utf8)) ?? ""
        #expect(collectErrors.contains("run 3 (") && collectErrors.contains("2 of 6 runs failed"), "\(collectErrors)")
        // Collecting again refuses to replace the table; with --resume it has nothing left to add.
        let again = try CommandLineRunner.run(["sweep", "--collect", slurmDir, "--out", table], directory: dir)
        #expect(again.status == 73, "\(again.stderr)")

        for trap in ["PWNED", "PWNED2"] {
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/" + trap) && !FileManager.default.fileExists(atPath: "/root/" + trap))
        }
    }
}
