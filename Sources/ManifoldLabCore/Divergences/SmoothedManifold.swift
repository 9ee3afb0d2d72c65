import CGSL
import Foundation

/// A placed manifold law smoothed by instance noise: p_σ(x) = ∫ φ_σ(x − y(u)) dμ(u).
///
/// Writing x − c = F a + b with b ⟂ the frame's span, the density factors as
/// (2πσ²)^(−D/2) · exp(−|b|²/2σ²) · I(a), I(a) = ∫ exp(−|a − y(u)|²/2σ²) ρ(u) du, and log I is
/// computed by the best rule the shape allows:
/// - flats (`line`, `plane`, `flat`, `uniform`): in closed form, a product of normal-CDF intervals;
/// - Gaussian mixtures (`gaussian`, `ring`, `grid`): in closed form, a mixture with variance s² + σ²;
/// - curves (k = 1): a fixed rule (midpoint if closed, composite Gauss–Legendre if open) when σ spans
///   several grid steps, else GSL adaptive quadrature (QAGP) with break points at the nearest points
///   and at σ, 4σ, 16σ from them;
/// - surfaces (k = 2): a product of the same rules whose spacing follows σ (at most ~2·10⁶ nodes);
/// - k ≥ 3: Monte Carlo over the parameters (20 000 nodes from the law).
/// All of it in log space: nothing underflows however small σ is.
public struct SmoothedManifold: UnitCubeImage {
    public let distribution: ManifoldDistribution
    public let sigma: Double
    let rule: Rule

    enum Rule {
        case box(edge: Double)
        case mixture(GaussianMixture)
        case curve(CurveIntegrator)
        case nodes(KernelSum, description: String)
    }

    /// Throws when σ is too small for the shape's rule to resolve (2-D surfaces need ~(L/σ)² nodes).
    public init(distribution: ManifoldDistribution, sigma: Double) throws(ManifoldLabError) {
        precondition(sigma > 0)
        self.distribution = distribution.withNoise(sigma)
        self.sigma = sigma
        let manifold = distribution.manifold
        if let flat = manifold as? Flat {
            rule = .box(edge: flat.edge)
        } else if let mixture = manifold as? GaussianMixture {
            rule = .mixture(mixture)
        } else if manifold.intrinsicDimension == 1 {
            rule = .curve(CurveIntegrator(manifold: manifold, sigma: sigma))
        } else if manifold.intrinsicDimension == 2 {
            rule = try Self.productRule(manifold, sigma: sigma)
        } else {
            rule = Self.monteCarloNodes(manifold, count: 20_000)
        }
    }

    public var dimension: Int { distribution.ambientDimension }

    public var densityMethod: String {
        switch rule {
        case .box: return "closed-form box integral"
        case .mixture: return "closed-form Gaussian mixture"
        case .curve(let integrator): return integrator.description
        case .nodes(_, let description): return description
        }
    }

    public func sample(count: Int, seed: Seed) -> Matrix<Double> {
        distribution.sample(count: count, seed: seed)
    }

    public var unitCubeDimension: Int { distribution.unitCubeDimension }

    public var supportDirections: [[Double]]? {
        let frame = distribution.embedding.frame
        return (0..<frame.columns).map { j in (0..<frame.rows).map { frame[$0, j] } } + [distribution.embedding.center]
    }

    public func points(fromUnitCube cube: Matrix<Double>, noiseBasis: HouseholderBasis?) -> Matrix<Double> {
        distribution.points(fromUnitCube: cube, noiseBasis: noiseBasis)
    }

    public func logDensity(_ points: Matrix<Double>) -> [Double] {
        let embedding = distribution.embedding
        let d = dimension, m = embedding.spanDimension, n = points.rows
        // Canonical coordinates a = Fᵀ(x − c) of every point in one product, and |b|² = |x − c|² − |a|².
        var centred = points
        centred.storage.withUnsafeMutableBufferPointer { x in
            for i in 0..<n { for j in 0..<d { x[i * d + j] -= embedding.center[j] } }
        }
        let canonical = centred.multiplied(by: embedding.frame)
        // In units of σ: σ² itself underflows below 1e-154 and overflows above 1e154.
        let normaliser = -0.5 * Double(d) * (log(2 * .pi) + 2 * log(sigma))
        // |b|² from the residual b = (x − c) − F a itself, not as |x − c|² − |a|²: the difference
        // loses b entirely when |b| ≪ |a| (an offset of 1e-50 against a segment of length 1).
        let inFlat = m < d ? canonical.multiplied(by: embedding.frame, transposingOther: true) : centred
        var orthogonal = [Double](repeating: 0, count: n)
        for i in 0..<n where m < d {
            var total = 0.0
            for j in 0..<d { let b = (centred[i, j] - inFlat[i, j]) / sigma; total += b * b }
            orthogonal[i] = total
        }
        let logIntegrals = logIntegrals(canonical)
        return (0..<n).map { normaliser - orthogonal[$0] / 2 + logIntegrals[$0] }
    }

    /// log I(a) for every row of `canonical`.
    func logIntegrals(_ canonical: Matrix<Double>) -> [Double] {
        switch rule {
        case .box(let edge):
            let logScale = log(sigma * (2 * Double.pi).squareRoot() / edge)
            return (0..<canonical.rows).map { i in
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                var total = 0.0
                for j in 0..<canonical.columns {
                    let a = canonical[i, j]
                    total += logScale + Self.logNormalInterval(middle: -a / sigma, width: edge / sigma)
                }
                return total
            }
        case .mixture(let mixture):
            let s2 = mixture.standardDeviation * mixture.standardDeviation, v = sigma * sigma + s2
            let prefactor = Double(mixture.spanDimension) * (log(sigma) - 0.5 * log(v)) - log(Double(mixture.means.count))
            return (0..<canonical.rows).map { i in
                let terms = mixture.means.map { mean -> Double in
                    var squared = 0.0
                    for j in 0..<mean.count { let e = canonical[i, j] - mean[j]; squared += e * e }
                    return -squared / (2 * v)
                }
                return prefactor + LogSumExp.of(terms)
            }
        case .curve(let integrator):
            return integrator.logIntegrals(canonical)
        case .nodes(let kernel, _):
            return kernel.logSums(at: canonical, sigma: sigma)
        }
    }

    /// log(Φ(m + w/2) − Φ(m − w/2)), also when the interval is too narrow for a difference of two
    /// CDFs (a segment of length 1 under σ = 1e30: w = 1e-30, and m ± w/2 round to m): then
    /// log w + log φ(m) + log1p(w²(m² − 1)/24), the midpoint expansion, whose next term is
    /// O(w⁴m⁴) < 1e-16 where it is used.
    static func logNormalInterval(middle: Double, width: Double) -> Double {
        guard width * max(1, abs(middle)) < 1e-4 else {
            return NormalTails.logInterval(lower: middle - width / 2, upper: middle + width / 2)
        }
        return log(width) - 0.5 * middle * middle - 0.5 * log(2 * .pi) + log1p(width * width * (middle * middle - 1) / 24)
    }

    /// A product of one-dimensional rules on the parameter box (``QuadratureNodes``: midpoint along
    /// periodic parameters, composite Gauss–Legendre along the others), as fine as a midpoint rule
    /// spaced ≤ σ/2 in arc length (speed bounded by a grid scan).
    static func productRule(_ manifold: any Manifold, sigma: Double) throws(ManifoldLabError) -> Rule {
        let domain = manifold.parameterDomain
        let speeds = maximumSpeeds(manifold)
        // Counts stay Doubles until checked against the cap: at σ = 1e-130 they exceed Int.max.
        let wanted = zip(domain, speeds).map { range, speed in
            max(16, ((range.upperBound - range.lowerBound) * speed / (sigma / 2)).rounded(.up))
        }
        let cap = 1 << 21
        if !(wanted[0] * wanted[1] <= Double(cap)) {
            let smallest = sigma * (wanted[0] * wanted[1] / Double(cap)).squareRoot()
            throw .methodNotApplicable(method: "smoothed", reason: String(
                format: "σ = %g is too small for the product rule on %@ (it would need %.3g nodes; σ ≥ %.2g works, or use \(parameter: "method") knn)",
                sigma, manifold.name, wanted[0] * wanted[1], smallest))
        }
        let rules = (0..<2).map { QuadratureNodes.rule(domain[$0], count: Int(wanted[$0]), periodic: manifold.periodicParameters[$0]) }
        let total = rules[0].nodes.count * rules[1].nodes.count
        let m = manifold.spanDimension
        var nodes = Matrix<Double>(rows: total, columns: m)
        var logWeights = [Double](repeating: 0, count: total)
        var u = [0.0, 0.0], y = [Double](repeating: 0, count: m)
        for (i, first) in rules[0].nodes.enumerated() {
            for (j, second) in rules[1].nodes.enumerated() {
                u[0] = first
                u[1] = second
                let row = i * rules[1].nodes.count + j
                u.withUnsafeBufferPointer { up in
                    y.withUnsafeMutableBufferPointer { manifold.point(parameters: up, into: $0) }
                    logWeights[row] = log(manifold.parameterDensity(up) * rules[0].weights[i] * rules[1].weights[j])
                }
                for c in 0..<m { nodes[row, c] = y[c] }
            }
        }
        let kinds = manifold.periodicParameters.map { $0 ? "midpoint" : "Gauss–Legendre" }
        return .nodes(KernelSum(nodes: nodes, logWeights: logWeights),
                      description: "product rule (\(kinds[0]) × \(kinds[1])), \(rules[0].nodes.count)×\(rules[1].nodes.count) nodes")
    }

    /// The largest |∂y/∂u_i| over a 64×64 grid of the parameter box, per parameter.
    static func maximumSpeeds(_ manifold: any Manifold) -> [Double] {
        let domain = manifold.parameterDomain, m = manifold.spanDimension, k = domain.count
        var speeds = [Double](repeating: 0, count: k)
        var u = [Double](repeating: 0, count: k), y0 = [Double](repeating: 0, count: m), y1 = y0
        let grid = 64
        for index in 0..<Int(pow(Double(grid), Double(k))) {
            var rest = index
            for i in 0..<k {
                let t = (Double(rest % grid) + 0.5) / Double(grid)
                rest /= grid
                u[i] = domain[i].lowerBound + t * (domain[i].upperBound - domain[i].lowerBound)
            }
            for i in 0..<k {
                let h = 1e-6 * max(1, abs(u[i]))
                var shifted = u
                shifted[i] += h
                u.withUnsafeBufferPointer { p in y0.withUnsafeMutableBufferPointer { manifold.point(parameters: p, into: $0) } }
                shifted.withUnsafeBufferPointer { p in y1.withUnsafeMutableBufferPointer { manifold.point(parameters: p, into: $0) } }
                var s = 0.0
                for c in 0..<m { s += (y1[c] - y0[c]) * (y1[c] - y0[c]) }
                speeds[i] = max(speeds[i], s.squareRoot() / h)
            }
        }
        return speeds
    }

    /// Nodes drawn from the law itself, equally weighted (fixed stream: the density is a deterministic function).
    static func monteCarloNodes(_ manifold: any Manifold, count: Int) -> Rule {
        let rng = RandomStream(seed: Seed(0).child(.smoothingNodes))
        let m = manifold.spanDimension
        var nodes = Matrix<Double>(rows: count, columns: m)
        var scratch = [Double](repeating: 0, count: manifold.intrinsicDimension)
        nodes.storage.withUnsafeMutableBufferPointer { y in
            scratch.withUnsafeMutableBufferPointer { u in
                for i in 0..<count {
                    manifold.samplePoint(into: UnsafeMutableBufferPointer(rebasing: y[i * m ..< (i + 1) * m]), scratch: u, rng: rng)
                }
            }
        }
        return .nodes(KernelSum(nodes: nodes), description: "Monte Carlo over the parameters, \(count) nodes")
    }
}
