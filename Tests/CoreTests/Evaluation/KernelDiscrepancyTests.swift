import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Issue 16's kernel discrepancies against mathematics: the Gaussian MMD² and the KID are unbiased
/// (their mean over seeds is the population MMD² of closed form), the jackknife error is the
/// seeds' spread, they are positive for different laws, and scale does not break them.
@Suite("MMD² and KID against closed forms")
struct KernelDiscrepancyTests {
    /// n rows of N(mean, s² I_D).
    static func gaussian(_ n: Int, mean: [Double], s: Double = 1, seed: UInt64) -> Matrix<Double> {
        let d = mean.count, rng = RandomStream(seed: Seed(seed))
        var points = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { points[i, j] = mean[j] + s * rng.gaussian() } }
        return points
    }

    /// Population MMD² of N(0, s²I) and N(Δ, s²I) in R^D with kernel exp(−|x−y|²/2h²):
    /// 2c(1 − exp(−|Δ|²/2(h² + 2s²))), c = (h²/(h² + 2s²))^(D/2).
    static func gaussianClosedForm(shift: Double, s: Double, h: Double, d: Int) -> Double {
        let v = h * h + 2 * s * s
        return 2 * pow(h * h / v, Double(d) / 2) * (1 - exp(-shift * shift / (2 * v)))
    }

    @Test("Gaussian MMD²: mean over 16 seeds within 3 SE of the closed form, for equal and shifted laws; jackknife SE ≈ spread over seeds")
    func gaussianUnbiased() throws {
        for shift in [0.0, 0.4] {
            var values: [Double] = [], errors: [Double] = []
            for seed in 0..<16 as Range<UInt64> {
                let x = Self.gaussian(300, mean: [0, 0, 0, 0], seed: 10 + seed)
                let y = Self.gaussian(300, mean: [shift, 0, 0, 0], seed: 500 + seed)
                let mmd = try GaussianMMD.measure(x, y, bandwidth: 1.5)
                values.append(mmd.value)
                errors.append(mmd.standardError)
            }
            let summary = MeanStd(values)
            let exact = Self.gaussianClosedForm(shift: shift, s: 1, h: 1.5, d: 4)
            let standardError = summary.std / 4
            #expect(abs(summary.mean - exact) < 3 * standardError, "shift \(shift): mean \(summary.mean) vs \(exact) ± \(standardError)")
            let meanJackknife = errors.reduce(0, +) / 16
            #expect(meanJackknife > 0.5 * summary.std && meanJackknife < 2 * summary.std,
                    "jackknife SE \(meanJackknife) vs spread over seeds \(summary.std)")
            if shift > 0 { #expect(values.allSatisfy { $0 > 0 }) }
        }
    }

    @Test("Gaussian MMD² does not change with scale or translation: 1e-150, 1, 1e150 give one value (median heuristic)")
    func gaussianScale() throws {
        let x = Self.gaussian(200, mean: [0, 0, 0], seed: 1), y = Self.gaussian(200, mean: [0.5, 0, 0], seed: 2)
        let reference = try GaussianMMD.measure(x, y)
        for factor in [1e-150, 1e150] {
            var a = x, b = y
            for i in a.storage.indices { a.storage[i] = a.storage[i] * factor + 3 * factor }
            for i in b.storage.indices { b.storage[i] = b.storage[i] * factor + 3 * factor }
            let scaled = try GaussianMMD.measure(a, b)
            #expect(abs(scaled.value - reference.value) < 1e-9 * abs(reference.value), "\(factor): \(scaled.value) vs \(reference.value)")
            #expect(abs(scaled.bandwidth / factor - reference.bandwidth) < 1e-9 * reference.bandwidth)
        }
    }

    /// n rows of μ + z, z with independent coordinates uniform on [−√3, √3] (mean 0, variance 1,
    /// symmetric): bounded, so the cubic kernel's statistic has no heavy tail and 16 seeds measure its spread.
    static func uniform(_ n: Int, mean: [Double], seed: UInt64) -> Matrix<Double> {
        let d = mean.count, rng = RandomStream(seed: Seed(seed)), half = 3.0.squareRoot()
        var points = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { points[i, j] = mean[j] + rng.uniform(-half, half) } }
        return points
    }

    /// Population MMD² with the kernel (x·y/D + 1)³ of x = z and y = μ + z', z and z' with independent
    /// symmetric coordinates of variance 1, a = |μ|². With S the inner product of a pair:
    /// E k(x,x') = 1 + 3/D; E k(x,y) = 1 + 3(a + D)/D² (E S² = a + D, E S³ = 0);
    /// E k(y,y') = 1 + 3a/D + 3(a² + 2a + D)/D² + (a³ + 6a² + 3aD + 6a)/D³ (E S = a, E S² = a² + 2a + D,
    /// E S³ = a³ + 6a² + 3aD + 6a); the difference is 3a/D + 3a²/D² + (a³ + 6a² + 3aD + 6a)/D³.
    static func cubicClosedForm(a: Double, d: Int) -> Double {
        let d = Double(d)
        let xx = 1 + 3 / d, xy = 1 + 3 * (a + d) / (d * d)
        let yy = 1 + 3 * a / d + 3 * (a * a + 2 * a + d) / (d * d) + (a * a * a + 6 * a * a + 3 * a * d + 6 * a) / (d * d * d)
        return xx + yy - 2 * xy
    }

    @Test("KID on all points: mean over 64 seeds within 3 SE of the closed form of the cubic kernel (bounded coordinates); 0 in expectation for equal laws")
    func kidUnbiased() throws {
        for shift in [0.0, 0.7] {
            // 64 seeds: for equal laws the statistic is skewed (a weighted χ² less its mean), and a
            // mean over few seeds with its sample SE misses 0 by 3 SE about 4 % of the time at 16.
            var values: [Double] = []
            for seed in 0..<64 as Range<UInt64> {
                let x = Self.uniform(200, mean: [0, 0, 0, 0], seed: 30 + seed)
                let y = Self.uniform(200, mean: [shift, 0, 0, 0], seed: 700 + seed)
                let kid = try KernelInceptionDistance.measure(x, y, subsets: 5, subsetSize: 200, seed: Seed(seed))
                #expect(kid.subsets == 1 && kid.subsetStd == 0)
                values.append(kid.value)
            }
            let summary = MeanStd(values)
            let exact = Self.cubicClosedForm(a: shift * shift, d: 4)
            #expect(abs(summary.mean - exact) < 3 * summary.std / 8, "shift \(shift): \(summary.mean) ± \(summary.std / 8) vs \(exact)")
        }
    }

    @Test("KID over subsets: their mean is near the all-points value, with a spread; subsets are reproducible per seed")
    func kidSubsets() throws {
        let x = Self.gaussian(1000, mean: [0, 0, 0], seed: 5), y = Self.gaussian(1000, mean: [0.8, 0, 0], seed: 6)
        let whole = try KernelInceptionDistance.measure(x, y, subsetSize: 1000, seed: Seed(1))
        let subsets = try KernelInceptionDistance.measure(x, y, subsets: 50, subsetSize: 300, seed: Seed(1))
        #expect(subsets.subsets == 50 && subsets.subsetStd > 0)
        #expect(abs(subsets.value - whole.value) < 3 * subsets.subsetStd / 50.0.squareRoot() + 0.05 * whole.value,
                "\(subsets.value) vs \(whole.value)")
        #expect(try KernelInceptionDistance.measure(x, y, subsets: 50, subsetSize: 300, seed: Seed(1)) == subsets)
    }

    @Test("KID at 1e-150 keeps its digits (→ 3s²·M₁, the linear kernel's statistic); beyond ~1e51 it is refused, not ∞")
    func kidScale() throws {
        let x = Self.gaussian(60, mean: [0, 0], seed: 7), y = Self.gaussian(60, mean: [1, 0.5], seed: 8)
        // The unbiased statistic of the linear kernel w = x·y/D, from sums of rows.
        func linear(_ x: Matrix<Double>, _ y: Matrix<Double>) -> Double {
            func sum(_ m: Matrix<Double>) -> [Double] { (0..<m.columns).map { j in (0..<m.rows).reduce(0) { $0 + m[$1, j] } } }
            func squares(_ m: Matrix<Double>) -> Double { m.storage.reduce(0) { $0 + $1 * $1 } }
            let sx = sum(x), sy = sum(y), n = Double(x.rows), m = Double(y.rows), d = Double(x.columns)
            let xx = (zip(sx, sx).reduce(0) { $0 + $1.0 * $1.1 } - squares(x)) / (n * (n - 1))
            let yy = (zip(sy, sy).reduce(0) { $0 + $1.0 * $1.1 } - squares(y)) / (m * (m - 1))
            let xy = zip(sx, sy).reduce(0) { $0 + $1.0 * $1.1 } / (n * m)
            return (xx + yy - 2 * xy) / d
        }
        let expected = 3 * linear(x, y)
        var a = x, b = y
        for i in a.storage.indices { a.storage[i] *= 1e-150 }
        for i in b.storage.indices { b.storage[i] *= 1e-150 }
        let tiny = try KernelInceptionDistance.measure(a, b, subsetSize: 1000, seed: Seed(0))
        #expect(abs(tiny.value / 1e-300 - expected) < 1e-9 * abs(expected), "\(tiny.value) vs \(expected)e-300")
        for i in a.storage.indices { a.storage[i] = x.storage[i] * 1e150 }
        for i in b.storage.indices { b.storage[i] = y.storage[i] * 1e150 }
        #expect(throws: ManifoldLabError.self) { try KernelInceptionDistance.measure(a, b, seed: Seed(0)) }
        for i in a.storage.indices { a.storage[i] = x.storage[i] * 1e40 }
        for i in b.storage.indices { b.storage[i] = y.storage[i] * 1e40 }
        let large = try KernelInceptionDistance.measure(a, b, subsetSize: 1000, seed: Seed(0))
        #expect(large.value.isFinite && large.value > 0)
    }

    @Test("too few points, different dimensions, NaN and a bad bandwidth are refused")
    func refusals() {
        let x = Self.gaussian(10, mean: [0, 0], seed: 1)
        #expect(throws: ManifoldLabError.self) { try GaussianMMD.measure(x, Self.gaussian(3, mean: [0, 0], seed: 2)) }
        #expect(throws: ManifoldLabError.self) { try GaussianMMD.measure(x, Self.gaussian(10, mean: [0, 0, 0], seed: 2)) }
        #expect(throws: ManifoldLabError.self) { try GaussianMMD.measure(x, x, bandwidth: 0) }
        var bad = x
        bad[3, 1] = .nan
        #expect(throws: ManifoldLabError.self) { try KernelInceptionDistance.measure(x, bad, seed: Seed(0)) }
        let same = Matrix<Double>(rows: 10, columns: 2, repeating: 1)
        #expect(throws: ManifoldLabError.self) { try GaussianMMD.measure(same, same) }  // median distance 0
    }
}
