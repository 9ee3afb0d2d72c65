import Foundation
import ManifoldLabCore

/// What trains the generator of the semi-supervised GAN.
public enum GeneratorCost: String, CaseIterable, Codable, Sendable {
    /// ‖E f(x_unlabelled) − E f(G(z))‖² on D's last hidden layer (Salimans et al. 2016's choice for §5).
    case featureMatching = "feature-matching"
    /// −E log D(G(z)) with D(x) = Z(x)/(Z(x) + 1).
    case nonsat
}

/// Everything `manifoldlab semi-supervised` needs (Salimans et al. 2016, §5), validated once by
/// ``validate()`` before any work: a labelled mixture whose modes are the classes, a (K+1)-class
/// discriminator trained on a few labels plus unlabelled and generated points, and a baseline with
/// the same network, initial weights, optimiser and labelled batches trained on the labels alone.
public struct SemiSupervisedConfiguration: Sendable, Equatable, Codable {
    /// A mixture with labelled modes (ring or grid), placed in R^D by a seeded random frame.
    public var data: ManifoldSpec
    public var dimension: Int
    public var latent: Int
    public var latentDistribution: LatentDistribution
    public var hidden: Int
    /// Hidden layers of D (and of G); feature matching needs at least one.
    public var layers: Int
    /// Labelled points per class L.
    public var labels: Int
    /// The training pool: this many points of the mixture, L of each class labelled (drawn class by
    /// class), the rest drawn from the mixture without their labels; the unsupervised cost sees all.
    public var unlabelled: Int
    public var batch: Int
    /// Updates of D (one per step: a labelled, an unlabelled and a generated batch), G and the baseline.
    public var steps: Int
    public var learningRate: Double
    /// Weights of L_supervised and L_unsupervised in D's cost.
    public var supervisedWeight: Double
    public var unsupervisedWeight: Double
    public var generatorCost: GeneratorCost
    /// The first seed; runs use `seeds` consecutive seeds from it.
    public var seed: Seed
    public var seeds: Int
    /// Points of the fresh labelled test sample.
    public var testPoints: Int
    /// A metrics row every this many steps (and at the first and last step).
    public var logEvery: Int

    /// The vocabulary's names, as the flags (written snake_case by the one JSON policy).
    enum CodingKeys: String, CodingKey {
        case data, dimension = "dim", latent, latentDistribution = "latentDist", hidden, layers, labels
        case unlabelled = "nUnlabelled", batch, steps, learningRate = "lr", supervisedWeight, unsupervisedWeight
        case generatorCost = "gCost", seed, seeds, testPoints, logEvery
    }

    public init(data: ManifoldSpec = ManifoldSpec(kind: .grid), dimension: Int = 64, latent: Int = 2,
                latentDistribution: LatentDistribution = .uniform, hidden: Int = 128, layers: Int = 2,
                labels: Int = 2, unlabelled: Int = 10_000, batch: Int = 100, steps: Int = 2000,
                learningRate: Double = 1e-3, supervisedWeight: Double = 1, unsupervisedWeight: Double = 1,
                generatorCost: GeneratorCost = .featureMatching, seed: Seed = Seed(0), seeds: Int = 1,
                testPoints: Int = 10_000, logEvery: Int = 100) {
        self.data = data
        self.dimension = dimension
        self.latent = latent
        self.latentDistribution = latentDistribution
        self.hidden = hidden
        self.layers = layers
        self.labels = labels
        self.unlabelled = unlabelled
        self.batch = batch
        self.steps = steps
        self.learningRate = learningRate
        self.supervisedWeight = supervisedWeight
        self.unsupervisedWeight = unsupervisedWeight
        self.generatorCost = generatorCost
        self.seed = seed
        self.seeds = seeds
        self.testPoints = testPoints
        self.logEvery = logEvery
    }

    public static let maxPoints = 1_000_000

    /// The mixture whose modes are the classes (nil when `data` has no labelled modes).
    public var mixture: GaussianMixture? { data.modeMixture(dimension: dimension) }

    /// Refuses every value out of its domain with an error naming the option (exit status 64).
    public func validate() throws(ManifoldLabError) {
        try TrainingConfiguration.validateNetworks(data: data, dimension: dimension, latent: latent, hidden: hidden, layers: layers)
        guard let mixture else {
            throw .invalidValue(parameter: "data", value: data.kind.rawValue, allowed: "a mixture with labelled modes (ring or grid): every mode is a class")
        }
        if generatorCost == .featureMatching && layers == 0 {
            throw .conflictingOptions("\(parameter: "g_cost") feature-matching matches D's last hidden layer: give \(parameter: "layers") ≥ 1, or \(parameter: "g_cost") nonsat")
        }
        let classes = mixture.means.count
        guard labels >= 1 else {
            throw .invalidValue(parameter: "labels", value: String(labels), allowed: "at least 1 labelled point per class")
        }
        guard (2...Self.maxPoints).contains(unlabelled) else {
            throw .invalidValue(parameter: "n_unlabelled", value: String(unlabelled), allowed: "a training pool of 2 to \(Self.maxPoints) points")
        }
        guard labels.multipliedReportingOverflow(by: classes).partialValue <= unlabelled / 2, labels <= unlabelled else {
            throw .conflictingOptions("\(parameter: "labels") \(labels) per class × \(classes) classes is more than half of \(parameter: "n_unlabelled") \(unlabelled): the pool would be mostly labelled; raise \(parameter: "n_unlabelled")")
        }
        try TrainingConfiguration.validateLength(batch: batch, steps: steps, counting: "updates")
        try TrainingConfiguration.validate(learningRate: learningRate)
        for (name, weight) in [("supervised_weight", supervisedWeight), ("unsupervised_weight", unsupervisedWeight)] {
            guard weight.isFinite, weight >= 0 else {
                throw .invalidValue(parameter: name, value: NumberFormat.echo(weight), allowed: "a finite weight ≥ 0")
            }
        }
        guard supervisedWeight > 0 else {
            throw .invalidValue(parameter: "supervised_weight", value: "0", allowed: "a weight > 0 (without the labels D learns no classes)")
        }
        guard (1...1000).contains(seeds) else {
            throw .invalidValue(parameter: "seeds", value: String(seeds), allowed: "1 to 1000 seeds")
        }
        guard seed.value <= UInt64.max - UInt64(seeds - 1) else {
            throw .invalidValue(parameter: "seed", value: String(seed.value), allowed: "a first seed with room for \(seeds) consecutive seeds below 2^64")
        }
        guard (classes...Self.maxPoints).contains(testPoints) else {
            throw .invalidValue(parameter: "test_points", value: String(testPoints), allowed: "a test sample of \(classes) (the classes) to \(Self.maxPoints) points")
        }
        guard logEvery >= 1 else {
            throw .invalidValue(parameter: "log_every", value: String(logEvery), allowed: "a number of steps ≥ 1")
        }
        try TrainingConfiguration.validateMemory(dimension: dimension, hidden: hidden, layers: layers, batch: batch)
        let pointBytes = 8 * dimension * (unlabelled + testPoints)
        let limit = MemoryBudget.effective(requested: ByteCount.defaultLimit).bytes
        if pointBytes > limit {
            throw .tooMuchMemory(needed: pointBytes, limit: limit, what: "\(unlabelled) training and \(testPoints) test points in R^\(dimension)")
        }
    }

    /// The seeds of the runs, in order.
    public var runSeeds: [Seed] { (0..<UInt64(seeds)).map { Seed(seed.value + $0) } }

    /// D's architecture: input → hidden layers → K logits (the generated class's logit is the constant 0).
    func discriminatorArchitecture(classes: Int) -> MLPArchitecture {
        MLPArchitecture(input: dimension, width: hidden, hiddenLayers: layers, output: classes)
    }

    var generatorArchitecture: MLPArchitecture {
        MLPArchitecture(input: latent, width: hidden, hiddenLayers: layers, output: dimension)
    }
}
