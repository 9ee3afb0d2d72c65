import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN

/// The semi-supervised GAN's trainer: its baseline, determinism, and what it refuses.
@Suite("Semi-supervised GAN (Improved GAN §5)")
struct SemiSupervisedTests {
    /// A small, quick run: the grid in R^8, 20 steps.
    static func small(_ change: (inout SemiSupervisedConfiguration) -> Void = { _ in }) -> SemiSupervisedConfiguration {
        var c = SemiSupervisedConfiguration(dimension: 8, hidden: 16, labels: 2, unlabelled: 600, batch: 32, steps: 20,
                                            testPoints: 500, logEvery: 5)
        change(&c)
        return c
    }

    @Test("with w_u = 0 D trains on the labels alone: it is the baseline, step for step")
    func zeroUnsupervisedWeightIsTheBaseline() throws {
        let result = try Self.small { $0.unsupervisedWeight = 0; $0.data = ManifoldSpec(kind: .grid, modeStd: 0.6) }.run()
        let records = result.runs[0].records
        #expect(records.count == 5)
        for r in records {
            #expect(r.accuracy == r.baselineAccuracy)
            #expect(r.supervisedLoss == r.baselineLoss)
        }
    }

    @Test("the unsupervised part changes D: with w_u = 1 it is no longer the baseline")
    func unsupervisedWeightMatters() throws {
        let result = try Self.small { $0.data = ManifoldSpec(kind: .grid, modeStd: 0.6) }.run()
        #expect(result.runs[0].records.dropFirst().contains { $0.supervisedLoss != $0.baselineLoss })
    }

    @Test("the same seed gives the same run, whatever the number of threads", arguments: [GeneratorCost.featureMatching, .nonsat])
    func deterministic(cost: GeneratorCost) throws {
        let c = Self.small { $0.generatorCost = cost; $0.seeds = 2; $0.seed = Seed(7) }
        let one = try c.run(jobs: 1), two = try c.run(jobs: 2)
        #expect(one.runs.map(\.records) == two.runs.map(\.records))
        #expect(one.runs.map(\.seed) == [7, 8])
        #expect(one.runs[0].records != one.runs[1].records)
        #expect(one.bayesAccuracy == two.bayesAccuracy)
    }

    @Test("labelled points: exactly L per class, and the baseline starts from D's initial weights")
    func labelledSet() throws {
        let trainer = try SemiSupervisedTrainer(Self.small { $0.labels = 3 }, seed: Seed(1))
        var counts = [Int](repeating: 0, count: 25)
        for row in trainer.labelled { counts[trainer.pool.labels[row]] += 1 }
        #expect(counts == [Int](repeating: 3, count: 25))
        #expect(trainer.discriminator.parameters == trainer.baseline.parameters)
        #expect(trainer.discriminator.architecture.outputSize == 25)
    }

    @Test("learns: on separated modes with 5 labels per class, both classifiers beat chance by far")
    func learns() throws {
        let result = try Self.small { $0.labels = 5; $0.steps = 300; $0.data = ManifoldSpec(kind: .ring) }.run()
        let run = result.runs[0]
        #expect(run.fault == nil)
        #expect(run.accuracy > 0.8 && run.baselineAccuracy > 0.8, "\(run.accuracy), \(run.baselineAccuracy)")
        #expect(run.bayesTestAccuracy == 1)
    }

    @Test("refuses data without labelled modes, feature matching without a hidden layer, a pool mostly labelled")
    func refusals() {
        #expect(throws: ManifoldLabError.self) { try Self.small { $0.data = ManifoldSpec(kind: .line) }.validate() }
        #expect(throws: ManifoldLabError.self) { try Self.small { $0.layers = 0 }.validate() }
        #expect(throws: ManifoldLabError.self) { try Self.small { $0.labels = 20 }.validate() }
        #expect(throws: ManifoldLabError.self) { try Self.small { $0.supervisedWeight = 0 }.validate() }
        // 50 points for 25 classes × 1 label: every class still has its label (drawn class by class).
        let trainer = try? SemiSupervisedTrainer(Self.small { $0.labels = 1; $0.unlabelled = 50 }, seed: Seed(0))
        #expect(trainer?.labelled == Array(0..<25) && trainer?.pool.labels.prefix(25) == ArraySlice(0..<25))
        #expect((try? Self.small { $0.layers = 0; $0.generatorCost = .nonsat }.validate()) != nil)
    }
}
