import Foundation
import ManifoldLabCore

/// Everything `manifoldlab train-toy` needs, validated once by ``validate()`` before any work.
///
/// Defaults show the phenomenon in a few seconds: data on a segment in R^64, G and D with two hidden
/// layers of 128 ReLU units, batch 256, 2000 steps of Adam (lr 1e-4, β₁ = 0.5) for both players.
public struct TrainingConfiguration: Sendable, Equatable, Codable {
    /// The data's manifold or mixture, placed in R^D by a seeded random frame (as `sample` places P).
    public var data: ManifoldSpec
    public var dimension: Int
    public var latent: Int
    public var latentDistribution: LatentDistribution
    public var generator: GeneratorKind
    public var hidden: Int
    /// Hidden layers of each network (0: D is logistic regression, an MLP G is affine).
    public var layers: Int
    public var batch: Int
    /// Generator updates.
    public var steps: Int
    /// Discriminator updates per generator update.
    public var discriminatorSteps: Int
    public var loss: GANLoss
    /// σ of the instance noise N(0, σ²I) added to every real and fake batch D sees.
    public var noise: Double
    /// σ decays linearly to 0 over the run.
    public var noiseAnneal: Bool
    public var learningRate: Double
    public var optimizer: OptimizerKind
    /// Penalty weight: λ of wgan-gp, γ of r1.
    public var gamma: Double
    /// WGAN weight clip c.
    public var clip: Double
    public var precision: Precision
    public var seed: Seed
    /// A metrics row every this many generator steps (and at the first and last step).
    public var logEvery: Int
    /// The smoothed JS at every this many log rows (0: only at the last row).
    public var smoothedJSEvery: Int
    public var w1: W1Method
    /// Points in the fixed evaluation batch (W1, samples.csv).
    public var evaluationPoints: Int
    /// The Improved-GAN techniques switched on.
    public var techniques: Techniques

    /// The vocabulary's names (docs/vocabulary.md), as the flags: written snake_case by the one JSON
    /// policy (dim, latent_dist, d_steps, lr, smoothed_js_every, w1_method, eval_points, …).
    enum CodingKeys: String, CodingKey {
        case data, dimension = "dim", latent, latentDistribution = "latentDist", generator, hidden, layers, batch, steps
        case discriminatorSteps = "dSteps", loss, noise, noiseAnneal, learningRate = "lr", optimizer, gamma, clip
        case precision, seed, logEvery, smoothedJSEvery = "smoothedJsEvery", w1 = "w1Method"
        case evaluationPoints = "evalPoints", techniques
    }

    public static let maxDimension = 4096
    public static let maxHidden = 4096
    public static let maxLayers = 8
    public static let maxBatch = 65_536
    public static let maxSteps = 10_000_000

    public init(data: ManifoldSpec = ManifoldSpec(kind: .line), dimension: Int = 64, latent: Int = 1,
                latentDistribution: LatentDistribution = .uniform, generator: GeneratorKind = .mlp,
                hidden: Int = 128, layers: Int = 2, batch: Int = 256, steps: Int = 2000,
                discriminatorSteps: Int? = nil, loss: GANLoss = .minimax, noise: Double = 0,
                noiseAnneal: Bool = false, learningRate: Double? = nil, optimizer: OptimizerKind? = nil,
                gamma: Double? = nil, clip: Double = 0.01, precision: Precision = .double, seed: Seed = Seed(0),
                logEvery: Int = 100, smoothedJSEvery: Int = 1, w1: W1Method = .exact, evaluationPoints: Int = 500,
                techniques: Techniques = .none) {
        self.data = data
        self.dimension = dimension
        self.latent = latent
        self.latentDistribution = latentDistribution
        self.generator = generator
        self.hidden = hidden
        self.layers = layers
        self.batch = batch
        self.steps = steps
        self.discriminatorSteps = discriminatorSteps ?? loss.defaultDiscriminatorSteps
        self.loss = loss
        self.noise = noise
        self.noiseAnneal = noiseAnneal
        self.learningRate = learningRate ?? (loss == .wgan ? 5e-5 : 1e-4)
        self.optimizer = optimizer ?? (loss == .wgan ? .rmsprop : .adam)
        self.gamma = gamma ?? loss.defaultGamma
        self.clip = clip
        self.precision = precision
        self.seed = seed
        self.logEvery = logEvery
        self.smoothedJSEvery = smoothedJSEvery
        self.w1 = w1
        self.evaluationPoints = evaluationPoints
        self.techniques = techniques
    }

    /// Refuses every value out of its domain with an error naming the option (exit status 64).
    public func validate() throws(ManifoldLabError) {
        try Self.validateNetworks(data: data, dimension: dimension, latent: latent, hidden: hidden, layers: layers)
        try Self.validateLength(batch: batch, steps: steps, counting: "generator steps")
        guard (1...1000).contains(discriminatorSteps) else {
            throw .invalidValue(parameter: "d_steps", value: String(discriminatorSteps), allowed: "D updates per G update k with 1 ≤ k ≤ 1000")
        }
        try DistributionPair.validate(noise: noise)
        if noiseAnneal && noise == 0 {
            throw .conflictingOptions("\(parameter: "noise_anneal") needs \(parameter: "noise") σ > 0 to anneal")
        }
        try Self.validate(learningRate: learningRate)
        guard gamma.isFinite, gamma >= 0 else {
            throw .invalidValue(parameter: "gamma", value: NumberFormat.echo(gamma), allowed: "a finite penalty weight ≥ 0")
        }
        guard clip.isFinite, clip > 0 else {
            throw .invalidValue(parameter: "clip", value: NumberFormat.echo(clip), allowed: "a finite weight clip c > 0")
        }
        guard logEvery >= 1 else {
            throw .invalidValue(parameter: "log_every", value: String(logEvery), allowed: "a number of steps ≥ 1")
        }
        guard smoothedJSEvery >= 0 else {
            throw .invalidValue(parameter: "smoothed_js_every", value: String(smoothedJSEvery), allowed: "a number of log rows ≥ 0 (0: last row only)")
        }
        guard (2...5000).contains(evaluationPoints) else {
            throw .invalidValue(parameter: "eval_points", value: String(evaluationPoints), allowed: "an evaluation batch of 2 to 5000 points")
        }
        try Self.validateMemory(dimension: dimension, hidden: hidden, layers: layers, batch: batch)
        try techniques.validate(loss: loss, layers: layers, generator: generator)
    }

    /// The checks of every GAN trainer's data and networks: D, the data's manifold in R^D, the latent
    /// dimension k, the hidden width H and the hidden layers L.
    static func validateNetworks(data: ManifoldSpec, dimension: Int, latent: Int, hidden: Int, layers: Int) throws(ManifoldLabError) {
        guard (1...maxDimension).contains(dimension) else {
            throw .invalidValue(parameter: "dim", value: String(dimension), allowed: "an ambient dimension D with 1 ≤ D ≤ \(maxDimension)")
        }
        _ = try data.manifold(dimension: dimension)
        guard (1...64).contains(latent) else {
            throw .invalidValue(parameter: "latent", value: String(latent), allowed: "a latent dimension k with 1 ≤ k ≤ 64")
        }
        guard (1...maxHidden).contains(hidden) else {
            throw .invalidValue(parameter: "hidden", value: String(hidden), allowed: "a hidden width H with 1 ≤ H ≤ \(maxHidden)")
        }
        guard (0...maxLayers).contains(layers) else {
            throw .invalidValue(parameter: "layers", value: String(layers), allowed: "hidden layers per network, 0 ≤ L ≤ \(maxLayers)")
        }
    }

    /// The batch size and the number of steps, named in the message as the trainer counts them
    /// (`counting`: "generator steps", "updates").
    static func validateLength(batch: Int, steps: Int, counting: String) throws(ManifoldLabError) {
        guard (2...maxBatch).contains(batch) else {
            throw .invalidValue(parameter: "batch", value: String(batch), allowed: "a batch size B with 2 ≤ B ≤ \(maxBatch)")
        }
        guard (1...maxSteps).contains(steps) else {
            throw .invalidValue(parameter: "steps", value: String(steps), allowed: "\(counting) S with 1 ≤ S ≤ \(maxSteps)")
        }
    }

    static func validate(learningRate: Double, option: String = "lr") throws(ManifoldLabError) {
        guard learningRate.isFinite, learningRate > 0 else {
            throw .invalidValue(parameter: option, value: NumberFormat.echo(learningRate), allowed: "a finite learning rate > 0")
        }
    }

    /// Refuses networks and tapes that would not fit in 4 GiB or in what the process's limits leave
    /// (``MemoryBudget``): a typo such as --hidden 40960, or a run under a tight `ulimit -v`.
    static func validateMemory(dimension: Int, hidden: Int, layers: Int, batch: Int) throws(ManifoldLabError) {
        let width = max(dimension, hidden)
        let parameters = 2 * (layers + 1) * width * (width + 1)
        let activations = 8 * batch * width * (layers + 2)
        let bytes = 8 * (4 * parameters + activations)
        let limit = MemoryBudget.effective(requested: ByteCount.defaultLimit).bytes
        if bytes > limit {
            throw .tooMuchMemory(needed: bytes, limit: limit, what: "networks of width \(width) with batch \(batch)")
        }
    }

    /// Whether the smoothed JS between the data and G's manifold is defined and computed (k ≤ 2, σ > 0).
    public var computesSmoothedJS: Bool { latent <= 2 && noise > 0 }

    /// σ at generator step `step` (1-based): constant, or falling linearly to 0 at the last step.
    public func noise(atStep step: Int) -> Double {
        guard noiseAnneal else { return noise }
        guard steps > 1 else { return 0 }
        return noise * Double(steps - step) / Double(steps - 1)
    }

    var generatorArchitecture: MLPArchitecture {
        generator == .affine
            ? MLPArchitecture(layerSizes: [latent, dimension])
            : MLPArchitecture(input: latent, width: hidden, hiddenLayers: layers, output: dimension)
    }

    var discriminatorArchitecture: MLPArchitecture {
        MLPArchitecture(input: dimension, width: hidden, hiddenLayers: layers, output: 1)
    }
}
