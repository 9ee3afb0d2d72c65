import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Multiscale Sinkhorn: truncated kernel, coarse-to-fine, the default blur against exact W_p")
struct SinkhornMultiscaleTests {
    /// The three non-translation pairs of docs/transport.md, n points a side.
    static func pairs(_ n: Int) throws -> [(String, Matrix<Double>, Matrix<Double>)] {
        let helix = try SampleRequest(manifold: ManifoldSpec(kind: .helix), dimension: 3, count: n, seed: Seed(1)).run()
        let torus = try SampleRequest(manifold: ManifoldSpec(kind: .torus), dimension: 3, count: n, seed: Seed(2)).run()
        return [
            ("segments at an angle", TransportFixtures.segment(n, length: 2, mid: (0, 0), angle: 0),
             TransportFixtures.segment(n, length: 1, mid: (0.5, 0.3), angle: 0.8)),
            ("Gaussians", TransportFixtures.gaussianCloud(n, 3, seed: 31),
             TransportFixtures.gaussianCloud(n - n / 10, 3, seed: 32, sigma: 0.6, shift: [0.8, -0.2, 0.1])),
            ("helix vs torus", helix, torus),
        ]
    }

    @Test("The truncated softmin equals the dense one (1e-12) for p = 1, 2 in R^3 and R^64")
    func truncatedSoftmin() {
        for (d, order) in [(3, 2.0), (3, 1.0), (64, 2.0)] {
            let x = TransportFixtures.gaussianCloud(700, d, seed: 7), y = TransportFixtures.gaussianCloud(500, d, seed: 8, sigma: 0.5)
            let (cx, cy) = SinkhornKernel.centred(x, y)
            let rows = BoundedTree(cx), columns = BoundedTree(cy)
            let dense = SinkhornKernel(rows: rows.points, columns: columns.points, order: order)
            let truncated = TreeSoftmin(queries: rows, references: columns, order: order)
            let h = (0..<500).map { sin(Double($0)) * 3 }
            for epsilon in [1.0, 0.05, 0.002] {
                var expected = [Double](repeating: 0, count: 700), got = expected
                dense.softmin(h, epsilon: epsilon, into: &expected)
                truncated.softmin(h, epsilon: epsilon, into: &got)
                let worst = zip(expected, got).map { abs($0 - $1) / max(abs($0), 1) }.max()!
                #expect(worst < 1e-12, "D = \(d), p = \(order), ε = \(epsilon): \(worst)")
            }
        }
    }

    @Test("Multiscale and single-scale (log-domain) Sinkhorn agree to the stopping tolerance; weighted, a zero mass",
          arguments: [1.0, 2.0])
    func agreesWithLogDomain(order: Double) throws {
        let (x, y, wx, wy) = TransportFixtures.unevenPair()
        let epsilon = SinkhornEpsilon.relativeToMaxCost(order == 2 ? 0.003 : 0.01)
        let multiscale = try Wasserstein.sinkhorn(x, y, order: order, weightsX: wx, weightsY: wy,
                                                  epsilon: epsilon, tolerance: 1e-9, path: .multiscale)
        let single = try Wasserstein.sinkhorn(x, y, order: order, weightsX: wx, weightsY: wy,
                                              epsilon: epsilon, tolerance: 1e-9, path: .logDomain)
        #expect(multiscale.solver == "sinkhorn-multiscale" && single.solver == "sinkhorn-log")
        let s1 = try #require(multiscale.sinkhornDivergence), s2 = try #require(single.sinkhornDivergence)
        #expect(abs(s1 - s2) < 1e-7 * s2, "S_ε \(s1) vs \(s2)")
        let c1 = try #require(multiscale.transportCost), c2 = try #require(single.transportCost)
        #expect(abs(c1 - c2) < 1e-7 * c2, "⟨P, C⟩ \(c1) vs \(c2)")
    }

    @Test("With clusters (n > 1024): multiscale equals the kernel path's S_ε to the tolerance")
    func clustersAgreeWithKernel() throws {
        let x = TransportFixtures.gaussianCloud(3000, 3, seed: 41)
        let y = TransportFixtures.gaussianCloud(2500, 3, seed: 42, sigma: 0.5, shift: [0.5, 0.2, 0])
        let epsilon = SinkhornEpsilon.relativeToMaxCost(0.015)
        let kernel = try Wasserstein.sinkhorn(x, y, epsilon: epsilon, tolerance: 1e-8, path: .kernel)
        let multiscale = try Wasserstein.sinkhorn(x, y, epsilon: epsilon, tolerance: 1e-8, path: .multiscale)
        let s1 = try #require(kernel.sinkhornDivergence), s2 = try #require(multiscale.sinkhornDivergence)
        #expect(abs(s1 - s2) < 1e-6 * s1, "kernel \(s1) vs multiscale \(s2)")
    }

    @Test("By default (blur = diameter/64 for W2, /2048 for W1) the value is within 1 % of exact W_p on non-translation pairs",
          arguments: [1.0, 2.0])
    func defaultIsW(order: Double) throws {
        for (name, x, y) in try Self.pairs(1000) {
            let exact = try Wasserstein.exact(x, y, order: order).value
            let r = try Wasserstein.sinkhorn(x, y, order: order)
            #expect(r.solver == "sinkhorn-multiscale")
            #expect(abs(r.value - exact) < 0.01 * exact, "\(name) p = \(order): \(r.value) vs exact \(exact)")
            #expect(r.value <= exact * (1 + 1e-6), "\(name): the blurred value is below W_p")
            #expect(r.estimator.contains("default blur"))
            // blur = fraction × 2·max ‖z − mean‖ over both clouds.
            let d = x.columns, count = Double(x.rows + y.rows)
            var mean = [Double](repeating: 0, count: d)
            for z in [x, y] { for i in 0..<z.rows { for k in 0..<d { mean[k] += z[i, k] / count } } }
            var radius = 0.0
            for z in [x, y] { for i in 0..<z.rows { radius = max(radius, (0..<d).map { pow(z[i, $0] - mean[$0], 2) }.reduce(0, +).squareRoot()) } }
            let blur = try #require(r.blur)
            #expect(abs(blur - SinkhornEpsilon.standardFraction(order: order) * 2 * radius) < 1e-9 * blur, "\(name): blur \(blur)")
        }
    }

    @Test("S_ε → W2² as the blur falls (segments at an angle, against the exact optimum)")
    func converges() throws {
        let (_, x, y) = try Self.pairs(400)[0]
        let exact = try Wasserstein.exact(x, y, order: 2).cost
        var previous = Double.infinity
        for fraction in [1.0 / 8, 1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128] {
            let r = try Wasserstein.sinkhorn(x, y, epsilon: .blurRelativeToDiameter(fraction), tolerance: 1e-6, path: .multiscale)
            let gap = abs(try #require(r.sinkhornDivergence) - exact)
            #expect(gap < previous, "blur = diameter·\(fraction): gap \(gap)")
            previous = gap
        }
        #expect(previous < 2e-3 * exact)
    }

    @Test("Symmetric in its arguments; S(x, x) = 0 to 1e-6 of W2² at the default tolerance")
    func symmetricAndZero() throws {
        let (_, x, y) = try Self.pairs(800)[2]
        let a = try Wasserstein.sinkhorn(x, y, tolerance: 1e-4), b = try Wasserstein.sinkhorn(y, x, tolerance: 1e-4)
        #expect(abs(a.cost - b.cost) < 1e-6 * a.cost, "\(a.cost) vs \(b.cost)")
        // S(x, x) = 0 at convergence; at the default tolerance (measured: −7e-8 against W2² = 0.55)
        // it is negligible next to W2², and the value, max(S, 0)^(1/2), is 0.
        let zero = try Wasserstein.sinkhorn(x, x)
        #expect(abs(try #require(zero.sinkhornDivergence)) < 1e-6 * a.cost, "S(x, x) = \(zero.sinkhornDivergence!)")
        #expect(zero.value < 1e-3 * a.value)
    }

    @Test("A 2-manifold in R^64 (ball bounds): within 1 % of exact W2 by default")
    func highAmbientDimension() throws {
        let torus = try SampleRequest(manifold: ManifoldSpec(kind: .torus), dimension: 64, count: 800, seed: Seed(5)).run()
        let sphere = try SampleRequest(manifold: ManifoldSpec(kind: .sphere), dimension: 64, count: 700, seed: Seed(6)).run()
        let exact = try Wasserstein.exact(torus, sphere, order: 2).value
        let r = try Wasserstein.sinkhorn(torus, sphere, order: 2)
        #expect(abs(r.value - exact) < 0.01 * exact, "\(r.value) vs exact \(exact)")
    }

    @Test("Blur and ε are refused when not positive or negligible next to the data")
    func refusals() {
        let x = TransportFixtures.gaussianCloud(20, 2, seed: 1), y = TransportFixtures.gaussianCloud(20, 2, seed: 2)
        for bad in [SinkhornEpsilon.blur(0), .blur(-1), .blur(.nan), .blur(.infinity), .blur(1e-300),
                    .blurRelativeToDiameter(0), .blurRelativeToDiameter(.nan)] {
            #expect(throws: ManifoldLabError.self, "\(bad)") { try Wasserstein.sinkhorn(x, y, epsilon: bad) }
        }
    }
}
