import Foundation

/// The entropic regularisation ε of ``Wasserstein/sinkhorn(_:_:order:weightsX:weightsY:epsilon:tolerance:maxIterations:maxMemory:)``.
public enum SinkhornEpsilon: Sendable, Equatable, Codable {
    /// ε in cost units (distance^p).
    case absolute(Double)
    /// ε = r · max_ij C_ij (POT's habit of scaling by `M.max()`); costs one extra pass.
    case relativeToMaxCost(Double)
    /// ε = blur^p, the blur in distance units (GeomLoss's `blur`).
    case blur(Double)
    /// ε = (r · diameter)^p, the diameter bound being twice the largest distance of a point to the
    /// mean of both samples.
    case blurRelativeToDiameter(Double)

    /// The default: a blur of ``standardFraction(order:)`` times the diameter, chosen by
    /// measurement against exact W_p (docs/transport.md).
    case standard

    /// The default blur over the diameter: 1/64 for p ≥ 2 (within 0.4 % of exact W2 on segments
    /// at an angle, Gaussian clouds and a helix against a torus), 1/2048 for p = 1 (Sinkhorn's
    /// bias on W1 is of the order of ε = blur, not blur²), geometrically in between.
    public static func standardFraction(order: Double) -> Double {
        exp2(-(6 + 5 * min(max(2 - order, 0), 1)))
    }
}

/// Which Sinkhorn iteration runs (see docs/transport.md, "Sinkhorn").
public enum SinkhornPath: String, Sendable, Equatable, Codable, CaseIterable {
    /// The kernel path when it is safe and fits in memory; else the multiscale path when the
    /// kernel's width (30 ε)^{1/p} is below half the diameter and D ≤ 8; else the log-domain path.
    case automatic
    /// Scaling iterations on a stored kernel exp(−C/ε) (``DenseSinkhorn``): needs every cost
    /// ≤ 200 ε and one n × m kernel within the memory limit; refused otherwise.
    case kernel
    /// Matrix-free log-domain iterations with ε-scaling over every pair (``SinkhornKernel``): any ε,
    /// O((n + m)·D) memory, O(n·m) work per update.
    case logDomain = "log-domain"
    /// Coarse-to-fine log-domain iterations on a truncated kernel (``MultiscaleSinkhorn``): for
    /// an ε small against the data, O((n + m)·D) memory, work per update ∝ the kernel's width.
    case multiscale
}

extension Wasserstein {
    /// Entropy-regularised transport by Sinkhorn iterations and the debiased Sinkhorn divergence
    /// S_ε = OT_ε(x, y) − ½ OT_ε(x, x) − ½ OT_ε(y, y), where OT_ε = min_P ⟨P, C⟩ + ε KL(P | a⊗b).
    /// S_ε ≥ 0, S_ε(x, x) = 0 and S_ε → W_p^p as ε → 0.
    ///
    /// By default ε = blur^p with a blur of ``SinkhornEpsilon/standardFraction(order:)`` times the
    /// data's diameter, small enough that S_ε^{1/p} is within 1 % of W_p on the measured pairs.
    ///
    /// Three paths solve the same three problems to the same stopping rule (L1 marginal error below
    /// `tolerance`), chosen by `path`:
    /// - kernel (``DenseSinkhorn``), when every cost is ≤ 200 ε (bounded by the data's diameter^p)
    ///   and one n × m kernel fits in `maxMemory`: K = exp(−C/ε) is computed once per problem and
    ///   each iteration is a matrix–vector product streaming it (no exp per iteration). At
    ///   ε = 0.05·max C, K ≥ e^−20, so nothing can underflow.
    /// - log domain (``SinkhornKernel``), otherwise: the n × m cost matrix is never stored; each
    ///   update recomputes costs for a block of rows from the points (one `gemm` per block) and fuses
    ///   them into a log-sum-exp, so memory is O((n + m)·D) plus one block. ε-scaling starts at the
    ///   squared diameter of the data and halves ε each iteration down to the target, then iterates
    ///   at the target until the L1 error of the row marginals is below `tolerance`.
    /// - multiscale (``MultiscaleSinkhorn``), for an ε small against the data (the default): coarse
    ///   to fine over k-d tree clusters, on a kernel truncated at e^−30 of each row's largest term
    ///   (``TreeSoftmin``), over-relaxed updates. O((n + m)·D) memory.
    ///
    /// - Returns: `value` = S_ε^{1/p} (the estimate of W_p; `estimator` says so),
    ///   `cost` = S_ε, `sinkhornDivergence` = S_ε, `transportCost` = ⟨P_ε, C⟩ of the x–y plan
    ///   (biased upwards), `epsilon` (cost units), `iterations` (x–y updates, ε-scaling included),
    ///   `marginalError` (L1, x–y plan), `solver` ("sinkhorn-kernel", "sinkhorn-log" or
    ///   "sinkhorn-multiscale").
    /// - Throws: on invalid input or ε ≤ 0, and ``ManifoldLabError/numericalFailure(_:)`` when any
    ///   of the three problems has not converged within `maxIterations` (no number is returned);
    ///   ``ManifoldLabError/methodNotApplicable(method:reason:)`` when `path` is `.kernel` and it
    ///   does not apply.
    /// - Complexity: kernel path O(n·m·D + iterations · n · m) time, O(n·m) memory; log-domain
    ///   path O(iterations · n · m · D) time, O((n + m) · D) memory; multiscale path O(iterations ·
    ///   (n + m) · k · D) time, k the points within the kernel's width, O((n + m) · D) memory.
    public static func sinkhorn(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double = 2,
                                weightsX: [Double]? = nil, weightsY: [Double]? = nil,
                                epsilon: SinkhornEpsilon = .standard,
                                tolerance: Double = 1e-3, maxIterations: Int = 10_000,
                                maxMemory: Int = ByteCount.defaultLimit,
                                path: SinkhornPath = .automatic) throws(ManifoldLabError) -> TransportResult {
        let input = try TransportInput.validated(x, y, order: order, weightsX: weightsX, weightsY: weightsY)
        guard tolerance.isFinite, tolerance > 0 else {
            throw .invalidValue(parameter: "tolerance", value: "\(tolerance)", allowed: "a positive marginal error")
        }
        guard maxIterations >= 1 else {
            throw .invalidValue(parameter: "max_iterations", value: "\(maxIterations)", allowed: "a positive count")
        }
        let n = input.n, m = input.m, d = input.dimension
        let logDomainElements = 2 * (n + m) * (d + 4) + SinkhornKernel.blockElements(m: max(n, m))
        try TransportInput.checkMemory(elements: logDomainElements, bytesEach: 8, limit: maxMemory,
                                       what: "Sinkhorn's potentials and cost block")
        // Costs are translation invariant: centring keeps ‖x‖² + ‖y‖² − 2x·y from cancelling.
        let (cx, cy) = SinkhornKernel.centred(input.x, input.y)
        let xy = SinkhornKernel(rows: cx, columns: cy, order: order)
        let target: Double
        switch epsilon {
        case let .absolute(e):
            guard e.isFinite, e > 0 else {
                throw .invalidValue(parameter: "epsilon", value: "\(e)", allowed: "a positive ε in cost units")
            }
            target = input.unit.unscale(e, power: order)
            guard target.isNormal else {
                throw .invalidValue(parameter: "epsilon", value: "\(e)", allowed: "an ε that is not negligible next to the data's scale^p (it is \(input.unit.scale(1, power: order)))")
            }
        case let .relativeToMaxCost(r):
            guard r.isFinite, r > 0 else {
                throw .invalidValue(parameter: "epsilon", value: "\(r)", allowed: "a positive fraction of the largest cost")
            }
            let largest = xy.maximumCost()
            guard largest > 0 else {
                throw .methodNotApplicable(method: "sinkhorn", reason: "every cost is 0 (all points coincide), so ε relative to the largest cost is 0")
            }
            target = r * largest
        case let .blur(length):
            guard length.isFinite, length > 0 else {
                throw .invalidValue(parameter: "blur", value: "\(length)", allowed: "a positive length")
            }
            target = Wasserstein.power(input.unit.unscale(length), order: order)
            guard target.isNormal else {
                throw .invalidValue(parameter: "blur", value: "\(length)", allowed: "a blur that is not negligible next to the data's scale (it is \(input.unit.scale(1)))")
            }
        case .standard, .blurRelativeToDiameter:
            var r = SinkhornEpsilon.standardFraction(order: order)
            if case let .blurRelativeToDiameter(fraction) = epsilon { r = fraction }
            guard r.isFinite, r > 0 else {
                throw .invalidValue(parameter: "blur", value: "\(r)", allowed: "a positive fraction of the diameter")
            }
            let diameter = Wasserstein.root(SinkhornKernel.diameterPower(cx, cy, order: 2), order: 2)
            guard diameter > 0 else {
                throw .methodNotApplicable(method: "sinkhorn", reason: "all points coincide, so a blur relative to the diameter is 0")
            }
            target = Wasserstein.power(r * diameter, order: order)
        }
        let bound = SinkhornKernel.diameterPower(cx, cy, order: order)
        let kernelFits = DenseSinkhorn.applies(costBound: bound, epsilon: target, n: n, m: m,
                                               otherBytes: 8 * logDomainElements, limit: maxMemory)
        if path == .kernel && !kernelFits {
            throw .methodNotApplicable(method: "sinkhorn (kernel path)", reason: "it needs every cost ≤ 200 ε (the data's diameter^p is \(bound), ε = \(target)) and an n × m kernel within the memory limit")
        }
        // The multiscale path pays off when the kernel is narrow against the data and the tree
        // prunes: in R^64 (a torus against a torus, n = 2000) it visited nearly every pair and the
        // dense log-domain path, one gemm per block, was 2.4× faster.
        let narrow = Wasserstein.root(TreeSoftmin.truncation * target, order: order) < 0.5 * Wasserstein.root(bound, order: order)
            && d <= BoundedTree.boxOnlyDimension
        let chosen: SinkhornPath = path != .automatic ? path : kernelFits ? .kernel : narrow ? .multiscale : .logDomain
        let solved: SinkhornSolution
        switch chosen {
        case .kernel:
            solved = try solveKernel(input, cx, cy, order: order, epsilon: target, tolerance: tolerance, maxIterations: maxIterations)
        case .multiscale:
            solved = try MultiscaleSinkhorn.solve(input, cx, cy, order: order, epsilon: target, tolerance: tolerance,
                                                  maxIterations: maxIterations)
        case .logDomain, .automatic:
            solved = try solveLogDomain(input, cx, cy, order: order, from: max(bound, target), epsilon: target,
                                        tolerance: tolerance, maxIterations: maxIterations)
        }
        let divergence = solved.otXY - 0.5 * solved.otXX - 0.5 * solved.otYY
        let blur = Wasserstein.root(target, order: order)
        // S_ε is W_p only at a blur small against the data: say how large this one is, and that the value is below W_p.
        var result = TransportResult(cost: max(divergence, 0), order: order, method: .sinkhorn, solver: solved.solver,
                                     estimator: "S_eps^(1/p), the debiased Sinkhorn divergence at blur eps^(1/p) = \(NumberFormat.short(input.unit.scale(blur))): "
                                        + "a W_p of the data blurred at that length, which approaches W_p from below as the blur falls; "
                                        + (epsilon == .standard
                                           ? "at this default blur (diameter/\(Int(1 / SinkhornEpsilon.standardFraction(order: order)))) it was within 1 % of exact W_p on the pairs of docs/transport.md; exact OT gives W_p itself"
                                           : "13 % below W2 on a helix against a torus at eps = 0.05·max C, within 0.4 % at the default blur diameter/64 (docs/transport.md); exact OT gives W_p itself"))
        result.sinkhornDivergence = divergence
        result.epsilon = target
        result.blur = blur
        result.iterations = solved.convergence.iterations
        result.marginalError = solved.convergence.marginalError
        result.transportCost = solved.transportCost
        return try result.inUnits(of: input.unit)
    }

    /// What either Sinkhorn path hands back: the three OT_ε values, ⟨P_ε, C⟩ and the x–y record.
    struct SinkhornSolution {
        var otXY: Double, otXX: Double, otYY: Double, transportCost: Double
        var convergence: SinkhornConvergence
        var solver: String
    }

    /// The kernel path: one kernel buffer, filled in turn for x–y, x–x and y–y.
    static func solveKernel(_ input: TransportInput, _ cx: Matrix<Double>, _ cy: Matrix<Double>, order: Double,
                            epsilon: Double, tolerance: Double, maxIterations: Int) throws(ManifoldLabError) -> SinkhornSolution {
        let n = input.n, m = input.m
        let kernel = UnsafeMutablePointer<Double>.allocate(capacity: DenseSinkhorn.kernelElements(n: n, m: m))
        defer { kernel.deallocate() }
        let xy = SinkhornKernel(rows: cx, columns: cy, order: order)
        DenseSinkhorn.fill(kernel, costs: xy, epsilon: epsilon, upperOnly: false)
        let pair = try DenseSinkhorn.solvePair(kernel: kernel, a: input.a, b: input.b, epsilon: epsilon,
                                               tolerance: tolerance, maxIterations: maxIterations, what: "x–y")
        var otXY = 0.0
        for i in 0..<n { otXY += input.a[i] * pair.f[i] }
        for j in 0..<m { otXY += input.b[j] * pair.g[j] }
        let transportCost = DenseSinkhorn.primalCost(kernel: kernel, costs: xy, b: input.b, solution: pair)
        var selfValues: [Double] = []
        for (points, masses, what) in [(cx, input.a, "x–x"), (cy, input.b, "y–y")] {
            DenseSinkhorn.fill(kernel, costs: SinkhornKernel(rows: points, columns: points, order: order), epsilon: epsilon, upperOnly: true)
            selfValues.append(try DenseSinkhorn.solveSymmetric(kernel: kernel, a: masses, epsilon: epsilon, tolerance: tolerance,
                                                               maxIterations: maxIterations, what: what))
        }
        return SinkhornSolution(otXY: otXY, otXX: selfValues[0], otYY: selfValues[1], transportCost: transportCost,
                                convergence: pair.convergence, solver: "sinkhorn-kernel")
    }

    /// The matrix-free log-domain path with ε-scaling from `start` down to `epsilon`.
    static func solveLogDomain(_ input: TransportInput, _ cx: Matrix<Double>, _ cy: Matrix<Double>, order: Double,
                               from start: Double, epsilon target: Double, tolerance: Double,
                               maxIterations: Int) throws(ManifoldLabError) -> SinkhornSolution {
        let n = input.n, m = input.m
        let xy = SinkhornKernel(rows: cx, columns: cy, order: order)
        let logA = input.a.map { log($0) }, logB = input.b.map { log($0) }
        var f = [Double](repeating: 0, count: n), g = [Double](repeating: 0, count: m)
        let yx = SinkhornKernel(rows: cy, columns: cx, order: order)
        let main = try xy.solvePair(transposed: yx, logA: logA, logB: logB, f: &f, g: &g, from: start, to: target,
                                    tolerance: tolerance, maxIterations: maxIterations, what: "x–y")
        var fx = [Double](repeating: 0, count: n), fy = [Double](repeating: 0, count: m)
        let xx = try SinkhornKernel(rows: cx, columns: cx, order: order)
            .solveSymmetric(logA: logA, f: &fx, from: start, to: target, tolerance: tolerance, maxIterations: maxIterations, what: "x–x")
        let yy = try SinkhornKernel(rows: cy, columns: cy, order: order)
            .solveSymmetric(logA: logB, f: &fy, from: start, to: target, tolerance: tolerance, maxIterations: maxIterations, what: "y–y")
        var otXY = 0.0
        for i in 0..<n { otXY += input.a[i] * f[i] }
        for j in 0..<m { otXY += input.b[j] * g[j] }
        return SinkhornSolution(otXY: otXY, otXX: xx, otYY: yy,
                                transportCost: xy.primalCost(logA: logA, logB: logB, f: f, g: g, epsilon: target),
                                convergence: main, solver: "sinkhorn-log")
    }
}
