import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Householder bases")
struct HouseholderBasisTests {
    @Test("the basis is orthonormal and its first r vectors span the given ones (dependent ones too)")
    func spansAndOrthonormal() {
        let d = 9, rng = RandomStream(seed: Seed(8))
        let a = (0..<d).map { _ in rng.gaussian() }, b = (0..<d).map { _ in rng.gaussian() }
        let vectors = [a, b, zip(a, b).map { 2 * $0 - $1 }]  // the third depends on the first two
        let basis = HouseholderBasis(spanning: vectors, dimension: d)
        // Rows of the identity become the basis vectors q_j.
        var q = Matrix<Double>(rows: d, columns: d)
        for j in 0..<d { q[j, j] = 1 }
        basis.express(&q)
        for i in 0..<d {
            for j in 0..<d {
                let dot = (0..<d).reduce(0.0) { $0 + q[i, $1] * q[j, $1] }
                #expect(abs(dot - (i == j ? 1 : 0)) < 1e-12)
            }
        }
        // Each given vector has no component along q_4…q_D (the first 3 span it).
        for v in vectors {
            for j in 3..<d { #expect(abs((0..<d).reduce(0.0) { $0 + v[$1] * q[j, $1] }) < 1e-12) }
        }
    }
}
