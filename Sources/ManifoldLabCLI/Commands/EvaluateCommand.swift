import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab evaluate`: the metrics GAN papers report, between a real and a generated sample.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Judge a generated sample against real data with the metrics GAN papers report.",
        discussion: """
        Both samples are drawn once (or read) and every metric sees the same points; a named fake
        manifold lies in the real one's frame (`--real ring --fake ring` compares a law with itself),
        moved by --offset and --angle. Each line gives
        the value, its standard error (or "no error estimate") and what the number assumes:
          fd           Fréchet distance: the FID formula on the given coordinates (biased up at finite n)
          kid          KID: unbiased MMD², kernel (x·y/D + 1)³, mean over random subsets (torch-fidelity)
          mmd          unbiased MMD², Gaussian kernel (median-heuristic width or --bandwidth), jackknife SE
          prdc         precision and recall (k = 3), density and coverage (k = 5), as the prdc package
          wasserstein  W1 and W2 by exact transport (on up to \(EvaluationRequest.exactTransportLimit) points), sliced W2 on all
          classifier   the JS lower bound of a trained logistic MLP (held-out halves)
          dimension    intrinsic dimension of each sample: TwoNN and Levina–Bickel
          modes        with --real ring or grid, or --modes file:CENTRES --mode-std s (any real data):
                       the Inception Score analogue (exact posterior of the mixture: K for the data,
                       1 for one mode), modes covered, high-quality fraction
        A metric that cannot be computed is a record with refused = true (and exit 70), never a guess.
        """)

    @Option(help: "The real sample: a manifold name (see `manifoldlab sample --help`) or file:PATH (CSV, TSV, .npy, .npz[:NAME], gzipped; file:- for stdin).",
            completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var real: String

    @Option(help: "The generated sample: a manifold name or file:PATH (as for --real).", completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var fake: String

    @Option(parsing: .upToNextOption,
            help: "The metric groups to compute (default all): \(MetricGroup.allCases.map(\.rawValue).joined(separator: ", ")).")
    var metrics: [MetricGroup] = MetricGroup.allCases

    @Option(help: "Width h of the Gaussian MMD's kernel, in the coordinates' units (default: the median distance between the points).")
    var bandwidth: Double?

    @Option(name: .customLong("kid-subsets"), help: "Random subsets whose MMD² the KID averages.")
    var kidSubsets: Int = KernelInceptionDistance.defaultSubsets

    @Option(name: .customLong("kid-subset-size"), help: "Points per KID subset (at most the smaller sample; as large as both: one subset, no subset noise).")
    var kidSubsetSize: Int = KernelInceptionDistance.defaultSubsetSize

    @Option(help: "Directions L of sliced W2.")
    var projections: Int = 200

    @Option(help: "θ: move a named fake manifold by θ along a unit direction orthogonal to the real one's span (both share the real one's frame).")
    var offset: Double = 0

    @Option(help: "φ in degrees: turn a named fake manifold about the origin in the plane of the real one's first axis and the offset direction, before the offset.")
    var angle: Double = 0

    @OptionGroup var options: EvaluationOptionGroup

    func run() throws {
        let request = EvaluationRequest(
            real: try DistributionSource.parse(real, option: "real"), fake: try DistributionSource.parse(fake, option: "fake"),
            dimension: options.dim, shape: options.shape.shape, placement: Placement(offset: offset, angle: angle), count: options.n,
            seed: Seed(options.common.seed), metrics: metrics, modeCentres: options.shape.modesFile,
            modeStd: options.shape.modesFile == nil ? nil : options.shape.modeStd, bandwidth: bandwidth, kidSubsets: kidSubsets,
            kidSubsetSize: kidSubsetSize, kMin: options.kMin, kMax: options.kMax, projections: projections,
            maxMemory: try options.common.maxMemory())
        try options.run(request)
    }
}
