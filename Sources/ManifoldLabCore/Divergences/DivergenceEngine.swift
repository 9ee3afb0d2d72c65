import Foundation

/// Runs a ``DivergenceRequest``: resolves P and Q, picks a method per divergence, and measures.
///
/// `auto` tries, in order: an exact rule; for JS/KL the `smoothed` estimator when σ > 0, else the
/// laws' own densities when both have one on a shared flat (``PlugInLaw``), else `knn` — refused
/// where its neighbourhoods are not local (``KNNEstimator/localityLimit``); for W1/W2 exact
/// optimal transport on samples. It never picks `knn` where `smoothed` applies. A JS or KL outside
/// its range is never printed as an estimate (``DivergenceRange``).
public enum DivergenceEngine {
    /// Default sample sizes per distribution (``DivergenceRequest/count`` overrides them).
    /// Powers of two per Sobol replicate (2048 and 1024 points × 16 replicates), where Sobol sets balance best.
    public static let defaultSmoothedCount = 32_768
    public static let defaultSurfaceSmoothedCount = 16_384
    public static let defaultKNNCount = 5_000
    public static let defaultClassifierCount = 5_000

    /// Measures `kinds`; the first estimate the tool does not stand behind is thrown (exit 70).
    public static func run(_ request: DivergenceRequest, kinds: [DivergenceKind]) throws(ManifoldLabError) -> [DivergenceReport] {
        let reports = try runAll(request, kinds: kinds)
        if let refused = reports.first(where: \.refused) { throw .numericalFailure(refused.reason) }
        return reports
    }

    /// Measures every one of `kinds`. An estimate out of its range, NaN, or with an error bar that is
    /// not a number comes back as a refused report (``DivergenceReport/refused``: value `null`, the
    /// raw number in `details.raw_value`, the reason in `reason`) so that the other divergences are
    /// still reported; input and usage errors are thrown.
    public static func runAll(_ request: DivergenceRequest, kinds: [DivergenceKind]) throws(ManifoldLabError) -> [DivergenceReport] {
        try request.validate()
        let sides = try ResolvedSides(request)
        var reports: [DivergenceReport] = []
        for kind in kinds {
            let start = DispatchTime.now()
            let (raw, count) = try measure(kind, request: request, sides: sides)
            let checked = accept(raw)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            switch checked {
            case .success(let estimate):
                reports.append(DivergenceReport(estimate: estimate, request: request, dimension: sides.dimension,
                                                count: count, seconds: seconds))
            case .failure(let refusal):
                var report = DivergenceReport(estimate: raw, request: request, dimension: sides.dimension,
                                              count: count, seconds: seconds)
                report.refuse(because: refusal.description)
                reports.append(report)
            }
        }
        return reports
    }

    /// The estimate the tool stands behind, or why not: NaN, an error bar that is not a number
    /// (it says nothing about the value), or a JS/KL outside its range (``DivergenceRange``).
    static func accept(_ estimate: DivergenceEstimate) -> Result<DivergenceEstimate, ManifoldLabError> {
        let kind = estimate.divergence
        if let refusal = estimate.refusal { return .failure(.numericalFailure(refusal)) }
        if estimate.value.isNaN {
            return .failure(.numericalFailure("\(kind.symbol) came out as NaN with method \(estimate.method); refusing to report it"))
        }
        guard estimate.stderr.isFinite, estimate.stderr >= 0 else {
            return .failure(.numericalFailure("\(kind.symbol) = \(estimate.value) by method \(estimate.method) came with a standard error of \(estimate.stderr); refusing to report it (a bigger \(parameter: "n") or a larger \(parameter: "noise") σ may help)"))
        }
        switch kind {
        case .js, .kl: return DivergenceRange.check(estimate)
        case .w1, .w2: return .success(estimate)
        }
    }

    static func measure(_ kind: DivergenceKind, request: DivergenceRequest, sides: ResolvedSides)
        throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        let method = request.method
        if method == .auto || method == .exact, let exact = sides.exact(kind) {
            return (exact, 0)
        }
        // Every (divergence, method) pair is listed: a new method or divergence does not compile
        // until each pair says whether it applies (docs/extending.md).
        switch (kind, method) {
        case (.js, .exact), (.kl, .exact):
            throw .methodNotApplicable(method: "exact", reason: "no exact rule gives \(kind.symbol) for this pair (try \(parameter: "method") auto)")
        case (.js, .auto), (.kl, .auto):
            if sides.noise > 0 { return try smoothed(kind, request, sides) }
            if let laws = sides.plugIn() { return try plugIn(kind, request, sides, laws) }
            return try knn(kind, request, sides, automatic: true)
        case (.js, .smoothed), (.kl, .smoothed):
            if sides.noise == 0, let laws = sides.plugIn() { return try plugIn(kind, request, sides, laws) }
            return try smoothed(kind, request, sides)
        case (.js, .knn), (.kl, .knn):
            return try knn(kind, request, sides, automatic: false)
        case (.js, .classifier):
            return try classifier(request, sides)
        case (.w1, _), (.w2, _):
            return try WassersteinMethods.measure(kind, request: request, sides: sides)
        case (.kl, .classifier), (.js, .sinkhorn), (.kl, .sinkhorn), (.js, .sliced), (.kl, .sliced):
            throw .methodNotApplicable(method: method.rawValue, reason: "it does not estimate \(kind.symbol)")
        }
    }

    /// σ = 0 and both laws have densities on one flat: the smoothed estimator's quasi-Monte Carlo
    /// with those densities (log q = −∞ where Q has none: KL = ∞, JS terms = log 2).
    static func plugIn(_ kind: DivergenceKind, _ request: DivergenceRequest, _ sides: ResolvedSides,
                       _ laws: (p: PlugInLaw, q: PlugInLaw)) throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        let count = request.count ?? defaultSmoothedCount
        try SampleRequest.validate(count: saturating(count, times: 4), dimension: sides.dimension, maxMemory: request.maxMemory)
        var estimate = SmoothedEstimator.estimate(p: laws.p, q: laws.q, count: count, seed: request.seed, wanted: [kind])[kind]!
        if kind == .kl && estimate.value == .infinity {
            estimate.reason = "= ∞: P has mass where Q's density is 0 (both laws on one flat, σ = 0)"
        } else {
            estimate.reason = "σ = 0: the laws' own densities on their shared flat; " + (estimate.reason ?? "")
        }
        return (estimate, count)
    }

    static func smoothed(_ kind: DivergenceKind, _ request: DivergenceRequest, _ sides: ResolvedSides)
        throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        guard sides.noise > 0 else {
            throw .methodNotApplicable(method: "smoothed", reason: "it needs instance noise \(parameter: "noise") σ > 0 (without it the laws have no density in R^D)")
        }
        let p = try sides.smoothed(.p), q = try sides.smoothed(.q)
        let surfaces = [p, q].contains { ($0 as? SmoothedManifold).map { if case .nodes = $0.rule { true } else { false } } ?? false }
        let count = request.count ?? (surfaces ? defaultSurfaceSmoothedCount : defaultSmoothedCount)
        try SampleRequest.validate(count: saturating(count, times: 4), dimension: sides.dimension, maxMemory: request.maxMemory)
        let estimate = SmoothedEstimator.estimate(p: p, q: q, count: count, seed: request.seed, wanted: [kind])[kind]!
        return (estimate, count)
    }

    static func classifier(_ request: DivergenceRequest, _ sides: ResolvedSides) throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        let count = request.count ?? defaultClassifierCount
        try SampleRequest.validate(count: saturating(count, times: 4), dimension: sides.dimension, maxMemory: request.maxMemory)
        let (x, y) = sides.normalisedPoints(count: 2 * count, seed: request.seed)
        let half = x.rows / 2, halfQ = y.rows / 2
        guard half >= 2 && halfQ >= 2 else {
            throw .methodNotApplicable(method: "classifier", reason: "needs at least 4 points per sample (half to train, half to evaluate)")
        }
        let estimate = ClassifierBound.estimate(train: (x.rows(at: Array(0..<half)), y.rows(at: Array(0..<halfQ))),
                                                evaluate: (x.rows(at: Array(half..<x.rows)), y.rows(at: Array(halfQ..<y.rows))),
                                                seed: request.seed)
        return (estimate, half)
    }

    /// `automatic`: chosen by `auto`, which refuses it where the neighbourhoods are not local.
    static func knn(_ kind: DivergenceKind, _ request: DivergenceRequest, _ sides: ResolvedSides, automatic: Bool)
        throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        let count = request.count ?? defaultKNNCount
        try SampleRequest.validate(count: saturatingSum(sides.rows(.p, default: count), sides.rows(.q, default: count)),
                                   dimension: sides.dimension, maxMemory: request.maxMemory)
        let (x, y) = sides.normalisedPoints(count: count, seed: request.seed)
        return (try KNNEstimator.estimate(kind, p: x, q: y, k: request.neighbours, requireLocality: automatic), x.rows)
    }
}

/// P and Q resolved: placed manifolds, sample files, or one of each, in a common R^D.
struct ResolvedSides {
    enum Side { case p, q }
    enum Resolved { case manifold(ManifoldDistribution, ManifoldSpec), samples(Matrix<Double>) }

    let p: Resolved
    let q: Resolved
    let pair: DistributionPair?
    /// A same-frame pair in axis-aligned coordinates (``CanonicalPair``): what JS and KL sample.
    let canonical: (p: ManifoldDistribution, q: ManifoldDistribution)?
    let dimension: Int
    /// σ of the instance noise, checked once by the request: ``p``, ``q`` and ``pair`` are the laws
    /// without it, and every method below draws or smooths with this σ, never with one of its own.
    let noise: Double

    init(_ request: DivergenceRequest) throws(ManifoldLabError) {
        var files: [String: Matrix<Double>] = [:]
        for case .file(let path) in [request.p, request.q] where files[path] == nil {
            let points = try SampleFile.load(path: path, maxMemory: request.maxMemory)
            guard points.rows >= 2 else {
                throw .badInputFile(path: path, line: nil, problem: "holds \(points.rows) point; at least 2 are needed")
            }
            files[path] = points
        }
        let fileDimensions = Set(files.values.map(\.columns))
        if fileDimensions.count > 1 {
            throw .badInputFile(path: files.keys.sorted().joined(separator: " vs "), line: nil,
                                problem: "P and Q have different dimensions (\(fileDimensions.sorted().map(String.init).joined(separator: " vs ")))")
        }
        if let fileDimension = fileDimensions.first, let asked = request.dimension, asked != fileDimension {
            throw .invalidValue(parameter: "dim", value: String(asked), allowed: "the sample file has \(fileDimension) columns")
        }
        dimension = fileDimensions.first ?? request.dimension ?? 3
        noise = request.noise
        let specs = try request.shape.specs([request.p, request.q].compactMap {
            if case .manifold(let spec) = $0 { return (spec.kind.rawValue, "p/q") } else { return nil }
        })
        switch (request.p, request.q) {
        case (.manifold, .manifold):
            let pair = try DistributionPair(p: specs[0], q: specs[1], dimension: dimension, placement: request.placement,
                                            noise: 0, seed: request.seed)
            self.pair = pair
            canonical = CanonicalPair.distributions(pair)
            p = .manifold(pair.p, specs[0])
            q = .manifold(pair.q, specs[1])
        default:
            pair = nil
            canonical = nil
            var next = specs.makeIterator()
            var resolved: [Resolved] = []
            for (source, role) in [(request.p, "p"), (request.q, "q")] {
                switch source {
                case .file(let path):
                    resolved.append(.samples(files[path]!))
                case .manifold:
                    let spec = next.next()!
                    let placed = try SampleRequest(manifold: spec, dimension: dimension, count: 1, seed: request.seed).distribution()
                    resolved.append(.manifold(ManifoldDistribution(manifold: placed.manifold, embedding: placed.embedding, role: role), spec))
                }
            }
            p = resolved[0]
            q = resolved[1]
        }
    }

    func side(_ side: Side) -> Resolved { side == .p ? p : q }

    /// How many points `side` brings: a file's row count, or `count` drawn from a manifold.
    func rows(_ side: Side, default count: Int) -> Int {
        if case .samples(let points) = self.side(side) { return points.rows }
        return count
    }

    func exact(_ kind: DivergenceKind) -> DivergenceEstimate? {
        guard let pair, case .manifold(_, let pSpec) = p, case .manifold(_, let qSpec) = q else { return nil }
        return ExactRules.evaluate(kind, pair: pair, pSpec: pSpec, qSpec: qSpec, noise: noise)
    }

    /// A manifold side as JS and KL see it: in axis-aligned coordinates when the pair shares a frame.
    func divergenceDistribution(_ side: Side) -> ManifoldDistribution? {
        if let canonical { return side == .p ? canonical.p : canonical.q }
        if case .manifold(let distribution, _) = self.side(side) { return distribution }
        return nil
    }

    /// P_σ or Q_σ for the smoothed estimator. Two sample files are first put in their own units
    /// (``SampleScale``), σ with them: the Gaussian kernels then never square 1e-200.
    func smoothed(_ side: Side) throws(ManifoldLabError) -> any SmoothedLaw {
        let sigma = noise, role = side == .p ? "p" : "q"
        switch (self.side(side), p, q) {
        case (.samples(let points), .samples(let a), .samples(let b)):
            let scale = SampleScale([a, b])
            return SmoothedSampleSet(points: scale.apply(points), sigma: sigma / scale.scale, role: role)
        case (.samples(let points), _, _):
            return SmoothedSampleSet(points: points, sigma: sigma, role: role)
        case (.manifold, _, _):
            return try SmoothedManifold(distribution: divergenceDistribution(side)!, sigma: sigma)
        }
    }

    /// Both laws with densities on one shared flat at σ = 0, or nil (see ``PlugInLaw/shareSpan(_:)``).
    func plugIn() -> (p: PlugInLaw, q: PlugInLaw)? {
        guard let pair, PlugInLaw.shareSpan(pair), let p = divergenceDistribution(.p).flatMap(PlugInLaw.init),
              let q = divergenceDistribution(.q).flatMap(PlugInLaw.init) else { return nil }
        return (p, q)
    }

    /// `count` points of each side (all of a file) with noise σ, for kNN and the classifier, both
    /// sets then put in their common units (``SampleScale``).
    func normalisedPoints(count: Int, seed: Seed) -> (p: Matrix<Double>, q: Matrix<Double>) {
        func draw(_ side: Side) -> Matrix<Double> {
            if let distribution = divergenceDistribution(side) {
                return distribution.withNoise(noise).sample(count: count, seed: seed)
            }
            return points(side, count: count, seed: seed)
        }
        let x = draw(.p), y = draw(.q)
        let scale = SampleScale([x, y])
        return (scale.apply(x), scale.apply(y))
    }

    /// `count` points of a manifold side (with noise σ), or all points of a file side (plus noise σ).
    func points(_ side: Side, count: Int, seed: Seed) -> Matrix<Double> {
        switch self.side(side) {
        case .manifold(let distribution, _):
            return distribution.withNoise(noise).sample(count: count, seed: seed)
        case .samples(let points):
            guard noise > 0 else { return points }
            var noisy = points
            let rng = RandomStream(seed: seed.child(.noise(side == .p ? "p" : "q")))
            for i in noisy.storage.indices { noisy.storage[i] += rng.gaussian(sigma: noise) }
            return noisy
        }
    }
}

/// a·b, or Int.max when it overflows: a size for a memory check (`--n 2^63 − 1` trapped in `count * 4`).
func saturating(_ a: Int, times b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? .max : product
}

/// a + b, or Int.max when it overflows.
func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? .max : sum
}
