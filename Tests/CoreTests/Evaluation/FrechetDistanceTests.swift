import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Issue 16's Fréchet distance against mathematics: 0 for a sample and itself, |t|² for a sample
/// and its translate, the Bures closed form for large Gaussian samples (within the finite-n bias the
/// formula predicts), s² scaling down to 10^±150, and symmetry.
@Suite("Fréchet distance (FID formula) against closed forms")
struct FrechetDistanceTests {
    /// n rows of μ + A z, z ~ N(0, I_D): the law N(μ, AAᵀ).
    static func gaussian(_ n: Int, mean: [Double], factor a: [Double], seed: UInt64) -> Matrix<Double> {
        let d = mean.count, rng = RandomStream(seed: Seed(seed))
        var points = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n {
            let z = (0..<d).map { _ in rng.gaussian() }
            for r in 0..<d {
                var value = mean[r]
                for j in 0..<d { value += a[r * d + j] * z[j] }
                points[i, r] = value
            }
        }
        return points
    }

    static let factor1 = [1.0, 0, 0, 0.5, 0.8, 0, -0.3, 0.2, 0.4]
    static let factor2 = [0.6, 0.1, 0, 0, 1.2, 0, 0.2, 0, 0.3]

    /// AAᵀ for a 3 × 3 factor A.
    static func covariance(_ a: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: 9)
        for r in 0..<3 { for s in 0..<3 { for j in 0..<3 { c[r * 3 + s] += a[r * 3 + j] * a[s * 3 + j] } } }
        return c
    }

    @Test("a sample and itself: 0; and its translate by t: |t|² (equal covariances cancel)")
    func identityAndTranslation() throws {
        let x = Self.gaussian(500, mean: [0, 0, 0], factor: Self.factor1, seed: 1)
        #expect(abs(try FrechetDistance.measure(x, x).value) < 1e-12)
        let t = [0.3, -1.2, 2.0]
        var y = x
        for i in 0..<y.rows { for j in 0..<3 { y[i, j] += t[j] } }
        let fd = try FrechetDistance.measure(x, y)
        let expected = t.reduce(0) { $0 + $1 * $1 }
        #expect(abs(fd.value - expected) < 1e-10 * expected && abs(fd.meanTerm - expected) < 1e-10 * expected, "\(fd.value)")
    }

    @Test("two large Gaussian samples: the Bures closed form, within 5 SE of the finite-n bias tr Σ₁/n + tr Σ₂/m")
    func buresClosedForm() throws {
        let mean2 = [0.5, 0, -0.25]
        let exact = try AnalyticWasserstein.gaussians(mean1: [0, 0, 0], covariance1: Self.covariance(Self.factor1),
                                                      mean2: mean2, covariance2: Self.covariance(Self.factor2)).cost
        let n = 20_000
        var values: [Double] = []
        for seed in 0..<8 as Range<UInt64> {
            let x = Self.gaussian(n, mean: [0, 0, 0], factor: Self.factor1, seed: 100 + seed)
            let y = Self.gaussian(n, mean: mean2, factor: Self.factor2, seed: 200 + seed)
            values.append(try FrechetDistance.measure(x, y).value)
        }
        let mean = values.reduce(0, +) / 8
        let se = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7 / 8).squareRoot()
        let traces = (0..<3).reduce(0.0) { $0 + Self.covariance(Self.factor1)[$1 * 4] + Self.covariance(Self.factor2)[$1 * 4] }
        #expect(abs(mean - exact) < 5 * se + traces / Double(n), "mean \(mean) ± \(se), exact \(exact)")
        #expect(abs(mean - exact) < 0.01 * exact)
    }

    @Test("scaling the coordinates by s scales FD by s², from 1e-150 to 1e150; symmetric in its samples",
          arguments: [1e-150, 1e-20, 1e20, 1e150])
    func scaling(_ s: Double) throws {
        let x = Self.gaussian(300, mean: [0, 0, 0], factor: Self.factor1, seed: 7)
        let y = Self.gaussian(400, mean: [1, 0, 0], factor: Self.factor2, seed: 8)
        let base = try FrechetDistance.measure(x, y).value
        #expect(abs(try FrechetDistance.measure(y, x).value - base) < 1e-12 * base)
        let scaled = try FrechetDistance.measure(Matrix(rows: 300, columns: 3, storage: x.storage.map { $0 * s }),
                                                 Matrix(rows: 400, columns: 3, storage: y.storage.map { $0 * s })).value
        #expect(scaled > 0 && abs(scaled / (s * s) - base) < 1e-10 * base, "\(scaled) vs \(base) · \(s)²")
    }

    @Test("a common translation, even 1e5 times the spread, leaves FD unchanged; a sample 1e160 times narrower than the other returns")
    func translationAndNarrowSample() throws {
        let x = Self.gaussian(300, mean: [0, 0, 0], factor: Self.factor1, seed: 11)
        let y = Self.gaussian(300, mean: [1, 0, 0], factor: Self.factor2, seed: 12)
        let base = try FrechetDistance.measure(x, y).value
        let shift = { (m: Matrix<Double>) in Matrix(rows: m.rows, columns: 3, storage: m.storage.map { $0 + 1e5 }) }
        let moved = try FrechetDistance.measure(shift(x), shift(y)).value
        #expect(abs(moved - base) < 1e-8 * base, "\(moved) vs \(base)")
        // Spread 1e-150 against spread 1e10: FD is the wide sample's trace and the means' distance.
        let narrow = Matrix(rows: 300, columns: 3, storage: x.storage.map { $0 * 1e-150 })
        let wide = Matrix(rows: 300, columns: 3, storage: y.storage.map { $0 * 1e10 })
        let fd = try FrechetDistance.measure(narrow, wide)
        let alone = try FrechetDistance.measure(Matrix(rows: 300, columns: 3), wide).value  // against the point 0
        #expect(fd.value.isFinite && abs(fd.value - alone) < 1e-12 * alone, "\(fd.value) vs \(alone)")
    }

    @Test("refused, never ∞ or NaN: beyond the largest double, a single point, non-finite or mismatched input")
    func refusals() throws {
        let x = Self.gaussian(50, mean: [0, 0, 0], factor: Self.factor1, seed: 3)
        let far = Matrix(rows: 50, columns: 3, storage: x.storage.map { $0 * 1e160 + 1e160 })
        #expect(throws: ManifoldLabError.self) { try FrechetDistance.measure(x, far) }
        #expect(throws: ManifoldLabError.self) { try FrechetDistance.measure(x, Matrix(rows: 1, columns: 3)) }
        #expect(throws: ManifoldLabError.self) { try FrechetDistance.measure(x, Matrix(rows: 5, columns: 2)) }
        var bad = x
        bad[0, 0] = .nan
        #expect(throws: ManifoldLabError.self) { try FrechetDistance.measure(x, bad) }
    }
}
