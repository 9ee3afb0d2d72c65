import CGSL
import Foundation

/// log ∫ exp(−|a − y(u)|²/2σ²) ρ(u) du over a curve's parameter interval, by GSL's QAGP.
///
/// The integrand is scaled by exp(d²_min/2σ²) (d_min the distance to the nearest grid point of the
/// curve) so it peaks near 1 whatever σ is; break points sit at every local minimum of the distance
/// that is not negligible (within 40 nats of the deepest) and at σ, 4σ and 16σ on either side, so
/// the adaptive rule sees peaks of width σ. Buffers are allocated once: no allocation per evaluation.
///
/// When σ is at least three grid spacings (in arc length), a fixed rule at least as fine as the grid
/// (``QuadratureNodes``: midpoint on closed curves, whose error for a Gaussian of width σ at spacing h
/// decays like exp(−2π²σ²/h²); composite Gauss–Legendre on open ones, which has no end error) is
/// exact to far below the Monte Carlo error, and it is used instead of QAGP: ~10× faster.
final class CurveIntegrator {
    let manifold: any Manifold
    let sigma: Double
    let lower: Double, upper: Double
    let span: Int
    let workspace: UnsafeMutablePointer<gsl_integration_workspace>
    let gridCount = 2049
    /// True when σ is wide enough for the fixed rule.
    let usesGrid: Bool
    /// The fixed rule as a kernel sum over its nodes (clustered, vectorised), when ``usesGrid``:
    /// ``logIntegrals(_:)`` evaluates all points at once through it.
    let gridSum: KernelSum?
    /// The curve on a grid of the parameter, `gridCount × span`, row-major.
    let grid: UnsafeMutablePointer<Double>
    let target: UnsafeMutablePointer<Double>
    let point: UnsafeMutablePointer<Double>
    let parameter = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    var shift = 0.0

    init(manifold: any Manifold, sigma: Double) {
        precondition(manifold.intrinsicDimension == 1)
        GSL.installErrorHandler()
        self.manifold = manifold
        self.sigma = sigma
        lower = manifold.parameterDomain[0].lowerBound
        upper = manifold.parameterDomain[0].upperBound
        span = manifold.spanDimension
        workspace = gsl_integration_workspace_alloc(4000)!
        grid = .allocate(capacity: gridCount * span)
        target = .allocate(capacity: span)
        point = .allocate(capacity: span)
        let step = (upper - lower) / Double(gridCount - 1)
        var longestStep = 0.0
        for i in 0..<gridCount {
            parameter[0] = lower + step * Double(i)
            manifold.point(parameters: UnsafeBufferPointer(start: parameter, count: 1),
                           into: UnsafeMutableBufferPointer(start: grid + i * span, count: span))
            if i > 0 {
                var s = 0.0
                for c in 0..<span { let e = grid[i * span + c] - grid[(i - 1) * span + c]; s += e * e }
                longestStep = max(longestStep, s.squareRoot())
            }
        }
        usesGrid = sigma >= 3 * longestStep
        guard usesGrid else {
            gridSum = nil
            return
        }
        let rule = QuadratureNodes.rule(lower...upper, count: gridCount - 1, periodic: manifold.periodicParameters[0])
        var nodes = Matrix<Double>(rows: rule.nodes.count, columns: span)
        var logWeights: [Double] = []
        let m = span
        var y = [Double](repeating: 0, count: m)
        for (i, u) in rule.nodes.enumerated() {
            [u].withUnsafeBufferPointer { parameters in
                y.withUnsafeMutableBufferPointer { manifold.point(parameters: parameters, into: $0) }
                logWeights.append(log(rule.weights[i] * manifold.parameterDensity(parameters)))
            }
            for c in 0..<m { nodes[i, c] = y[c] }
        }
        gridSum = KernelSum(nodes: nodes, logWeights: logWeights)
    }

    /// log I(a) for every row of `canonical`: by the fixed rule's kernel sum when σ spans three grid
    /// spacings, else point by point with ``logIntegral(at:)``.
    func logIntegrals(_ canonical: Matrix<Double>) -> [Double] {
        if let gridSum { return gridSum.logSums(at: canonical, sigma: sigma) }
        return (0..<canonical.rows).map { logIntegral(at: canonical.row($0)) }
    }

    /// How the integral is computed, for the estimate's method note.
    var description: String {
        guard let gridSum else { return "GSL adaptive quadrature (QAGP) over the curve" }
        let kind = manifold.periodicParameters[0] ? "midpoint" : "composite Gauss–Legendre"
        return "\(kind) rule on \(gridSum.nodes.rows) nodes of the curve (σ ≥ 3 spacings)"
    }

    deinit {
        gsl_integration_workspace_free(workspace)
        grid.deallocate(); target.deallocate(); point.deallocate(); parameter.deallocate()
    }

    @inline(__always) func gridParameter(_ i: Int) -> Double {
        lower + (upper - lower) * Double(i) / Double(gridCount - 1)
    }

    /// The scaled integrand at parameter u.
    func value(_ u: Double) -> Double {
        parameter[0] = u
        let parameters = UnsafeBufferPointer(start: parameter, count: 1)
        manifold.point(parameters: parameters, into: UnsafeMutableBufferPointer(start: point, count: span))
        var squared = 0.0
        for c in 0..<span { let e = target[c] - point[c]; squared += e * e }
        return exp(-(squared - shift) / (2 * sigma * sigma)) * manifold.parameterDensity(parameters)
    }

    /// |a − y(u)|² for the current target a.
    func squaredDistance(_ u: Double) -> Double {
        parameter[0] = u
        manifold.point(parameters: UnsafeBufferPointer(start: parameter, count: 1),
                       into: UnsafeMutableBufferPointer(start: point, count: span))
        var squared = 0.0
        for c in 0..<span { let e = target[c] - point[c]; squared += e * e }
        return squared
    }

    /// Golden-section search for the minimum of the squared distance on [from, to].
    func refineMinimum(from: Double, to: Double) -> (u: Double, squared: Double) {
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (from, to)
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = squaredDistance(c), fd = squaredDistance(d)
        for _ in 0..<80 where b - a > 1e-15 * max(1, abs(a)) {
            if fc < fd { b = d; d = c; fd = fc; c = b - ratio * (b - a); fc = squaredDistance(c) }
            else { a = c; c = d; fc = fd; d = a + ratio * (b - a); fd = squaredDistance(d) }
        }
        return fc < fd ? (c, fc) : (d, fd)
    }

    /// log I(a) by QAGP, whatever σ is.
    func logIntegral(at a: [Double]) -> Double {
        Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
        for c in 0..<span { target[c] = a[c] }
        var distances = [Double](repeating: 0, count: gridCount)
        for i in 0..<gridCount {
            var s = 0.0
            for c in 0..<span { let e = a[c] - grid[i * span + c]; s += e * e }
            distances[i] = s
        }
        shift = distances.min()!
        let scale = 2 * sigma * sigma
        // Local minima of the distance on the grid, each refined by golden-section search between
        // its grid neighbours: for σ far below the grid step, the peak must be located exactly.
        var minima: [(u: Double, squared: Double)] = []
        for i in 0..<gridCount {
            let left = i == 0 ? Double.infinity : distances[i - 1]
            let right = i == gridCount - 1 ? Double.infinity : distances[i + 1]
            guard distances[i] <= left && distances[i] <= right else { continue }
            minima.append(refineMinimum(from: gridParameter(max(i - 1, 0)), to: gridParameter(min(i + 1, gridCount - 1))))
        }
        shift = min(shift, minima.map(\.squared).min() ?? shift)
        var breaks: [Double] = [lower, upper]
        for minimum in minima where (minimum.squared - shift) / scale < 40 {
            breaks.append(minimum.u)
            for step in [sigma, 4 * sigma, 16 * sigma] {
                if minimum.u - step > lower { breaks.append(minimum.u - step) }
                if minimum.u + step < upper { breaks.append(minimum.u + step) }
            }
        }
        var points = Array(Set(breaks)).sorted()
        var result = 0.0, error = 0.0
        var function = gsl_function(function: { u, raw in
            Unmanaged<CurveIntegrator>.fromOpaque(raw!).takeUnretainedValue().value(u)
        }, params: Unmanaged.passUnretained(self).toOpaque())
        _ = gsl_integration_qagp(&function, &points, points.count, 0, 1e-7, 4000, workspace, &result, &error)
        return result > 0 ? log(result) - shift / scale : -.infinity
    }
}
