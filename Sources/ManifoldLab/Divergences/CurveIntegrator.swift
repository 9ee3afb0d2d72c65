import CGSL
import Foundation

/// log ∫ exp(−|a − y(u)|²/2σ²) ρ(u) du over a curve's parameter interval, by GSL's QAGP.
///
/// The integrand is scaled by exp(d²_min/2σ²) (d_min the distance to the nearest grid point of the
/// curve) so it peaks near 1 whatever σ is; break points sit at every local minimum of the distance
/// and at geometric steps σ·4^j on either side, so the adaptive rule sees peaks of width σ.
final class CurveIntegrator {
    let manifold: any Manifold
    let sigma: Double
    let lower: Double, upper: Double
    let workspace: UnsafeMutablePointer<gsl_integration_workspace>
    /// The curve on a fine grid of the parameter (for locating the nearest points).
    let gridParameters: [Double]
    let gridPoints: [[Double]]
    var target: [Double] = []
    var shift = 0.0
    var y: [Double]

    init(manifold: any Manifold, sigma: Double) {
        precondition(manifold.intrinsicDimension == 1)
        GSL.installErrorHandler()
        self.manifold = manifold
        self.sigma = sigma
        lower = manifold.parameterDomain[0].lowerBound
        upper = manifold.parameterDomain[0].upperBound
        workspace = gsl_integration_workspace_alloc(2000)!
        y = [Double](repeating: 0, count: manifold.spanDimension)
        let count = 1024
        let (from, to) = (lower, upper)
        let parameters = (0...count).map { from + (to - from) * Double($0) / Double(count) }
        gridParameters = parameters
        var points: [[Double]] = []
        var point = [Double](repeating: 0, count: manifold.spanDimension)
        for u in parameters {
            [u].withUnsafeBufferPointer { p in point.withUnsafeMutableBufferPointer { manifold.point(parameters: p, into: $0) } }
            points.append(point)
        }
        gridPoints = points
    }

    deinit { gsl_integration_workspace_free(workspace) }

    /// The scaled integrand at parameter u.
    func value(_ u: Double) -> Double {
        [u].withUnsafeBufferPointer { p in
            y.withUnsafeMutableBufferPointer { manifold.point(parameters: p, into: $0) }
            var squared = 0.0
            for c in 0..<y.count { squared += (target[c] - y[c]) * (target[c] - y[c]) }
            return exp(-(squared - shift) / (2 * sigma * sigma)) * manifold.parameterDensity(p)
        }
    }

    func logIntegral(at a: [Double]) -> Double {
        target = a
        let distances = gridPoints.map { p -> Double in
            var s = 0.0
            for c in 0..<p.count { s += (a[c] - p[c]) * (a[c] - p[c]) }
            return s
        }
        shift = distances.min()!
        // Break points: local minima of the distance (within reach of the deepest) and σ·4^j around them.
        var breaks: Set<Double> = [lower, upper]
        for i in distances.indices {
            let left = i == 0 ? Double.infinity : distances[i - 1]
            let right = i == distances.count - 1 ? Double.infinity : distances[i + 1]
            guard distances[i] <= left && distances[i] <= right,
                  (distances[i] - shift) / (2 * sigma * sigma) < 700 else { continue }
            let centre = gridParameters[i]
            breaks.insert(centre)
            var step = sigma
            while step < upper - lower {
                for u in [centre - step, centre + step] where u > lower && u < upper { breaks.insert(u) }
                step *= 4
            }
        }
        var points = breaks.sorted()
        var result = 0.0, error = 0.0
        let context = Unmanaged.passUnretained(self).toOpaque()
        var function = gsl_function(function: { u, raw in
            Unmanaged<CurveIntegrator>.fromOpaque(raw!).takeUnretainedValue().value(u)
        }, params: context)
        _ = gsl_integration_qagp(&function, &points, points.count, 0, 1e-9, 2000, workspace, &result, &error)
        return result > 0 ? log(result) - shift / (2 * sigma * sigma) : -.infinity
    }
}
