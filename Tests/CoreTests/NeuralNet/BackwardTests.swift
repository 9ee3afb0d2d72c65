import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Every backward path against central finite differences in Double (relative error < 1e-6).
@Suite("MLP backward passes against finite differences")
struct BackwardTests {
    static let smooth: [Activation] = [.tanh, .sigmoid]
    static let tolerance = 1e-6

    /// L(θ, x) = Σ C ⊙ output, so ∂L/∂output = C.
    static func weightedOutput(_ net: MLP<Double>, _ input: Matrix<Double>, _ weights: Matrix<Double>) -> Double {
        zip(net(input).storage, weights.storage).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test("∂L/∂θ and ∂L/∂x for smooth hidden and output activations",
          arguments: [(Activation.tanh, Activation.identity), (.sigmoid, .identity), (.tanh, .tanh), (.tanh, .sigmoid)])
    func parameterAndInputGradients(hidden: Activation, output: Activation) {
        let rng = RandomStream(seed: Seed(11))
        let architecture = MLPArchitecture(layerSizes: [3, 5, 4, 2], hidden: hidden, output: output)
        var net = MLP<Double>(architecture: architecture, rng: rng)
        let x = GradientCheck.matrix(rows: 4, columns: 3, rng: rng)
        let c = GradientCheck.matrix(rows: 4, columns: 2, rng: rng)

        let tape = net.makeTape()
        net.forward(x, tape: tape)
        net.backward(outputGradient: c, tape: tape, inputGradient: true)

        let parameterFD = GradientCheck.centralDifferences(at: net.parameters) { theta in
            Self.weightedOutput(MLP(architecture: architecture, parameters: theta), x, c)
        }
        #expect(GradientCheck.relativeError(net.gradients, parameterFD) < Self.tolerance)
        let inputFD = GradientCheck.centralDifferences(at: x.storage) { point in
            Self.weightedOutput(net, Matrix(rows: 4, columns: 3, storage: point), c)
        }
        #expect(GradientCheck.relativeError(tape.inputGradient.storage, inputFD) < Self.tolerance)
    }

    @Test("∂L/∂θ and ∂L/∂x for ReLU and LeakyReLU away from their kinks",
          arguments: [Activation.relu, .leakyRelu(slope: 0.2)])
    func piecewiseLinearGradients(hidden: Activation) throws {
        let rng = RandomStream(seed: Seed(14))
        let architecture = MLPArchitecture(layerSizes: [3, 6, 6, 1], hidden: hidden)
        var net = MLP<Double>(architecture: architecture, rng: rng)
        let x = GradientCheck.matrix(rows: 5, columns: 3, rng: rng)
        let c = GradientCheck.matrix(rows: 5, columns: 1, rng: rng)
        // A step of 1e-6 moves no pre-activation by more than ~1e-5: none may be within 1e-3 of 0.
        try #require(GradientCheck.smallestHiddenPreActivation(net, x) > 1e-3)

        let tape = net.makeTape()
        net.forward(x, tape: tape)
        net.backward(outputGradient: c, tape: tape, inputGradient: true)
        let parameterFD = GradientCheck.centralDifferences(at: net.parameters) { theta in
            Self.weightedOutput(MLP(architecture: architecture, parameters: theta), x, c)
        }
        #expect(GradientCheck.relativeError(net.gradients, parameterFD) < Self.tolerance)
        let inputFD = GradientCheck.centralDifferences(at: x.storage) { point in
            Self.weightedOutput(net, Matrix(rows: 5, columns: 3, storage: point), c)
        }
        #expect(GradientCheck.relativeError(tape.inputGradient.storage, inputFD) < Self.tolerance)
    }

    @Test("∇ₓD(x) per row matches finite differences of D", arguments: [Activation.tanh, .sigmoid])
    func inputGradientOfScalarNetwork(hidden: Activation) {
        let rng = RandomStream(seed: Seed(13))
        let net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [4, 6, 5, 1], hidden: hidden), rng: rng)
        let x = GradientCheck.matrix(rows: 3, columns: 4, rng: rng)
        let tape = net.makeTape()
        let gradient = net.inputGradient(at: x, tape: tape)
        let fd = GradientCheck.centralDifferences(at: x.storage) { point in
            net(Matrix(rows: 3, columns: 4, storage: point)).storage.reduce(0, +)
        }
        #expect(GradientCheck.relativeError(gradient.storage, fd) < Self.tolerance)
        for r in 0..<3 {
            let norm = gradient.row(r).reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(tape.inputGradientNorms[r] - norm) < 1e-14)
        }
    }

    /// The penalty's gradient with respect to θ (double backward) against finite differences of P(θ).
    func checkPenalty(_ penalty: NormPenalty, architecture: MLPArchitecture, seed: UInt64, weight: Double = 1) throws {
        let rng = RandomStream(seed: Seed(seed))
        var net = MLP<Double>(architecture: architecture, rng: rng)
        let x = GradientCheck.matrix(rows: 4, columns: architecture.inputSize, rng: rng)
        if architecture.hidden.isPiecewiseLinear {
            try #require(GradientCheck.smallestHiddenPreActivation(net, x) > 1e-3)
        }
        let tape = net.makeTape()
        let evaluation = net.accumulatePenaltyGradient(penalty, at: x, tape: tape, weight: weight)
        let fd = GradientCheck.centralDifferences(at: net.parameters) { theta in
            weight * MLP(architecture: architecture, parameters: theta).penalty(penalty, at: x, tape: net.makeTape()).value
        }
        #expect(GradientCheck.relativeError(net.gradients, fd) < Self.tolerance,
                "\(penalty) on \(architecture)")
        // The reported value and norms agree with a direct computation from ∇ₓD.
        let gradient = net.inputGradient(at: x, tape: net.makeTape())
        let norms = (0..<4).map { gradient.row($0).reduce(0) { $0 + $1 * $1 }.squareRoot() }
        #expect(abs(evaluation.value - norms.map(penalty.value).reduce(0, +) / 4) < 1e-12)
        #expect(abs(evaluation.meanGradientNorm - norms.reduce(0, +) / 4) < 1e-12)
        #expect(evaluation.maxGradientNorm == norms.max())
    }

    @Test("WGAN-GP penalty λ(‖∇ₓD‖ − 1)²: exact θ-gradient by double backward",
          arguments: [(Activation.tanh, Activation.identity), (.sigmoid, .identity), (.tanh, .sigmoid)])
    func wganGPGradient(hidden: Activation, output: Activation) throws {
        try checkPenalty(.wganGP(lambda: 10),
                         architecture: MLPArchitecture(layerSizes: [3, 5, 4, 1], hidden: hidden, output: output), seed: 21)
    }

    @Test("R1 penalty (γ/2)‖∇ₓD‖²: exact θ-gradient by double backward",
          arguments: [(Activation.tanh, Activation.identity), (.sigmoid, .tanh)])
    func r1Gradient(hidden: Activation, output: Activation) throws {
        try checkPenalty(.r1(gamma: 2.5),
                         architecture: MLPArchitecture(layerSizes: [3, 5, 4, 1], hidden: hidden, output: output), seed: 22,
                         weight: 0.5)
    }

    @Test("penalty gradients of ReLU and LeakyReLU critics (no curvature term), away from kinks",
          arguments: [Activation.relu, .leakyRelu(slope: 0.2)])
    func piecewiseLinearPenalties(hidden: Activation) throws {
        let architecture = MLPArchitecture(layerSizes: [3, 6, 6, 1], hidden: hidden)
        try checkPenalty(.wganGP(), architecture: architecture, seed: 23)
        try checkPenalty(.r1(gamma: 1), architecture: architecture, seed: 23)
    }

    @Test("the generator's gradient through the discriminator: G.backward(fromInputOf:) matches finite differences")
    func generatorThroughDiscriminator() {
        let rng = RandomStream(seed: Seed(31))
        let gArchitecture = MLPArchitecture(layerSizes: [2, 5, 3], hidden: .tanh, output: .tanh)
        let dArchitecture = MLPArchitecture(layerSizes: [3, 4, 1], hidden: .sigmoid)
        var g = MLP<Double>(architecture: gArchitecture, rng: rng)
        var d = MLP<Double>(architecture: dArchitecture, rng: rng)
        let z = GradientCheck.matrix(rows: 4, columns: 2, rng: rng)
        let gTape = g.makeTape(), dTape = d.makeTape()
        g.forward(z, tape: gTape)
        d.forward(gTape.outputBuffer, tape: dTape)
        let loss = d.backwardToInput(loss: .minimaxGenerator, tape: dTape)
        g.backward(fromInputOf: dTape, tape: gTape)
        #expect(d.gradients.allSatisfy { $0 == 0 }, "backwardToInput leaves D's gradients alone")

        let objective: ([Double]) -> Double = { theta in
            LogitLoss.minimaxGenerator.mean(logits: d(MLP(architecture: gArchitecture, parameters: theta)(z)))
        }
        #expect(abs(loss - objective(g.parameters)) < 1e-14)
        let fd = GradientCheck.centralDifferences(at: g.parameters, objective)
        #expect(GradientCheck.relativeError(g.gradients, fd) < Self.tolerance)
        d.zeroGradients()
    }

    @Test("backward(loss:) accumulates: two passes give twice the gradient; zeroGradients clears")
    func accumulation() {
        var net = MLP<Double>(architecture: MLPArchitecture(layerSizes: [2, 3, 1], hidden: .tanh), seed: Seed(4))
        let x = GradientCheck.matrix(rows: 3, columns: 2, rng: RandomStream(seed: Seed(5)))
        let tape = net.makeTape()
        net.forward(x, tape: tape)
        net.backward(loss: .discriminatorReal(), tape: tape)
        let once = net.gradients
        net.backward(loss: .discriminatorReal(), tape: tape)
        for i in once.indices { #expect(abs(net.gradients[i] - 2 * once[i]) < 1e-15) }
        net.zeroGradients()
        #expect(net.gradients.allSatisfy { $0 == 0 })
        // A tape reused for another batch size gives the same result as a fresh one.
        let bigger = GradientCheck.matrix(rows: 7, columns: 2, rng: RandomStream(seed: Seed(6)))
        net.forward(bigger, tape: tape)
        #expect(tape.output == net(bigger))
    }
}
