import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// A tiny run: the data in R^8, one hidden layer of 16 units (none for the affine G), 40 steps.
private func tinyRun(_ precision: Precision = .double, generator: GeneratorKind = .mlp, data: ManifoldKind = .line,
                     latent: Int = 1, latentDistribution: LatentDistribution = .uniform,
                     techniques: Techniques = .none) throws -> TrainingResult {
    try TrainingConfiguration(data: ManifoldSpec(kind: data), dimension: 8, latent: latent,
                              latentDistribution: latentDistribution, generator: generator, hidden: 16, layers: 1,
                              batch: 32, steps: 40, loss: .nonsat, learningRate: 1e-3, precision: precision,
                              seed: Seed(5), logEvery: 20, evaluationPoints: 20, techniques: techniques).run()
}

private func saved(_ result: TrainingResult) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("manifoldlab-walk-\(UUID().uuidString)").path
    try result.write(to: RunDirectory(path: path))
    return path
}

private func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }

@Suite("walk: saving a run's generator and walking its latent space")
struct WalkRunTests {
    init() { BLASBackend.setThreads(1) }

    @Test("save → load gives back the same configuration and a generator with bit-identical outputs",
          arguments: [Precision.double, .float])
    func roundTrip(precision: Precision) throws {
        let result = try tinyRun(precision, latent: 2)
        let original = try #require(result.generator)
        let run = try TrainedRun.load(directory: try saved(result))
        #expect(run.configuration == result.configuration)
        #expect(run.generator.architecture == original.architecture)
        #expect(run.generator.parameters.map(\.bitPattern) == original.parameters.map(\.bitPattern))
        let rng = RandomStream(seed: Seed(9))
        let z = Matrix(rows: 50, columns: 2, storage: (0..<100).map { _ in rng.uniform(-3, 3) })
        #expect(run.generator(z).storage.map(\.bitPattern) == original(z).storage.map(\.bitPattern))
        // The Double copy of the final generator is the generator that made samples.csv (to Float rounding).
        var latent = Matrix<Double>(rows: 20, columns: 2)
        BatchSampler<Double>(manifold: Flat(name: "line", dimension: 1), embedding: result.embedding, latent: 2,
                             latentDistribution: .uniform, seed: result.configuration.seed, prefix: "eval-").fillLatent(&latent)
        let regenerated = run.generator(latent)
        let tolerance = precision == .double ? 0 : 1e-5
        #expect(zip(regenerated.storage, result.samples.storage).allSatisfy { abs($0 - $1) <= tolerance })
    }

    @Test("a virtual-batch-norm G round-trips with its reference batch: the loaded G made samples.csv",
          arguments: [Precision.double, .float])
    func virtualBatchNormRoundTrip(precision: Precision) throws {
        let result = try tinyRun(precision, latent: 2, techniques: Techniques(virtualBatchNorm: true))
        guard case .virtualBatchNorm(let original)? = result.generator else { Issue.record("no VBN generator"); return }
        let run = try TrainedRun.load(directory: try saved(result))
        guard case .virtualBatchNorm(let loaded) = run.generator else { Issue.record("loaded as a plain MLP"); return }
        #expect(loaded.scales.map(\.bitPattern) == original.scales.map(\.bitPattern))
        #expect(loaded.reference.storage.map(\.bitPattern) == original.reference.storage.map(\.bitPattern))
        var latent = Matrix<Double>(rows: 20, columns: 2)
        BatchSampler<Double>(manifold: Flat(name: "line", dimension: 1), embedding: result.embedding, latent: 2,
                             latentDistribution: .uniform, seed: result.configuration.seed, prefix: "eval-").fillLatent(&latent)
        let regenerated = run.generator(latent)
        let tolerance = precision == .double ? 1e-12 : 1e-4
        #expect(zip(regenerated.storage, result.samples.storage).allSatisfy { abs($0 - $1) <= tolerance })
    }

    @Test("the walk measures against the trainer's own placement of the data")
    func samePlacement() throws {
        let result = try tinyRun(data: .circle)
        let shape = try DataShape(run: try TrainedRun.load(directory: try saved(result)).configuration)
        #expect(shape.embedding == result.embedding)
    }

    @Test("a linear walk through an affine generator is a straight segment with equal steps; slerp bends it")
    func affineStraight() throws {
        let run = TrainedRun(path: "memory", configuration: try tinyRun(generator: .affine, latent: 3).configuration,
                             generator: try #require(try tinyRun(generator: .affine, latent: 3).generator))
        let walk = try run.walk(WalkRequest(from: [-0.9, 0.2, 0.5], to: [0.7, -1, 0.3], steps: 16, fullCoordinates: true))
        #expect(walk.rows.count == 17)
        let x = walk.rows.map { $0.x! }
        let (first, last) = (x[0], x[16])
        for (i, row) in walk.rows.enumerated() {
            #expect(row.t == Double(i) / 16)
            // x(t) = x(0) + t (x(1) − x(0)) for G(z) = a + Bz and z(t) = (1 − t)z1 + t z2.
            let line = zip(first, last).map { $0 + row.t * ($1 - $0) }
            #expect(distance(x[i], line) < 1e-12 * (1 + walk.chord))
            if i > 0 { #expect(abs(row.stepLength - walk.chord / 16) < 1e-12 * walk.chord) }
        }
        #expect(abs(walk.pathLength - walk.chord) < 1e-12 * walk.chord)
        let curved = try run.walk(WalkRequest(from: [-0.9, 0.2, 0.5], to: [0.7, -1, 0.3], steps: 16, interpolation: .slerp))
        #expect(curved.path.used == .slerp && curved.pathLength > walk.chord * (1 + 1e-3))
        #expect(abs(curved.chord - walk.chord) < 1e-12)
    }

    @Test("an affine generator put on the data's segment walks along it: distance 0, u = z/2, length 1")
    func onTheData() throws {
        let base = try tinyRun(generator: .affine)
        let axis = base.embedding.axis(0)
        // G(z) = c + F z/2 maps U[−1, 1] onto the data's segment (length 1 around the centre c).
        let weights = axis.map { $0 / 2 }
        let generator = MLP<Double>(architecture: MLPArchitecture(layerSizes: [1, 8]), parameters: weights + base.embedding.center)
        let walk = try TrainedRun(path: "memory", configuration: base.configuration, generator: .mlp(generator))
            .walk(WalkRequest(steps: 10))
        for row in walk.rows {
            #expect(row.measured.distance < 1e-15 && abs(row.measured.canonical[0] - row.z[0] / 2) < 1e-15)
        }
        #expect(abs(walk.pathLength - 1) < 1e-14 && walk.maxDistance.value < 1e-15)
    }

    @Test("CSV and JSON have one row per point; mixtures add the nearest mode")
    func formats() throws {
        let result = try tinyRun(data: .ring, latent: 2, latentDistribution: .normal)
        let run = TrainedRun(path: "memory", configuration: result.configuration, generator: result.generator!)
        let walk = try run.walk(WalkRequest(steps: 5, interpolation: .slerp))
        #expect(walk.path.used == .slerp && walk.path.from == [2, 0] && walk.path.to == [0, 2])
        let lines = walk.csv.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[0] == "t,z1,z2,distance,off_span,in_span,step_length,u1,u2,mode,mode_distance")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",").count == 11 })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(walk.json.utf8)) as? [String: Any])
        #expect((object["rows"] as? [Any])?.count == 6 && object["modes_visited"] is [Int])
        #expect(walk.text.contains("path length") && walk.text.contains("nearest modes"))
    }

    @Test("bad runs: missing directory or file (unreadable input), corrupt or inconsistent file (bad input)")
    func loadErrors() throws {
        func status(_ path: String) -> Int32? {
            do { _ = try TrainedRun.load(directory: path); return nil } catch {
                switch error.kind { case .unreadableInput: return 66; case .badInput: return 65; default: return 0 }
            }
        }
        #expect(status("/nonexistent/manifoldlab-run") == 66)
        let path = try saved(try tinyRun())
        let generator = (path as NSString).appendingPathComponent("generator.json")
        let manifest = (path as NSString).appendingPathComponent("manifest.json")
        #expect(status(generator) == 66)  // a file, not a directory
        let good = try String(contentsOfFile: generator, encoding: .utf8)
        try String(good.prefix(good.count / 2)).write(toFile: generator, atomically: true, encoding: .utf8)
        #expect(status(path) == 65)
        try good.replacingOccurrences(of: "[1,16,8]", with: "[1,16,9]").write(toFile: generator, atomically: true, encoding: .utf8)
        #expect(status(path) == 65)
        try FileManager.default.removeItem(atPath: generator)
        #expect(status(path) == 66)
        try good.write(toFile: generator, atomically: true, encoding: .utf8)
        #expect(status(path) == nil)
        let manifestText = try String(contentsOfFile: manifest, encoding: .utf8)
        try manifestText.replacingOccurrences(of: "\"configuration\"", with: "\"configurations\"")
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(status(path) == 65)
        try "{".write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(status(path) == 65)
    }

    @Test("bad requests: steps out of range, latent vectors of the wrong length (64)")
    func requestErrors() throws {
        let result = try tinyRun()
        let run = TrainedRun(path: "memory", configuration: result.configuration, generator: result.generator!)
        for request in [WalkRequest(steps: 0), WalkRequest(steps: WalkRequest.maxSteps + 1), WalkRequest(from: [0, 0]),
                        WalkRequest(to: [.nan])] {
            #expect(throws: ManifoldLabError.self) { _ = try run.walk(request) }
        }
    }
}
