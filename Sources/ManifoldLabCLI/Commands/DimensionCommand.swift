import ArgumentParser
import ManifoldLabCore
import ManifoldLabGAN

/// `manifoldlab dimension`: the intrinsic dimension of one sample.
struct DimensionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dimension",
        abstract: "Estimate the intrinsic dimension of a sample: is it on a low-dimensional manifold?",
        discussion: """
        Two estimators, both from nearest-neighbour distances (scale-free):
          dimension_twonn  TwoNN (Facco et al. 2017), as scikit-dimension's TwoNN().fit(X).dimension_
          dimension_mle    Levina–Bickel likelihood with MacKay–Ghahramani's averaging, mean over
                           k = --k-min…--k-max (--k-min 20 --k-max 20: scikit-dimension's MLE())
        A helix reads 1, a torus or sphere 2, `flat --intrinsic k` k, whatever D. Noise, too few
        points and strong curvature at the neighbours' scale read higher; repeated points are left out.
        """)

    @Option(help: "The sample: a manifold name (see `manifoldlab sample --help`) or file:PATH (CSV, TSV, .npy, .npz[:NAME], gzipped; file:- for stdin).",
            completion: .list(ManifoldKind.allCases.map(\.rawValue)))
    var p: String = "line"

    @OptionGroup var options: EvaluationOptionGroup

    func run() throws {
        let request = EvaluationRequest(
            real: try DistributionSource.parse(p, option: "p"), fake: nil, dimension: options.dim,
            shape: try options.shape.counted(), count: options.n, seed: Seed(options.common.seed), metrics: [.dimension],
            kMin: options.kMin, kMax: options.kMax, maxMemory: try options.common.maxMemory())
        try options.run(request)
    }
}
