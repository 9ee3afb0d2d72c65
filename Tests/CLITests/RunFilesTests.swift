import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN

@Suite("Run directories and temporary files")
struct RunFilesTests {
    @Test("opening a run directory removes an earlier run's files by name and nothing else")
    func previousRunRemoved() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["metrics.csv", "generator.json", "manifest.json", "notes.txt", "metrics.csv.bak"] {
            try Data("x".utf8).write(to: dir.appendingPathComponent(name))
        }
        let first = try RunDirectory(path: dir.path)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["metrics.csv.bak", "notes.txt"])
        #expect(try RunDirectory(path: dir.path).runID != first.runID)
        #expect(UUID(uuidString: first.runID) != nil)
    }

    @Test("stale temporary files of dead writers are removed; a live writer's and other files stay")
    func staleTemporaryFiles() throws {
        let dir = CommandLineRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let names = [".out.csv.tmp-\(dead)-1", ".out.csv.tmp-\(getppid())-3", ".out.csv.tmp-\(getpid())-2",
                     ".out.csv.tmp-x", ".other.csv.tmp-\(dead)-1", "out.csv"]
        for name in names { try Data().write(to: dir.appendingPathComponent(name)) }
        let removed = OutputFile.removeStaleTemporaryFiles(for: dir.appendingPathComponent("out.csv").path)
        #expect(removed == [".out.csv.tmp-\(dead)-1"])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == Set(names.dropFirst()))
    }

    @Test("generator.json carries the run id beside the network's keys and still decodes as the network")
    func stampedGenerator() throws {
        let network = MLP<Double>(architecture: MLPArchitecture(layerSizes: [1, 3]), seed: Seed(1))
        let line = SavedGenerator.mlp(network).jsonLine(runID: "abc")
        let stamp = try JSONOutput.decoder().decode(RunStamp.self, from: Data(line.utf8))
        #expect(stamp.runID == "abc")
        let decoded = try JSONOutput.decoder().decode(MLP<Double>.self, from: Data(line.utf8))
        #expect(decoded.parameters == network.parameters)
    }
}
