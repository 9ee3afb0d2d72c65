import Foundation
import ManifoldLabCore

/// One row of `metrics.csv`: the state of training after generator step `step`.
public struct TrainingRecord: Sendable, Codable, Equatable {
    public var step: Int
    /// σ of the instance noise at this step.
    public var noise: Double
    /// D's and G's losses on this step's own training batches.
    public var discriminatorLoss: Double
    public var generatorLoss: Double
    /// On a fresh evaluation batch: the fraction of reals D calls real (logit > 0) and of fakes it calls fake.
    public var accuracyReal: Double
    public var accuracyFake: Double
    /// ‖∂θ_G‖ of E log(1 − D(G(z))) and of −E log D(G(z)), whichever one trains.
    public var generatorGradientMinimax: Double
    public var generatorGradientNonsat: Double
    /// Mean ‖∇ₓD‖ at the fakes.
    public var discriminatorInputGradient: Double
    /// log 2 + ½E_P log D + ½E_Q log(1 − D) on the evaluation batch.
    public var jsLowerBound: Double
    /// W1 between the fixed evaluation batches of data and of G's samples (clean).
    public var w1: Double
    /// JS(P_σ, G#μ_σ) by Monte Carlo with exact densities (k ≤ 2, σ > 0), when computed at this row.
    public var smoothedJS: Double?
    /// The Monte Carlo standard error of ``smoothedJS``, from the same estimate (set with it).
    public var smoothedJSStandardError: Double?
    /// Why ``smoothedJS`` is empty at a row where it was due (σ too small for double precision, a
    /// density rule that refuses σ, an estimate that came out NaN); nil when computed or not due.
    public var smoothedJSNote: String?
    /// Mode coverage of 2500 fixed-latent samples, for `ring` and `grid` data (``ModeCoverage``).
    public var modesCovered: Int?
    public var highQualityFraction: Double?
    public var modeKL: Double?
    /// Mean distance of those samples to the data's plane.
    public var offPlane: Double?
    /// Precision and recall (k = 3), density and coverage (k = 5) of G's evaluation batch against
    /// the data's (``ManifoldCoverage``); nil when the batches are too small (≤ 5 points).
    public var precision: Double?
    public var recall: Double?
    public var density: Double?
    public var coverage: Double?
    /// The Inception Score analogue of the mode samples (``MixtureInceptionScore``), ring and grid data.
    public var inceptionScore: Double?

    public static let csvHeader = ["step", "noise", "d_loss", "g_loss", "d_accuracy_real", "d_accuracy_fake",
                                   "g_grad_minimax", "g_grad_nonsat", "d_grad_fake", "js_lower_bound", "w1", "smoothed_js",
                                   "smoothed_js_stderr", "modes_covered", "high_quality_fraction", "mode_kl", "off_plane",
                                   "smoothed_js_note", "precision", "recall", "density", "coverage", "inception_score"]

    mutating func record(_ metrics: ManifoldCoverage) {
        precision = metrics.precision
        recall = metrics.recall
        density = metrics.density
        coverage = metrics.coverage
    }

    mutating func record(_ coverage: ModeCoverage) {
        modesCovered = coverage.modesCovered
        highQualityFraction = coverage.highQualityFraction
        modeKL = coverage.modeKL
        offPlane = coverage.meanOffPlane
    }

    /// The cells of one CSV row (empty `smoothed_js` and `smoothed_js_stderr` cells where it was not
    /// computed; `smoothed_js_note` then says why, when it was due at this row).
    public var csvCells: [String] {
        let optional: [Double?] = [precision, recall, density, coverage, inceptionScore]
        let cells: [String] = [String(step), NumberFormat.text(noise), NumberFormat.text(discriminatorLoss), NumberFormat.text(generatorLoss),
         NumberFormat.text(accuracyReal), NumberFormat.text(accuracyFake),
         NumberFormat.text(generatorGradientMinimax), NumberFormat.text(generatorGradientNonsat),
         NumberFormat.text(discriminatorInputGradient), NumberFormat.text(jsLowerBound), NumberFormat.text(w1),
         smoothedJS.map(NumberFormat.text) ?? "", smoothedJSStandardError.map(NumberFormat.text) ?? "",
         modesCovered.map(String.init) ?? "",
         highQualityFraction.map(NumberFormat.text) ?? "", modeKL.map(NumberFormat.text) ?? "",
         offPlane.map(NumberFormat.text) ?? "", smoothedJSNote ?? ""]
        return cells + optional.map { $0.map(NumberFormat.text) ?? "" }
    }

    enum CodingKeys: String, CodingKey {
        case step, noise, discriminatorLoss = "d_loss", generatorLoss = "g_loss"
        case accuracyReal = "d_accuracy_real", accuracyFake = "d_accuracy_fake"
        case generatorGradientMinimax = "g_grad_minimax", generatorGradientNonsat = "g_grad_nonsat"
        case discriminatorInputGradient = "d_grad_fake", jsLowerBound = "js_lower_bound", w1, smoothedJS = "smoothed_js"
        case smoothedJSStandardError = "smoothed_js_stderr", smoothedJSNote = "smoothed_js_note"
        case modesCovered = "modes_covered", highQualityFraction = "high_quality_fraction", modeKL = "mode_kl", offPlane = "off_plane"
        case precision, recall, density, coverage, inceptionScore = "inception_score"
    }

    /// Every key, an undefined one as null (never missing), so that every run of a sweep has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(noise, forKey: .noise)
        try c.encode(discriminatorLoss, forKey: .discriminatorLoss)
        try c.encode(generatorLoss, forKey: .generatorLoss)
        try c.encode(accuracyReal, forKey: .accuracyReal)
        try c.encode(accuracyFake, forKey: .accuracyFake)
        try c.encode(generatorGradientMinimax, forKey: .generatorGradientMinimax)
        try c.encode(generatorGradientNonsat, forKey: .generatorGradientNonsat)
        try c.encode(discriminatorInputGradient, forKey: .discriminatorInputGradient)
        try c.encode(jsLowerBound, forKey: .jsLowerBound)
        try c.encode(w1, forKey: .w1)
        try c.encode(smoothedJS, forKey: .smoothedJS)
        try c.encode(smoothedJSStandardError, forKey: .smoothedJSStandardError)
        try c.encode(smoothedJSNote, forKey: .smoothedJSNote)
        try c.encode(modesCovered, forKey: .modesCovered)
        try c.encode(highQualityFraction, forKey: .highQualityFraction)
        try c.encode(modeKL, forKey: .modeKL)
        try c.encode(offPlane, forKey: .offPlane)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
        try c.encode(density, forKey: .density)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(inceptionScore, forKey: .inceptionScore)
    }
}

/// The outcome of `train-toy`: the records, the final samples, timings, and the fault that stopped
/// the run early, if any (everything before it is valid).
public struct TrainingResult: Sendable {
    public let configuration: TrainingConfiguration
    public var records: [TrainingRecord] = []
    /// G at the fixed evaluation latents after the last completed step (evaluation points × D).
    public var samples: Matrix<Double>
    /// The fixed evaluation batch of data (evaluation points × D).
    public var data: Matrix<Double>
    /// The data's placement in R^D (for projecting samples on its plane).
    public var embedding: Embedding
    public var stepsRun = 0
    public var seconds = 0.0
    /// Seconds from the start of the call to the end of the first training step.
    public var secondsToFirstStep = 0.0
    /// Seconds spent in the log-step diagnostics (included in `seconds`).
    public var diagnosticSeconds = 0.0
    public var fault: ManifoldLabError?
    /// Mode coverage at the last record (ring and grid data only).
    public var modeCoverage: ModeCoverage?
    /// The generator when the run stopped (after its last step, or the step that diverged), widened to
    /// Double; saved as `generator.json` when its weights are finite.
    public var generator: SavedGenerator?

    /// Generator steps per second of wall time, diagnostics excluded.
    public var stepsPerSecond: Double {
        let training = seconds - diagnosticSeconds
        return training > 0 ? Double(stepsRun) / training : 0
    }
}

/// The pieces every toy experiment starts from: the data's law in R^D (P placed by a seeded frame,
/// moved by `offset` along a direction n orthogonal to its span) and the unit direction n.
struct ToySetup {
    let manifold: any Manifold
    /// Where the data sit: P's frame, centre offset·n.
    let dataEmbedding: Embedding
    /// P's frame at the origin: where the affine generator of the vanish experiment is put.
    let anchor: Embedding
    let direction: [Double]

    init(data: ManifoldSpec, dimension: Int, offset: Double, seed: Seed) throws(ManifoldLabError) {
        let pair = try DistributionPair(p: data, q: data, dimension: dimension,
                                        placement: Placement(offset: offset, sameFrame: true), noise: 0, seed: seed)
        manifold = pair.p.manifold
        anchor = pair.p.embedding
        dataEmbedding = pair.q.embedding
        direction = pair.offsetDirection
    }

    func makeGAN<Scalar: BLASScalar>(_ scalar: Scalar.Type, generator: MLPArchitecture, discriminator: MLPArchitecture,
                                     latentDistribution: LatentDistribution, optimizer: OptimizerKind,
                                     learningRate: Double, loss: GANLoss, techniques: Techniques = .none,
                                     gamma: Double, clip: Double, batch: Int, seed: Seed) -> ToyGAN<Scalar> {
        let k = generator.inputSize
        let shape = techniques.minibatchDiscrimination.map { (kernels: $0.kernels, dimension: $0.dimension) }
        let g = Generator<Scalar>(architecture: generator, seed: seed.child(.generator),
                                  virtualBatchNorm: techniques.virtualBatchNorm ? batch : nil,
                                  latentDistribution: latentDistribution, referenceSeed: seed.child(.vbnReference))
        return ToyGAN(generator: g,
                      discriminator: Discriminator(architecture: discriminator, minibatch: shape, seed: seed.child(.discriminator)),
                      optimizer: optimizer, learningRate: learningRate, loss: loss, techniques: techniques,
                      gamma: gamma, clip: clip,
                      batch: batch,
                      sampler: BatchSampler(manifold: manifold, embedding: dataEmbedding, latent: k,
                                            latentDistribution: latentDistribution, seed: seed, prefix: "train-"),
                      probeSampler: BatchSampler(manifold: manifold, embedding: dataEmbedding, latent: k,
                                                 latentDistribution: latentDistribution, seed: seed, prefix: "probe-"),
                      seed: seed)
    }
}

extension TrainingConfiguration {
    /// Trains, recording a ``TrainingRecord`` at step 1, every `logEvery` steps and at the last step.
    /// A NaN or ∞ in a loss or a weight stops the run: the result then holds every record so far
    /// and `fault` (exit status 70). `progress` is called after every step with (step, steps).
    public func run(progress: ((Int, Int) -> Void)? = nil) throws(ManifoldLabError) -> TrainingResult {
        try validate()
        switch precision {
        case .double: return try run(Double.self, progress: progress)
        case .float: return try run(Float.self, progress: progress)
        }
    }

    func run<Scalar: BLASScalar>(_ scalar: Scalar.Type, progress: ((Int, Int) -> Void)?) throws(ManifoldLabError) -> TrainingResult {
        let start = DispatchTime.now().uptimeNanoseconds
        var (result, generator) = try train(Scalar.self, start: start, progress: progress)
        // Widened to Double only now, when the GAN's optimiser state and tapes are freed, so that
        // the copy does not add to the run's peak memory.
        result.generator = generator.saved
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return result
    }

    /// The training loop of ``run(progress:)``: the result without `generator` and `seconds`, and G
    /// as it ended. The GAN lives only in here.
    private func train<Scalar: BLASScalar>(_ scalar: Scalar.Type, start: UInt64, progress: ((Int, Int) -> Void)?)
        throws(ManifoldLabError) -> (TrainingResult, Generator<Scalar>) {
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let setup = try ToySetup(data: data, dimension: dimension, offset: 0, seed: seed)
        // Sliced W1 measures every record along the same directions: drawn at the first record
        // (after the first step, so not in the time to it: ≈ 35 ms at D = 512) and kept.
        var w1Directions: Matrix<Double>?
        let gan = setup.makeGAN(Scalar.self, generator: generatorArchitecture, discriminator: discriminatorArchitecture,
                                latentDistribution: latentDistribution, optimizer: optimizer,
                                learningRate: learningRate, loss: loss, techniques: techniques, gamma: gamma, clip: clip,
                                batch: batch, seed: seed)
        // The fixed evaluation batches: data points and latent codes, drawn once.
        let evaluation = BatchSampler<Scalar>(manifold: setup.manifold, embedding: setup.dataEmbedding, latent: latent,
                                              latentDistribution: latentDistribution, seed: seed, prefix: "eval-")
        let evaluationData = evaluation.dataPoints(rows: evaluationPoints)
        var evaluationLatent = Matrix<Scalar>(rows: evaluationPoints, columns: latent)
        evaluation.fillLatent(&evaluationLatent)

        // Mode metrics (ring, grid): 2500 samples from fixed latents, as in the papers.
        let mixture = data.modeMixture(dimension: dimension)
        var modeLatent = Matrix<Scalar>(rows: mixture == nil ? 0 : ModeCoverage.sampleCount, columns: latent)
        if mixture != nil { evaluation.fillLatent(&modeLatent) }

        var result = TrainingResult(configuration: self, samples: gan.generate(evaluationLatent), data: evaluationData,
                                    embedding: setup.dataEmbedding)
        var logIndex = 0
        for step in 1...steps {
            if let signal = Interruption.received {
                result.fault = .interrupted(step: step - 1, signal: signal)
                break
            }
            let sigma = noise(atStep: step)
            var discriminatorLoss = 0.0
            for _ in 0..<discriminatorSteps { discriminatorLoss = gan.discriminatorStep(sigma: sigma) }
            let generatorLoss = gan.generatorStep(sigma: sigma)
            if step == 1 { result.secondsToFirstStep = elapsed() }
            let fault: String? = !discriminatorLoss.isFinite ? "D's loss is \(NumberFormat.echo(discriminatorLoss))"
                : !generatorLoss.isFinite ? "G's loss is \(NumberFormat.echo(generatorLoss))"
                : gan.nonFiniteParameters.map { "\($0) is not finite" }
            if let fault {
                result.fault = .trainingDiverged(step: step, quantity: fault)
                break
            }
            result.stepsRun = step
            if step == 1 || step % logEvery == 0 || step == steps {
                let diagnosticsStart = elapsed()
                let last = step == steps
                let probe = gan.probe(sigma: sigma, direction: nil)
                let generated = gan.generate(evaluationLatent)
                if w1 == .sliced && w1Directions == nil { w1Directions = Self.w1Directions(dimension: dimension, seed: seed) }
                guard allFinite(generated.storage) else {
                    result.fault = .trainingDiverged(step: step, quantity: "a generated sample is not finite")
                    break
                }
                var record = TrainingRecord(
                    step: step, noise: sigma, discriminatorLoss: discriminatorLoss, generatorLoss: generatorLoss,
                    accuracyReal: probe.accuracyReal, accuracyFake: probe.accuracyFake,
                    generatorGradientMinimax: probe.minimaxNorm, generatorGradientNonsat: probe.nonsatNorm,
                    discriminatorInputGradient: probe.inputGradientAtFakes, jsLowerBound: probe.jsLowerBound,
                    w1: try w1Distance(evaluationData, generated, directions: w1Directions), smoothedJS: nil)
                let wantsJS = smoothedJSEvery == 0 ? last : (logIndex % smoothedJSEvery == 0 || last)
                if latent <= 2 && sigma > 0 && wantsJS {
                    switch smoothedJS(gan: gan, setup: setup, sigma: sigma, step: step) {
                    case .success(let estimate):
                        record.smoothedJS = estimate.value
                        record.smoothedJSStandardError = estimate.stderr
                    case .failure(let reason):
                        record.smoothedJSNote = reason.message
                    }
                }
                // The papers' sample-quality metrics on the evaluation batches (too few points: left empty).
                if let metrics = try? ManifoldCoverage.measure(real: evaluationData, fake: generated) { record.record(metrics) }
                if let mixture {
                    let modeSamples = gan.generate(modeLatent)
                    let coverage = ModeCoverage(samples: modeSamples, mixture: mixture, embedding: setup.dataEmbedding)
                    record.record(coverage)
                    record.inceptionScore = try? MixtureInceptionScore.measure(modeSamples, mixture: mixture, embedding: setup.dataEmbedding).value
                    result.modeCoverage = coverage
                }
                let values = [record.generatorGradientMinimax, record.generatorGradientNonsat,
                              record.discriminatorInputGradient, record.jsLowerBound]
                if values.contains(where: { !$0.isFinite }) {
                    result.fault = .trainingDiverged(step: step, quantity: "a diagnostic (gradient norm or JS bound) is not finite")
                    break
                }
                result.records.append(record)
                result.samples = generated
                logIndex += 1
                result.diagnosticSeconds += elapsed() - diagnosticsStart
            }
            progress?(step, steps)
        }
        return (result, gan.generator)
    }

    /// W1 between the evaluation batches: exact, or sliced along `directions` (from
    /// ``w1Directions(dimension:seed:)``; drawn here when nil).
    func w1Distance(_ x: Matrix<Double>, _ y: Matrix<Double>, directions: Matrix<Double>? = nil) throws(ManifoldLabError) -> Double {
        switch w1 {
        case .exact: return try Wasserstein.exact(x, y, order: 1).value
        case .sliced:
            let theta = directions ?? Self.w1Directions(dimension: x.columns, seed: seed)
            return try Wasserstein.sliced(x, y, order: 1, directions: theta).value
        }
    }

    /// The 200 orthogonal directions of the sliced W1 column (`sliced`'s defaults, seed child
    /// "w1-directions").
    static func w1Directions(dimension: Int, seed: Seed) -> Matrix<Double> {
        Wasserstein.slicingDirections(count: 200, dimension: dimension, seed: seed.child(.w1Directions)).0
    }

    /// JS(P_σ, Q_σ) between the data's law and G's law, both smoothed by σ, by Monte Carlo
    /// (`SmoothedEstimator`, 1000 points each) with exact log-densities on both sides, with that
    /// estimate's standard error (½√(s²_P + s²_Q) for the sample standard errors s of its two halves:
    /// Monte Carlo error only, not the quadrature error of G's density); or why it cannot be
    /// computed (empty cells and a `smoothed_js_note`): σ below ``SmoothedJSUnavailable/minimumSigma``,
    /// a density rule that refuses σ, or an estimate that is not a finite number.
    func smoothedJS<Scalar: BLASScalar>(gan: ToyGAN<Scalar>, setup: ToySetup, sigma: Double, step: Int)
        -> Result<DivergenceEstimate, SmoothedJSUnavailable> {
        guard sigma >= SmoothedJSUnavailable.minimumSigma else { return .failure(.sigmaUnderflows(sigma)) }
        let count = 1000
        let streams = seed.child(.smoothedJS, index: step)
        let p: SmoothedManifold
        do {
            p = try SmoothedManifold(distribution: ManifoldDistribution(manifold: setup.manifold, embedding: setup.dataEmbedding),
                                     sigma: sigma)
        } catch { return .failure(.densityRefused(error.description)) }
        let q = SmoothedGenerator(gan: gan, latentDistribution: latentDistribution, sigma: sigma, nodesPerAxis: 2048,
                                  samples: count, seed: streams)
        guard let estimate = SmoothedEstimator.estimate(p: p, q: q, count: count, seed: streams, wanted: [.js])[.js] else {
            return .failure(.notFinite(sigma))
        }
        guard estimate.value.isFinite, estimate.stderr.isFinite else { return .failure(.notFinite(sigma)) }
        // JS lies in [0, log 2]: rounding just outside is clamped (and said), more is refused.
        do { return .success(try DivergenceRange.enforce(estimate)) } catch { return .failure(.densityRefused(error.description)) }
    }
}

/// Why the smoothed JS of a metrics row is not reported (its cells stay empty, `smoothed_js_note`
/// says this).
enum SmoothedJSUnavailable: Error, Equatable {
    /// σ so small that σ² underflows (or comes within a few orders of it): the Gaussian kernels
    /// exp(−d²/2σ²) and their normaliser (2πσ²)^(−D/2) cannot be evaluated in double precision.
    case sigmaUnderflows(Double)
    /// The data's density rule refused σ (its message).
    case densityRefused(String)
    /// The estimate or its standard error came out NaN or ∞.
    case notFinite(Double)

    /// Below this σ the smoothed JS is not computed: σ² ≈ 1e-300 is the smallest square that
    /// stays a normal double (σ² underflows to 0 below ≈ 1.5e-162).
    static let minimumSigma = 1e-150

    var message: String {
        switch self {
        case .sigmaUnderflows(let sigma):
            return "not computable: σ = \(NumberFormat.text(sigma)) is below \(NumberFormat.text(Self.minimumSigma)), where σ² underflows in double precision and the Gaussian densities cannot be evaluated"
        case .densityRefused(let reason):
            return "not computable: \(reason)"
        case .notFinite(let sigma):
            return "not computable: at σ = \(NumberFormat.text(sigma)) the estimate does not come out finite in double precision (σ is too small next to the data's scale; try a larger \(parameter: "noise"))"
        }
    }
}
