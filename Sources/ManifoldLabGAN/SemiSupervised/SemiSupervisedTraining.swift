import Foundation
import ManifoldLabCore

extension Seed.Purpose {
    /// The semi-supervised run's training pool, test sample, labelled, unlabelled and latent batches.
    static let semiPool = Self("semi-pool"), semiTest = Self("semi-test")
    static let semiLabelled = Self("semi-labelled"), semiUnlabelled = Self("semi-unlabelled"), semiLatent = Self("semi-latent")
    /// The Monte Carlo points of the Bayes accuracy.
    static let semiBayes = Self("semi-bayes")
}

/// One row of a semi-supervised run's `metrics.csv`: both classifiers after step `step`.
public struct SemiSupervisedRecord: Sendable, Codable, Equatable {
    public var seed: UInt64
    public var step: Int
    /// D's costs on this step's batches: cross-entropy over the K classes on the labelled batch,
    /// −E log D(x) − E log(1 − D(G(z))) on the unlabelled and generated ones; G's cost.
    public var supervisedLoss: Double
    public var unsupervisedLoss: Double
    public var generatorLoss: Double
    /// Fraction of the test sample classified right (argmax of the K logits).
    public var accuracy: Double
    /// The baseline's cross-entropy on the same labelled batch, and its test accuracy.
    public var baselineLoss: Double
    public var baselineAccuracy: Double

    public static let csvHeader = ["seed", "step", "supervised_loss", "unsupervised_loss", "g_loss", "accuracy",
                                   "baseline_loss", "baseline_accuracy"]

    var csvCells: [String] {
        [String(seed), String(step)] + [supervisedLoss, unsupervisedLoss, generatorLoss, accuracy, baselineLoss, baselineAccuracy].map(NumberFormat.text)
    }
}

/// One seed's run: its rows and final accuracies.
public struct SemiSupervisedRun: Sendable {
    public var seed: UInt64
    public var records: [SemiSupervisedRecord] = []
    /// The Bayes rule's accuracy on this run's test sample (the same points as the two models').
    public var bayesTestAccuracy: Double
    public var seconds = 0.0
    /// What stopped the run early (divergence, a signal); nil when it ran to its last step.
    public var fault: ManifoldLabError?

    public var accuracy: Double { records.last?.accuracy ?? .nan }
    public var baselineAccuracy: Double { records.last?.baselineAccuracy ?? .nan }
}

/// The networks, optimisers, data and streams of one seed's semi-supervised run and its baseline.
///
/// Each step: D takes one Adam step on w_s·L_supervised (a labelled batch) + w_u·L_unsupervised
/// (an unlabelled batch as real, a generated batch as fake, through D(x) = σ(logsumexp l));
/// G one step on its cost; the baseline, a copy of D's initial network, one step on L_supervised of
/// the very same labelled batch. So the two classifiers differ only by the unlabelled and
/// generated data.
final class SemiSupervisedTrainer {
    let configuration: SemiSupervisedConfiguration
    let seed: Seed
    let classes: Int
    let pool: LabelledSample
    /// Rows of `pool` whose labels are used.
    let labelled: [Int]
    let test: LabelledSample
    let mixture: GaussianMixture
    let embedding: Embedding

    var discriminator: MLP<Double>
    var baseline: MLP<Double>
    var generator: MLP<Double>
    var discriminatorOptimizer: Adam<Double>, baselineOptimizer: Adam<Double>, generatorOptimizer: Adam<Double>
    private let labelledStream: RandomStream, unlabelledStream: RandomStream, latentStream: RandomStream
    private let labelledTape: MLPTape<Double>, realTape: MLPTape<Double>, fakeTape: MLPTape<Double>
    private let baselineTape: MLPTape<Double>, generatorTape: MLPTape<Double>
    private var logitGradient: [Double] = [], featureGradient: [Double] = []

    init(_ configuration: SemiSupervisedConfiguration, seed: Seed) throws(ManifoldLabError) {
        self.configuration = configuration
        self.seed = seed
        let setup = try ToySetup(data: configuration.data, dimension: configuration.dimension, offset: 0, seed: seed)
        guard let mixture = setup.manifold as? GaussianMixture else {
            throw .invalidValue(parameter: "data", value: configuration.data.kind.rawValue, allowed: "a mixture with labelled modes (ring or grid)")
        }
        self.mixture = mixture
        embedding = setup.dataEmbedding
        classes = mixture.means.count
        // L points of each class (drawn class by class, so every class has exactly L), then the rest of
        // the pool from the mixture: the pool is still a sample of the mixture, stratified in its first K·L.
        let rng = RandomStream(seed: seed.child(.semiPool))
        let labelledPart = LabelledSample(mixture, embedding: embedding, perClass: configuration.labels, rng: rng)
        pool = labelledPart.appending(LabelledSample(mixture, embedding: embedding,
                                                     count: configuration.unlabelled - labelledPart.labels.count, rng: rng))
        labelled = Array(0..<labelledPart.labels.count)
        test = LabelledSample(mixture, embedding: embedding, count: configuration.testPoints, rng: RandomStream(seed: seed.child(.semiTest)))
        let architecture = configuration.discriminatorArchitecture(classes: classes)
        discriminator = MLP(architecture: architecture, seed: seed.child(.discriminator))
        baseline = discriminator
        generator = MLP(architecture: configuration.generatorArchitecture, seed: seed.child(.generator))
        let lr = configuration.learningRate
        discriminatorOptimizer = Adam(learningRate: lr, beta1: 0.5)
        baselineOptimizer = Adam(learningRate: lr, beta1: 0.5)
        generatorOptimizer = Adam(learningRate: lr, beta1: 0.5)
        labelledStream = RandomStream(seed: seed.child(.semiLabelled))
        unlabelledStream = RandomStream(seed: seed.child(.semiUnlabelled))
        latentStream = RandomStream(seed: seed.child(.semiLatent))
        labelledTape = discriminator.makeTape(); realTape = discriminator.makeTape(); fakeTape = discriminator.makeTape()
        baselineTape = baseline.makeTape(); generatorTape = generator.makeTape()
    }

    /// Trains for the configuration's steps, logging at step 1, every `logEvery` steps and the last.
    func run(progress: (() -> Void)? = nil) -> SemiSupervisedRun {
        let start = Date()
        let bayes = test.accuracy(of: MixtureClassification.bayesPredictions(test.points, mixture: mixture, embedding: embedding))
        var run = SemiSupervisedRun(seed: seed.value, bayesTestAccuracy: bayes)
        let steps = configuration.steps
        for step in 1...steps {
            if let signal = Interruption.received {
                run.fault = .interrupted(step: step - 1, signal: signal)
                break
            }
            let losses = self.step()
            if let quantity = losses.firstNonFinite ?? (discriminator.parametersAreFinite && generator.parametersAreFinite && baseline.parametersAreFinite ? nil : "a weight") {
                run.fault = .trainingDiverged(step: step, quantity: quantity)
                break
            }
            if step == 1 || step % configuration.logEvery == 0 || step == steps {
                run.records.append(SemiSupervisedRecord(
                    seed: seed.value, step: step, supervisedLoss: losses.supervised, unsupervisedLoss: losses.unsupervised,
                    generatorLoss: losses.generator, accuracy: accuracy(of: discriminator),
                    baselineLoss: losses.baseline, baselineAccuracy: accuracy(of: baseline)))
            }
            progress?()
        }
        run.seconds = Date().timeIntervalSince(start)
        return run
    }

    /// The fraction of the test sample that `network` classifies right.
    func accuracy(of network: MLP<Double>) -> Double {
        test.accuracy(of: ClassLogitLoss.predictions(network(test.points)))
    }

    struct StepLosses {
        var supervised = 0.0, unsupervised = 0.0, generator = 0.0, baseline = 0.0
        /// The first loss that is NaN or infinite, named.
        var firstNonFinite: String? {
            [("D's supervised cost", supervised), ("D's unsupervised cost", unsupervised), ("G's cost", generator),
             ("the baseline's cost", baseline)].first { !$0.1.isFinite }.map { "\($0.0) is \(NumberFormat.echo($0.1))" }
        }
    }

    /// One update of D, of G and of the baseline.
    func step() -> StepLosses {
        var losses = StepLosses()
        let b = configuration.batch, k = classes
        let picks = (0..<b).map { _ in labelled[labelledStream.integer(below: labelled.count)] }
        let labelledBatch = pool.points.rows(at: picks), labels = picks.map { pool.labels[$0] }
        let unlabelledBatch = pool.points.rows(at: (0..<b).map { _ in unlabelledStream.integer(below: pool.points.rows) })
        let weightS = configuration.supervisedWeight, weightU = configuration.unsupervisedWeight

        // D: w_s·L_supervised + w_u·(−E log D(unlabelled) − E log(1 − D(G(z)))).
        discriminator.zeroGradients()
        discriminator.forward(labelledBatch, tape: labelledTape)
        losses.supervised = backward(&discriminator, labelledTape) { logits, gradient in
            ClassLogitLoss.supervised(logits: logits, classes: k, labels: labels, gradient: gradient, scale: weightS)
        }
        discriminator.forward(unlabelledBatch, tape: realTape)
        let real = backward(&discriminator, realTape) { logits, gradient in
            ClassLogitLoss.unsupervised(logits: logits, classes: k, loss: .discriminatorReal(), gradient: gradient, scale: weightU)
        }
        discriminator.forward(generator(latents(b)), tape: fakeTape)
        let fake = backward(&discriminator, fakeTape) { logits, gradient in
            ClassLogitLoss.unsupervised(logits: logits, classes: k, loss: .discriminatorFake, gradient: gradient, scale: weightU)
        }
        losses.unsupervised = real + fake
        discriminatorOptimizer.step(&discriminator)

        // G: its cost through the updated D.
        generator.zeroGradients()
        generator.forward(latents(b), tape: generatorTape)
        discriminator.forward(generatorTape.outputBuffer, tape: fakeTape)
        switch configuration.generatorCost {
        case .featureMatching:
            let layer = discriminator.layers.count - 2
            discriminator.forward(unlabelledBatch, tape: realTape)
            losses.generator = FeatureMatching.loss(real: realTape.activationBuffer(ofLayer: layer), fake: fakeTape.activationBuffer(ofLayer: layer),
                                                    width: discriminator.layers[layer].outputs, gradient: &featureGradient)
            featureGradient.withUnsafeBufferPointer { discriminator.backwardToInput(fromLayer: layer, activationGradient: $0, tape: fakeTape) }
        case .nonsat:
            let logits = fakeTape.outputBuffer
            if logitGradient.count != logits.count { logitGradient = [Double](repeating: 0, count: logits.count) }
            losses.generator = logitGradient.withUnsafeMutableBufferPointer { g in
                ClassLogitLoss.unsupervised(logits: logits, classes: k, loss: .nonSaturatingGenerator, gradient: g.baseAddress!)
            }
            logitGradient.withUnsafeBufferPointer { discriminator.backwardToInput(outputGradient: $0, tape: fakeTape) }
        }
        generator.backward(fromInputOf: fakeTape, tape: generatorTape)
        generatorOptimizer.step(&generator)

        // The baseline: the same labelled batch, the supervised cost alone.
        baseline.zeroGradients()
        baseline.forward(labelledBatch, tape: baselineTape)
        losses.baseline = backward(&baseline, baselineTape) { logits, gradient in
            ClassLogitLoss.supervised(logits: logits, classes: k, labels: labels, gradient: gradient)
        }
        baselineOptimizer.step(&baseline)
        return losses
    }

    /// Evaluates a cost of the logits on `tape` (writing its gradient) and accumulates ∂/∂θ into `network`.
    private func backward(_ network: inout MLP<Double>, _ tape: MLPTape<Double>,
                          _ cost: (UnsafeBufferPointer<Double>, UnsafeMutablePointer<Double>) -> Double) -> Double {
        let logits = tape.outputBuffer
        if logitGradient.count != logits.count { logitGradient = [Double](repeating: 0, count: logits.count) }
        let value = logitGradient.withUnsafeMutableBufferPointer { cost(logits, $0.baseAddress!) }
        logitGradient.withUnsafeBufferPointer { network.backward(outputGradient: $0, tape: tape) }
        return value
    }

    /// `rows` latent codes.
    private func latents(_ rows: Int) -> Matrix<Double> {
        let size = configuration.latent * rows
        let values = configuration.latentDistribution == .uniform
            ? (0..<size).map { _ in latentStream.uniform(-1, 1) } : (0..<size).map { _ in latentStream.gaussian() }
        return Matrix(rows: rows, columns: configuration.latent, storage: values)
    }
}
