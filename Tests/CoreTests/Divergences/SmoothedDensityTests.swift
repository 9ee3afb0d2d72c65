import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// `shape` in R^3 on the standard axes, smoothed by σ.
private func smoothed(_ shape: any Manifold, sigma: Double) throws -> SmoothedManifold {
    let embedding = Embedding(frame: OrthonormalFrame.identity(dimension: 3, count: shape.spanDimension), center: [0, 0, 0])
    return try SmoothedManifold(distribution: ManifoldDistribution(manifold: shape, embedding: embedding), sigma: sigma)
}

/// Points near the shape: y(u) for uniform parameters plus N(0, σ²I) noise, and a few on the
/// parametrisation's seams and poles (u at the ends of its box), where product rules meet their edges.
/// Every third point gets 3σ of noise instead: out there the peak of the integrand along the shape
/// narrows (to ~σ²/distance on the convex side), so those points get a looser tolerance.
private func queries(_ shape: any Manifold, sigma: Double, count: Int) -> Matrix<Double> {
    let rng = RandomStream(seed: Seed(21))
    let domain = shape.parameterDomain
    var rows: [[Double]] = []
    var u = [Double](repeating: 0, count: domain.count), y = [Double](repeating: 0, count: 3)
    for i in 0..<count {
        for j in domain.indices {
            let t = i < 8 ? Double((i >> j) & 1) * 0.999 + 0.0005 : rng.uniform()
            u[j] = domain[j].lowerBound + t * (domain[j].upperBound - domain[j].lowerBound)
        }
        u.withUnsafeBufferPointer { up in y.withUnsafeMutableBufferPointer { shape.point(parameters: up, into: $0) } }
        let spread = i.isMultiple(of: 3) ? 3 * sigma : sigma
        rows.append(y.map { $0 + rng.gaussian(sigma: spread) })
    }
    return Matrix(rowVectors: rows)
}

private func logGaussianNormaliser(_ sigma: Double) -> Double { -1.5 * log(2 * .pi * sigma * sigma) }

/// Compares the library's log p_σ of `shape` (on R^3's axes) with `reference` at the ``queries``:
/// |Δ| < 1e-6 within ~σ of the shape and < 1e-4 at the 3σ points — both far below the estimator's
/// Monte Carlo errors (~1e-3), which is what the densities feed.
private func expectDensity(_ shape: any Manifold, sigma: Double, count: Int,
                           reference: ([Double]) -> Double) throws {
    let x = queries(shape, sigma: sigma, count: count)
    let computed = try smoothed(shape, sigma: sigma).logDensity(x)
    for i in 0..<x.rows {
        let a = x.row(i), exact = logGaussianNormaliser(sigma) + reference(a)
        #expect(abs(computed[i] - exact) < (i.isMultiple(of: 3) ? 1e-4 : 1e-6), "x = \(a), log p: \(computed[i]) vs \(exact)")
    }
}

/// Periodic trapezoid rule with `points` nodes on [0, 2π) in log space: spectrally accurate.
private func logPeriodicMean(points: Int, _ logIntegrand: (Double) -> Double) -> Double {
    LogSumExp.of((0..<points).map { logIntegrand(2 * .pi * Double($0) / Double(points)) }) - log(Double(points))
}

/// log I₀(a), a ≥ 0: the power series Σ (a²/4)^k/(k!)² below 20 (all terms positive: no
/// cancellation), above it the asymptotic series e^a/√(2πa) · Σ_k [(2k − 1)!!]²/(k! (8a)^k), summed
/// while its terms still fall (they do up to k ≈ 2a, far past the 1e-17 relative reached first).
private func logBesselI0(_ a: Double) -> Double {
    if a < 20 {
        var term = 1.0, sum = 1.0
        for k in 1...100 {
            term *= a * a / 4 / Double(k * k)
            sum += term
            if term < 1e-17 * sum { break }
        }
        return log(sum)
    }
    var term = 1.0, sum = 1.0
    for k in 1...60 {
        term *= Double((2 * k - 1) * (2 * k - 1)) / (Double(k) * 8 * a)
        sum += term
        if term < 1e-17 * sum { break }
    }
    return a - 0.5 * log(2 * .pi * a) + log(sum)
}

/// log ∫_a^b e^(g(t)) dt by composite Simpson on `intervals` (even) sub-intervals, in log space.
private func logSimpson(_ range: ClosedRange<Double>, intervals: Int, _ g: (Double) -> Double) -> Double {
    let h = (range.upperBound - range.lowerBound) / Double(intervals)
    let terms = (0...intervals).map { i -> Double in
        let weight: Double = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2)
        return log(weight * h / 3) + g(range.lowerBound + Double(i) * h)
    }
    return LogSumExp.of(terms)
}

@Suite("Smoothed densities against closed forms and independent quadrature")
struct SmoothedDensityTests {
    /// Uniform S² convolved with N(0, σ²I₃): p_σ(x) = (2πσ²)^(−3/2) e^(−(r² + 1)/2σ²) σ² sinh(r/σ²)/r.
    @Test("sphere S²: the product rule's log p_σ matches the closed form, poles included", arguments: [0.3, 0.1, 0.05])
    func sphere(sigma: Double) throws {
        let s2 = sigma * sigma
        try expectDensity(Sphere(dimension: 2), sigma: sigma, count: 300) { x in
            let r = (x[0] * x[0] + x[1] * x[1] + x[2] * x[2]).squareRoot(), a = r / s2
            let logSinh: Double = a + log1p(-exp(-2 * a)) - log(2.0)  // stable for large a
            return -(r * r + 1) / (2 * s2) + log(s2 / r) + logSinh
        }
    }

    /// Unit circle: p_σ(x) = (2πσ²)^(−3/2) e^(−(ρ² + 1 + h²)/2σ²) I₀(ρ/σ²), ρ the in-plane radius.
    @Test("circle: the curve rule's log p_σ matches the Bessel closed form", arguments: [0.3, 0.05, 0.001])
    func circle(sigma: Double) throws {
        let s2 = sigma * sigma
        try expectDensity(Circle(), sigma: sigma, count: 200) { x in
            let rho = hypot(x[0], x[1]), squared: Double = rho * rho + 1 + x[2] * x[2]
            return -squared / (2 * s2) + logBesselI0(rho / s2)
        }
    }

    /// Torus: the angle u around the axis integrates in closed form (a Bessel I₀), leaving a periodic
    /// integral over v that a 4096-point trapezoid rule does to machine precision.
    @Test("torus: the product rule's log p_σ matches a Bessel × periodic-trapezoid reference", arguments: [0.2, 0.05])
    func torus(sigma: Double) throws {
        let big = 1.0, small = 1.0 / 3, s2 = sigma * sigma
        try expectDensity(Torus(), sigma: sigma, count: 200) { x in
            let rho = hypot(x[0], x[1])
            return logPeriodicMean(points: 4096) { v -> Double in
                let ring: Double = big + small * cos(v), height: Double = x[2] - small * sin(v)
                let squared: Double = rho * rho + ring * ring + height * height
                return -squared / (2 * s2) + logBesselI0(rho * ring / s2)
            }
        }
    }

    /// Helix (open): a 200 000-interval Simpson rule over its parameter, in log space.
    @Test("helix: the curve rule's log p_σ matches a fine Simpson reference, ends included", arguments: [0.2, 0.05])
    func helix(sigma: Double) throws {
        let s2 = sigma * sigma
        try expectDensity(Helix(), sigma: sigma, count: 60) { x in
            -log(4 * .pi) + logSimpson(0...(4 * .pi), intervals: 200_000) { t -> Double in
                let e0: Double = x[0] - cos(t), e1: Double = x[1] - sin(t), e2: Double = x[2] - (t / (2 * .pi) - 1)
                return -(e0 * e0 + e1 * e1 + e2 * e2) / (2 * s2)
            }
        }
    }

    /// Swiss roll: the height integrates in closed form (normal CDFs); the turn angle by a fine Simpson rule.
    @Test("swiss roll: the product rule's log p_σ matches an erf × Simpson reference, edges included", arguments: [0.2, 0.05])
    func swissRoll(sigma: Double) throws {
        let s2 = sigma * sigma
        try expectDensity(SwissRoll(), sigma: sigma, count: 60) { x in
            let height = log(sigma * (2 * .pi).squareRoot() * (normalCDF((0.5 - x[1]) / sigma) - normalCDF((-0.5 - x[1]) / sigma)))
            let turns = logSimpson((1.5 * .pi)...(4.5 * .pi), intervals: 200_000) { t -> Double in
                let r: Double = t / (4.5 * .pi), e0: Double = x[0] - r * cos(t), e2: Double = x[2] - r * sin(t)
                return -(e0 * e0 + e2 * e2) / (2 * s2)
            }
            return -log(3 * .pi) + height + turns
        }
    }
}
