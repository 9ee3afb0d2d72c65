import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

extension DivergenceMethod: ExpressibleByArgument {}

/// The options shared by `js`, `kl`, `wasserstein` and `divergences`.
struct DivergenceOptionGroup: ParsableArguments {
    @Option(help: "P: a manifold name (see `manifoldlab sample --help`) or file:PATH, one point per row: CSV, TSV or whitespace-separated text (header row optional), .npy, .npz (file:PATH.npz:NAME picks an array), any of them gzipped; file:- reads standard input.", completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var p: String = "line"

    @Option(help: "Q: a manifold name or file:PATH (as for --p).", completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var q: String = "plane"

    @Option(help: "Ambient dimension D (default 3; a sample file sets it).")
    var dim: Int?

    @Option(help: "σ of the instance noise N(0, σ²I) added to both P and Q.")
    var noise: Double = 0

    @Option(help: """
        Points per distribution for sampling methods (default: smoothed and plug-in \(DivergenceEngine.defaultSmoothedCount), \
        or \(DivergenceEngine.defaultSurfaceSmoothedCount) on 2-D surfaces; knn \(DivergenceEngine.defaultKNNCount); classifier \
        \(DivergenceEngine.defaultClassifierCount); exact OT \(WassersteinMethods.defaultExactCount); sinkhorn \
        \(WassersteinMethods.defaultSinkhornCount); sliced \(WassersteinMethods.defaultSlicedCount)).
        """)
    var n: Int?

    @Option(help: """
        auto (best that applies, and says which) | exact (closed forms: P = Q, disjoint or transversal \
        supports, translations, Gaussians) | smoothed (needs --noise) | knn | classifier (JS lower bound from a trained logistic MLP) | sinkhorn | sliced.
        """)
    var method: DivergenceMethod = .auto

    @Option(name: .customLong("k"), help: "Neighbours k of the knn estimators.")
    var neighbours: Int = 5

    @Option(help: "Directions L of sliced Wasserstein.")
    var projections: Int = 200

    @Option(help: "Sinkhorn's blur, a length: ε = blur^p, the scale below which the plan smooths the data. Default diameter/64 for W2, diameter/2048 for W1 (within 1 % of exact W_p on the pairs of docs/transport.md). With --method sinkhorn.")
    var blur: Double?

    @Option(help: "Sinkhorn's ε in cost units (distance^p): the value is then the debiased divergence S_ε^(1/p) at that ε, below W_p. With --method sinkhorn; instead of --blur.")
    var epsilon: Double?

    @Option(help: "Output: text (one readable line per divergence), json (one object per line) or csv.")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup
    @OptionGroup var shape: ShapeOptionGroup
    @OptionGroup var placement: PlacementOptionGroup
    @OptionGroup var common: RunOptionGroup

    func request() throws(ManifoldLabError) -> DivergenceRequest {
        let shapeOptions = try shape.counted()
        return DivergenceRequest(p: try DistributionSource.parse(p, option: "p"),
                                 q: try DistributionSource.parse(q, option: "q"),
                                 dimension: dim, shape: shapeOptions, placement: placement.placement, noise: noise,
                                 count: n, seed: Seed(common.seed), method: method, neighbours: neighbours,
                                 projections: projections, blur: blur, epsilon: epsilon, maxMemory: try common.maxMemory())
    }

    /// Measures `kinds` and prints them in the chosen format.
    func run(_ kinds: [DivergenceKind]) throws(ManifoldLabError) {
        try header.check(csv: format == .csv)
        let request = try request()
        let specs = [request.p, request.q].compactMap { if case .manifold(let spec) = $0 { spec } else { nil } }
        if let shaped = try? request.shape.specs(specs.map { ($0.kind.rawValue, "p/q") }) {
            ShapeOptionGroup.noteGridModes(shape.modeCount, shaped)
            try FrameBudget.check(shaped, dimension: request.dimension ?? 3)
        }
        // Ctrl-C / SIGTERM: the estimators' checkpoints stop the run at once (exit 130, one line);
        // nothing is printed before every divergence is done, so no output is ever half-written.
        Signals.install(stopAtCheckpoints: true)
        let reports = try DivergenceEngine.runAll(request, kinds: kinds)
        try printRecords(reports, format: format, header: header)
    }
}
