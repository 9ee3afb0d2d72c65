import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN

/// A small run on the 8-mode ring in R^8 (as TechniqueTrainingTests).
private func ring(steps: Int, techniques: Techniques, precision: Precision = .double) -> TrainingConfiguration {
    TrainingConfiguration(data: ManifoldSpec(kind: .ring), dimension: 8, latent: 2, hidden: 32, layers: 1, batch: 64,
                          steps: steps, loss: .nonsat, learningRate: 1e-3, precision: precision, seed: Seed(1),
                          logEvery: 50, evaluationPoints: 200, techniques: techniques)
}

@Suite("Virtual batch normalisation in training")
struct VirtualBatchNormTrainingTests {
    init() { BLASBackend.setThreads(1) }

    @Test("train-toy --virtual-batchnorm runs on ring without a fault, repeats per seed, differs from plain, saves its G",
          arguments: [Precision.double, .float])
    func trains(precision: Precision) throws {
        let vbn = Techniques(virtualBatchNorm: true)
        let a = try ring(steps: 120, techniques: vbn, precision: precision).run()
        let b = try ring(steps: 120, techniques: vbn, precision: precision).run()
        #expect(a.fault == nil && a.stepsRun == 120)
        #expect(a.metricsCSV == b.metricsCSV && a.samplesCSV == b.samplesCSV)
        #expect(a.metricsCSV != (try ring(steps: 120, techniques: .none, precision: precision).run()).metricsCSV)
        #expect(a.records.allSatisfy { $0.w1.isFinite && $0.generatorGradientNonsat > 0 && $0.modesCovered != nil })
        // The saved G (Double, with its reference batch) reproduces the run's final samples.
        guard case .virtualBatchNorm(let saved)? = a.generator else { Issue.record("no VBN generator saved"); return }
        #expect(saved.referenceRows == 64 && saved.parametersAreFinite)
        #expect(a.summary(out: nil).techniques.virtualBatchnorm)
    }

    @Test("refused without a hidden layer in G or with an affine G, with the reason",
          arguments: [(0, GeneratorKind.mlp, "layers ≥ 1"), (1, .affine, "generator mlp")])
    func refusals(layers: Int, generator: GeneratorKind, mention: String) {
        var c = ring(steps: 10, techniques: Techniques(virtualBatchNorm: true))
        c.layers = layers
        c.generator = generator
        do {
            try c.validate()
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(mention) && error.kind == .usage, "\(error.description)")
        }
    }

    @Test("techniques without virtual_batchnorm decode with it off; the vocabulary's keys round-trip")
    func oldManifest() throws {
        let json = #"{"feature_matching":true,"historical_avg":0,"label_smoothing":1}"#
        let t = try JSONOutput.decoder().decode(Techniques.self, from: Data(json.utf8))
        #expect(t.featureMatching && !t.virtualBatchNorm)
        let written = JSONOutput.line(Techniques(minibatchDiscrimination: MinibatchShape(kernels: 8, dimension: 4), virtualBatchNorm: true))
        #expect(written.contains(#""virtual_batchnorm":true"#) && written.contains(#""minibatch_disc":[8,4]"#), "\(written)")
        let again = try JSONOutput.decoder().decode(Techniques.self, from: Data(written.utf8))
        #expect(again.virtualBatchNorm && again.minibatchDiscrimination == MinibatchShape(kernels: 8, dimension: 4))
    }
}
