import Foundation
import Testing
@testable import ManifoldLab

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

    private func gan(_ loss: GANLoss, techniques: Techniques = .none) throws -> ToyGAN<Float> {
        let setup = try ToySetup(data: ManifoldSpec(kind: .circle), dimension: 6, gap: 0, seed: Seed(2))
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
