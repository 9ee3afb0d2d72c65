import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// The (K+1)-class discriminator's costs (Salimans et al. 2016, §5) against their definitions,
/// central finite differences, and the ordinary GAN discriminator they reduce to at K = 1.
@Suite("(K+1)-class discriminator costs")
struct ClassLogitLossTests {
    /// −log p(y|x, real) written from the probabilities (fine at moderate logits).
    static func crossEntropy(_ logits: [Double], classes k: Int, labels: [Int]) -> Double {
        labels.indices.reduce(0) { total, i in
            let row = Array(logits[(i * k)..<((i + 1) * k)])
            let z = row.reduce(0) { $0 + exp($1) }
            return total - log(exp(row[labels[i]]) / z)
        } / Double(labels.count)
    }

    /// −E log D(x) with D = Z/(Z + 1) from the probabilities, or −E log(1 − D(x)).
    static func ganCost(_ logits: [Double], classes k: Int, real: Bool) -> Double {
        let rows = logits.count / k
        return (0..<rows).reduce(0) { total, i in
            let z = logits[(i * k)..<((i + 1) * k)].reduce(0) { $0 + exp($1) }
            return total - log(real ? z / (z + 1) : 1 / (z + 1))
        } / Double(rows)
    }

    @Test("values equal the definitions through Z = Σ exp l_k and D = Z/(Z + 1)")
    func definitions() {
        let rng = RandomStream(seed: Seed(3))
        let k = 5, labels = [0, 4, 2, 2, 1, 3]
        let logits = (0..<(labels.count * k)).map { _ in 2 * rng.gaussian() }
        logits.withUnsafeBufferPointer { l in
            #expect(abs(ClassLogitLoss.supervised(logits: l, classes: k, labels: labels, gradient: nil) - Self.crossEntropy(logits, classes: k, labels: labels)) < 1e-12)
            #expect(abs(ClassLogitLoss.unsupervised(logits: l, classes: k, loss: .discriminatorReal(), gradient: nil) - Self.ganCost(logits, classes: k, real: true)) < 1e-12)
            #expect(abs(ClassLogitLoss.unsupervised(logits: l, classes: k, loss: .discriminatorFake, gradient: nil) - Self.ganCost(logits, classes: k, real: false)) < 1e-12)
        }
    }

    @Test("gradients with respect to the logits match central differences to 1e-6", arguments: [1, 3, 25])
    func logitGradients(classes k: Int) {
        let rng = RandomStream(seed: Seed(UInt64(k)))
        let labels = (0..<4).map { _ in rng.integer(below: k) }
        let logits = (0..<(labels.count * k)).map { _ in 3 * rng.gaussian() }
        let scale = 0.7
        let costs: [(String, (UnsafeBufferPointer<Double>, UnsafeMutablePointer<Double>?) -> Double)] = [
            ("supervised", { ClassLogitLoss.supervised(logits: $0, classes: k, labels: labels, gradient: $1, scale: scale) }),
            ("real", { ClassLogitLoss.unsupervised(logits: $0, classes: k, loss: .discriminatorReal(), gradient: $1, scale: scale) }),
            ("fake", { ClassLogitLoss.unsupervised(logits: $0, classes: k, loss: .discriminatorFake, gradient: $1, scale: scale) }),
            ("nonsat G", { ClassLogitLoss.unsupervised(logits: $0, classes: k, loss: .nonSaturatingGenerator, gradient: $1, scale: scale) }),
        ]
        for (name, cost) in costs {
            var analytic = [Double](repeating: 0, count: logits.count)
            logits.withUnsafeBufferPointer { l in analytic.withUnsafeMutableBufferPointer { _ = cost(l, $0.baseAddress!) } }
            let numeric = GradientCheck.centralDifferences(at: logits) { x in x.withUnsafeBufferPointer { scale * cost($0, nil) } }
            #expect(GradientCheck.relativeError(analytic, numeric) < 1e-6, "\(name), K = \(k)")
        }
    }

    @Test("K = 1: the unsupervised cost is the ordinary GAN discriminator's cross-entropy, value and gradient")
    func reducesToGAN() {
        let rng = RandomStream(seed: Seed(8))
        let logits = (0..<16).map { _ in 4 * rng.gaussian() }
        let matrix = Matrix(rows: 16, columns: 1, storage: logits)
        for loss in [LogitLoss.discriminatorReal(), .discriminatorFake] {
            var ours = [Double](repeating: 0, count: 16)
            let value = logits.withUnsafeBufferPointer { l in
                ours.withUnsafeMutableBufferPointer { ClassLogitLoss.unsupervised(logits: l, classes: 1, loss: loss, gradient: $0.baseAddress!) }
            }
            let (reference, gradient) = loss.meanAndGradient(logits: matrix)
            #expect(abs(value - reference) < 1e-14)
            #expect(GradientCheck.relativeError(ours, gradient.storage) < 1e-14)
        }
    }

    @Test("finite at logits of ±1000, where Z overflows and D rounds to 0 or 1")
    func extremeLogits() {
        let logits: [Double] = [1000, -1000, 999, -1000, -1000, -1000]
        var gradient = [Double](repeating: 0, count: 6)
        logits.withUnsafeBufferPointer { l in
            gradient.withUnsafeMutableBufferPointer { g in
                let s = ClassLogitLoss.supervised(logits: l, classes: 3, labels: [1, 0], gradient: g.baseAddress!)
                // Row 1: lse − l₁ = 1000 + log(1 + e^−1) + 1000; row 2: lse(−1000 three times) − (−1000) = log 3.
                let expected = (2000 + log1p(exp(-1.0)) + log(3)) / 2
                #expect(abs(s - expected) < 1e-13 * expected)
                let fake = ClassLogitLoss.unsupervised(logits: l, classes: 3, loss: .discriminatorFake, gradient: g.baseAddress!)
                #expect(fake.isFinite && fake > 400)  // −log(1 − D) ≈ u = 1000.3 on row 1
            }
        }
        #expect(gradient.allSatisfy { $0.isFinite })
    }

    @Test("D's parameter gradient of w_s·L_supervised + w_u·L_unsupervised matches central differences to 1e-6")
    func networkGradient() {
        let rng = RandomStream(seed: Seed(12))
        let (d, k) = (4, 3)
        let architecture = MLPArchitecture(input: d, width: 6, hiddenLayers: 2, output: k, hidden: .tanh)
        var network = MLP<Double>(architecture: architecture, seed: Seed(5))
        let labelled = GradientCheck.matrix(rows: 5, columns: d, rng: rng), labels = [0, 1, 2, 2, 1]
        let real = GradientCheck.matrix(rows: 6, columns: d, rng: rng), fake = GradientCheck.matrix(rows: 4, columns: d, rng: rng)
        let (ws, wu) = (1.3, 0.6)
        func cost(_ parameters: [Double]) -> Double {
            let net = MLP<Double>(architecture: architecture, parameters: parameters)
            let l = net(labelled).storage, r = net(real).storage, f = net(fake).storage
            return ws * ClassLogitLossTests.crossEntropy(l, classes: k, labels: labels)
                + wu * (ClassLogitLossTests.ganCost(r, classes: k, real: true) + ClassLogitLossTests.ganCost(f, classes: k, real: false))
        }
        // As the trainer composes it: each batch's logit gradient, then the network's backward pass.
        network.zeroGradients()
        let tape = network.makeTape()
        for (batch, which) in [(labelled, 0), (real, 1), (fake, 2)] {
            network.forward(batch, tape: tape)
            var g = [Double](repeating: 0, count: tape.outputBuffer.count)
            g.withUnsafeMutableBufferPointer { gp in
                switch which {
                case 0: _ = ClassLogitLoss.supervised(logits: tape.outputBuffer, classes: k, labels: labels, gradient: gp.baseAddress!, scale: ws)
                case 1: _ = ClassLogitLoss.unsupervised(logits: tape.outputBuffer, classes: k, loss: .discriminatorReal(), gradient: gp.baseAddress!, scale: wu)
                default: _ = ClassLogitLoss.unsupervised(logits: tape.outputBuffer, classes: k, loss: .discriminatorFake, gradient: gp.baseAddress!, scale: wu)
                }
            }
            g.withUnsafeBufferPointer { network.backward(outputGradient: $0, tape: tape) }
        }
        let numeric = GradientCheck.centralDifferences(at: network.parameters, cost)
        #expect(GradientCheck.relativeError(network.gradients, numeric) < 1e-6)
    }

    @Test("predictions are the argmax of the K logits")
    func predictions() {
        let logits = Matrix(rows: 3, columns: 3, storage: [0.1, 0.5, -1, 3, 2, 2.9, -5, -4, -4.5])
        #expect(ClassLogitLoss.predictions(logits) == [1, 0, 1])
    }
}
