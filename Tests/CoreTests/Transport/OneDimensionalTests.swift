import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Exact 1-D transport by sorting")
struct OneDimensionalTests {
    @Test("Two uniforms U[0,1] and U[a, a+L]: W2² = a² + a(L−1) + (L−1)²/3 (quantile grids)")
    func uniforms() throws {
        let n = 2000, a = 0.4, l = 2.5
        let x = (0..<n).map { (Double($0) + 0.5) / Double(n) }
        let y = (0..<n).reversed().map { a + l * (Double($0) + 0.5) / Double(n) }  // unsorted on purpose
        let expected = a * a + a * (l - 1) + (l - 1) * (l - 1) / 3
        let r = try Wasserstein.oneDimensional(x, y, order: 2)
        // The grid sum differs from the integral by (L − 1)²/(12 n²).
        #expect(abs(r.cost - expected) <= (l - 1) * (l - 1) / (12 * Double(n * n)) + 1e-12)
        // W1 between them: ∫|a + (L−1)t| dt = a + (L−1)/2 (the integrand is positive here).
        let w1 = try Wasserstein.oneDimensional(x, y, order: 1)
        #expect(abs(w1.value - (a + (l - 1) / 2)) <= 1e-9)
        #expect(w1.unit == "W1" && w1.costUnit == "W1^1")
    }

    @Test("Gaussians N(0,1) and N(μ,σ²): W2² = μ² + (1 − σ)² (quantile grids)")
    func gaussians() throws {
        let n = 20_000, mu = 0.7, sigma = 1.8
        let x = (0..<n).map { gslQuantile((Double($0) + 0.5) / Double(n)) }
        let y = x.map { mu + sigma * $0 }
        let expected = mu * mu + (1 - sigma) * (1 - sigma)
        let r = try Wasserstein.oneDimensional(x, y, order: 2)
        // The grid's second moment falls short of 1 by O(log n / n): 2e-3 relative is ample.
        #expect(abs(r.cost - expected) <= 2e-3 * expected)
    }

    @Test("Weights equal repetition: masses (2, 1, 1) are the points repeated 2, 1, 1 times",
          arguments: [1.0, 1.5, 2.0, 3.0])
    func weightsAreMultiplicities(order: Double) throws {
        let x = [0.0, 3.0, -1.0], y = [1.0, 0.5, 2.0, 4.0, -2.0]
        let weighted = try Wasserstein.oneDimensional(x, y, order: order, weightsX: [2, 1, 1], weightsY: [1, 1, 1, 0.5, 0.5])
        let repeated = try Wasserstein.oneDimensional([0, 0, 3, -1, 0, 0, 3, -1], [1, 0.5, 2, 4, -2, 1, 0.5, 2], order: order)
        #expect(abs(weighted.cost - repeated.cost) <= 1e-12)
        #expect(weighted.marginalError! <= 1e-15)
    }

    @Test("Unequal sizes: n = 3 against m = 2 uniform equals the 6-point replication")
    func unequalSizes() throws {
        let a = try Wasserstein.oneDimensional([0, 1, 2], [0.5, 3], order: 2)
        let b = try Wasserstein.oneDimensional([0, 0, 1, 1, 2, 2], [0.5, 0.5, 0.5, 3, 3, 3], order: 2)
        #expect(abs(a.cost - b.cost) <= 1e-14)
    }

    @Test("Refusals: empty, NaN, negative weights, mismatched totals, order < 1")
    func refusals() {
        #expect(throws: ManifoldLabError.self) { try Wasserstein.oneDimensional([], [1]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.oneDimensional([.nan], [1]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.oneDimensional([1, 2], [1], weightsX: [1, -1]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.oneDimensional([1, 2], [1], weightsX: [1, 1], weightsY: [3]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.oneDimensional([1, 2], [1], order: 0) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.oneDimensional([1, .infinity], [1]) }
    }
}

/// Standard normal quantile (GSL).
func gslQuantile(_ p: Double) -> Double {
    // The inverse of normalCDF by bisection would do; GSL's is exact to double precision.
    var lo = -40.0, hi = 40.0
    for _ in 0..<200 { let mid = 0.5 * (lo + hi); if normalCDF(mid) < p { lo = mid } else { hi = mid } }
    return 0.5 * (lo + hi)
}
