import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// A small, fast configuration: a segment in R^8, one hidden layer of 32 units.
private func small(_ precision: Precision = .double, steps: Int = 300, loss: GANLoss = .nonsat, noise: Double = 0,
                   learningRate: Double = 1e-3, optimizer: OptimizerKind? = nil, seed: UInt64 = 1) -> TrainingConfiguration {
    TrainingConfiguration(dimension: 8, hidden: 32, layers: 1, batch: 64, steps: steps, loss: loss, noise: noise,
                          learningRate: learningRate, optimizer: optimizer, precision: precision, seed: Seed(seed),
                          logEvery: 50, evaluationPoints: 200)
}

@Suite("train-toy: the toy GAN trainer")
struct TrainingTests {
    /// One BLAS thread, as the command runs (see VanishTests).
    init() { BLASBackend.setThreads(1) }

    @Test("two runs with the same seed give byte-identical metrics and samples")
    func deterministic() throws {
        let a = try small(noise: 0.1).run(), b = try small(noise: 0.1).run()
        #expect(a.metricsCSV == b.metricsCSV)
        #expect(a.samplesCSV == b.samplesCSV)
        let c = try small(noise: 0.1, seed: 2).run()
        #expect(a.metricsCSV != c.metricsCSV)
    }

    @Test("the generator learns the segment, in Float and in Double", arguments: [Precision.float, .double])
    func trains(precision: Precision) throws {
        let result = try small(precision, steps: 600, noise: 0.1).run()
        #expect(result.fault == nil)
        let first = result.records.first!.w1, last = result.records.last!.w1
        #expect(last < 0.5 * first, "W1 \(first) → \(last)")
        #expect(result.records.allSatisfy { $0.w1.isFinite && $0.generatorGradientNonsat.isFinite })
    }

    @Test("Float and Double runs start from the same networks and data")
    func precisionsAgreeAtFirstStep() throws {
        let f = try small(.float, steps: 1).run(), d = try small(.double, steps: 1).run()
        let rf = f.records[0], rd = d.records[0]
        #expect(abs(rf.discriminatorLoss - rd.discriminatorLoss) < 1e-4)
        #expect(abs(rf.w1 - rd.w1) < 1e-4)
    }

    @Test("every loss trains without a fault", arguments: GANLoss.allCases)
    func everyLoss(loss: GANLoss) throws {
        let result = try small(steps: 100, loss: loss, learningRate: loss == .wgan ? 5e-4 : 1e-3).run()
        #expect(result.fault == nil)
        #expect(result.records.count == 3)
        #expect(result.records.allSatisfy { $0.discriminatorLoss.isFinite && $0.generatorLoss.isFinite })
    }

    @Test("an absurd learning rate stops the run at a named step with the records so far intact")
    func divergence() throws {
        let result = try small(.float, steps: 200, learningRate: 1e6, optimizer: .sgd).run()
        guard case .trainingDiverged(let step, let quantity)? = result.fault else {
            Issue.record("no fault: \(String(describing: result.fault))"); return
        }
        #expect(step >= 1 && step <= 200 && !quantity.isEmpty)
        #expect(result.fault!.kind == .numerical)
        #expect(result.records.allSatisfy { $0.step < step && $0.w1.isFinite })
    }

    @Test("--noise-anneal: σ falls linearly from σ at step 1 to 0 at the last step")
    func annealing() {
        var c = small(noise: 0.4)
        c.noiseAnneal = true
        c.steps = 5
        let expected = [0.4, 0.3, 0.2, 0.1, 0]
        #expect((1...5).allSatisfy { abs(c.noise(atStep: $0) - expected[$0 - 1]) < 1e-15 })
        c.noiseAnneal = false
        #expect(c.noise(atStep: 5) == 0.4)
    }

    @Test("the smoothed JS is computed for k ≤ 2 and σ > 0, lies in [0, log 2] and has a standard error")
    func smoothedJS() throws {
        let result = try small(steps: 50, noise: 0.2).run()
        let values = result.records.compactMap(\.smoothedJS)
        #expect(values.count == result.records.count)
        #expect(values.allSatisfy { $0 > 0 && $0 <= log(2.0) + 0.02 })
        // The standard error comes with every value: finite, positive where the JS is estimated
        // below log 2 (1000 Monte Carlo points each side: well under 0.05 nats), and in the CSV.
        for record in result.records {
            let value = try #require(record.smoothedJS), error = try #require(record.smoothedJSStandardError)
            #expect(error.isFinite && error >= 0)
            if value < log(2.0) - 1e-3 { #expect(error > 0 && error < 0.05, "\(value) ± \(error)") }
        }
        #expect(values.contains { $0 < log(2.0) - 1e-3 }, "σ = 0.2 on a segment in R^8 should overlap")
        let header = result.metricsCSV.split(separator: "\n")[0].split(separator: ",")
        #expect(header.firstIndex(of: "smoothed_js_stderr") == header.firstIndex(of: "smoothed_js").map { $0 + 1 })
        let plain = try small(steps: 50).run()
        #expect(plain.records.allSatisfy { $0.smoothedJS == nil && $0.smoothedJSStandardError == nil })
    }

    @Test("the smoothed JS's standard error is that of its estimator: the spread over independent estimates agrees")
    func smoothedJSStandardErrorIsHonest() throws {
        // One generator, the estimator at ten independent streams (those of records 1…10): the
        // standard deviation of the ten values should match the reported standard error within
        // the χ² spread of 9 degrees of freedom (ratio in [0.48, 1.55] with 98 % probability).
        let configuration = small(steps: 50, noise: 0.2)
        let setup = try ToySetup(data: configuration.data, dimension: configuration.dimension, offset: 0, seed: configuration.seed)
        let gan = setup.makeGAN(Double.self, generator: configuration.generatorArchitecture,
                                discriminator: configuration.discriminatorArchitecture,
                                latentDistribution: configuration.latentDistribution, optimizer: .adam, learningRate: 1e-3,
                                loss: .nonsat, gamma: 1, clip: 0.01, batch: 64, seed: configuration.seed)
        let estimates = try (1...10).map { step in try configuration.smoothedJS(gan: gan, setup: setup, sigma: 0.2, step: step).get() }
        let mean = estimates.map(\.value).reduce(0, +) / 10
        let spread = (estimates.map { ($0.value - mean) * ($0.value - mean) }.reduce(0, +) / 9).squareRoot()
        let reported = estimates.map(\.stderr).reduce(0, +) / 10
        #expect(reported > 0 && spread / reported > 0.45 && spread / reported < 1.55, "spread \(spread), reported \(reported)")
    }

    @Test("bad values are refused before any work", arguments: [
        (TrainingConfiguration(dimension: 0), "dim"), (TrainingConfiguration(batch: 1), "batch"),
        (TrainingConfiguration(noise: -1), "noise"), (TrainingConfiguration(learningRate: .nan), "lr"),
        (TrainingConfiguration(logEvery: 0), "log_every"), (TrainingConfiguration(layers: 99), "layers"),
    ])
    func validation(configuration: TrainingConfiguration, option: String) {
        #expect(throws: ManifoldLabError.self) { try configuration.validate() }
        do { try configuration.validate() } catch {
            #expect(error.kind == .usage)
            #expect(error.description.contains(option), "\(error.description)")
        }
    }
}
