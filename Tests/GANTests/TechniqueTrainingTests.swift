import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// A small run on the 8-mode ring in R^8.
private func ring(steps: Int = 150, loss: GANLoss = .nonsat, techniques: Techniques = .none, seed: UInt64 = 1) -> TrainingConfiguration {
    TrainingConfiguration(data: ManifoldSpec(kind: .ring), dimension: 8, latent: 2, hidden: 32, layers: 1, batch: 64,
                          steps: steps, loss: loss, learningRate: 1e-3, seed: Seed(seed), logEvery: 50,
                          evaluationPoints: 200, techniques: techniques)
}

@Suite("Improved-GAN techniques in training, and mode metrics")
struct TechniqueTrainingTests {
    init() { BLASBackend.setThreads(1) }

    static let arms: [Techniques] = [
        Techniques(featureMatching: true),
        Techniques(minibatchDiscrimination: MinibatchShape(kernels: 4, dimension: 3)),
        Techniques(historicalAveraging: 0.1),
        Techniques(labelSmoothing: 0.9),
        Techniques(virtualBatchNorm: true),
        Techniques(featureMatching: true, minibatchDiscrimination: MinibatchShape(kernels: 4, dimension: 3),
                   historicalAveraging: 0.1, labelSmoothing: 0.9, virtualBatchNorm: true),
    ]

    @Test("every technique trains on ring without a fault; mode metrics are recorded and in range", arguments: arms)
    func trains(techniques: Techniques) throws {
        let result = try ring(techniques: techniques).run()
        #expect(result.fault == nil)
        let m = try #require(result.modeCoverage)
        #expect(m.modes == 8 && (0...8).contains(m.modesCovered) && (0...1).contains(m.highQualityFraction))
        if let kl = m.modeKL { #expect(kl >= -1e-12 && kl <= log(8.0) + 1e-12) }
        #expect(result.records.allSatisfy { $0.modesCovered != nil && $0.offPlane != nil })
        #expect(result.records.allSatisfy { $0.w1.isFinite && $0.generatorGradientNonsat.isFinite })
    }

    @Test("a technique changes the run, and the same technique and seed repeat it exactly", arguments: arms)
    func deterministicAndEffective(techniques: Techniques) throws {
        let a = try ring(steps: 60, techniques: techniques).run(), b = try ring(steps: 60, techniques: techniques).run()
        #expect(a.metricsCSV == b.metricsCSV)
        let plain = try ring(steps: 60).run()
        #expect(a.metricsCSV != plain.metricsCSV)
    }

    @Test("minibatch discrimination composes with minimax, nonsat and wgan", arguments: [GANLoss.minimax, .nonsat, .wgan])
    func minibatchWithLosses(loss: GANLoss) throws {
        let result = try ring(steps: 40, loss: loss,
                              techniques: Techniques(minibatchDiscrimination: MinibatchShape(kernels: 4, dimension: 3))).run()
        #expect(result.fault == nil)
    }

    @Test("undefined combinations are refused with a reason", arguments: [
        (GANLoss.wganGP, Techniques(minibatchDiscrimination: MinibatchShape(kernels: 4, dimension: 3)), 1, "per example"),
        (.r1, Techniques(minibatchDiscrimination: MinibatchShape(kernels: 4, dimension: 3)), 1, "per example"),
        (.wgan, Techniques(labelSmoothing: 0.9), 1, "critic"),
        (.nonsat, Techniques(featureMatching: true), 0, "layers ≥ 1"),
        (.nonsat, Techniques(labelSmoothing: 0), 1, "label_smoothing"),
        (.nonsat, Techniques(historicalAveraging: -1), 1, "historical_avg"),
        (.nonsat, Techniques(minibatchDiscrimination: MinibatchShape(kernels: 0, dimension: 3)), 1, "minibatch_disc"),
    ])
    func refusals(loss: GANLoss, techniques: Techniques, layers: Int, mention: String) {
        var c = ring(loss: loss, techniques: techniques)
        c.layers = layers
        #expect(throws: ManifoldLabError.self) { try c.validate() }
        do { try c.validate() } catch { #expect(error.description.contains(mention), "\(error.description)") }
    }

    /// Theory (Salimans et al. 2016 §3.4 with Arjovsky & Bottou): one-sided smoothing gives
    /// D* = α p/(p + q), still 0 on fakes off the data's support, so G's minimax gradient still vanishes.
    @Test("one-sided label smoothing does not stop the minimax gradient from vanishing (vanish, α = 0.9)")
    func labelSmoothingStillVanishes() throws {
        let result = try VanishConfiguration(hidden: 64, steps: 2000, probeBatches: 4, labelSmoothing: 0.9).run()
        #expect(result.records.last!.accuracy.mean == 1)
        #expect(result.ordersOfMagnitude >= 2.5, "minimax fell only \(result.ordersOfMagnitude) orders")
    }

    @Test("compare-techniques: one row per arm, runs per seed, metrics consistent with the runs")
    func comparison() throws {
        let arms = TechniqueVariant.standard(minibatch: MinibatchShape(kernels: 4, dimension: 3), historicalAveraging: 0.1,
                                             labelSmoothing: 0.9, noise: 0.1).filter { ["plain", "label-smoothing"].contains($0.name) }
        let comparison = TechniqueComparison(base: ring(steps: 40), variants: arms, seeds: [1, 2, 3])
        let outcome = try comparison.run(jobs: 2), runs = outcome.runs
        #expect(outcome.interruption == nil && outcome.planned == 6)
        #expect(runs.count == 6 && runs.allSatisfy { $0.error == nil && $0.modes == 8 })
        let rows = comparison.table(runs)
        #expect(rows.map(\.technique) == ["plain", "label-smoothing"])
        let plain = runs.filter { $0.technique == "plain" }.map { Double($0.modesCovered) }
        #expect(abs(rows[0].modesCovered.mean - plain.reduce(0, +) / 3) < 1e-12)
        // The same seed through the comparison and through train-toy gives the same run.
        var direct = ring(steps: 40)
        direct.seed = Seed(2)
        #expect(try direct.run().modeCoverage?.modesCovered == runs[1].modesCovered)
        #expect(throws: ManifoldLabError.self) {
            var line = comparison
            line.base.data = ManifoldSpec(kind: .line)
            try line.validate()
        }
    }
}

extension Techniques: CustomTestStringConvertible {
    public var testDescription: String { label }
}
