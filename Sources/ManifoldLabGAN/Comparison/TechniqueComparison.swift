import Foundation
import ManifoldLabCore

/// One arm of a technique comparison: a name and how it changes the base configuration.
public struct TechniqueVariant: Sendable {
    public let name: String
    public let apply: @Sendable (inout TrainingConfiguration) -> Void

    public init(name: String, apply: @escaping @Sendable (inout TrainingConfiguration) -> Void) {
        self.name = name
        self.apply = apply
    }

    /// The standard arms: the plain GAN, each Improved-GAN technique alone (virtual batch
    /// normalisation included), annealed instance noise and the R1 penalty. `minibatch` is the (B, C) of the minibatch layer.
    public static func standard(minibatch: MinibatchShape, historicalAveraging: Double, labelSmoothing: Double,
                                noise: Double) -> [TechniqueVariant] {
        [TechniqueVariant(name: "plain") { _ in },
         TechniqueVariant(name: "feature-matching") { $0.techniques.featureMatching = true },
         TechniqueVariant(name: "minibatch-disc") { $0.techniques.minibatchDiscrimination = minibatch },
         TechniqueVariant(name: "historical-avg") { $0.techniques.historicalAveraging = historicalAveraging },
         TechniqueVariant(name: "label-smoothing") { $0.techniques.labelSmoothing = labelSmoothing },
         TechniqueVariant(name: "virtual-batchnorm") { $0.techniques.virtualBatchNorm = true },
         TechniqueVariant(name: "instance-noise") { $0.noise = noise; $0.noiseAnneal = true },
         TechniqueVariant(name: "r1") { $0.loss = .r1; $0.gamma = GANLoss.r1.defaultGamma }]
    }
}

/// The outcome of one (variant, seed) run.
public struct ComparisonRun: Sendable, Codable {
    public let technique: String
    public let seed: UInt64
    public let modesCovered: Int
    public let modes: Int
    public let highQualityFraction: Double
    public let modeKL: Double?
    public let offPlane: Double
    public let w1: Double
    public let seconds: Double
    /// The fault that stopped the run early, if any (its metrics are those of its last record).
    public let error: String?
    /// The last record's precision, recall and coverage (evaluation batches) and Inception Score
    /// analogue (mode samples); nil when not computed.
    public var precision: Double? = nil
    public var recall: Double? = nil
    public var coverage: Double? = nil
    public var inceptionScore: Double? = nil

    enum CodingKeys: String, CodingKey {
        case technique, seed, modesCovered = "modes_covered", modes, highQualityFraction = "high_quality_fraction"
        case modeKL = "mode_kl", offPlane = "off_plane", w1, seconds, error
        case precision, recall, coverage, inceptionScore = "inception_score"
    }
}

/// Mean ± standard deviation of each metric over one variant's seeds.
public struct ComparisonRow: Sendable {
    public let technique: String
    public let runs: Int
    public let modesCovered: MeanStd
    public let highQualityFraction: MeanStd
    /// Over the runs where it is defined (`klRuns` of them); nil when none.
    public let modeKL: MeanStd?
    public let klRuns: Int
    public let w1: MeanStd
    /// Runs that missed at least one mode.
    public let collapsedRuns: Int
    public let modes: Int
    /// 95 % intervals over the seeds: modes covered, high-quality fraction, W1, and the last record's
    /// precision, recall, coverage and Inception Score analogue (nil when a run lacks them).
    public let intervals: [String: MeanInterval]

    /// The metrics with an interval, in column order.
    public static let intervalMetrics = ["modes_covered", "high_quality_fraction", "w1", "precision", "recall", "coverage",
                                         "inception_score"]

    init(technique: String, runs: [ComparisonRun]) {
        self.technique = technique
        self.runs = runs.count
        modesCovered = MeanStd(runs.map { Double($0.modesCovered) })
        highQualityFraction = MeanStd(runs.map(\.highQualityFraction))
        let kl = runs.compactMap(\.modeKL)
        modeKL = kl.isEmpty ? nil : MeanStd(kl)
        klRuns = kl.count
        w1 = MeanStd(runs.map(\.w1))
        collapsedRuns = runs.filter { $0.modesCovered < $0.modes }.count
        modes = runs.first?.modes ?? 0
        var intervals: [String: MeanInterval] = [:]
        let columns: [(String, (ComparisonRun) -> Double?)] = [
            ("modes_covered", { Double($0.modesCovered) }), ("high_quality_fraction", { $0.highQualityFraction }), ("w1", { $0.w1 }),
            ("precision", { $0.precision }), ("recall", { $0.recall }), ("coverage", { $0.coverage }),
            ("inception_score", { $0.inceptionScore })]
        for (name, value) in columns {
            let values = runs.compactMap(value)
            if values.count == runs.count { intervals[name] = MeanInterval(values) }
        }
        self.intervals = intervals
    }

    public static let csvHeader = ["technique", "runs", "modes", "modes_covered_mean", "modes_covered_std",
                                   "high_quality_fraction_mean", "high_quality_fraction_std", "mode_kl_mean", "mode_kl_std",
                                   "mode_kl_runs", "w1_mean", "w1_std", "collapsed_runs"]
        + ["modes_covered", "high_quality_fraction", "w1"].map { $0 + "_ci95" }
        + ["precision", "recall", "coverage", "inception_score"].flatMap { [$0 + "_mean", $0 + "_ci95"] }

    public var csvCells: [String] {
        let t: (Double) -> String = { NumberFormat.text($0) }
        let base = [technique, String(runs), String(modes), t(modesCovered.mean), t(modesCovered.std),
                    t(highQualityFraction.mean), t(highQualityFraction.std), modeKL.map { t($0.mean) } ?? "",
                    modeKL.map { t($0.std) } ?? "", String(klRuns), t(w1.mean), t(w1.std), String(collapsedRuns)]
        let halfWidths = ["modes_covered", "high_quality_fraction", "w1"].map { intervals[$0].map { t($0.halfWidth) } ?? "" }
        let added = ["precision", "recall", "coverage", "inception_score"].flatMap { name in
            [intervals[name].map { t($0.mean) } ?? "", intervals[name].map { t($0.halfWidth) } ?? ""]
        }
        return base + halfWidths + added
    }
}

/// `compare-techniques`: every variant over several seeds on mixture data, by the mode-coverage
/// protocol of ``ModeCoverage``.
public struct TechniqueComparison: Sendable {
    public var base: TrainingConfiguration
    public var variants: [TechniqueVariant]
    public var seeds: [UInt64]

    public init(base: TrainingConfiguration, variants: [TechniqueVariant], seeds: [UInt64]) {
        self.base = base
        self.variants = variants
        self.seeds = seeds
    }

    /// Every (variant, seed) configuration, in the order the table lists them.
    public func configurations() -> [(variant: String, configuration: TrainingConfiguration)] {
        variants.flatMap { variant in
            seeds.map { seed in
                var c = base
                c.seed = Seed(seed)
                variant.apply(&c)
                return (variant.name, c)
            }
        }
    }

    /// Refuses data without known modes and every configuration the trainer would refuse.
    public func validate() throws(ManifoldLabError) {
        guard base.data.modeMixture(dimension: base.dimension) != nil else {
            throw .invalidValue(parameter: "data", value: base.data.kind.rawValue,
                                 allowed: "a mixture with known modes: ring or grid")
        }
        guard !seeds.isEmpty, seeds.count <= 1000 else {
            throw .invalidValue(parameter: "seeds", value: String(seeds.count), allowed: "1 to 1000 seeds")
        }
        for (_, c) in configurations() { try c.validate() }
    }

    /// Runs every configuration, `jobs` at a time (each on one thread); `progress` gets (done, total).
    /// On SIGINT/SIGTERM it stops starting runs and returns the ones that finished, with the signal;
    /// runs that the signal cut short are left out (their metrics would describe an unfinished run).
    public func run(jobs: Int = 1, progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ManifoldLabError) -> ComparisonOutcome {
        try validate()
        let all = configurations()
        let results = runConcurrently(count: all.count, jobs: jobs, progress: progress) { index in
            let (name, configuration) = all[index]
            let (run, complete) = Self.run(name: name, configuration)
            return complete ? run : nil
        }
        let runs = results.compactMap { $0 }
        return ComparisonOutcome(runs: runs, planned: all.count,
                                 interruption: runs.count < all.count ? Interruption.received : nil)
    }

    /// One training run as a table row, and whether it ran to its end (false when a signal cut it short).
    static func run(name: String, _ configuration: TrainingConfiguration) -> (ComparisonRun, complete: Bool) {
        var fault: String?
        var result: TrainingResult?
        var complete = true
        do { result = try configuration.run() } catch { fault = error.description }
        if let f = result?.fault {
            fault = f.description
            if case .interrupted = f { complete = false }
        }
        let m = result?.modeCoverage
        var row = ComparisonRun(technique: name, seed: configuration.seed.value, modesCovered: m?.modesCovered ?? 0,
                                modes: m?.modes ?? 0, highQualityFraction: m?.highQualityFraction ?? 0, modeKL: m?.modeKL,
                                offPlane: m?.meanOffPlane ?? .nan, w1: result?.records.last?.w1 ?? .nan,
                                seconds: result?.seconds ?? 0, error: fault)
        let last = result?.records.last
        row.precision = last?.precision
        row.recall = last?.recall
        row.coverage = last?.coverage
        row.inceptionScore = last?.inceptionScore
        return (row, complete)
    }

    /// One row per variant, in the order of ``variants``.
    public func table(_ runs: [ComparisonRun]) -> [ComparisonRow] {
        variants.compactMap { variant in
            let mine = runs.filter { $0.technique == variant.name }
            return mine.isEmpty ? nil : ComparisonRow(technique: variant.name, runs: mine)
        }
    }
}

/// What a comparison produced: the finished runs, and the signal that stopped it early, if one did.
public struct ComparisonOutcome: Sendable {
    public let runs: [ComparisonRun]
    /// How many runs were planned (arms × seeds).
    public let planned: Int
    /// "SIGINT" or "SIGTERM" when a signal stopped the comparison before every run finished.
    public let interruption: String?
}
