import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
@testable import ManifoldLabCLI
import TestSupport


/// One tiny trained run shared by the tests (ring in R^8, latent 2 normal, 30 steps): trained once.
private let sharedRun: URL = {
    let dir = CommandLineRunner.temporaryDirectory().appendingPathComponent("run")
    _ = try? CommandLineRunner.run(["train-toy", "--data", "ring", "--latent", "2", "--latent-dist", "normal", "--dim", "8",
                                    "--hidden", "16", "--layers", "1", "--batch", "32", "--steps", "30", "--log-every", "10",
                                    "--eval-points", "20", "--lr", "1e-3", "--loss", "nonsat", "--out", dir.path])
    return dir
}()

private func csvRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

@Suite("walk, end to end")
struct WalkCLITests {
    @Test("train-toy --out writes generator.json and lists it; walk prints a table and a one-line summary")
    func text() throws {
        #expect(FileManager.default.fileExists(atPath: sharedRun.appendingPathComponent("generator.json").path))
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: sharedRun.appendingPathComponent("manifest.json"))) as? [String: Any])
        #expect((manifest["files"] as? [String])?.contains("generator.json") == true)
        #expect((manifest["configuration"] as? [String: Any])?["latent"] as? Int == 2)
        let run = try CommandLineRunner.run(["walk", "--run", sharedRun.path, "--steps", "6", "--interp", "slerp"])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("distance") && $0.contains("off_span") && $0.contains("mode") })
        #expect(lines.last?.hasPrefix("path length") == true)
        #expect(lines.filter { $0.hasPrefix("0.") || $0.hasPrefix("1.") }.count == 7)
    }

    @Test("CSV: a header and N + 1 rows of numbers; --full adds x1…xD", arguments: [1, 20])
    func csv(steps: Int) throws {
        let run = try CommandLineRunner.run(["walk", "--run", sharedRun.path, "--steps", String(steps), "--format", "csv",
                                             "--from", "-1,0.5", "--to", "1.5,-0.25", "--full"])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = csvRows(run.stdout)
        #expect(rows.count == steps + 2)
        #expect(rows[0].prefix(11) == ["t", "z1", "z2", "distance", "off_span", "in_span", "step_length", "u1", "u2", "mode", "mode_distance"])
        #expect(rows[0].count == 11 + 8 && rows[0].last == "x8")
        #expect(rows.dropFirst().allSatisfy { row in row.count == 19 && row.allSatisfy { Double($0)?.isFinite == true } })
        #expect(rows[1][1] == "-1.0" && rows[1][2] == "0.5" && rows.last![1] == "1.5" && rows.last![2] == "-0.25")
    }

    @Test("JSON: one object with the summary and N + 1 rows; --out writes the file and nothing to stdout")
    func json() throws {
        let out = CommandLineRunner.temporaryDirectory().appendingPathComponent("walk.json")
        let run = try CommandLineRunner.run(["walk", "--run", sharedRun.path, "--format", "json", "--out", out.path])
        #expect(run.status == 0 && run.stdout.isEmpty, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 21 && object["points"] as? Int == 21 && object["steps"] as? Int == 20)
        for key in ["path_length", "chord", "max_distance", "mean_distance", "distance_definition", "interp_used", "from", "to"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(rows.allSatisfy { $0["distance"] is Double && $0["step_length"] is Double && ($0["u"] as? [Double])?.count == 2 })
        let steps = rows.compactMap { $0["step_length"] as? Double }
        #expect(abs(steps.reduce(0, +) - (object["path_length"] as? Double ?? -1)) < 1e-12)
    }

    @Test("a degenerate slerp walks linearly and says so (stderr for CSV, the note key in JSON)")
    func degenerate() throws {
        let csv = try CommandLineRunner.run(["walk", "--run", sharedRun.path, "--interp", "slerp", "--from", "1,1", "--to", "-2,-2",
                                             "--format", "csv", "--steps", "4"])
        #expect(csv.status == 0 && csv.stderrLines.count == 1 && csv.stderr.contains("opposite"))
        #expect(!csv.stdout.lowercased().contains("nan"))
        let json = try CommandLineRunner.run(["walk", "--run", sharedRun.path, "--interp", "slerp", "--from", "0,0", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["interp_used"] as? String == "linear" && (object["note"] as? String)?.isEmpty == false)
    }

    @Test("bad options: exit 64, one line on stderr, nothing on stdout", arguments: [
        ["--steps", "0"], ["--steps", "100001"], ["--from", "1,2,3"], ["--to", "1,nan"], ["--from", "1"],
        ["--from", "1,,2"], ["--interp", "cubic"], ["--format", "xml"],
    ])
    func badOptions(arguments: [String]) throws {
        let run = try CommandLineRunner.run(["walk", "--run", sharedRun.path] + arguments)
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
        #expect(run.stderrLines.count == 1 && run.stdout.isEmpty, "\(run.stderr)")
    }

    @Test("bad run directories: missing (66), missing generator.json (66), corrupt files (65)")
    func badRuns() throws {
        let base = CommandLineRunner.temporaryDirectory()
        func check(_ dir: URL, _ status: Int32, _ what: String) throws {
            let run = try CommandLineRunner.run(["walk", "--run", dir.path])
            #expect(run.status == status, "\(what): \(run.status) \(run.stderr)")
            #expect(run.stderrLines.count == 1 && run.stdout.isEmpty, "\(what): \(run.stderr)")
        }
        try check(base.appendingPathComponent("absent"), 66, "missing directory")
        let copy = base.appendingPathComponent("copy")
        try FileManager.default.copyItem(at: sharedRun, to: copy)
        let generator = copy.appendingPathComponent("generator.json"), manifest = copy.appendingPathComponent("manifest.json")
        let good = try Data(contentsOf: generator)
        try FileManager.default.removeItem(at: generator)
        try check(copy, 66, "no generator.json")
        try Data("{\"architecture\": 3}".utf8).write(to: generator)
        try check(copy, 65, "corrupt generator.json")
        try good.write(to: generator)
        try Data("not json".utf8).write(to: manifest)
        try check(copy, 65, "corrupt manifest.json")
        try FileManager.default.removeItem(at: manifest)
        try check(copy, 66, "no manifest.json")
    }
}
