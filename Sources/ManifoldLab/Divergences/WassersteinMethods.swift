/// Sample-based Wasserstein distances (exact OT, Sinkhorn, sliced) for the divergence commands.
enum WassersteinMethods {
    static func measure(_ kind: DivergenceKind, request: DivergenceRequest, sides: ResolvedSides)
        throws(ManifoldLabError) -> (DivergenceEstimate, Int) {
        throw .methodNotApplicable(method: request.method.rawValue,
                                   reason: "no analytic \(kind.symbol) applies here and sample-based optimal transport is not in this build yet")
    }
}
