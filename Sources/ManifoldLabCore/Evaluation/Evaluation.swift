import Foundation

/// Runs the metrics of an ``EvaluationRequest`` on one real and one generated sample, each drawn
/// once (or read from its file) so that every metric sees the same points.
///
/// A metric that cannot give a number the tool stands behind (a value beyond the largest double, a
/// sample too small for it) is a refused record with its reason; the others are still reported.
public enum Evaluation {
    public static func run(_ request: EvaluationRequest) throws(ManifoldLabError) -> [MetricReport] {
        try request.validate()
        let sides = try ResolvedSides(request.divergenceRequest)
        try SampleRequest.validate(count: saturatingSum(sides.rows(.p, default: request.count),
                                                        request.fake == nil ? 0 : sides.rows(.q, default: request.count)),
                                   dimension: sides.dimension, maxMemory: request.maxMemory)
        // The mode metrics asked for by name (not as part of every metric) on data without labelled modes.
        let mixtureReal: Bool = { if case .manifold(_, let spec) = sides.p { spec.modeMixture(dimension: sides.dimension) != nil } else { false } }()
        if request.metrics.contains(.modes), request.metrics.count < MetricGroup.allCases.count, request.fake != nil,
           request.modeCentres == nil, !mixtureReal {
            throw .methodNotApplicable(method: "modes", reason: "the mode metrics need labelled modes: --real ring or grid, or --modes file:CENTRES with --mode-std")
        }
        let real = sides.points(.p, count: request.count, seed: request.seed)
        let fake = request.fake == nil ? nil : sides.points(.q, count: request.count, seed: request.seed)
        var reports: [MetricReport] = []
        /// Runs one group of metrics; if it throws, each of `metrics` is a refused record with the reason.
        func add(_ metrics: [String], sample: String = "both", _ body: () throws(ManifoldLabError) -> [MetricReport]) {
            let start = DispatchTime.now().uptimeNanoseconds
            var made: [MetricReport]
            do { made = try body() } catch { made = metrics.map { .refusal($0, sample: sample, error) } }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(made.count)
            for var report in made {
                report.real = request.real.description
                report.fake = request.fake?.description
                report.dim = sides.dimension
                report.nReal = report.sample == "fake" ? 0 : real.rows
                report.nFake = report.sample == "real" || report.sample == "p" ? 0 : (fake?.rows ?? 0)
                report.seed = request.seed.value
                report.seconds = seconds
                reports.append(report)
            }
        }
        let groups = Set(request.metrics)
        // Each sample's nearest-neighbour table, once, for precision/recall/density/coverage and both
        // dimension estimators (the search is most of their time), computed by the first metric that
        // asks, so its time is in that metric's `seconds`.
        let k = max(request.kMax, ManifoldCoverage.defaultDensityCoverageK, ManifoldCoverage.defaultPrecisionRecallK)
        let realTable = NeighbourTable(real, k: k), fakeTable = fake.map { NeighbourTable($0, k: k) }
        if let fake {
            if groups.contains(.fd) { add(["frechet_distance"]) { () throws(ManifoldLabError) in [try frechet(real, fake)] } }
            if groups.contains(.kid) { add(["kid"]) { () throws(ManifoldLabError) in [try kid(real, fake, request)] } }
            if groups.contains(.mmd) { add(["mmd"]) { () throws(ManifoldLabError) in [try mmd(real, fake, request)] } }
            if groups.contains(.prdc) { add(["precision", "recall", "density", "coverage"]) { () throws(ManifoldLabError) in try prdc(real, fake, realTable.value, fakeTable?.value) } }
            if groups.contains(.wasserstein) { add(["w1", "w2", "sliced_w2"]) { () throws(ManifoldLabError) in try wasserstein(real, fake, request) } }
            if groups.contains(.classifier) { add(["js_lower_bound"]) { [classifier(real, fake, request)] } }
        }
        if groups.contains(.dimension) {
            let samples = fake.map { [("real", real, realTable), ("fake", $0, fakeTable!)] } ?? [("p", real, realTable)]
            for (name, points, table) in samples {
                add(["dimension_twonn"], sample: name) { () throws(ManifoldLabError) in [try twoNN(points, name, table.value)] }
                add(["dimension_mle"], sample: name) { () throws(ManifoldLabError) in [try levinaBickel(points, name, request, table.value)] }
            }
        }
        if let fake, groups.contains(.modes) {
            let modeMetrics = ["inception_score", "modes_covered", "high_quality_fraction"]
            if let path = request.modeCentres {
                add(modeMetrics, sample: "fake") { () throws(ManifoldLabError) in
                    let (mixture, embedding) = try centres(path, std: request.modeStd ?? 0, dimension: sides.dimension, request)
                    return try modes(fake, mixture: mixture, embedding: embedding)
                }
            } else if case .manifold(let distribution, let spec) = sides.p, let mixture = spec.modeMixture(dimension: sides.dimension) {
                add(modeMetrics, sample: "fake") { () throws(ManifoldLabError) in
                    try modes(fake, mixture: mixture, embedding: distribution.embedding)
                }
            }
        }
        return reports
    }

    /// The Agresti–Coull standard error of a fraction p of `count` trials: √(p̃(1 − p̃)/(n + 4)) with
    /// p̃ = (np + 2)/(n + 4), which is not 0 at p = 0 or 1 (the plain binomial error would claim certainty there).
    static func binomial(_ p: Double, _ count: Double) -> Double {
        let adjusted = (p * count + 2) / (count + 4)
        return (adjusted * (1 - adjusted) / (count + 4)).squareRoot()
    }

    /// Three significant digits, for numbers inside a reason.
    static func short(_ value: Double) -> String { String(format: "%.3g", value) }

    static func frechet(_ real: Matrix<Double>, _ fake: Matrix<Double>) throws(ManifoldLabError) -> MetricReport {
        let fd = try FrechetDistance.measure(real, fake)
        return MetricReport(metric: "frechet_distance", value: fd.value, unit: "squared distance",
                            reason: "the FID formula on the given coordinates (Gaussian fit: means and unbiased covariances); biased upwards at finite n (by tr Σ(1/n + 1/m) for one law), so compare at equal n",
                            details: ["mean_term": fd.meanTerm])
    }

    static func kid(_ real: Matrix<Double>, _ fake: Matrix<Double>, _ request: EvaluationRequest) throws(ManifoldLabError) -> MetricReport {
        let kid = try KernelInceptionDistance.measure(real, fake, subsets: request.kidSubsets, subsetSize: request.kidSubsetSize,
                                                      seed: request.seed)
        let how = kid.subsets == 1 ? "on all points (one subset: no subset noise)"
            : "mean over \(kid.subsets) random subsets of \(kid.subsetSize) points each (torch-fidelity's convention); their std \(short(kid.subsetStd)) is the spread of one subset's value, not an error of the mean"
        return MetricReport(metric: "kid", value: kid.value,
                            reason: "unbiased MMD² with the kernel (x·y/D + 1)³, \(how)",
                            details: ["std": kid.subsetStd, "subsets": Double(kid.subsets), "subset_size": Double(kid.subsetSize)])
    }

    static func mmd(_ real: Matrix<Double>, _ fake: Matrix<Double>, _ request: EvaluationRequest) throws(ManifoldLabError) -> MetricReport {
        let mmd = try GaussianMMD.measure(real, fake, bandwidth: request.bandwidth)
        let width = mmd.medianHeuristic ? "h = \(short(mmd.bandwidth)), the median distance (median heuristic)" : "h = \(short(mmd.bandwidth)) as given"
        return MetricReport(metric: "mmd", value: mmd.value, stderr: mmd.standardError,
                            reason: "unbiased MMD² with the Gaussian kernel exp(−|x−y|²/2h²), \(width); jackknife standard error over \(min(GaussianMMD.jackknifeBlocks, real.rows / 2, fake.rows / 2)) blocks; may be slightly negative for equal laws",
                            details: ["bandwidth": mmd.bandwidth])
    }

    static func prdc(_ real: Matrix<Double>, _ fake: Matrix<Double>, _ realNeighbours: SampleNeighbours?,
                     _ fakeNeighbours: SampleNeighbours?) throws(ManifoldLabError) -> [MetricReport] {
        let c = try ManifoldCoverage.measure(real: real, fake: fake, realNeighbours: realNeighbours, fakeNeighbours: fakeNeighbours)
        let n = Double(real.rows), m = Double(fake.rows)
        let caveat = "Agresti–Coull binomial standard error, which leaves out the noise of the radii themselves"
        return [
            MetricReport(metric: "precision", value: c.precision, stderr: binomial(c.precision, m),
                         reason: "fraction of fake points within some real point's distance to its k-th nearest real neighbour, k = \(c.precisionRecallK) (Kynkäänniemi et al. 2019); \(caveat)"),
            MetricReport(metric: "recall", value: c.recall, stderr: binomial(c.recall, n),
                         reason: "fraction of real points within some fake point's distance to its k-th nearest fake neighbour, k = \(c.precisionRecallK) (Kynkäänniemi et al. 2019); \(caveat)"),
            MetricReport(metric: "density", value: c.density,
                         reason: "mean number of real balls (k = \(c.densityCoverageK)) holding a fake point, over k (Naeem et al. 2020); ≈ 1 for equal laws, may exceed 1"),
            MetricReport(metric: "coverage", value: c.coverage, stderr: binomial(c.coverage, n),
                         reason: "fraction of real points whose ball (k = \(c.densityCoverageK)) holds a fake point (Naeem et al. 2020); ≈ 1 − 2^−k for equal laws; \(caveat)"),
        ]
    }

    static func wasserstein(_ real: Matrix<Double>, _ fake: Matrix<Double>, _ request: EvaluationRequest) throws(ManifoldLabError) -> [MetricReport] {
        let limit = EvaluationRequest.exactTransportLimit
        let x = real.rows > limit ? real.rows(at: Array(0..<limit)) : real
        let y = fake.rows > limit ? fake.rows(at: Array(0..<limit)) : fake
        let subset = real.rows > limit || fake.rows > limit ? " on the first \(min(limit, real.rows)) and \(min(limit, fake.rows)) points (its time grows as n³)" : ""
        var reports: [MetricReport] = []
        for order in [1.0, 2.0] {
            let result = try Wasserstein.exact(x, y, order: order, maxMemory: request.maxMemory)
            reports.append(MetricReport(metric: order == 1 ? "w1" : "w2", value: result.value, unit: "distance",
                                        reason: "exact optimal transport between the empirical measures\(subset); above the laws' W at finite n"))
        }
        let sliced = try Wasserstein.sliced(real, fake, order: 2, projections: request.projections,
                                            seed: request.seed.child(.sliced), maxMemory: request.maxMemory)
        reports.append(MetricReport(metric: "sliced_w2", value: sliced.value, stderr: sliced.standardError ?? .nan, unit: "distance",
                                    reason: "sliced W2 over \(request.projections) directions on all points; at most W2, and a different distance from it"))
        return reports
    }

    static func classifier(_ real: Matrix<Double>, _ fake: Matrix<Double>, _ request: EvaluationRequest) -> MetricReport {
        let scale = SampleScale([real, fake])
        let x = scale.apply(real), y = scale.apply(fake)
        func halves(_ m: Matrix<Double>) -> (Matrix<Double>, Matrix<Double>) {
            let cut = m.rows / 2
            return (m.rows(at: Array(0..<cut)), m.rows(at: Array(cut..<m.rows)))
        }
        let (trainX, testX) = halves(x), (trainY, testY) = halves(y)
        let estimate = ClassifierBound.estimate(train: (trainX, trainY), evaluate: (testX, testY), seed: request.seed)
        return MetricReport(metric: "js_lower_bound", value: estimate.value, stderr: estimate.stderr, unit: "nats",
                            reason: "log 2 + ½E_real[log D] + ½E_fake[log(1−D)] of a logistic MLP trained on half of each sample and scored on the other half: a lower bound on JS up to its error")
    }

    static func twoNN(_ points: Matrix<Double>, _ sample: String, _ neighbours: SampleNeighbours?) throws(ManifoldLabError) -> MetricReport {
        let d = try IntrinsicDimension.twoNN(points, neighbours: neighbours)
        let repeated = d.repeated > 0 ? "; \(d.repeated) repeated points left out" : ""
        return MetricReport(metric: "dimension_twonn", sample: sample, value: d.value, stderr: d.standardError,
                            reason: "TwoNN (Facco et al. 2017): slope of −log(1 − i/N) on the sorted log(r₂/r₁), largest 10 % discarded; error d/√N assumes independent ratios\(repeated)",
                            details: ["points": Double(d.points)])
    }

    static func levinaBickel(_ points: Matrix<Double>, _ sample: String, _ request: EvaluationRequest,
                             _ neighbours: SampleNeighbours?) throws(ManifoldLabError) -> MetricReport {
        let d = try IntrinsicDimension.levinaBickel(points, k: request.kMin...request.kMax, neighbours: neighbours)
        var details = ["points": Double(d.points)]
        for (offset, value) in d.byK.enumerated() { details["k\(d.kRange.lowerBound + offset)"] = value }
        let repeated = d.repeated > 0 ? "; \(d.repeated) repeated points left out" : ""
        return MetricReport(metric: "dimension_mle", sample: sample, value: d.value,
                            reason: "Levina–Bickel likelihood, inverse estimates averaged over points (MacKay–Ghahramani), mean over k = \(d.kRange.lowerBound)…\(d.kRange.upperBound); neighbourhoods overlap, so no error estimate\(repeated)",
                            details: details)
    }

    /// The mixture whose K centres are the rows of the file at `path` (in R^D, std `std` each), seen
    /// through the identity embedding: its "plane" is all of R^D.
    static func centres(_ path: String, std: Double, dimension: Int, _ request: EvaluationRequest) throws(ManifoldLabError)
        -> (GaussianMixture, Embedding) {
        let centres = try SampleFile.load(path: path, maxMemory: request.maxMemory)
        guard centres.columns == dimension else {
            throw .badInputFile(path: path, line: nil, problem: "its centres have \(centres.columns) coordinates; the samples have \(dimension)")
        }
        guard centres.rows >= 1, allFinite(centres.storage) else {
            throw .badInputFile(path: path, line: nil, problem: "holds no finite centre")
        }
        let mixture = GaussianMixture(name: "centres", means: (0..<centres.rows).map { centres.row($0) }, standardDeviation: std)
        return (mixture, .identity(dimension: dimension))
    }

    static func modes(_ fake: Matrix<Double>, mixture: GaussianMixture, embedding: Embedding) throws(ManifoldLabError) -> [MetricReport] {
        let score = try MixtureInceptionScore.measure(fake, mixture: mixture, embedding: embedding)
        let coverage = ModeCoverage(samples: fake, mixture: mixture, embedding: embedding)
        let k = mixture.means.count
        return [
            MetricReport(metric: "inception_score", sample: "fake", value: score.value, stderr: score.standardError,
                         reason: "exp(E KL(p(y|x) ‖ p(y))) with the real mixture's exact posterior over its \(k) modes, mean over \(score.splits) splits (Salimans et al. 2016); \(k) for the mixture itself, 1 for one mode",
                         details: ["std": score.splitStd, "modes": Double(k)]),
            MetricReport(metric: "modes_covered", sample: "fake", value: Double(coverage.modesCovered), unit: "modes",
                         reason: "modes of \(k) nearest to at least one high-quality fake point (within 3 mode std in the data's plane)",
                         details: ["modes": Double(k)]),
            MetricReport(metric: "high_quality_fraction", sample: "fake", value: coverage.highQualityFraction,
                         stderr: binomial(coverage.highQualityFraction, Double(fake.rows)),
                         reason: "fraction of fake points within 3 mode std of their nearest mode, in the data's plane; Agresti–Coull binomial standard error",
                         details: ["mean_off_plane": coverage.meanOffPlane]),
        ]
    }
}

/// A sample's neighbour table, computed on first use (nil when the sample is too small or not
/// finite: each metric then reports its own refusal).
final class NeighbourTable {
    private let sample: Matrix<Double>
    private let k: Int
    private var computed: SampleNeighbours??

    init(_ sample: Matrix<Double>, k: Int) {
        self.sample = sample
        self.k = min(k, sample.rows - 1)
    }

    var value: SampleNeighbours? {
        if let computed { return computed }
        let table = k >= 1 ? try? SampleNeighbours(sample, k: k) : nil
        computed = .some(table)
        return table
    }
}
