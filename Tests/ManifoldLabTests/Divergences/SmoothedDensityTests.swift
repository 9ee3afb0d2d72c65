import Foundation
import Testing
@testable import ManifoldLab

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

/// Tolerances on |log p_σ − reference|: 1e-6 within ~σ of the shape, 1e-4 at the 3σ points — both
/// far below the estimator's Monte Carlo errors (~1e-3), which is what they feed.
private func tolerance(_ i: Int) -> Double { i.isMultiple(of: 3) ? 1e-4 : 1e-6 }

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
        let law = try smoothed(Sphere(dimension: 2), sigma: sigma)
        let x = queries(Sphere(dimension: 2), sigma: sigma, count: 300)
        let computed = law.logDensity(x)
        for i in 0..<x.rows {
            let r = (0..<3).reduce(0.0) { $0 + x[i, $1] * x[i, $1] }.squareRoot()
            let s2 = sigma * sigma
            // log sinh(a) = a + log(1 − e^(−2a)) − log 2, stable for large a.
            let a = r / s2
            let logSinh: Double = a + log1p(-exp(-2 * a)) - log(2.0)
            let exact: Double = logGaussianNormaliser(sigma) - (r * r + 1) / (2 * s2) + log(s2 / r) + logSinh
            #expect(abs(computed[i] - exact) < tolerance(i), "x = \(x.row(i)), log p: \(computed[i]) vs \(exact)")
        }
    }

    /// Unit circle: p_σ(x) = (2πσ²)^(−3/2) e^(−(ρ² + 1 + h²)/2σ²) I₀(ρ/σ²), ρ the in-plane radius.
    @Test("circle: the curve rule's log p_σ matches the Bessel closed form", arguments: [0.3, 0.05, 0.001])
    func circle(sigma: Double) throws {
        let law = try smoothed(Circle(), sigma: sigma)
        let x = queries(Circle(), sigma: sigma, count: 200)
        let computed = law.logDensity(x)
        for i in 0..<x.rows {
            let rho = hypot(x[i, 0], x[i, 1]), s2 = sigma * sigma
            let squared: Double = rho * rho + 1 + x[i, 2] * x[i, 2]
            let exact: Double = logGaussianNormaliser(sigma) - squared / (2 * s2) + logBesselI0(rho / s2)
            #expect(abs(computed[i] - exact) < tolerance(i), "x = \(x.row(i)), log p: \(computed[i]) vs \(exact)")
        }
    }

    /// Torus: the angle u around the axis integrates in closed form (a Bessel I₀), leaving a periodic
    /// integral over v that a 4096-point trapezoid rule does to machine precision.
    @Test("torus: the product rule's log p_σ matches a Bessel × periodic-trapezoid reference", arguments: [0.2, 0.05])
    func torus(sigma: Double) throws {
        let law = try smoothed(Torus(), sigma: sigma)
        let x = queries(Torus(), sigma: sigma, count: 200)
        let computed = law.logDensity(x)
        let big = 1.0, small = 1.0 / 3, s2 = sigma * sigma
        for i in 0..<x.rows {
            let rho = hypot(x[i, 0], x[i, 1]), z = x[i, 2]
            let exact = logGaussianNormaliser(sigma) + logPeriodicMean(points: 4096) { v -> Double in
                let ring: Double = big + small * cos(v), height: Double = z - small * sin(v)
                let squared: Double = rho * rho + ring * ring + height * height
                return -squared / (2 * s2) + logBesselI0(rho * ring / s2)
            }
            #expect(abs(computed[i] - exact) < tolerance(i), "x = \(x.row(i)), log p: \(computed[i]) vs \(exact)")
        }
    }

    /// Helix (open): a 200 000-interval Simpson rule over its parameter, in log space.
    @Test("helix: the curve rule's log p_σ matches a fine Simpson reference, ends included", arguments: [0.2, 0.05])
    func helix(sigma: Double) throws {
        let law = try smoothed(Helix(), sigma: sigma)
        let x = queries(Helix(), sigma: sigma, count: 60)
        let computed = law.logDensity(x)
        let s2 = sigma * sigma
        for i in 0..<x.rows {
            let a = x.row(i)
            let exact = logGaussianNormaliser(sigma) - log(4 * .pi) + logSimpson(0...(4 * .pi), intervals: 200_000) { t -> Double in
                let e0: Double = a[0] - cos(t), e1: Double = a[1] - sin(t), e2: Double = a[2] - (t / (2 * .pi) - 1)
                return -(e0 * e0 + e1 * e1 + e2 * e2) / (2 * s2)
            }
            #expect(abs(computed[i] - exact) < tolerance(i), "x = \(a), log p: \(computed[i]) vs \(exact)")
        }
    }

    /// Swiss roll: the height integrates in closed form (normal CDFs); the turn angle by a fine Simpson rule.
    @Test("swiss roll: the product rule's log p_σ matches an erf × Simpson reference, edges included", arguments: [0.2, 0.05])
    func swissRoll(sigma: Double) throws {
        let law = try smoothed(SwissRoll(), sigma: sigma)
        let x = queries(SwissRoll(), sigma: sigma, count: 60)
        let computed = law.logDensity(x)
        let s2 = sigma * sigma
        for i in 0..<x.rows {
            let a = x.row(i)
            let height = log(sigma * (2 * .pi).squareRoot() * (normalCDF((0.5 - a[1]) / sigma) - normalCDF((-0.5 - a[1]) / sigma)))
            let turns = logSimpson((1.5 * .pi)...(4.5 * .pi), intervals: 200_000) { t -> Double in
                let r: Double = t / (4.5 * .pi), e0: Double = a[0] - r * cos(t), e2: Double = a[2] - r * sin(t)
                return -(e0 * e0 + e2 * e2) / (2 * s2)
            }
            let exact = logGaussianNormaliser(sigma) - log(3 * .pi) + height + turns
            #expect(abs(computed[i] - exact) < tolerance(i), "x = \(a), log p: \(computed[i]) vs \(exact)")
        }
    }
}
