import Foundation

extension Wasserstein {
    /// The sliced Wasserstein distance SW_p = (E_θ W_p^p(θ·x, θ·y))^{1/p} over directions θ on
    /// the sphere, estimated with `projections` directions: one matrix product per sample
    /// projects every point on every direction, then each direction is an exact 1-D transport by
    /// sorting. SW_p ≤ W_p (projections are 1-Lipschitz).
    ///
    /// - Parameters:
    ///   - projections: the number of directions L ≥ 2.
    ///   - directions: ``SlicingDirections`` (Sobol falls back to orthogonal above D = 40).
    ///   - seed: the directions' random stream (child "sliced-directions").
    ///   - maxMemory: bytes for the L × (n + m) projections; refused before allocating.
    /// - Returns: `value` = SW_p, `cost` = SW_p^p, with Monte Carlo standard errors from the
    ///   spread of the per-direction costs (`costStandardError`, and `standardError` for `value`
    ///   by the delta method); both are conservative for orthogonal and Sobol directions.
    /// - Complexity: O((n + m)·D·L) for the product plus O(L·(n + m) log(n + m)) for the sorts.
    public static func sliced(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double = 2,
                              weightsX: [Double]? = nil, weightsY: [Double]? = nil,
                              projections: Int = 200, directions: SlicingDirections = .orthogonal,
                              seed: Seed, maxMemory: Int = ByteCount.defaultLimit) throws(ManifoldLabError) -> TransportResult {
        let input = try TransportInput.validated(x, y, order: order, weightsX: weightsX, weightsY: weightsY)
        guard projections >= 2 else {
            throw .invalidValue(parameter: "projections", value: "\(projections)",
                                 allowed: "at least 2 directions (the standard error needs two)")
        }
        let n = input.n, m = input.m, d = input.dimension
        try TransportInput.checkMemory(elements: projections * (n + m + d), bytesEach: 8,
                                       limit: maxMemory, what: "sliced transport's \(projections) projections of \(n + m) points")
        let (theta, used) = slicingDirections(directions, count: projections, dimension: d, seed: seed)
        var result = sliced(input, order: order, directions: theta)
        result.directions = used.rawValue
        if used != directions {
            result.note = "Sobol directions exist up to \(SlicingDirections.sobolMaximumDimension) dimensions; orthogonal directions were used in \(d)"
        }
        return try result.inUnits(of: input.unit)
    }

    /// The L × D direction matrix ``sliced(_:_:order:weightsX:weightsY:projections:directions:seed:maxMemory:)``
    /// draws for `seed`, and the kind actually used: draw it once to measure many pairs of
    /// samples along the same directions (``sliced(_:_:order:directions:)``).
    public static func slicingDirections(_ kind: SlicingDirections = .orthogonal, count: Int, dimension: Int,
                                  seed: Seed) -> (Matrix<Double>, SlicingDirections) {
        SlicingDirections.matrix(kind, count: count, dimension: dimension, rng: RandomStream(seed: seed.child(.slicedDirections)))
    }

    /// SW_p along the rows of `theta` (L × D unit directions, L ≥ 2), between equally weighted
    /// samples: the same value as the seeded form with the directions that seed draws.
    public static func sliced(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double,
                       directions theta: Matrix<Double>) throws(ManifoldLabError) -> TransportResult {
        precondition(theta.rows >= 2 && theta.columns == x.columns, "directions must be L ≥ 2 rows of the points' dimension")
        let input = try TransportInput.validated(x, y, order: order, weightsX: nil, weightsY: nil)
        var result = sliced(input, order: order, directions: theta)
        result.directions = "given"
        return try result.inUnits(of: input.unit)
    }

    private static func sliced(_ input: TransportInput, order: Double, directions theta: Matrix<Double>) -> TransportResult {
        let n = input.n, m = input.m, projections = theta.rows
        // L × n and L × m: row l holds every point's coordinate along direction l.
        var px = theta.multiplied(by: input.x, transposingOther: true)
        var py = theta.multiplied(by: input.y, transposingOther: true)
        var costs = [Double](repeating: 0, count: projections)
        if input.uniformX && input.uniformY && n == m {
            var sorter = RadixSorter(capacity: n)
            px.storage.withUnsafeMutableBufferPointer { xs in
                py.storage.withUnsafeMutableBufferPointer { ys in
                    for l in 0..<projections {
                        let rx = UnsafeMutableBufferPointer(rebasing: xs[(l * n)..<((l + 1) * n)])
                        let ry = UnsafeMutableBufferPointer(rebasing: ys[(l * n)..<((l + 1) * n)])
                        sorter.sort(rx); sorter.sort(ry)
                        costs[l] = OneDimensionalTransport.sortedEqualUniform(UnsafeBufferPointer(rx), UnsafeBufferPointer(ry), order: order)
                    }
                }
            }
        } else {
            for l in 0..<projections {
                costs[l] = OneDimensionalTransport.cost(px.row(l), input.a, uniformX: input.uniformX,
                                                        py.row(l), input.b, uniformY: input.uniformY, order: order).0
            }
        }
        var mean = 0.0
        for c in costs { mean += c }
        mean /= Double(projections)
        var spread = 0.0
        for c in costs { spread += (c - mean) * (c - mean) }
        let costError = (spread / Double(projections - 1) / Double(projections)).squareRoot()
        var result = TransportResult(cost: mean, order: order, method: .sliced, solver: "sort",
                                     estimator: "SW_p, sliced Wasserstein (a lower bound on W_p)")
        result.costStandardError = costError
        result.standardError = result.value > 0 ? costError / (order * pow(result.value, order - 1)) : pow(costError, 1 / order)
        result.projections = projections
        return result
    }
}
