import Foundation

/// One optimiser of a concrete kind (an enum, so the per-step call is direct).
enum AnyOptimizer<Scalar: BLASScalar> {
    case adam(Adam<Scalar>)
    case rmsprop(RMSProp<Scalar>)
    case sgd(SGD<Scalar>)

    /// Adam uses GAN practice's β₁ = 0.5 (DCGAN, and bench/torch_gan.py); the others PyTorch's defaults.
    init(_ kind: OptimizerKind, learningRate: Double) {
        switch kind {
        case .adam: self = .adam(Adam(learningRate: learningRate, beta1: 0.5))
        case .rmsprop: self = .rmsprop(RMSProp(learningRate: learningRate))
        case .sgd: self = .sgd(SGD(learningRate: learningRate))
        }
    }

    mutating func step(_ network: inout MLP<Scalar>) {
        switch self {
        case .adam(var o): o.step(&network); self = .adam(o)
        case .rmsprop(var o): o.step(&network); self = .rmsprop(o)
        case .sgd(var o): o.step(&network); self = .sgd(o)
        }
    }
}

/// What D and the generator's gradients look like on one fresh batch, without any update.
struct Probe {
    var accuracyReal = 0.0
    var accuracyFake = 0.0
    /// D's loss on the batch (cross-entropy sum of the real and fake means; critic loss for WGAN).
    var discriminatorLoss = 0.0
    /// log 2 + ½ E_P log D + ½ E_Q log(1 − D): a lower bound on JS(P_σ, Q_σ) when D's output is a logit.
    var jsLowerBound = 0.0
    /// ‖∂/∂θ_G E log(1 − D(G(z)))‖.
    var minimaxNorm = 0.0
    /// ‖∂/∂θ_G (−E log D(G(z)))‖.
    var nonsatNorm = 0.0
    /// d/dθ of each cost when G's output moves by −θ·n (towards the data for the vanish placement):
    /// −(Σ_r ∂L/∂x_r)·n.
    var minimaxOffset = 0.0
    var nonsatOffset = 0.0
    /// Mean ‖∇ₓD‖ at the (noisy) fakes.
    var inputGradientAtFakes = 0.0
}

/// A generator and a discriminator (or critic), their optimisers, tapes and batch buffers: one
/// GAN training step or one diagnostic probe at a time, allocation-free per step.
final class ToyGAN<Scalar: BLASScalar> {
    var generator: MLP<Scalar>
    var discriminator: MLP<Scalar>
    var generatorOptimizer: AnyOptimizer<Scalar>
    var discriminatorOptimizer: AnyOptimizer<Scalar>
    let loss: GANLoss
    let gamma: Double
    let clip: Scalar
    let batch: Int
    let sampler: BatchSampler<Scalar>
    let probeSampler: BatchSampler<Scalar>
    private let penaltyStream: RandomStream
    private let generatorTape: MLPTape<Scalar>
    private let realTape: MLPTape<Scalar>
    private let fakeTape: MLPTape<Scalar>
    private let penaltyTape: MLPTape<Scalar>
    private var real: Matrix<Scalar>
    private var fake: Matrix<Scalar>
    private var latent: Matrix<Scalar>
    private var interpolates: Matrix<Scalar>
    private var gradientSum: [Double]

    init(generator: MLP<Scalar>, discriminator: MLP<Scalar>, optimizer: OptimizerKind, learningRate: Double,
         loss: GANLoss, gamma: Double, clip: Double, batch: Int, sampler: BatchSampler<Scalar>,
         probeSampler: BatchSampler<Scalar>, seed: Seed) {
        self.generator = generator
        self.discriminator = discriminator
        generatorOptimizer = AnyOptimizer(optimizer, learningRate: learningRate)
        discriminatorOptimizer = AnyOptimizer(optimizer, learningRate: learningRate)
        self.loss = loss
        self.gamma = gamma
        self.clip = Scalar(clip)
        self.batch = batch
        self.sampler = sampler
        self.probeSampler = probeSampler
        penaltyStream = RandomStream(seed: seed.child("penalty"))
        generatorTape = generator.makeTape()
        realTape = discriminator.makeTape()
        fakeTape = discriminator.makeTape()
        penaltyTape = discriminator.makeTape()
        let d = sampler.dimension
        real = Matrix(rows: batch, columns: d)
        fake = Matrix(rows: batch, columns: d)
        latent = Matrix(rows: batch, columns: generator.architecture.inputSize)
        interpolates = Matrix(rows: batch, columns: d)
        gradientSum = [Double](repeating: 0, count: d)
    }

    /// A fresh discriminator and optimiser (the vanish experiment's second phase).
    func resetDiscriminator(_ network: MLP<Scalar>, optimizer: OptimizerKind, learningRate: Double) {
        discriminator = network
        discriminatorOptimizer = AnyOptimizer(optimizer, learningRate: learningRate)
    }

    /// One D update on a fresh real batch and a fresh fake batch, both with noise σ. Returns D's loss.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func discriminatorStep(sigma: Double) -> Double {
        sampler.fillData(&real, sigma: sigma)
        sampler.fillLatent(&latent)
        generator.forward(latent, tape: generatorTape)
        sampler.addNoise(generatorTape.outputBuffer, sigma: sigma, into: &fake)
        discriminator.zeroGradients()
        discriminator.forward(real, tape: realTape)
        var value = Double(discriminator.backward(loss: loss.realLoss, tape: realTape))
        discriminator.forward(fake, tape: fakeTape)
        value += Double(discriminator.backward(loss: loss.fakeLoss, tape: fakeTape))
        switch loss {
        case .wganGP:
            NormPenalty.interpolate(real: real, fake: fake, rng: penaltyStream, into: &interpolates)
            value += discriminator.accumulatePenaltyGradient(.wganGP(lambda: gamma), at: interpolates, tape: penaltyTape).value
        case .r1 where gamma > 0:
            value += discriminator.accumulatePenaltyGradient(.r1(gamma: gamma), at: real, tape: penaltyTape).value
        default: break
        }
        discriminatorOptimizer.step(&discriminator)
        if loss == .wgan { discriminator.clipParameters(to: clip) }
        return value
    }

    /// One G update on a fresh latent batch (fakes with noise σ). Returns G's loss.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func generatorStep(sigma: Double) -> Double {
        sampler.fillLatent(&latent)
        generator.forward(latent, tape: generatorTape)
        sampler.addNoise(generatorTape.outputBuffer, sigma: sigma, into: &fake)
        discriminator.forward(fake, tape: fakeTape)
        let value = discriminator.backwardToInput(loss: loss.generatorLoss, tape: fakeTape)
        generator.zeroGradients()
        generator.backward(fromInputOf: fakeTape, tape: generatorTape)
        generatorOptimizer.step(&generator)
        return Double(value)
    }

    /// Evaluates D and both generator costs' gradients on a fresh batch from the probe streams;
    /// changes no parameter (G's accumulated gradients are overwritten). `direction` is the unit
    /// vector n of the offset components.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func probe(sigma: Double, direction: [Double]?, inputGradient: Bool = true) -> Probe {
        var result = Probe()
        probeSampler.fillData(&real, sigma: sigma)
        probeSampler.fillLatent(&latent)
        generator.forward(latent, tape: generatorTape)
        probeSampler.addNoise(generatorTape.outputBuffer, sigma: sigma, into: &fake)
        discriminator.forward(real, tape: realTape)
        var softplusReal = 0.0, softplusFake = 0.0, correctReal = 0, correctFake = 0
        for z in realTape.outputBuffer {
            softplusReal += Double(Logistic.softplus(-z))
            if z > 0 { correctReal += 1 }
        }
        result.discriminatorLoss = Double(loss.realLoss.evaluate(logits: realTape.outputBuffer, gradient: nil))
        discriminator.forward(fake, tape: fakeTape)
        for z in fakeTape.outputBuffer {
            softplusFake += Double(Logistic.softplus(z))
            if z < 0 { correctFake += 1 }
        }
        result.discriminatorLoss += Double(loss.fakeLoss.evaluate(logits: fakeTape.outputBuffer, gradient: nil))
        let n = Double(batch)
        result.accuracyReal = Double(correctReal) / n
        result.accuracyFake = Double(correctFake) / n
        result.jsLowerBound = M_LN2 - 0.5 * softplusReal / n - 0.5 * softplusFake / n

        for cost in [LogitLoss.minimaxGenerator, .nonSaturatingGenerator] {
            discriminator.backwardToInput(loss: cost, tape: fakeTape)
            generator.zeroGradients()
            generator.backward(fromInputOf: fakeTape, tape: generatorTape)
            let norm = Double(generator.gradientNorm)
            let offset = direction.map { offsetComponent(fakeTape.inputGradientBuffer, direction: $0) } ?? 0
            if cost == .minimaxGenerator {
                result.minimaxNorm = norm
                result.minimaxOffset = offset
            } else {
                result.nonsatNorm = norm
                result.nonsatOffset = offset
            }
        }
        generator.zeroGradients()
        guard inputGradient else { return result }
        discriminator.inputGradient(at: fake, tape: penaltyTape)
        result.inputGradientAtFakes = penaltyTape.inputGradientNorms.reduce(0) { $0 + Double($1) } / n
        return result
    }

    /// −(Σ_r g_r)·n for a rows × D gradient g.
    private func offsetComponent(_ gradient: UnsafeBufferPointer<Scalar>, direction: [Double]) -> Double {
        let d = direction.count
        for j in 0..<d { gradientSum[j] = 0 }
        for r in 0..<(gradient.count / d) {
            for j in 0..<d { gradientSum[j] += Double(gradient[r * d + j]) }
        }
        var dot = 0.0
        for j in 0..<d { dot += gradientSum[j] * direction[j] }
        return -dot
    }

    /// G at `latent` (rows × k), as Double points.
    func generate(_ latent: Matrix<Scalar>) -> Matrix<Double> {
        let tape = generator.makeTape()
        generator.forward(latent, tape: tape)
        return Matrix(rows: latent.rows, columns: generator.architecture.outputSize,
                      storage: tape.outputBuffer.map { Double($0) })
    }

    /// The name of the first non-finite parameter set, if any.
    var nonFiniteParameters: String? {
        if !discriminator.parametersAreFinite { return "a discriminator weight" }
        if !generator.parametersAreFinite { return "a generator weight" }
        return nil
    }
}
