import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Sliced Wasserstein")
struct SlicedTests {
    @Test("Sliced ≤ exact (projections are 1-Lipschitz), for both kinds of directions",
          arguments: SlicingDirections.allCases)
    func belowExact(directions: SlicingDirections) throws {
        let x = TransportFixtures.gaussianCloud(60, 4, seed: 51)
        let y = TransportFixtures.gaussianCloud(60, 4, seed: 52, sigma: 0.6, shift: [1, 0, 0, 0])
        for order in [1.0, 2.0] {
            let exact = try Wasserstein.exact(x, y, order: order)
            let sliced = try Wasserstein.sliced(x, y, order: order, projections: 50, directions: directions, seed: Seed(3))
            #expect(sliced.value <= exact.value + 1e-12)
            #expect(sliced.value > 0.3 * exact.value)
            #expect(sliced.directions == directions.rawValue)
        }
    }

    @Test("Two segments at an angle: sliced W2² = the average of 1-D W2² over directions")
    func segments() throws {
        // For uniform segments, the projection on θ is uniform on an interval: the 1-D W2² of two
        // uniforms with means μ1, μ2 and half-widths h1, h2 is (μ1 − μ2)² + (h1 − h2)²/3. In 2-D
        // the average over directions at angle t: projections of the midpoints and of the half
        // segments, L1/2·|cos t| and L2/2·|cos(t − φ)|.
        let (l1, l2, phi) = (2.0, 1.0, 0.9)
        let a = (0.0, 0.0), b = (0.6, -0.2)
        let x = TransportFixtures.segment(400, length: l1, mid: a, angle: 0)
        let y = TransportFixtures.segment(400, length: l2, mid: b, angle: phi)
        var expected = 0.0
        let steps = 20_000
        for s in 0..<steps {
            let t = Double.pi * (Double(s) + 0.5) / Double(steps)
            let dm = (a.0 - b.0) * cos(t) + (a.1 - b.1) * sin(t)
            let h1 = 0.5 * l1 * abs(cos(t)), h2 = 0.5 * l2 * abs(cos(t - phi))
            expected += dm * dm + (h1 - h2) * (h1 - h2) / 3
        }
        expected /= Double(steps)
        let r = try Wasserstein.sliced(x, y, order: 2, projections: 400, directions: .sobol, seed: Seed(9))
        // Monte Carlo: within 4 standard errors, plus the grid's O(1/n²).
        #expect(abs(r.cost - expected) <= 4 * r.costStandardError! + 1e-4)
        let exact = AnalyticWasserstein.segments(lengths: (l1, l2), midpoints: ([a.0, a.1], [b.0, b.1]), angle: phi)
        #expect(r.cost < exact.cost)
    }

    @Test("Translated copies: SW_p² = |θ|²/D on average over the sphere; Monte Carlo error covers it")
    func translation() throws {
        let x = TransportFixtures.gaussianCloud(100, 3, seed: 61)
        let theta = [0.6, 0.0, -0.8]
        let r = try Wasserstein.sliced(x, TransportFixtures.translated(x, by: theta), order: 2,
                                       projections: 300, directions: .orthogonal, seed: Seed(4))
        // E (θ·u)² = |θ|²/D for u uniform on S^{D−1}; orthogonal frames make it exact per block.
        #expect(abs(r.cost - 1.0 / 3) <= 1e-9)
        #expect(r.costStandardError! >= 0)
    }

    @Test("Weighted and uniform-unequal samples go through the general merge")
    func weighted() throws {
        let x = TransportFixtures.gaussianCloud(20, 2, seed: 71)
        let y = TransportFixtures.gaussianCloud(30, 2, seed: 72, shift: [1, 1])
        let uniform = try Wasserstein.sliced(x, y, projections: 20, seed: Seed(5))
        let weighted = try Wasserstein.sliced(x, y, weightsX: [Double](repeating: 3, count: 20),
                                              weightsY: [Double](repeating: 2, count: 30), projections: 20, seed: Seed(5))
        #expect(abs(uniform.cost - weighted.cost) <= 1e-12 * uniform.cost)
        let exact = try Wasserstein.exact(x, y)
        #expect(uniform.value <= exact.value)
    }

    @Test("Sobol above 40 dimensions falls back to orthogonal and says so")
    func sobolFallback() throws {
        let x = TransportFixtures.gaussianCloud(10, 41, seed: 1), y = TransportFixtures.gaussianCloud(10, 41, seed: 2)
        let r = try Wasserstein.sliced(x, y, projections: 5, directions: .sobol, seed: Seed(1))
        #expect(r.directions == "orthogonal")
        #expect(r.note != nil)
    }

    @Test("Refusals: fewer than 2 projections, memory limit, bad input")
    func refusals() {
        let x = TransportFixtures.gaussianCloud(10, 2, seed: 1)
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sliced(x, x, projections: 1, seed: Seed(1)) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sliced(x, x, projections: 100, seed: Seed(1), maxMemory: 1000) }
        var bad = x; bad[0, 0] = -.infinity
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sliced(bad, x, seed: Seed(1)) }
    }
}

@Suite("Radix sort of doubles")
struct RadixSortTests {
    @Test("Sorts like the standard library, negatives, zeros, ties and huge values included")
    func matchesStandardSort() {
        let rng = RandomStream(seed: Seed(13))
        var values = (0..<3000).map { _ in rng.gaussian() * pow(10, Double(rng.integer(below: 40)) - 20) }
        values += [0, -0.0, 1e308, -1e308, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 3, 3, 3, -2, -2]
        var sorter = RadixSorter(capacity: 10)
        var mine = values
        mine.withUnsafeMutableBufferPointer { sorter.sort($0) }
        let expected = values.sorted()
        #expect(mine == expected)
    }
}
