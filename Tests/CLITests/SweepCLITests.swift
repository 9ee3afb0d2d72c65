import Foundation
import Testing
import ManifoldLabCore
@testable import ManifoldLabCLI
import TestSupport

/// Issue 15's `sweep`: the grid, the table, resuming, and command lines that survive the shell.
@Suite("sweep: grids of runs from the shell")
struct SweepCLITests {
    /// A table's rows split into cells, without its wall-time `seconds` column (a quoted field may
    /// hold a newline), so that tables of different engines and runs compare.
    static func withoutSeconds(_ table: String) -> [[String]] {
        let rows = CSVRow.records(table).map(CSVRow.split)
        guard let seconds = rows.first?.firstIndex(of: "seconds") else { return rows }
        return rows.map { var row = $0; row.remove(at: seconds); return row }
    }

    @Test("lists, linear and log ranges (ends exact), integer ranges and --seeds become axes; file: values and B,C stay whole")
    func grid() throws {
        let grid = try SweepGrid(["js", "--q", "plane,sphere", "--noise", "0.01:1:3:log", "--seeds", "0..1", "--p", "file:a,b.csv",
                                  "--same-frame", "--offset=0:1:3"])
        #expect(grid.axes.map(\.option) == ["--q", "--noise", "--seed", "--offset"])
        #expect(grid.axes[1].values == ["0.01", "0.1", "1"])
        #expect(grid.axes[3].values == ["0", "0.5", "1"])
        #expect(grid.count == 2 * 3 * 2 * 3)
        #expect(grid.arguments(0) == ["js", "--q=plane", "--noise=0.01", "--seed=0", "--p", "file:a,b.csv", "--same-frame", "--offset=0"])
        #expect(grid.arguments(grid.count - 1).suffix(1) == ["--offset=1"])
        let techniques = try SweepGrid(["train-toy", "--minibatch-disc", "8,4;16,4", "--seeds", "3"])
        #expect(techniques.axes == [SweepGrid.Axis(option: "--minibatch-disc", values: ["8,4", "16,4"])])
        let folders = try SweepGrid(["vanish", "--pretrain-steps", "0,200", "--seeds", "1..2", "--d-layers", "1",
                                     "--out", "runs/E{pretrain_steps}-s{seed}-L{d_layers}"])
        #expect(folders.arguments(3) == ["vanish", "--pretrain-steps=200", "--seed=2", "--d-layers", "1", "--out", "runs/E200-s2-L1"])
        // A placeholder that names no option is refused: it would name a folder "{other}" for every run.
        #expect(throws: ManifoldLabError.self) { try SweepGrid(["vanish", "--seeds", "1..2", "--out", "runs/{other}"]) }
        #expect(throws: ManifoldLabError.self) { try SweepGrid(["js", "--noise", "0:1:0"]) }
        #expect(throws: ManifoldLabError.self) { try SweepGrid(["js", "--format", "csv"]) }
    }

    @Test("--print-commands: a path with spaces, quotes, ;, $(…) and a newline arrives unchanged through /bin/sh and runs nothing")
    func hostileQuoting() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hostile = dir.path + "/a b'c\";d $(touch PWNED) `touch PWNED2`\nline"
        try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
        let printed = try CommandLineRunner.run(["sweep", "--print-commands", "sample", "--manifold", "line,circle", "--n", "2",
                                                 "--out", hostile + "/x.csv"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let script = printed.stdout.replacingOccurrences(of: " --format csv", with: "")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = dir
        try shell.run()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: hostile + "/x.csv"))
        for trap in ["PWNED", "PWNED2"] { #expect(!FileManager.default.fileExists(atPath: dir.path + "/" + trap)) }
    }

    @Test("a local sweep: one header, the grid's own columns first, rows in grid order whatever --jobs; the same as the runs one by one")
    func table() throws {
        let run = try CommandLineRunner.run(["sweep", "--jobs", "3", "wasserstein", "--method", "sliced", "--projections", "10,20",
                                             "--q", "plane,circle", "--n", "200"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 5 && lines[0].hasPrefix("projections,divergence,value,"), "\(run.stdout)")
        var expected: [Substring] = []
        for (projections, q) in [("10", "plane"), ("10", "circle"), ("20", "plane"), ("20", "circle")] {
            let one = try CommandLineRunner.run(["wasserstein", "--method", "sliced", "--projections", projections, "--q", q,
                                                 "--n", "200", "--format", "csv", "--no-header"])
            expected.append(Substring(projections + "," + one.stdout.split(separator: "\n")[0]))
        }
        // Everything but the timing column agrees.
        func withoutSeconds(_ row: Substring) -> [String] { var cells = CSVRow.split(String(row)); cells.remove(at: 14); return cells }
        #expect(lines.dropFirst().map(withoutSeconds) == expected.map(withoutSeconds))
    }

    @Test("--resume after a kill runs only the missing combinations; an existing table without --resume is refused")
    func resume() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.path + "/t.csv"
        let sweep = ["sweep", "--out", out, "--jobs", "2", "js", "--noise", "0.05,0.1,0.2", "--seeds", "0..1", "--n", "512"]
        #expect(try CommandLineRunner.run(sweep).status == 0)
        let whole = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(whole.count == 7)
        // As if runs 2, 4 and 6 had failed (or a kill had left every other row).
        try ([whole[0], whole[1], whole[3], whole[5]].joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        let refused = try CommandLineRunner.run(sweep)
        #expect(refused.status == 73 && refused.stderr.contains("pass --resume"), "\(refused.stderr)")
        let again = try CommandLineRunner.run(Array(sweep.prefix(3)) + ["--resume"] + sweep.dropFirst(3))
        #expect(again.status == 0, "\(again.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        func key(_ row: Substring) -> [String] { let c = CSVRow.split(String(row)); return [c[1], c[10], c[12]] }  // value, noise, seed
        #expect(rows.count == 7 && Set(rows.map(key)) == Set(whole.map(key)), "\(rows)")
        // The resumed table is in grid order again: row for row the uninterrupted one's runs.
        #expect(rows.map(key) == whole.map(key), "\(rows)")
    }

    @Test("shell completion scripts complete manifold names, losses and methods for bash, zsh and fish")
    func completion() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try CommandLineRunner.run(["--generate-completion-script", shell])
            #expect(script.status == 0)
            for word in ["swissroll", "nonsat", "sinkhorn", "sweep", "no-header"] {
                #expect(script.stdout.contains(word), "\(shell): no \(word)")
            }
        }
    }

    @Test("--engine parallel: GNU parallel runs the grid; the same table as the local engine; its job log kept; a run's failure named")
    func parallelEngine() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = ["wasserstein", "--method", "sliced", "--projections", "10,20", "--q", "plane,circle", "--n", "200", "--seed", "0..1"]
        let local = try CommandLineRunner.run(["sweep", "--jobs", "2"] + grid)
        let parallel = try CommandLineRunner.run(["sweep", "--engine", "parallel", "--jobs", "2", "--joblog", dir.path + "/log"] + grid)
        #expect(local.status == 0 && parallel.status == 0, "\(parallel.stderr)")
        let withoutSeconds = Self.withoutSeconds
        #expect(withoutSeconds(parallel.stdout) == withoutSeconds(local.stdout) && withoutSeconds(local.stdout).count == 9)
        let log = try String(contentsOfFile: dir.path + "/log", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 9 && log.hasPrefix("Seq\tHost"))
        // A value that looks like an option still arrives as a value; a refused run is reported, the others kept.
        let mixed = try CommandLineRunner.run(["sweep", "--engine", "parallel", "--format", "json", "js", "--noise", "-1,0.1", "--n", "256"])
        #expect(mixed.status == 70 && mixed.stdout.split(separator: "\n").count == 1, "\(mixed.stdout)")
        #expect(mixed.stderr.contains("run 1 (js --noise=-1 --n 256): invalid value '-1.0' for --noise"), "\(mixed.stderr)")
    }

    @Test("--engine slurm without Slurm: the array's scripts run by hand give the local table; a task that never ran is named; the array list is compact")
    func slurmScripts() throws {
        #expect(SlurmEngine.arraySpecification([1, 2, 3, 5, 7, 8]) == "1-3,5,7-8")
        #expect(SlurmEngine.arraySpecification([4]) == "4")
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hostile = dir.path + "/a b'c\";d $(touch PWNED)\nline"
        let grid = ["js", "--p", "line", "--q", "file:\(hostile)/q.csv", "--noise", "0.1,0.2,0.3", "--n", "256"]
        try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
        #expect(try CommandLineRunner.run(["sample", "--manifold", "circle", "--n", "30", "--out", hostile + "/q.csv"]).status == 0)
        let slurm = hostile + "/s", table = dir.path + "/t.csv"
        let prepared = try CommandLineRunner.run(["sweep", "--engine", "slurm", "--slurm-dir", slurm, "--out", table] + grid, directory: dir)
        #expect(prepared.status == 0 && prepared.stdout.isEmpty, "\(prepared.stderr)")
        let array = try String(contentsOfFile: slurm + "/array.sh", encoding: .utf8)
        #expect(array.contains("#SBATCH --array=1-3\n"))
        let again = try CommandLineRunner.run(["sweep", "--engine", "slurm", "--slurm-dir", slurm] + grid, directory: dir)
        #expect(again.status == 73 && again.stderr.contains("not empty"), "\(again.stderr)")
        // Slurm would run tasks 1..3; run 1 and 3 by hand, as its nodes would.
        for task in ["1", "3"] {
            #expect(try CommandLineRunner.run([slurm + "/array.sh"], environment: ["SLURM_ARRAY_TASK_ID": task],
                                              executable: URL(fileURLWithPath: "/bin/sh")).status == 0)
        }
        let collected = try CommandLineRunner.run(["sweep", "--collect", slurm, "--out", table], directory: dir)
        #expect(collected.status == 70 && collected.stderr.contains("run 2 (") && collected.stderr.contains("did not end under Slurm"), "\(collected.stderr)")
        let local = try CommandLineRunner.run(["sweep"] + grid, directory: dir)
        let withoutSeconds = Self.withoutSeconds
        let expected = withoutSeconds(local.stdout)
        #expect(expected.count == 4 && expected[1].contains("file:\(hostile)/q.csv"), "\(local.stdout)")
        #expect(withoutSeconds(try String(contentsOfFile: table, encoding: .utf8)) == [expected[0], expected[1], expected[3]])
        // The missing run, once it has run, is added by --resume.
        #expect(try CommandLineRunner.run([slurm + "/array.sh"], environment: ["SLURM_ARRAY_TASK_ID": "2"],
                                          executable: URL(fileURLWithPath: "/bin/sh")).status == 0)
        #expect(try CommandLineRunner.run(["sweep", "--collect", slurm, "--out", table, "--resume"], directory: dir).status == 0)
        #expect(Set(withoutSeconds(try String(contentsOfFile: table, encoding: .utf8))) == Set(expected))
        // Through GNU parallel on this machine, the hostile value stays one argument too.
        let parallel = try CommandLineRunner.run(["sweep", "--engine", "parallel"] + grid, directory: dir)
        #expect(withoutSeconds(parallel.stdout) == expected, "\(parallel.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/PWNED"))
    }

    @Test("SIGTERM stops a sweep: the finished runs' rows are written, the running child is stopped (no orphan), exit 130")
    func interrupted() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.path + "/t.csv"
        let marker = "\(getpid())\(Int.random(in: 1000...9999))"  // a seed no other test uses, to find the child
        let run = try CommandLineRunner.interrupt(["sweep", "--out", out, "train-toy", "--dim", "4", "--hidden", "8", "--batch", "16",
                                                   "--eval-points", "40", "--steps", "5,10000000", "--seed", marker],
                                                  with: SIGTERM, after: 3)
        #expect(run.status == 130 && run.stderr.contains("interrupted by SIGTERM after 1 of 2 runs"), "\(run.stderr)")
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 2 && rows[0].hasPrefix("batch,"), "\(rows)")
        Thread.sleep(forTimeInterval: 0.5)
        func commandLine(_ pid: String) -> String { (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "" }
        let survivors = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { Int($0) != nil && commandLine($0).contains("\u{0}\(marker)") }
        #expect(survivors.isEmpty, "children left running: \(survivors)")
    }
}
