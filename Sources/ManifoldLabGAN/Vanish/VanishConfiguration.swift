import Foundation
import ManifoldLabCore

/// Everything `manifoldlab vanish` needs (Arjovsky & Bottou 2017, Figures 2 and 3), validated once.
///
/// Phase 1 trains G and D together for `pretrainSteps` (minimax, Adam 1e-4 β₁ 0.5, as train-toy).
/// Phase 2 freezes G and trains a fresh D alone for `steps`, recording every
/// `recordEvery` D steps D's accuracy and loss and G's gradient under both costs, each as mean and
/// standard deviation over `probeBatches` fresh batches.
///
/// Defaults make the phenomenon show in the default run: data on a segment in R^64 moved by
/// `offset` = 1 along a direction orthogonal to it, so G's initial manifold (near the origin) and the
/// data's are well apart; D trained by Adam (lr 1e-3, β₁ 0.5), which drives D's logits at the fakes
/// to −∞ linearly in t, so the minimax gradient (∝ σ(logit)) falls exponentially. With plain SGD the
/// logistic loss on separable data makes the weights grow only like log t, and the gradient decays
/// only like 1/t (Soudry et al. 2018).
public struct VanishConfiguration: Sendable, Equatable, Codable {
    public var data: ManifoldSpec
    public var dimension: Int
    public var latent: Int
    public var latentDistribution: LatentDistribution
    public var generator: GeneratorKind
    public var hidden: Int
    public var layers: Int
    /// Hidden layers of D (default: `layers`; 0 makes D logistic regression).
    public var discriminatorLayers: Int
    public var batch: Int
    public var pretrainSteps: Int
    public var pretrainLearningRate: Double
    /// D updates in phase 2.
    public var steps: Int
    /// D's optimiser and learning rate in phase 2.
    public var optimizer: OptimizerKind
    public var learningRate: Double
    public var noise: Double
    /// θ: the data are moved by θ·n, n ⟂ the data's span; the affine G sits on the unmoved flat.
    public var offset: Double
    public var seed: Seed
    public var recordEvery: Int
    public var probeBatches: Int
    public var precision: Precision
    /// α: D's target on real data (one-sided label smoothing, Salimans et al. 2016; 1: none).
    /// Theory: D* = α·p/(p + q) is still 0 on the fakes when the supports are disjoint, so the
    /// minimax gradient should vanish all the same.
    public var labelSmoothing: Double

    /// The vocabulary's names (docs/vocabulary.md), as the flags, written snake_case.
    enum CodingKeys: String, CodingKey {
        case data, dimension = "dim", latent, latentDistribution = "latentDist", generator, hidden, layers
        case discriminatorLayers = "dLayers", batch, pretrainSteps, pretrainLearningRate = "pretrainLr", steps
        case optimizer, learningRate = "lr", noise, offset, seed, recordEvery, probeBatches, precision, labelSmoothing
    }

    public init(data: ManifoldSpec = ManifoldSpec(kind: .line), dimension: Int = 64, latent: Int = 1,
                latentDistribution: LatentDistribution = .uniform, generator: GeneratorKind = .mlp,
                hidden: Int = 128, layers: Int = 2, discriminatorLayers: Int? = nil, batch: Int = 256,
                pretrainSteps: Int = 0, pretrainLearningRate: Double = 1e-4, steps: Int = 2000,
                optimizer: OptimizerKind = .adam, learningRate: Double = 1e-3, noise: Double = 0, offset: Double = 1,
                seed: Seed = Seed(0), recordEvery: Int = 10, probeBatches: Int = 10, precision: Precision = .double,
                labelSmoothing: Double = 1) {
        self.data = data
        self.dimension = dimension
        self.latent = latent
        self.latentDistribution = latentDistribution
        self.generator = generator
        self.hidden = hidden
        self.layers = layers
        self.discriminatorLayers = discriminatorLayers ?? layers
        self.batch = batch
        self.pretrainSteps = pretrainSteps
        self.pretrainLearningRate = pretrainLearningRate
        self.steps = steps
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.noise = noise
        self.offset = offset
        self.seed = seed
        self.recordEvery = recordEvery
        self.probeBatches = probeBatches
        self.precision = precision
        self.labelSmoothing = labelSmoothing
    }

    public func validate() throws(ManifoldLabError) {
        // Before `training.validate()`, which would name phase 1's length `--steps`.
        guard (0...1_000_000).contains(pretrainSteps) else {
            throw .invalidValue(parameter: "pretrain_steps", value: String(pretrainSteps), allowed: "0 ≤ E ≤ 1000000")
        }
        try TrainingConfiguration.validate(learningRate: learningRate)
        try TrainingConfiguration.validate(learningRate: pretrainLearningRate, option: "pretrain_lr")
        try training.validate()
        try Techniques(labelSmoothing: labelSmoothing).validate(loss: .minimax, layers: discriminatorLayers)
        guard (0...TrainingConfiguration.maxLayers).contains(discriminatorLayers) else {
            throw .invalidValue(parameter: "d_layers", value: String(discriminatorLayers),
                                 allowed: "hidden layers of D, 0 ≤ L ≤ \(TrainingConfiguration.maxLayers)")
        }
        guard (1...10_000_000).contains(steps) else {
            throw .invalidValue(parameter: "steps", value: String(steps), allowed: "D updates with 1 ≤ n ≤ 10000000")
        }
        guard offset.isFinite else {
            throw .invalidValue(parameter: "offset", value: NumberFormat.echo(offset), allowed: "a finite distance θ")
        }
        guard (1...steps).contains(recordEvery) else {
            throw .invalidValue(parameter: "record_every", value: String(recordEvery), allowed: "1 to \(parameter: "steps") D updates")
        }
        guard (2...1000).contains(probeBatches) else {
            throw .invalidValue(parameter: "probe_batches", value: String(probeBatches), allowed: "2 to 1000 fresh batches per record")
        }
    }

    /// The train-toy configuration of phase 1 (and of the shared validation).
    var training: TrainingConfiguration {
        TrainingConfiguration(data: data, dimension: dimension, latent: latent, latentDistribution: latentDistribution,
                              generator: generator, hidden: hidden, layers: layers, batch: batch,
                              steps: max(pretrainSteps, 1), loss: .minimax, noise: noise,
                              learningRate: pretrainLearningRate, optimizer: .adam, precision: precision, seed: seed)
    }

    /// Whether the closed form of the noisy parallel segments applies: affine G, data a segment,
    /// latent k = 1 uniform, σ > 0, no pretraining (G stays where it was put).
    public var closedFormApplies: Bool {
        generator == .affine && data.kind == .line && latent == 1 && latentDistribution == .uniform
            && noise > 0 && pretrainSteps == 0 && offset != 0
    }
}
