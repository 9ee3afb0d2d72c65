import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// What a pass allocates, and that the leaner paths compute exactly what the tape passes did: the
/// ∇ₓD diagnostic without double-backward buffers, evaluation without a tape, one D tape per GAN.
@Suite("Tape workspaces: what each pass allocates")
struct TapeWorkspaceTests {
    init() { BLASBackend.setThreads(1) }

    static let architectures = [
        MLPArchitecture(layerSizes: [5, 16, 16, 1]),
        MLPArchitecture(layerSizes: [5, 16, 8, 1], hidden: .tanh),
        MLPArchitecture(layerSizes: [3, 12, 1], hidden: .leakyRelu(slope: 0.2), output: .sigmoid),
    ]

    @Test("∇ₓD by the first-order pass: no double-backward buffers, the penalty pass's values bit for bit",
          arguments: architectures)
    func inputGradientWithoutPenaltyBuffers(architecture: MLPArchitecture) {
        check(Double.self, architecture)
        check(Float.self, architecture)
    }

    private func check<Scalar: BLASScalar>(_: Scalar.Type, _ architecture: MLPArchitecture) {
        let rng = RandomStream(seed: Seed(3))
        var net = MLP<Scalar>(architecture: architecture, rng: rng)
        let x = Matrix(rows: 7, columns: architecture.inputSize,
                       storage: (0..<(7 * architecture.inputSize)).map { _ in Scalar(rng.gaussian()) })
        let firstOrder = net.makeTape()
        let gradient = net.inputGradient(at: x, tape: firstOrder)
        #expect(!firstOrder.hasPenaltyBuffers)

        let penalty = net.makeTape()
        net.accumulatePenaltyGradient(.r1(gamma: 1), at: x, tape: penalty)
        #expect(penalty.hasPenaltyBuffers)
        #expect(gradient.storage == penalty.inputGradient.storage)
        #expect(firstOrder.inputGradientNorms == penalty.inputGradientNorms)

        // On a batch already run forward, without running it again.
        let again = net.makeTape()
        net.forward(x, tape: again)
        net.inputGradient(tape: again)
        #expect(Array(again.inputGradientBuffer) == gradient.storage)
        #expect(!again.hasPenaltyBuffers)
    }

    @Test("evaluation without a tape gives the tape's outputs bit for bit", arguments: architectures)
    func evaluationWithoutTape(architecture: MLPArchitecture) {
        let wide = MLPArchitecture(layerSizes: [2, 40, 40, 9], hidden: architecture.hidden, output: architecture.output)
        for shape in [architecture, wide] {
            let rng = RandomStream(seed: Seed(5))
            let net = MLP<Float>(architecture: shape, rng: rng)
            for rows in [1, 33] {
                let x = Matrix(rows: rows, columns: shape.inputSize,
                               storage: (0..<(rows * shape.inputSize)).map { _ in Float(rng.gaussian()) })
                let tape = net.makeTape()
                net.forward(x, tape: tape)
                #expect(net(x).storage == tape.output.storage, "\(shape), \(rows) rows")
            }
        }
    }

    @Test("pre-activations are kept only where σ′ needs them")
    func preActivationsKeptOnlyWhereNeeded() {
        for hidden in [Activation.relu, .tanh, .sigmoid, .leakyRelu(slope: 0.2), .leakyRelu(slope: 0)] {
            let net = MLP<Float>(architecture: MLPArchitecture(layerSizes: [3, 8, 8, 1], hidden: hidden), seed: Seed(1))
            let tape = net.makeTape()
            net.forward(Matrix(rows: 4, columns: 3, storage: (0..<12).map { Float($0) / 7 - 0.8 }), tape: tape)
            #expect(tape.z.allSatisfy { $0 == nil }, "\(hidden)")
        }
        let negative = MLP<Float>(architecture: MLPArchitecture(layerSizes: [3, 8, 1], hidden: .leakyRelu(slope: -0.5)), seed: Seed(1))
        let tape = negative.makeTape()
        negative.forward(Matrix(rows: 2, columns: 3, storage: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6]), tape: tape)
        #expect(tape.z[0] != nil && tape.z[1] == nil)
    }

    @Test("ReLU′ and LeakyReLU′ read off the activation agree with [z > 0] at every edge case",
          arguments: [Activation.relu, .leakyRelu(slope: 0.2), .leakyRelu(slope: 0)])
    func derivativeFromActivationEdgeCases(activation: Activation) {
        edgeCases(Float.self, activation)
        edgeCases(Double.self, activation)
    }

    private func edgeCases<Scalar: BLASScalar>(_: Scalar.Type, _ activation: Activation) {
        let z: [Scalar] = [-.infinity, -1, -.leastNonzeroMagnitude, -0.0, 0.0, .leastNonzeroMagnitude, 1, .infinity, .nan]
        let slope: Scalar = if case .leakyRelu(let s) = activation { Scalar(s) } else { 0 }
        let a = z.map { activation($0) }
        var g = [Scalar](repeating: 1, count: z.count)
        a.withUnsafeBufferPointer { a in
            g.withUnsafeMutableBufferPointer { g in
                activation.multiplyByDerivative(g.baseAddress!, z: nil, a: a.baseAddress!, count: z.count)
            }
        }
        #expect(g == z.map { $0 > 0 ? 1 : slope }, "\(activation) in \(Scalar.self)")
    }

    @Test("bias and σ in place give the out-of-place kernel's activations bit for bit, edge cases included",
          arguments: [Activation.identity, .relu, .leakyRelu(slope: 0.2), .leakyRelu(slope: 0), .leakyRelu(slope: -0.3),
                      .tanh, .sigmoid])
    func inPlaceActivation(activation: Activation) {
        inPlace(Float.self, activation)
        inPlace(Double.self, activation)
    }

    private func inPlace<Scalar: BLASScalar>(_: Scalar.Type, _ activation: Activation) {
        // 3 rows × 11 columns (an odd width: vector loops and their remainders).
        let edges: [Scalar] = [-.infinity, -1e30, -1, -.leastNonzeroMagnitude, -0.0, 0.0, .leastNonzeroMagnitude, 0.5, 1e30,
                               .infinity, .nan]
        let bias: [Scalar] = [0, 0, 0.25, 0, 0, -0.0, 0, -3, 0, -1, 2]
        let z0 = edges + edges.reversed() + edges.map { $0 / 3 }
        var z = z0, a = [Scalar](repeating: 0, count: z0.count), inPlace = z0
        z.withUnsafeMutableBufferPointer { z in
            a.withUnsafeMutableBufferPointer { a in
                bias.withUnsafeBufferPointer { b in
                    activation.addBiasAndApply(z.baseAddress!, bias: b.baseAddress!, a.baseAddress!, rows: 3, columns: 11)
                }
            }
        }
        inPlace.withUnsafeMutableBufferPointer { x in
            bias.withUnsafeBufferPointer { b in
                activation.addBiasAndApply(inPlace: x.baseAddress!, bias: b.baseAddress!, rows: 3, columns: 11)
            }
        }
        let same = zip(a, inPlace).allSatisfy { ($0 == $1 && $0.sign == $1.sign) || ($0.isNaN && $1.isNaN) }
        #expect(same, "\(activation) in \(Scalar.self): \(a) vs \(inPlace)")
    }

    @Test("a LeakyReLU with a negative slope (which keeps z) still matches finite differences")
    func negativeSlopeLeakyRelu() throws {
        let rng = RandomStream(seed: Seed(17))
        let architecture = MLPArchitecture(layerSizes: [3, 6, 6, 1], hidden: .leakyRelu(slope: -0.3))
        var net = MLP<Double>(architecture: architecture, rng: rng)
        let x = GradientCheck.matrix(rows: 5, columns: 3, rng: rng)
        try #require(GradientCheck.smallestHiddenPreActivation(net, x) > 1e-3)
        let tape = net.makeTape()
        net.forward(x, tape: tape)
        net.backward(outputGradient: Matrix(rows: 5, columns: 1, storage: [1, -2, 0.5, 3, -1]), tape: tape)
        let fd = GradientCheck.centralDifferences(at: net.parameters) { theta in
            zip(MLP(architecture: architecture, parameters: theta)(x).storage, [1, -2, 0.5, 3, -1]).reduce(0) { $0 + $1.0 * $1.1 }
        }
        #expect(GradientCheck.relativeError(net.gradients, fd) < 1e-6)
    }

    private func gan(_ loss: GANLoss, techniques: Techniques = .none) throws -> ToyGAN<Float> {
        let setup = try ToySetup(data: ManifoldSpec(kind: .circle), dimension: 6, offset: 0, seed: Seed(2))
        return setup.makeGAN(Float.self, generator: MLPArchitecture(input: 1, width: 16, hiddenLayers: 2, output: 6),
                             discriminator: MLPArchitecture(input: 6, width: 16, hiddenLayers: 2, output: 1),
                             latentDistribution: .normal, optimizer: .adam, learningRate: 1e-3, loss: loss,
                             techniques: techniques, gamma: loss.defaultGamma, clip: 0.01, batch: 32, seed: Seed(2))
    }

    @Test("a GAN without a penalty trains and probes on one D tape with no double-backward buffers",
          arguments: [GANLoss.minimax, .nonsat, .wgan])
    func plainLossesAllocateNoPenaltyBuffers(loss: GANLoss) throws {
        let gan = try gan(loss)
        for _ in 0..<2 {
            _ = gan.discriminatorStep(sigma: 0.1)
            _ = gan.generatorStep(sigma: 0.1)
        }
        let probe = gan.probe(sigma: 0.1, direction: nil)
        #expect(probe.inputGradientAtFakes > 0 && probe.inputGradientAtFakes.isFinite)
        #expect(gan.realTape === gan.fakeTape)
        #expect(!gan.fakeTape.trunk.hasPenaltyBuffers)
    }

    @Test("a penalty loss adds its double-backward buffers to the one D tape", arguments: [GANLoss.wganGP, .r1])
    func penaltyLossesUseTheSharedTape(loss: GANLoss) throws {
        let gan = try gan(loss)
        _ = gan.discriminatorStep(sigma: 0)
        #expect(gan.realTape === gan.fakeTape)
        #expect(gan.fakeTape.trunk.hasPenaltyBuffers)
    }

    @Test("feature matching keeps a second D tape (its cost needs real and fake features at once)")
    func featureMatchingKeepsTwoTapes() throws {
        let gan = try gan(.nonsat, techniques: Techniques(featureMatching: true))
        _ = gan.generatorStep(sigma: 0)
        #expect(gan.realTape !== gan.fakeTape)
    }
}
