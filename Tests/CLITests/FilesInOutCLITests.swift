import Foundation
import Testing
@testable import ManifoldLabCLI
import ManifoldLabGAN
import TestSupport

/// Runs `script` in /bin/sh with the binary as `$ML`, in `directory`.
private func shell(_ script: String, in directory: URL, path: String? = nil) throws -> CommandLineRunner.Outcome {
    var environment = ["ML": CommandLineRunner.binary.path]
    if let path { environment["PATH"] = path }
    return try CommandLineRunner.run(["-c", script], environment: environment, directory: directory,
                                     executable: URL(fileURLWithPath: "/bin/sh"))
}

private func fileType(_ path: String) -> mode_t {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
}

/// Issue 15: read what researchers have, write where `--out` points without destroying it, and
/// tables that a shell loop can append to.
@Suite("Files in and out: stdin, --out into FIFOs and through symlinks, --no-header, pictures")
struct FilesInOutCLITests {
    @Test("--out: a symlink's target is replaced and the link kept; a FIFO is written into and stays a FIFO; a directory is refused; - is stdout")
    func outDestinations() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try shell("""
            set -e
            echo old > target.csv && ln -s target.csv link.csv
            $ML sample --manifold line --n 3 --out link.csv
            mkfifo pipe && (cat pipe > received.csv &) && $ML sample --manifold line --n 3 --out pipe && sleep 0.3
            $ML sample --manifold line --n 3 --out - > stdout.csv
            mkdir adir; $ML sample --manifold line --n 3 --out adir 2> dir.err || echo "status $?" >> dir.err
            """, in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let expected = try CommandLineRunner.run(["sample", "--manifold", "line", "--n", "3"]).stdout
        #expect(fileType(dir.appendingPathComponent("link.csv").path) == S_IFLNK)
        #expect(try String(contentsOf: dir.appendingPathComponent("target.csv"), encoding: .utf8) == expected)
        #expect(fileType(dir.appendingPathComponent("pipe").path) == S_IFIFO)
        #expect(try String(contentsOf: dir.appendingPathComponent("received.csv"), encoding: .utf8) == expected)
        #expect(try String(contentsOf: dir.appendingPathComponent("stdout.csv"), encoding: .utf8) == expected)
        let refusal = try String(contentsOf: dir.appendingPathComponent("dir.err"), encoding: .utf8)
        #expect(refusal.contains("cannot write adir: it is a directory") && refusal.contains("status 73"), "\(refusal)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("file:- reads standard input: .npy from sample, headerless CSV; gzip by content")
    func standardInput() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try shell("""
            set -e
            $ML sample --manifold circle --n 40 --format npy --out c.npy
            $ML sample --manifold circle --n 40 --format npy | $ML wasserstein --p file:- --q file:c.npy --method exact --format csv --no-header
            $ML sample --manifold circle --n 40 --no-header | gzip | $ML wasserstein --p file:- --q file:c.npy --method exact --format csv --no-header
            """, in: dir)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = run.stdout.split(separator: "\n")
        #expect(rows.count == 2)
        for row in rows {
            #expect(row.hasPrefix("w1,0.0,"), "\(row)")  // the same 40 points: W1 = 0 exactly
            #expect(row.contains("file:-,file:c.npy"), "\(row)")
        }
    }

    @Test("--no-header: a loop of runs is one table; with text or JSON it is refused")
    func noHeader() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try shell("""
            $ML js --format csv | head -1
            for s in 1 2 3; do $ML js --seed $s --format csv --no-header; done
            """, in: dir)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines[0].hasPrefix("divergence,") && lines.dropFirst().allSatisfy { $0.hasPrefix("js,") }, "\(run.stdout)")
        let refused = try CommandLineRunner.run(["js", "--no-header"])
        #expect(refused.status == 64 && refused.stderr.contains("--no-header applies to --format csv only"))
    }

    @Test("--out DIR always writes plots.gp; without gnuplot one note says the pictures were not drawn and how; with it, they are drawn")
    func pictures() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = "--dim 4 --hidden 8 --batch 16 --steps 4 --log-every 2 --eval-points 40"
        let without = try shell("$ML train-toy \(tiny) --out without", in: dir, path: "/nonexistent")
        #expect(without.status == 0, "\(without.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("without/plots.gp").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("without/curves.png").path))
        #expect(without.stderr.contains("note: gnuplot is not installed, so curves.png and samples.png were not drawn")
                && without.stderr.contains("gnuplot plots.gp"), "\(without.stderr)")
        // make test installs gnuplot-nox (Makefile), so the pictures are drawn here.
        #expect(RunDirectory.gnuplot != nil, "gnuplot is not on PATH: make test installs gnuplot-nox")
        let with = try shell("$ML train-toy \(tiny) --out with", in: dir)
        #expect(with.status == 0 && !with.stderr.contains("note:"), "\(with.stderr)")
        for name in ["plots.gp", "curves.png", "samples.png"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("with/" + name).path), "\(name)")
        }
    }

    /// Every key path of a JSON object (`final.smoothed_js`).
    static func keyPaths(_ json: String) throws -> Set<String> {
        func walk(_ value: Any, _ prefix: String) -> Set<String> {
            guard let object = value as? [String: Any] else { return [] }
            return object.reduce(into: Set<String>()) { keys, entry in
                keys.insert(prefix + entry.key)
                keys.formUnion(walk(entry.value, prefix + entry.key + "."))
            }
        }
        return walk(try JSONSerialization.jsonObject(with: Data(json.utf8)), "")
    }

    @Test("a sweep's runs have the same JSON keys and CSV columns whatever is undefined in one of them (null, never missing)")
    func sameKeysEveryRun() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let tiny = ["--dim", "4", "--hidden", "8", "--batch", "16", "--steps", "4", "--log-every", "2", "--eval-points", "40"]
        let vanish = ["--steps", "20", "--record-every", "5", "--probe-batches", "2"] + tiny.prefix(6)
        let variants: [(String, [[String]])] = [
            ("train-toy", [tiny, tiny + ["--noise", "0.1", "--out", dir.path + "/a"], tiny + ["--data", "ring", "--loss", "wgan-gp"]]),
            ("vanish", [Array(vanish), vanish + ["--generator", "affine", "--noise", "0.5", "--out", dir.path + "/v"]]),
            ("dirac", [["--steps", "10"], ["--steps", "10", "--loss", "wgan", "--update", "alternating"]]),
        ]
        for (command, runs) in variants {
            var keys: [Set<String>] = [], headers: [Substring] = []
            for arguments in runs {
                let json = try CommandLineRunner.run([command] + arguments + ["--format", "json"])
                #expect(json.status == 0, "\(command) \(arguments): \(json.stderr)")
                keys.append(try Self.keyPaths(json.stdout))
                let csv = try CommandLineRunner.run([command] + arguments + ["--format", "csv"])
                headers.append(csv.stdout.split(separator: "\n").first ?? "")
            }
            for (index, set) in keys.enumerated().dropFirst() {
                #expect(set == keys[0], "\(command): keys differ: \(set.symmetricDifference(keys[0]).sorted())")
                #expect(headers[index] == headers[0], "\(command): CSV columns differ")
            }
        }
    }
}
