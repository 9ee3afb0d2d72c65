import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Issue 16's precision, recall, density and coverage: equal to a brute-force O(n²) computation of
/// the papers' definitions (sorted exact distances, strict <) on small samples, in the tree and the
/// tiled regime; the papers' values for two samples of one law; invariance under scale.
@Suite("Precision, recall, density, coverage against brute force and the papers")
struct ManifoldCoverageTests {
    static func gaussian(_ n: Int, d: Int, shift: Double = 0, seed: UInt64) -> Matrix<Double> {
        let rng = RandomStream(seed: Seed(seed))
        var points = Matrix<Double>(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { points[i, j] = rng.gaussian() + (j == 0 ? shift : 0) } }
        return points
    }

    static func distance(_ a: Matrix<Double>, _ i: Int, _ b: Matrix<Double>, _ j: Int) -> Double {
        var s = 0.0
        for c in 0..<a.columns { s += (a[i, c] - b[j, c]) * (a[i, c] - b[j, c]) }
        return s.squareRoot()
    }

    /// The k-th smallest distance from row i to the other rows of its own sample.
    static func radius(_ a: Matrix<Double>, _ i: Int, k: Int) -> Double {
        let others = (0..<a.rows).filter { $0 != i }.map { distance(a, i, a, $0) }.sorted()
        return others[k - 1]
    }

    /// The four metrics straight from their definitions.
    static func bruteForce(real: Matrix<Double>, fake: Matrix<Double>) -> [Double] {
        let n = real.rows, m = fake.rows
        let r3 = (0..<n).map { radius(real, $0, k: 3) }, r5 = (0..<n).map { radius(real, $0, k: 5) }
        let f3 = (0..<m).map { radius(fake, $0, k: 3) }
        var precise = 0, density = 0, recalled = 0, covered = 0
        for j in 0..<m {
            var hit = false
            for i in 0..<n {
                let dist = distance(real, i, fake, j)
                if dist < r3[i] { hit = true }
                if dist < r5[i] { density += 1 }
            }
            if hit { precise += 1 }
        }
        for i in 0..<n {
            var hit = false, nearest = Double.infinity
            for j in 0..<m {
                let dist = distance(real, i, fake, j)
                if dist < f3[j] { hit = true }
                nearest = min(nearest, dist)
            }
            if hit { recalled += 1 }
            if nearest < r5[i] { covered += 1 }
        }
        return [Double(precise) / Double(m), Double(recalled) / Double(n), Double(density) / (5 * Double(m)), Double(covered) / Double(n)]
    }

    @Test("equal to the brute-force definitions to 1e-12, in D = 3 (k-d tree radii) and D = 20 (BLAS tiles), with n ≠ m and tiles not full")
    func bruteForceAgreement() throws {
        for (d, n, m) in [(3, 310, 270), (20, 300, 280)] {
            let real = Self.gaussian(n, d: d, seed: UInt64(d)), fake = Self.gaussian(m, d: d, shift: 0.7, seed: UInt64(100 + d))
            let c = try ManifoldCoverage.measure(real: real, fake: fake)
            let reference = Self.bruteForce(real: real, fake: fake)
            let got = [c.precision, c.recall, c.density, c.coverage]
            for (a, b) in zip(got, reference) { #expect(abs(a - b) < 1e-12, "D = \(d): \(got) vs \(reference)") }
            #expect(got.allSatisfy { $0 > 0.1 && $0 < 1 })  // a shift of 0.7 leaves every metric strictly between
        }
    }

    @Test("two samples of one law: density ≈ 1 and coverage ≈ 1 − 2^−5 (the papers' identities), precision and recall high")
    func sameLaw() throws {
        let real = Self.gaussian(3000, d: 4, seed: 1), fake = Self.gaussian(3000, d: 4, seed: 2)
        let c = try ManifoldCoverage.measure(real: real, fake: fake)
        #expect(abs(c.density - 1) < 0.05, "density \(c.density)")
        #expect(abs(c.coverage - (1 - 1 / 32.0)) < 0.02, "coverage \(c.coverage)")
        #expect(c.precision > 0.8 && c.recall > 0.8, "\(c)")
    }

    @Test("a collapsed generator: precision stays high, recall and coverage fall")
    func collapse() throws {
        let real = Self.gaussian(1000, d: 2, seed: 3)
        var fake = Self.gaussian(1000, d: 2, seed: 4)
        for i in fake.storage.indices { fake.storage[i] *= 0.1 }  // all mass near the centre of the data
        let c = try ManifoldCoverage.measure(real: real, fake: fake)
        #expect(c.precision > 0.95 && c.recall < 0.3 && c.coverage < 0.3, "\(c)")
    }

    @Test("the same values at 1e-150 and 1e150 (common units), and refusals for too few points or NaN")
    func scaleAndRefusals() throws {
        let real = Self.gaussian(200, d: 10, seed: 5), fake = Self.gaussian(150, d: 10, shift: 0.5, seed: 6)
        let reference = try ManifoldCoverage.measure(real: real, fake: fake)
        for factor in [1e-150, 1e150] {
            var a = real, b = fake
            for i in a.storage.indices { a.storage[i] *= factor }
            for i in b.storage.indices { b.storage[i] *= factor }
            #expect(try ManifoldCoverage.measure(real: a, fake: b) == reference)
        }
        #expect(throws: ManifoldLabError.self) { try ManifoldCoverage.measure(real: real, fake: Self.gaussian(5, d: 10, seed: 7)) }
        var bad = fake
        bad[0, 0] = .infinity
        #expect(throws: ManifoldLabError.self) { try ManifoldCoverage.measure(real: real, fake: bad) }
    }
}
