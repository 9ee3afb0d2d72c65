import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Exact optimal transport: network simplex and assignment")
struct ExactTransportTests {
    @Test("Both solvers equal the brute-force assignment over all permutations (n ≤ 7)",
          arguments: [1.0, 2.0])
    func bruteForce(order: Double) throws {
        for trial in 0..<6 {
            let n = 3 + trial % 5, d = 1 + trial % 3
            let x = TransportFixtures.gaussianCloud(n, d, seed: UInt64(100 + trial))
            let y = TransportFixtures.gaussianCloud(n, d, seed: UInt64(200 + trial), shift: [Double](repeating: 0.5, count: d))
            let expected = TransportFixtures.bruteForceCost(x, y, order: order)
            for solver in [ExactSolver.networkSimplex, .assignment] {
                let r = try Wasserstein.exact(x, y, order: order, solver: solver)
                #expect(abs(r.cost - expected) <= 1e-12 * max(1, expected), "\(solver) n=\(n) d=\(d)")
                #expect(abs(r.value - Wasserstein.root(expected, order: order)) <= 1e-12 * max(1, r.value))
                #expect(r.unit == "W\(Int(order))")
            }
        }
    }

    @Test("Network simplex and assignment agree on larger uniform samples")
    func solversAgree() throws {
        let x = TransportFixtures.gaussianCloud(60, 5, seed: 1)
        let y = TransportFixtures.gaussianCloud(60, 5, seed: 2, sigma: 2)
        for order in [1.0, 2.0] {
            let a = try Wasserstein.exact(x, y, order: order, solver: .networkSimplex)
            let b = try Wasserstein.exact(x, y, order: order, solver: .assignment)
            #expect(abs(a.cost - b.cost) <= 1e-12 * a.cost)
            #expect(a.marginalError! <= 1e-12)
            #expect(a.iterations! > 0)
        }
    }

    @Test("Weighted samples of different sizes on the line: network simplex equals sorting")
    func weightedMatchesOneDimensional() throws {
        let rng = RandomStream(seed: Seed(11))
        let xs = (0..<13).map { _ in rng.gaussian() }, ys = (0..<9).map { _ in 2 * rng.gaussian() + 1 }
        let wx = (0..<13).map { _ in rng.uniform() + 0.01 }
        var wy = (0..<9).map { _ in rng.uniform() + 0.01 }
        let scale = wx.reduce(0, +) / wy.reduce(0, +)
        wy = wy.map { $0 * scale }
        for order in [1.0, 2.0, 3.0] {
            let line = try Wasserstein.oneDimensional(xs, ys, order: order, weightsX: wx, weightsY: wy)
            let simplex = try Wasserstein.exact(Matrix(rows: 13, columns: 1, storage: xs),
                                                Matrix(rows: 9, columns: 1, storage: ys),
                                                order: order, weightsX: wx, weightsY: wy)
            #expect(abs(line.cost - simplex.cost) <= 1e-10 * line.cost, "p = \(order)")
            #expect(simplex.marginalError! <= 1e-12)
            #expect(simplex.solver == "network-simplex")
        }
    }

    @Test("Unequal uniform sizes: n = 12 against m = 8 equals the brute force on replicated points")
    func unequalSizes() throws {
        // 2 copies of each of 12 points against 3 copies of each of 8: both 24 points, uniform.
        let x = TransportFixtures.gaussianCloud(4, 2, seed: 5), y = TransportFixtures.gaussianCloud(2, 2, seed: 6)
        let xx = x.rows(at: [0, 1, 2, 3, 0, 1, 2, 3]), yy = y.rows(at: [0, 1, 0, 1, 0, 1, 0, 1])
        let direct = try Wasserstein.exact(x, y, order: 2)
        let replicated = TransportFixtures.bruteForceCost(xx, yy, order: 2)
        #expect(abs(direct.cost - replicated) <= 1e-12 * replicated)
    }

    @Test("W is symmetric and satisfies the triangle inequality on three samples", arguments: [1.0, 2.0])
    func metricAxioms(order: Double) throws {
        let x = TransportFixtures.gaussianCloud(40, 3, seed: 21)
        let y = TransportFixtures.gaussianCloud(40, 3, seed: 22, sigma: 0.5, shift: [1, 0, 0])
        let z = TransportFixtures.gaussianCloud(40, 3, seed: 23, sigma: 1.5, shift: [0, -1, 0.5])
        let xy = try Wasserstein.exact(x, y, order: order).value
        let yx = try Wasserstein.exact(y, x, order: order).value
        let yz = try Wasserstein.exact(y, z, order: order).value
        let xz = try Wasserstein.exact(x, z, order: order).value
        #expect(abs(xy - yx) <= 1e-12 * xy)
        #expect(xz <= xy + yz + 1e-12)
        #expect(xy <= xz + yz + 1e-12)
        #expect(try Wasserstein.exact(x, x, order: order).value <= 1e-7)
    }

    @Test("Translated copies: W_p = |θ| for p = 1, 2", arguments: [1.0, 2.0])
    func translation(order: Double) throws {
        let x = TransportFixtures.gaussianCloud(50, 3, seed: 31)
        let theta = [0.3, -0.2, 0.1]
        let r = try Wasserstein.exact(x, TransportFixtures.translated(x, by: theta), order: order)
        let norm = (theta.map { $0 * $0 }.reduce(0, +)).squareRoot()
        #expect(abs(r.value - norm) <= 1e-9)
        #expect(abs(r.value - AnalyticWasserstein.translation(theta, order: order).value) <= 1e-9)
    }

    @Test("Two uniform segments at an angle: W2² formula (quantile grids, n = 150)")
    func segments() throws {
        let (l1, l2, phi) = (2.0, 1.0, 0.7)
        let a = (0.0, 0.0), b = (0.5, 0.3)
        let x = TransportFixtures.segment(150, length: l1, mid: a, angle: 0)
        let y = TransportFixtures.segment(150, length: l2, mid: b, angle: phi)
        let expected = AnalyticWasserstein.segments(lengths: (l1, l2), midpoints: ([a.0, a.1], [b.0, b.1]), angle: phi)
        let r = try Wasserstein.exact(x, y, order: 2)
        // Grid quantiles: the discretisation error is O(L²/n²).
        #expect(abs(r.cost - expected.cost) <= 1e-3 * expected.cost)
        #expect(r.costUnit == "W2^2")
    }

    @Test("Gaussian samples: exact OT on 300 points ≈ Bures W2² within sampling error")
    func bures() throws {
        let n = 300
        let rng = RandomStream(seed: Seed(41))
        // Σ1 = diag(1, 0.25); Σ2 = R diag(2, 0.5) Rᵀ (rotated), means (0,0) and (2,1).
        let c = cos(0.6), s = sin(0.6)
        var x = Matrix<Double>(rows: n, columns: 2), y = Matrix<Double>(rows: n, columns: 2)
        for i in 0..<n {
            x[i, 0] = rng.gaussian(); x[i, 1] = 0.5 * rng.gaussian()
            let u = 2.0.squareRoot() * rng.gaussian(), v = 0.5.squareRoot() * rng.gaussian()
            y[i, 0] = 2 + c * u - s * v; y[i, 1] = 1 + s * u + c * v
        }
        let s2 = [c * c * 2 + s * s * 0.5, c * s * (2 - 0.5), c * s * (2 - 0.5), s * s * 2 + c * c * 0.5]
        let analytic = try AnalyticWasserstein.gaussians(mean1: [0, 0], covariance1: [1, 0, 0, 0.25],
                                                         mean2: [2, 1], covariance2: s2)
        let r = try Wasserstein.exact(x, y, order: 2)
        // W2² ≈ 5.3; the sample fluctuation of W2² is about |μ1 − μ2|·σ/√n ≈ 0.13 per sample and the
        // empirical bias in 2-D is O(log n / n): 0.8 is about four standard deviations.
        #expect(abs(r.cost - analytic.cost) < 0.8, "exact \(r.cost) vs Bures \(analytic.cost)")
    }

    @Test("Refusals before any work: bad points, masses, dimensions, memory, iteration limit")
    func refusals() {
        let good = TransportFixtures.gaussianCloud(5, 2, seed: 1)
        var nan = good; nan[2, 1] = .nan
        var inf = good; inf[0, 0] = .infinity
        let empty = Matrix<Double>(rows: 0, columns: 2)
        let threeD = TransportFixtures.gaussianCloud(5, 3, seed: 2)
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(nan, good) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, inf) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(empty, good) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, threeD) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, good, order: 0.5) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, good, order: .nan) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, good, weightsX: [1, 1, 1, 1, -1]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, good, weightsX: [1, 1, 1, .nan, 1]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, good, weightsX: [1, 1, 1, 1]) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.exact(good, good, weightsX: [0, 0, 0, 0, 0]) }
        #expect(throws: ManifoldLabError.self) {
            try Wasserstein.exact(good, good, weightsX: [1, 1, 1, 1, 1], weightsY: [1, 1, 1, 1, 2])
        }
        #expect(throws: ManifoldLabError.self) {
            try Wasserstein.exact(good, TransportFixtures.gaussianCloud(4, 2, seed: 3), solver: .assignment)
        }
        do {
            _ = try Wasserstein.exact(good, good, maxMemory: 100)
            Issue.record("a 100-byte limit was not enforced")
        } catch {
            guard case .tooMuchMemory = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.kind == .resources)  // EX_OSERR (issue 13)
        }
        do {
            _ = try Wasserstein.exact(good, threeD.rows(at: [0, 1, 2, 3, 4]).dropLastColumn(), solver: .networkSimplex,
                                      maxIterations: 1)
            Issue.record("the pivot limit was not enforced")
        } catch {
            guard case .numericalFailure = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.description.contains("pivots"))
        }
        // The message names the bad value.
        do { _ = try Wasserstein.exact(nan, good) } catch {
            #expect(error.description.contains("point 3, coordinate 2"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("One point against one point: the distance between them")
    func onePoint() throws {
        let x = Matrix<Double>(rows: 1, columns: 2, storage: [0, 0])
        let y = Matrix<Double>(rows: 1, columns: 2, storage: [3, 4])
        #expect(try Wasserstein.exact(x, y, order: 1).value == 5)
        #expect(try Wasserstein.exact(x, y, order: 2, solver: .networkSimplex).value == 5)
    }
}

extension Matrix where Scalar == Double {
    /// The first `columns − 1` coordinates.
    func dropLastColumn() -> Matrix {
        var m = Matrix(rows: rows, columns: columns - 1)
        for i in 0..<rows { for k in 0..<(columns - 1) { m[i, k] = self[i, k] } }
        return m
    }
}
