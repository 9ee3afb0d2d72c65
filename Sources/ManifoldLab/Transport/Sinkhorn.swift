import Foundation

/// The entropic regularisation ε of ``Wasserstein/sinkhorn(_:_:order:weightsX:weightsY:epsilon:tolerance:maxIterations:maxMemory:)``.
public enum SinkhornEpsilon: Sendable, Equatable, Codable {
    /// ε in cost units (distance^p).
    case absolute(Double)
    /// ε = r · max_ij C_ij (POT's habit of scaling by `M.max()`); costs one extra pass.
    case relativeToMaxCost(Double)
}

extension Wasserstein {
    /// Entropy-regularised transport by log-domain Sinkhorn iterations, matrix-free, with
    /// ε-scaling, and the debiased Sinkhorn divergence
    /// S_ε = OT_ε(x, y) − ½ OT_ε(x, x) − ½ OT_ε(y, y), where OT_ε = min_P ⟨P, C⟩ + ε KL(P | a⊗b).
    /// S_ε ≥ 0, S_ε(x, x) = 0 and S_ε → W_p^p as ε → 0.
    ///
    /// The n × m cost matrix is never stored: each update recomputes costs for a block of rows
    /// from the points (one `gemm` per block) and fuses them into the log-sum-exp, so memory is
    /// O((n + m)·D) plus one block. ε-scaling starts at the squared diameter of the data and halves
    /// ε each iteration down to the target, then iterates at the target until the L1 error of
    /// the row marginals is below `tolerance` (the column marginals are exact after each update).
    ///
    /// - Returns: `value` = S_ε^{1/p} (the estimate of W_p; `estimator` says so),
    ///   `cost` = S_ε, `sinkhornDivergence` = S_ε, `transportCost` = ⟨P_ε, C⟩ of the x–y plan
    ///   (biased upwards), `epsilon` (cost units), `iterations` (x–y updates, ε-scaling included),
    ///   `marginalError` (L1, x–y plan).
    /// - Throws: on invalid input or ε ≤ 0, and ``ManifoldLabError/numericalFailure(_:)`` when any
    ///   of the three problems has not converged within `maxIterations` (no number is returned).
    /// - Complexity: O(iterations · n · m · D) time, O((n + m) · D) memory.
    public static func sinkhorn(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double = 2,
                                weightsX: [Double]? = nil, weightsY: [Double]? = nil,
                                epsilon: SinkhornEpsilon = .relativeToMaxCost(0.05),
                                tolerance: Double = 1e-6, maxIterations: Int = 10_000,
                                maxMemory: Int = ByteCount.defaultLimit) throws(ManifoldLabError) -> TransportResult {
        let input = try TransportInput.validated(x, y, order: order, weightsX: weightsX, weightsY: weightsY)
        guard tolerance.isFinite, tolerance > 0 else {
            throw .invalidOption(option: "--tolerance", value: "\(tolerance)", allowed: "a positive marginal error")
        }
        guard maxIterations >= 1 else {
            throw .invalidOption(option: "--max-iterations", value: "\(maxIterations)", allowed: "a positive count")
        }
        let n = input.n, m = input.m, d = input.dimension
        try TransportInput.checkMemory(elements: 2 * (n + m) * (d + 4) + SinkhornKernel.blockElements(m: max(n, m)),
                                       bytesEach: 8, limit: maxMemory, what: "Sinkhorn's potentials and cost block")
        // Costs are translation invariant: centring keeps ‖x‖² + ‖y‖² − 2x·y from cancelling.
        let (cx, cy) = SinkhornKernel.centred(input.x, input.y)
        let xy = SinkhornKernel(rows: cx, columns: cy, order: order)
        let target: Double
        switch epsilon {
        case let .absolute(e):
            guard e.isFinite, e > 0 else {
                throw .invalidOption(option: "--epsilon", value: "\(e)", allowed: "a positive ε in cost units")
            }
            target = e
        case let .relativeToMaxCost(r):
            guard r.isFinite, r > 0 else {
                throw .invalidOption(option: "--epsilon", value: "\(r)", allowed: "a positive fraction of the largest cost")
            }
            let largest = xy.maximumCost()
            guard largest > 0 else {
                throw .methodNotApplicable(method: "sinkhorn", reason: "every cost is 0 (all points coincide), so ε relative to the largest cost is 0")
            }
            target = r * largest
        }
        let start = max(SinkhornKernel.diameterPower(cx, cy, order: order), target)

        let logA = input.a.map { log($0) }, logB = input.b.map { log($0) }
        var f = [Double](repeating: 0, count: n), g = [Double](repeating: 0, count: m)
        let yx = SinkhornKernel(rows: cy, columns: cx, order: order)
        let main = try xy.solvePair(transposed: yx, logA: logA, logB: logB, f: &f, g: &g, from: start, to: target,
                                    tolerance: tolerance, maxIterations: maxIterations, what: "x–y")
        let xx = try SinkhornKernel(rows: cx, columns: cx, order: order)
            .solveSymmetric(logA: logA, from: start, to: target, tolerance: tolerance, maxIterations: maxIterations, what: "x–x")
        let yy = try SinkhornKernel(rows: cy, columns: cy, order: order)
            .solveSymmetric(logA: logB, from: start, to: target, tolerance: tolerance, maxIterations: maxIterations, what: "y–y")
        var otXY = 0.0
        for i in 0..<n { otXY += input.a[i] * f[i] }
        for j in 0..<m { otXY += input.b[j] * g[j] }
        let divergence = otXY - 0.5 * xx - 0.5 * yy
        var result = TransportResult(cost: max(divergence, 0), order: order, method: .sinkhorn, solver: "sinkhorn-log",
                                     estimator: "S_eps^(1/p): the debiased Sinkhorn divergence as an estimate of W_p")
        result.sinkhornDivergence = divergence
        result.epsilon = target
        result.iterations = main.iterations
        result.marginalError = main.marginalError
        result.transportCost = xy.primalCost(logA: logA, logB: logB, f: f, g: g, epsilon: target)
        return result
    }
}
