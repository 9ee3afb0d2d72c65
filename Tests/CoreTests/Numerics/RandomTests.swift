import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Seeds and random streams")
struct RandomTests {
    @Test("the same seed gives the same sequence; different child streams differ")
    func determinism() {
        let a = RandomStream(seed: Seed(42)), b = RandomStream(seed: Seed(42))
        let first = (0..<100).map { _ in a.gaussian() }
        #expect(first == (0..<100).map { _ in b.gaussian() })
        let seed = Seed(42)
        #expect(seed.child(.points("p")) != seed.child(.points("q")))
        #expect(seed.child(.points("p")) == Seed(42).child(.points("p")))
        #expect(seed.child(.latent, index: 0) != seed.child(.latent, index: 1))
    }

    @Test("Gaussian draws are N(0, σ²): KS test at α = 0.001")
    func gaussianLaw() {
        let rng = RandomStream(seed: Seed(1))
        let sigma = 2.5
        let draws = (0..<5000).map { _ in rng.gaussian(sigma: sigma) }
        let ks = TestStatistics.kolmogorovSmirnov(draws) { normalCDF($0 / sigma) }
        #expect(ks < TestStatistics.kolmogorovSmirnovCritical(count: draws.count))
    }

    @Test("permutations contain every index once")
    func permutation() {
        let order = RandomStream(seed: Seed(3)).permutation(50)
        #expect(order.sorted() == Array(0..<50))
    }

    @Test("random frames are orthonormal, and their leading columns do not depend on how many are drawn", arguments: [3, 10, 64])
    func frames(dimension: Int) {
        let frame = OrthonormalFrame.random(dimension: dimension, count: 3, rng: RandomStream(seed: Seed(5)))
        let gram = frame.multiplied(by: frame, transposingSelf: true)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-13) } }
        let fewer = OrthonormalFrame.random(dimension: dimension, count: 2, rng: RandomStream(seed: Seed(5)))
        for i in 0..<dimension { for j in 0..<2 { #expect(abs(fewer[i, j] - frame[i, j]) < 1e-13) } }
    }
}
