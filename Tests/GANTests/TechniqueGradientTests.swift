import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// The Improved-GAN techniques' backward passes against central finite differences (Double).
@Suite("Improved-GAN techniques against finite differences")
struct TechniqueGradientTests {
    static let tolerance = 1e-6

    /// L = Σ_{i,b} W_{ib} o_{ib}: ∂L/∂o = W.
    static func weightedOutput(_ layer: MinibatchDiscrimination<Double>, _ f: [Double], _ w: [Double]) -> Double {
        let tape = MinibatchTape<Double>()
        f.withUnsafeBufferPointer { layer.forward($0, tape: tape) }
        return zip(tape.outputBuffer, w).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test("minibatch discrimination: o matches its definition, ∂L/∂T and ∂L/∂f match finite differences")
    func minibatchLayer() {
        let rng = RandomStream(seed: Seed(21))
        let (rows, a, b, c) = (6, 5, 3, 2)
        var layer = MinibatchDiscrimination<Double>(features: a, kernels: b, kernelDimension: c, rng: rng)
        layer.parameters = layer.parameters.map { $0 * 10 } // distances of order 1, so c_b is not ≈ 1
        let f = (0..<(rows * a)).map { _ in rng.gaussian() }
        let w = (0..<(rows * b)).map { _ in rng.gaussian() }

        // The definition, written out: o_ib = Σ_{j≠i} exp(−Σ_l |M_ibl − M_jbl|), M = f T.
        let tape = MinibatchTape<Double>()
        f.withUnsafeBufferPointer { layer.forward($0, tape: tape) }
        func m(_ i: Int, _ k: Int, _ l: Int) -> Double {
            (0..<a).reduce(0) { $0 + f[i * a + $1] * layer.parameters[$1 * b * c + k * c + l] }
        }
        for i in 0..<rows {
            for k in 0..<b {
                var expected = 0.0
                for j in 0..<rows where j != i {
                    expected += exp(-(0..<c).reduce(0) { $0 + abs(m(i, k, $1) - m(j, k, $1)) })
                }
                #expect(abs(tape.outputBuffer[i * b + k] - expected) < 1e-12)
            }
        }

        layer.zeroGradients()
        w.withUnsafeBufferPointer { layer.backward(outputGradient: $0, tape: tape, accumulate: true) }
        let tFD = GradientCheck.centralDifferences(at: layer.parameters) { theta in
            var copy = layer
            copy.parameters = theta
            return Self.weightedOutput(copy, f, w)
        }
        #expect(GradientCheck.relativeError(layer.gradients, tFD) < Self.tolerance)
        let fFD = GradientCheck.centralDifferences(at: f) { Self.weightedOutput(layer, $0, w) }
        #expect(GradientCheck.relativeError(Array(tape.inputGradientBuffer), fFD) < Self.tolerance)
    }

    /// Mean cross-entropy of D's logits (towards `target`) on the batch x.
    static func discriminatorLoss(_ d: Discriminator<Double>, _ x: [Double], rows: Int, target: Double) -> Double {
        let copy = d
        let tape = copy.makeTape()
        x.withUnsafeBufferPointer { copy.forward($0, tape: tape) }
        return LogitLoss.crossEntropy(target: target).evaluate(logits: copy.logits(tape), gradient: nil)
    }

    @Test("D with a minibatch layer: ∂/∂θ of every part and ∂/∂x match finite differences")
    func compositeDiscriminator() throws {
        let rng = RandomStream(seed: Seed(22))
        let (rows, dim) = (5, 3)
        var d = Discriminator<Double>(architecture: MLPArchitecture(layerSizes: [dim, 7, 6, 1], hidden: .tanh),
                                      minibatch: (kernels: 4, dimension: 3), seed: Seed(5))
        d.minibatch!.layer.parameters = d.minibatch!.layer.parameters.map { $0 * 10 }
        let x = (0..<(rows * dim)).map { _ in rng.gaussian() }
        let target = 0.9
        let tape = d.makeTape()
        d.zeroGradients()
        x.withUnsafeBufferPointer { d.forward($0, tape: tape) }
        d.backward(loss: .crossEntropy(target: target), tape: tape)

        var analytic: [[Double]] = []
        d.updateParts { _, _, g in analytic.append(g) }
        for part in 0..<d.partCount {
            let fd = GradientCheck.centralDifferences(at: analytic[part].indices.map { i -> Double in
                var value = 0.0
                var copy = d
                copy.updateParts { index, p, _ in if index == part { value = p[i] } }
                return value
            }) { theta in
                var copy = d
                copy.updateParts { index, p, _ in if index == part { p = theta } }
                return Self.discriminatorLoss(copy, x, rows: rows, target: target)
            }
            #expect(GradientCheck.relativeError(analytic[part], fd) < Self.tolerance, "part \(part)")
        }

        x.withUnsafeBufferPointer { d.forward($0, tape: tape) }
        d.backwardToInput(loss: .crossEntropy(target: target), tape: tape)
        let inputFD = GradientCheck.centralDifferences(at: x) { Self.discriminatorLoss(d, $0, rows: rows, target: target) }
        #expect(GradientCheck.relativeError(Array(d.inputGradient(tape)), inputFD) < Self.tolerance)
    }

    @Test("feature matching: G's gradient at the fakes matches finite differences of ‖μ_real − μ_fake(x)‖²",
          arguments: [false, true])
    func featureMatching(minibatch: Bool) {
        let rng = RandomStream(seed: Seed(23))
        let (rows, dim) = (4, 3)
        let d = Discriminator<Double>(architecture: MLPArchitecture(layerSizes: [dim, 6, 5, 1], hidden: .tanh),
                                      minibatch: minibatch ? (kernels: 2, dimension: 2) : nil, seed: Seed(6))
        let real = (0..<(6 * dim)).map { _ in rng.gaussian() }
        let fake = (0..<(rows * dim)).map { _ in rng.gaussian() }
        func loss(_ x: [Double]) -> Double {
            let realTape = d.makeTape(), fakeTape = d.makeTape()
            real.withUnsafeBufferPointer { d.forward($0, tape: realTape) }
            x.withUnsafeBufferPointer { d.forward($0, tape: fakeTape) }
            var unused: [Double] = []
            return FeatureMatching.loss(real: d.features(realTape), fake: d.features(fakeTape), width: d.featureWidth,
                                        gradient: &unused)
        }
        let realTape = d.makeTape(), fakeTape = d.makeTape()
        real.withUnsafeBufferPointer { d.forward($0, tape: realTape) }
        fake.withUnsafeBufferPointer { d.forward($0, tape: fakeTape) }
        var featureGradient: [Double] = []
        let value = FeatureMatching.loss(real: d.features(realTape), fake: d.features(fakeTape), width: d.featureWidth,
                                         gradient: &featureGradient)
        #expect(value > 0)
        featureGradient.withUnsafeBufferPointer { d.backwardToInput(featureGradient: $0, tape: fakeTape) }
        let fd = GradientCheck.centralDifferences(at: fake, loss)
        #expect(GradientCheck.relativeError(Array(d.inputGradient(fakeTape)), fd) < Self.tolerance)
        _ = d.partCount
    }

    @Test("historical averaging: θ̄ is the running mean and the gradient is that of λ‖θ − θ̄‖² with θ̄ held")
    func historicalAveraging() {
        let rng = RandomStream(seed: Seed(24))
        var average = HistoricalAverage<Double>(lambda: 0.3)
        let history = (0..<5).map { _ in (0..<4).map { _ in rng.gaussian() } }
        for theta in history { average.record(theta) }
        for i in 0..<4 {
            #expect(abs(average.mean[i] - history.map { $0[i] }.reduce(0, +) / 5) < 1e-15)
        }
        let theta = (0..<4).map { _ in rng.gaussian() }
        var gradient = [Double](repeating: 0, count: 4)
        average.addGradient(theta, to: &gradient)
        let fd = GradientCheck.centralDifferences(at: theta) { average.penalty($0) }
        #expect(GradientCheck.relativeError(gradient, fd) < Self.tolerance)
    }
}
