import ArgumentParser
import Foundation
import ManifoldLabCore
import ManifoldLabGAN

extension MetricGroup: ExpressibleByArgument {}

/// The options `evaluate` and `dimension` share: the sample size, seed, output, and the shape of
/// the named manifolds; `run` prints the metrics' records and refuses (exit 70) if one was refused.
struct EvaluationOptionGroup: ParsableArguments {
    @Option(help: "Ambient dimension D (default 3; a sample file sets it).")
    var dim: Int?

    @Option(help: "Points drawn from each named manifold (a sample file brings all its rows).")
    var n: Int = EvaluationRequest.defaultCount

    @Option(name: .customLong("k-min"), help: "Smallest neighbour count k of the Levina–Bickel dimension, averaged over k-min…k-max (20…20 is scikit-dimension's MLE).")
    var kMin: Int = IntrinsicDimension.defaultKRange.lowerBound

    @Option(name: .customLong("k-max"), help: "Largest neighbour count k of the Levina–Bickel dimension.")
    var kMax: Int = IntrinsicDimension.defaultKRange.upperBound

    @Option(help: "Output: text (one readable line per metric), json (one object per line) or csv.")
    var format: OutputFormat = .text

    @OptionGroup var header: HeaderOptionGroup
    @OptionGroup var shape: ShapeOptionGroup
    @OptionGroup var common: RunOptionGroup

    /// Runs `request` and prints its records in the chosen format.
    func run(_ request: EvaluationRequest) throws(ManifoldLabError) {
        try header.check(csv: format == .csv)
        try request.validate()
        let specs = [request.real, request.fake].compactMap { source -> ManifoldSpec? in
            if case .manifold(let spec)? = source { spec } else { nil }
        }
        if let shaped = try? request.shape.specs(specs.map { ($0.kind.rawValue, "real/fake") }) {
            ShapeOptionGroup.noteGridModes(shape.modeCount, shaped)
            try FrameBudget.check(shaped, dimension: request.dimension ?? 3)
        }
        // Ctrl-C / SIGTERM: the metrics' checkpoints stop the run (exit 130); nothing is printed
        // before every metric is done.
        Signals.install(stopAtCheckpoints: true)
        let reports = try Evaluation.run(request)
        try printRecords(reports, format: format, header: header)
    }
}
