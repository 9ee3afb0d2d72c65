import Foundation
import ManifoldLabCore

/// One optimiser of a concrete kind (an enum, so the per-step call is direct).
enum AnyOptimizer<Scalar: BLASScalar> {
    case adam(Adam<Scalar>)
    case rmsprop(RMSProp<Scalar>)
    case sgd(SGD<Scalar>)

    /// Adam uses the loss's published (β₁, β₂) (``GANLoss/adamBetas``: β₁ = 0.5 as DCGAN and
    /// bench/torch_gan.py; β₂ = 0.9 for wgan-gp); the others PyTorch's defaults.
    init(_ kind: OptimizerKind, learningRate: Double, betas: (Double, Double) = (0.5, 0.999)) {
        switch kind {
        case .adam: self = .adam(Adam(learningRate: learningRate, beta1: betas.0, beta2: betas.1))
        case .rmsprop: self = .rmsprop(RMSProp(learningRate: learningRate))
        case .sgd: self = .sgd(SGD(learningRate: learningRate))
        }
    }

    mutating func step(parameters: inout [Scalar], gradients: [Scalar]) {
        switch self {
        case .adam(var o): o.step(parameters: &parameters, gradients: gradients); self = .adam(o)
        case .rmsprop(var o): o.step(parameters: &parameters, gradients: gradients); self = .rmsprop(o)
        case .sgd(var o): o.step(parameters: &parameters, gradients: gradients); self = .sgd(o)
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
///
/// Memory: one tape for G and, in general, one for D: D's passes on the real batch, the fake batch
/// and a gradient penalty's batch run one after the other, so they share it (a penalty loss adds
/// its double-backward buffers to it on the first step). Only feature matching, whose cost needs
/// D's features on real and fake batches at once, keeps a second D tape. The Improved-GAN
/// ``Techniques`` act here: label smoothing on D's real targets, feature matching as G's cost,
/// minibatch discrimination inside ``Discriminator``, virtual batch normalisation inside
/// ``Generator``, historical averaging before each update.
final class ToyGAN<Scalar: BLASScalar> {
    var generator: Generator<Scalar>
    var discriminator: Discriminator<Scalar>
    var generatorOptimizers: [AnyOptimizer<Scalar>]
    var discriminatorOptimizers: [AnyOptimizer<Scalar>]
    let loss: GANLoss
    let techniques: Techniques
    let gamma: Double
    let clip: Scalar
    let batch: Int
    let sampler: BatchSampler<Scalar>
    let probeSampler: BatchSampler<Scalar>
    private let penaltyStream: RandomStream
    private let generatorTape: GeneratorTape<Scalar>
    /// D's tape for real batches and gradient penalties: ``fakeTape`` itself except with feature matching.
    let realTape: DiscriminatorTape<Scalar>
    let fakeTape: DiscriminatorTape<Scalar>
    private var generatorAverages: [HistoricalAverage<Scalar>]
    private var discriminatorAverages: [HistoricalAverage<Scalar>]
    private var real: Matrix<Scalar>
    private var fake: Matrix<Scalar>
    private var latent: Matrix<Scalar>
    private var interpolates = Matrix<Scalar>(rows: 0, columns: 0) // WGAN-GP's x̂ (sized by its first use)
    private var featureGradient: [Scalar] = []
    private var gradientSum: [Double]

    init(generator: Generator<Scalar>, discriminator: Discriminator<Scalar>, optimizer: OptimizerKind, learningRate: Double,
         loss: GANLoss, techniques: Techniques = .none, gamma: Double, clip: Double, batch: Int,
         sampler: BatchSampler<Scalar>, probeSampler: BatchSampler<Scalar>, seed: Seed) {
        self.generator = generator
        self.discriminator = discriminator
        generatorOptimizers = (0..<generator.partCount).map { _ in AnyOptimizer(optimizer, learningRate: learningRate, betas: loss.adamBetas) }
        discriminatorOptimizers = (0..<discriminator.partCount).map { _ in AnyOptimizer(optimizer, learningRate: learningRate, betas: loss.adamBetas) }
        self.loss = loss
        self.techniques = techniques
        self.gamma = gamma
        self.clip = Scalar(clip)
        self.batch = batch
        self.sampler = sampler
        self.probeSampler = probeSampler
        penaltyStream = RandomStream(seed: seed.child(.penalty))
        generatorTape = generator.makeTape()
        fakeTape = discriminator.makeTape()
        realTape = techniques.featureMatching ? discriminator.makeTape() : fakeTape
        let lambda = techniques.historicalAveraging
        generatorAverages = lambda > 0 ? (0..<generator.partCount).map { _ in HistoricalAverage(lambda: lambda) } : []
        discriminatorAverages = lambda > 0 ? (0..<discriminator.partCount).map { _ in HistoricalAverage(lambda: lambda) } : []
        let d = sampler.dimension
        real = Matrix(rows: batch, columns: d)
        fake = Matrix(rows: batch, columns: d)
        latent = Matrix(rows: batch, columns: generator.latentSize)
        gradientSum = [Double](repeating: 0, count: d)
    }

    /// A fresh discriminator and optimiser (the vanish experiment's second phase).
    func resetDiscriminator(_ network: Discriminator<Scalar>, optimizer: OptimizerKind, learningRate: Double) {
        discriminator = network
        discriminatorOptimizers = (0..<network.partCount).map { _ in AnyOptimizer(optimizer, learningRate: learningRate, betas: loss.adamBetas) }
        discriminatorAverages = discriminatorAverages.isEmpty ? []
            : (0..<network.partCount).map { _ in HistoricalAverage(lambda: techniques.historicalAveraging) }
    }

    /// D's cost on real data: cross-entropy towards α (one-sided label smoothing), or the critic's.
    var realLoss: LogitLoss { loss.isWasserstein ? loss.realLoss : .discriminatorReal(target: techniques.labelSmoothing) }

    /// One D update on a fresh real batch and a fresh fake batch, both with noise σ. Returns D's loss.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func discriminatorStep(sigma: Double) -> Double {
        sampler.fillData(&real, sigma: sigma)
        sampler.fillLatent(&latent)
        generator.forward(latent, tape: generatorTape)
        sampler.addNoise(generator.output(generatorTape), sigma: sigma, into: &fake)
        discriminator.zeroGradients()
        discriminator.forward(real, tape: realTape)
        var value = Double(discriminator.backward(loss: realLoss, tape: realTape))
        discriminator.forward(fake, tape: fakeTape)
        value += Double(discriminator.backward(loss: loss.fakeLoss, tape: fakeTape))
        switch loss {
        case .wganGP:
            NormPenalty.interpolate(real: real, fake: fake, rng: penaltyStream, into: &interpolates)
            value += discriminator.trunk.accumulatePenaltyGradient(.wganGP(lambda: gamma), at: interpolates, tape: realTape.trunk).value
        case .r1:
            if gamma > 0 {
                value += discriminator.trunk.accumulatePenaltyGradient(.r1(gamma: gamma), at: real, tape: realTape.trunk).value
            }
        case .minimax, .nonsat, .wgan: break  // no penalty
        }
        discriminator.updateParts { part, parameters, gradients in
            value += Self.update(part, &parameters, &gradients, optimizers: &discriminatorOptimizers,
                                 averages: &discriminatorAverages)
        }
        if loss == .wgan { discriminator.clipParameters(to: clip) }
        return value
    }

    /// One G update on a fresh latent batch (fakes with noise σ). Returns G's loss: its GAN cost,
    /// or with feature matching ‖E f(x) − E f(G(z))‖² on a fresh real batch.
    @_specialize(where Scalar == Double)
    @_specialize(where Scalar == Float)
    func generatorStep(sigma: Double) -> Double {
        sampler.fillLatent(&latent)
        generator.forward(latent, tape: generatorTape)
        sampler.addNoise(generator.output(generatorTape), sigma: sigma, into: &fake)
        discriminator.forward(fake, tape: fakeTape)
        var value: Double
        if techniques.featureMatching {
            sampler.fillData(&real, sigma: sigma)
            discriminator.forward(real, tape: realTape)
            value = FeatureMatching.loss(real: discriminator.features(realTape), fake: discriminator.features(fakeTape),
                                         width: discriminator.featureWidth, gradient: &featureGradient)
            featureGradient.withUnsafeBufferPointer { discriminator.backwardToInput(featureGradient: $0, tape: fakeTape) }
        } else {
            value = Double(discriminator.backwardToInput(loss: loss.generatorLoss, tape: fakeTape))
        }
        generator.zeroGradients()
        generator.backward(outputGradient: discriminator.inputGradient(fakeTape), tape: generatorTape)
        generator.updateParts { part, parameters, gradients in
            value += Self.update(part, &parameters, &gradients, optimizers: &generatorOptimizers,
                                 averages: &generatorAverages)
        }
        return value
    }

    /// One player's update of one parameter part: historical averaging first when it is on (its
    /// gradient joins `gradients`), then the part's optimiser step. Returns the averaging penalty
    /// λ‖θ − θ̄‖² (0 when off), which joins the player's reported loss.
    private static func update(_ part: Int, _ parameters: inout [Scalar], _ gradients: inout [Scalar],
                               optimizers: inout [AnyOptimizer<Scalar>],
                               averages: inout [HistoricalAverage<Scalar>]) -> Double {
        var penalty = 0.0
        if !averages.isEmpty {
            averages[part].apply(parameters, to: &gradients)
            penalty = averages[part].penalty(parameters)
        }
        optimizers[part].step(parameters: &parameters, gradients: gradients)
        return penalty
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
        probeSampler.addNoise(generator.output(generatorTape), sigma: sigma, into: &fake)
        discriminator.forward(real, tape: realTape)
        var softplusReal = 0.0, softplusFake = 0.0, correctReal = 0, correctFake = 0
        for z in discriminator.logits(realTape) {
            softplusReal += Double(Logistic.softplus(-z))
            if z > 0 { correctReal += 1 }
        }
        result.discriminatorLoss = Double(realLoss.evaluate(logits: discriminator.logits(realTape), gradient: nil))
        discriminator.forward(fake, tape: fakeTape)
        for z in discriminator.logits(fakeTape) {
            softplusFake += Double(Logistic.softplus(z))
            if z < 0 { correctFake += 1 }
        }
        result.discriminatorLoss += Double(loss.fakeLoss.evaluate(logits: discriminator.logits(fakeTape), gradient: nil))
        let n = Double(batch)
        result.accuracyReal = Double(correctReal) / n
        result.accuracyFake = Double(correctFake) / n
        result.jsLowerBound = M_LN2 - 0.5 * softplusReal / n - 0.5 * softplusFake / n

        for cost in [LogitLoss.minimaxGenerator, .nonSaturatingGenerator] {
            discriminator.backwardToInput(loss: cost, tape: fakeTape)
            generator.zeroGradients()
            generator.backward(outputGradient: discriminator.inputGradient(fakeTape), tape: generatorTape)
            let norm = Double(generator.gradientNorm)
            let offset = direction.map { offsetComponent(discriminator.inputGradient(fakeTape), direction: $0) } ?? 0
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
        result.inputGradientAtFakes = discriminator.meanInputGradientNorm(tape: fakeTape) // D's pass on `fake` is still on it
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
    func generate(_ latent: Matrix<Scalar>) -> Matrix<Double> { generator.generate(latent) }

    /// The name of the first non-finite parameter set, if any.
    var nonFiniteParameters: String? {
        if !discriminator.parametersAreFinite { return "a discriminator weight" }
        if !generator.parametersAreFinite { return "a generator weight" }
        return nil
    }
}
