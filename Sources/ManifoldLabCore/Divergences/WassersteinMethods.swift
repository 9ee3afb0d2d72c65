/// Sample-based Wasserstein distances for the divergence commands, through ``Wasserstein``.
///
/// `auto` and `exact`: exact optimal transport on n samples of each side (default n = 1000: the
/// cost matrix is n² doubles); `sinkhorn`: the debiased Sinkhorn divergence, reported as its root
/// S_ε^(1/p) (so `value` is in distance units), at a blur of diameter/64 by default (close to W_p,
/// as its `reason` says) or at `--blur` / `--epsilon`; `sliced`: sliced W_p with `--projections`
/// directions and its standard error.
public enum WassersteinMethods {
    public static let defaultExactCount = 1_000
    public static let defaultSinkhornCount = 2_000
    public static let defaultSlicedCount = 10_000

    static func measure(_ kind: DivergenceKind, request: DivergenceRequest, sides: ResolvedSides)
        throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        let order: Double = kind == .w1 ? 1 : 2
        let method = request.method
        let count: Int
        switch method {
        case .auto, .exact: count = request.count ?? defaultExactCount
        case .sinkhorn: count = request.count ?? defaultSinkhornCount
        case .sliced: count = request.count ?? defaultSlicedCount
        default: throw .methodNotApplicable(method: method.rawValue, reason: "it estimates JS or KL, not \(kind.symbol)")
        }
        // A file side brings all its rows, whatever --n says: the check counts what is really held.
        try SampleRequest.validate(count: saturatingSum(sides.rows(.p, default: count), sides.rows(.q, default: count)),
                                   dimension: sides.dimension, maxMemory: request.maxMemory)
        let x = sides.points(.p, count: count, seed: request.seed)
        let y = sides.points(.q, count: count, seed: request.seed)
        let result: TransportResult
        switch method {
        case .sinkhorn:
            result = try Wasserstein.sinkhorn(x, y, order: order, epsilon: request.sinkhornEpsilon, maxMemory: request.maxMemory)
        case .sliced:
            result = try Wasserstein.sliced(x, y, order: order, projections: request.projections,
                                            seed: request.seed.child(.sliced), maxMemory: request.maxMemory)
        default: result = try Wasserstein.exact(x, y, order: order, maxMemory: request.maxMemory)
        }
        // Costs are W_p^p: at 10^±200 they leave the range of a Double while W_p does not, and are
        // then left out rather than written as ∞ or 0.
        var details: [String: Double] = result.costRepresentable ? ["cost": result.cost] : [:]
        if let iterations = result.iterations { details["iterations"] = Double(iterations) }
        if let error = result.marginalError { details["marginal_error"] = error }
        if let blur = result.blur { details["blur"] = blur }
        if result.costRepresentable {
            if let epsilon = result.epsilon { details["epsilon"] = epsilon }
            if let cost = result.transportCost { details["transport_cost"] = cost }
            if let divergence = result.sinkhornDivergence { details["sinkhorn_divergence"] = divergence }
        }
        if let projections = result.projections { details["projections"] = Double(projections) }
        let costNote = result.costRepresentable ? nil : "W_p^p is beyond the range of a double at this scale, so cost details are left out"
        let reason = [result.estimator, result.note, costNote].compactMap { $0 }.joined(separator: "; ")
        let estimate = DivergenceEstimate(kind, value: result.value, stderr: result.standardError ?? 0,
                                          method: method == .auto ? "exact" : method.rawValue,
                                          reason: "\(result.solver): \(reason)", details: details)
        return (estimate, min(x.rows, y.rows))
    }
}
