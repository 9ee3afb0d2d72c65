import Foundation

/// The exact optimal transport solver to use.
public enum ExactSolver: String, Codable, Sendable, CaseIterable {
    /// The assignment solver for equal-size uniform samples where measured faster, otherwise
    /// the network simplex (see ``Wasserstein/prefersAssignment(points:dimension:)``).
    case automatic
    /// Network simplex on the n × m transportation problem: any sizes and weights.
    case networkSimplex = "network-simplex"
    /// Jonker–Volgenant assignment: equal sizes and uniform weights only.
    case assignment
}

extension Wasserstein {
    /// Default pivot limit of the network simplex for an n × m problem: far above the pivots a
    /// solve needs in practice (about 10·(n + m) on random point clouds), so hitting it means
    /// something is wrong.
    public static func defaultMaxIterations(n: Int, m: Int) -> Int { 1_000 * (n + m) + 100_000 }

    /// Exact W_p between two empirical measures: the optimal transport cost for the ground cost
    /// ‖x − y‖^p, solved exactly (no regularisation, no sampling).
    ///
    /// - Parameters:
    ///   - x, y: samples, one point per row, of the same dimension.
    ///   - order: p ≥ 1 (the issue's `--order 1|2`; any p works).
    ///   - weightsX, weightsY: masses (nil: uniform); totals must agree.
    ///   - solver: ``ExactSolver``; `.assignment` needs equal sizes and no weights.
    ///   - maxMemory: bytes the n × m cost matrix and solver may take; refused before allocating.
    ///   - maxIterations: pivot limit of the network simplex (nil: ``defaultMaxIterations(n:m:)``).
    /// - Returns: `value` = W_p, `cost` = W_p^p, `iterations` (pivots or augmenting paths) and
    ///   `marginalError` of the plan found.
    /// - Throws: on invalid input, on a memory need above `maxMemory`, and
    ///   ``ManifoldLabError/numericalFailure(_:)`` when the pivot limit is reached (no number is
    ///   returned then).
    /// - Complexity: memory O(nm); time empirically ~ (n + m)² log-ish for network simplex,
    ///   O(n³) worst case for the assignment.
    public static func exact(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double = 2,
                             weightsX: [Double]? = nil, weightsY: [Double]? = nil,
                             solver: ExactSolver = .automatic,
                             maxMemory: Int = ByteCount.defaultLimit,
                             maxIterations: Int? = nil) throws(ManifoldLabError) -> TransportResult {
        let input = try TransportInput.validated(x, y, order: order, weightsX: weightsX, weightsY: weightsY)
        let n = input.n, m = input.m
        let assignmentApplies = input.uniformX && input.uniformY && n == m
        if let maxIterations, maxIterations < 1 {
            throw .invalidValue(parameter: "max_iterations", value: "\(maxIterations)", allowed: "a positive count")
        }
        let useAssignment: Bool
        switch solver {
        case .assignment:
            guard assignmentApplies else {
                throw .methodNotApplicable(method: "assignment",
                                           reason: "it needs two samples of the same size without weights (got \(n) and \(m) points\(input.uniformX && input.uniformY ? "" : ", weighted"))")
            }
            useAssignment = true
        case .networkSimplex: useAssignment = false
        case .automatic: useAssignment = assignmentApplies && prefersAssignment(points: n, dimension: input.dimension)
        }
        // The cost matrix dominates; the solvers add O(n + m) words.
        try TransportInput.checkMemory(elements: n * m, bytesEach: MemoryLayout<Double>.size,
                                       extra: (n + m + 1) * 96, limit: maxMemory,
                                       what: "exact transport's \(n) × \(m) cost matrix (\(parameter: "method") sinkhorn needs O(n) memory and is within 1 % of W_p at its default blur)")
        let costs = PairwiseCost.matrix(input.x, input.y, order: order)
        if useAssignment {
            let solution = costs.withUnsafeBufferPointer { LinearAssignment.solve(cost: $0.baseAddress!, n: n) }
            var result = TransportResult(cost: solution.cost / Double(n), order: order, method: .exact,
                                         solver: "assignment-jv", estimator: "W_p, exact")
            result.iterations = solution.augmentations
            result.marginalError = 0
            return try checked(result, unit: input.unit)
        }
        // Uniform masses become integers (m per source point, n per target point), so the flows
        // are exact; the cost is divided by n·m at the end.
        let integral = input.uniformX && input.uniformY
        let a = integral ? [Double](repeating: Double(m), count: n) : input.a
        let b = integral ? [Double](repeating: Double(n), count: m) : input.b
        let scale = integral ? Double(n) * Double(m) : 1
        let limit = maxIterations ?? defaultMaxIterations(n: n, m: m)
        let outcome = costs.withUnsafeBufferPointer {
            NetworkSimplex.solve(cost: $0.baseAddress!, n: n, m: m, a: a, b: b, maxPivots: limit)
        }
        switch outcome {
        case let .iterationLimit(pivots):
            throw .numericalFailure("exact transport: the network simplex reached its limit of \(pivots) pivots before the optimum (raise \(parameter: "max_iterations")); no value is reported")
        case let .optimal(cost, pivots, marginalError):
            var result = TransportResult(cost: cost / scale, order: order, method: .exact,
                                         solver: "network-simplex", estimator: "W_p, exact")
            result.iterations = pivots
            result.marginalError = marginalError / scale
            return try checked(result, unit: input.unit)
        }
    }

    /// Largest marginal error (in units of mass, total 1) an exact plan may have: round-off only.
    static let exactMarginalTolerance = 1e-9

    /// The exact result in the caller's units, or a refusal when the plan does not carry the
    /// prescribed masses or the cost is not a finite number (nothing is reported then).
    private static func checked(_ result: TransportResult, unit: LengthUnit) throws(ManifoldLabError) -> TransportResult {
        guard result.cost.isFinite, result.cost >= 0 else {
            throw .numericalFailure("exact transport: the optimal cost came out as \(result.cost) in normalised units; no value is reported")
        }
        if let error = result.marginalError, !(error <= exactMarginalTolerance) {
            throw .numericalFailure("exact transport: the plan's marginals are off by \(error) of the mass (more than \(exactMarginalTolerance)); no value is reported")
        }
        return try result.inUnits(of: unit)
    }

    /// Whether the assignment solver beats the network simplex for two uniform samples of
    /// `points` points in R^`dimension`: measured crossover, see docs/transport.md.
    public static func prefersAssignment(points: Int, dimension: Int) -> Bool {
        dimension >= 16
    }
}
