import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// W_p(sP + t, sQ + t) = s·W_p(P, Q) for s in 10^[−150, 150], for every method: the solvers work in
/// normalised units (``LengthUnit``), so nothing is tuned to unit scale and nothing over- or
/// underflows into 0 (issue 13: W1 = 0 at offset 1e200, W(P, P) = 1e-8 at scale 1e-8).
@Suite("Transport is scale-equivariant and translation-invariant, at 10^±150")
struct ScaleEquivarianceTests {
    /// A random case: two clouds of random sizes, dimension and shape (one may lie on a line in
    /// R^D), a random scale 10^U[−150, 150] and a random translation of the scaled problem.
    struct Case: CustomStringConvertible {
        let x: Matrix<Double>, y: Matrix<Double>, scale: Double, shift: [Double]
        var description: String { "n=\(x.rows) m=\(y.rows) D=\(x.columns) s=\(scale)" }

        init(seed: UInt64) {
            let rng = RandomStream(seed: Seed(seed))
            let d = 1 + Int(rng.uniform() * 5), n = 5 + Int(rng.uniform() * 40)
            let m = seed % 3 == 0 ? n : 5 + Int(rng.uniform() * 40)
            x = TransportFixtures.gaussianCloud(n, d, seed: seed &* 7 &+ 1, sigma: 0.1 + 2 * rng.uniform())
            var cloud = TransportFixtures.gaussianCloud(m, d, seed: seed &* 7 &+ 2, shift: (0..<d).map { _ in 4 * rng.uniform() - 2 })
            if seed % 4 == 1 {  // Q on a line through the origin: a singular law
                let direction = (0..<d).map { _ in rng.gaussian() }
                for i in 0..<m { let t = cloud[i, 0]; for k in 0..<d { cloud[i, k] = t * direction[k] } }
            }
            y = cloud
            let s = pow(10, 300 * rng.uniform() - 150)
            scale = s
            shift = (0..<d).map { _ in s * 1e3 * (rng.uniform() - 0.5) }
        }

        func scaled(_ points: Matrix<Double>) -> Matrix<Double> {
            var out = points
            for i in 0..<out.rows { for k in 0..<out.columns { out[i, k] = scale * points[i, k] + shift[k] } }
            return out
        }
    }

    static func expectScaled(_ scaled: TransportResult, _ unit: TransportResult, scale: Double, tolerance: Double,
                             _ what: String) {
        let expected = scale * unit.value
        #expect(scaled.value.isFinite && scaled.value > 0 || unit.value == 0, "\(what): \(scaled.value)")
        #expect(abs(scaled.value - expected) <= tolerance * expected, "\(what): \(scaled.value) vs \(expected)")
        if let e1 = scaled.standardError, let e0 = unit.standardError {
            // Relative to W: at D = 1 every direction gives the same cost and the s.e. is round-off.
            #expect(abs(e1 - scale * e0) <= 1e-6 * expected, "\(what): s.e. \(e1) vs \(scale * e0)")
        }
    }

    @Test("exact (network simplex, assignment), sinkhorn (three paths), sliced: W(sP + t, sQ + t) = s·W(P, Q)",
          arguments: 0..<24)
    func equivariance(seed: Int) throws {
        let c = Case(seed: UInt64(seed))
        let (sx, sy) = (c.scaled(c.x), c.scaled(c.y))
        for order in [1.0, 2.0] {
            let what = "\(c) p=\(order)"
            Self.expectScaled(try Wasserstein.exact(sx, sy, order: order, solver: .networkSimplex),
                              try Wasserstein.exact(c.x, c.y, order: order, solver: .networkSimplex), scale: c.scale,
                              tolerance: 1e-9, "simplex \(what)")
            if c.x.rows == c.y.rows {
                Self.expectScaled(try Wasserstein.exact(sx, sy, order: order, solver: .assignment),
                                  try Wasserstein.exact(c.x, c.y, order: order, solver: .assignment), scale: c.scale,
                                  tolerance: 1e-9, "assignment \(what)")
            }
            // The multiscale path at its default tolerance (1e-3): the two runs may stop an update
            // apart, and the value's error is of second order in the marginal error.
            for (path, epsilon, tolerance, agreement) in [(SinkhornPath.kernel, SinkhornEpsilon.relativeToMaxCost(0.05), 1e-8, 1e-7),
                                                          (.logDomain, .relativeToMaxCost(0.05), 1e-8, 1e-7),
                                                          (.multiscale, .standard, 1e-3, 1e-5)] {
                Self.expectScaled(try Wasserstein.sinkhorn(sx, sy, order: order, epsilon: epsilon, tolerance: tolerance, path: path),
                                  try Wasserstein.sinkhorn(c.x, c.y, order: order, epsilon: epsilon, tolerance: tolerance, path: path),
                                  scale: c.scale, tolerance: agreement, "sinkhorn \(path) \(what)")
            }
            Self.expectScaled(try Wasserstein.sliced(sx, sy, order: order, projections: 16, seed: Seed(3)),
                              try Wasserstein.sliced(c.x, c.y, order: order, projections: 16, seed: Seed(3)), scale: c.scale,
                              tolerance: 1e-9, "sliced \(what)")
        }
    }

    @Test("W(P, P) is exactly 0 at every scale, and W of a translated copy is |θ| (1e-9), by the exact solver",
          arguments: [1e-150, 1e-8, 1.0, 1e8, 1e150])
    func identityAndTranslation(scale: Double) throws {
        let x = TransportFixtures.gaussianCloud(80, 3, seed: 5, sigma: scale)
        #expect(try Wasserstein.exact(x, x, order: 2).value == 0)
        #expect(try Wasserstein.exact(x, x, order: 1).value == 0)
        let theta = [3 * scale, -4 * scale, 12 * scale]
        let copy = TransportFixtures.translated(x, by: theta)
        for order in [1.0, 2.0] {
            let w = try Wasserstein.exact(x, copy, order: order).value
            #expect(abs(w - 13 * scale) <= 1e-9 * 13 * scale, "p=\(order) s=\(scale): \(w)")
        }
    }

    @Test("Samples 1e200 apart: W = 1e200 (it was 0 after the squared distances overflowed)")
    func farApart() throws {
        let x = TransportFixtures.gaussianCloud(50, 3, seed: 8)
        let y = TransportFixtures.translated(x, by: [1e200, 0, 0])
        for order in [1.0, 2.0] {
            let exact = try Wasserstein.exact(x, y, order: order)
            #expect(abs(exact.value - 1e200) <= 1e-9 * 1e200, "p=\(order): \(exact.value)")
            if order == 2 { #expect(!exact.costRepresentable, "W2² = 1e400 cannot be a Double") }
            let sinkhorn = try Wasserstein.sinkhorn(x, y, order: order)
            #expect(abs(sinkhorn.value - 1e200) <= 1e-6 * 1e200, "sinkhorn p=\(order): \(sinkhorn.value)")
        }
    }

    @Test("A distance beyond the largest Double is refused, never printed as ∞ or 0")
    func overflowRefused() throws {
        var x = Matrix<Double>(rows: 2, columns: 2), y = Matrix<Double>(rows: 2, columns: 2)
        x[0, 0] = -1.7e308; x[1, 0] = -1.6e308; y[0, 0] = 1.7e308; y[1, 0] = 1.6e308
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(x, y, order: 1) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sliced(x, y, order: 1, projections: 4, seed: Seed(1)) }
    }

    @Test("LengthUnit maps lengths and costs back without intermediate overflow")
    func lengthUnit() {
        let unit = LengthUnit(exponent: 700)
        #expect(unit.scale(1) == 0x1p700)
        #expect(unit.scale(1, power: 2) == .infinity)  // 2^1400: the p-th power truly overflows
        #expect(LengthUnit(exponent: -600).scale(3, power: 2) == 0)  // 2^-1200 · 3 truly underflows
        #expect(LengthUnit(exponent: 300).unscale(LengthUnit(exponent: 300).scale(0.75, power: 1.5), power: 1.5) == 0.75)
        let (x, y, u) = LengthUnit.normalising(Matrix(rows: 2, columns: 1, storage: [5, 5]), Matrix(rows: 1, columns: 1, storage: [5]))
        #expect(x.storage == [0, 0] && y.storage == [0] && u == .identity)
    }
}
