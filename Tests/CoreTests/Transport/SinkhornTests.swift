import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("Sinkhorn (kernel and log-domain paths) and the debiased divergence")
struct SinkhornTests {
    @Test("S_ε → W2² as ε → 0 on two segments at an angle (not a translation)")
    func segmentsConverge() throws {
        let x = TransportFixtures.segment(60, length: 2, mid: (0, 0), angle: 0)
        let y = TransportFixtures.segment(60, length: 1, mid: (0.5, 0.3), angle: 0.8)
        let exact = try Wasserstein.exact(x, y, order: 2).cost
        var previousGap = Double.infinity
        for eps in [0.1, 0.02, 0.004] {
            let r = try Wasserstein.sinkhorn(x, y, order: 2, epsilon: .absolute(eps), tolerance: 1e-8)
            let gap = abs(r.sinkhornDivergence! - exact)
            #expect(gap < previousGap, "ε = \(eps): gap \(gap)")
            previousGap = gap
            // ⟨P_ε, C⟩ ≥ the exact optimum (P_ε is a feasible plan, up to the marginal error).
            #expect(r.transportCost! >= exact - 1e-6)
            #expect(r.epsilon == eps)
            #expect(r.value == r.cost.squareRoot())
        }
        #expect(previousGap < 0.01 * exact)
        let analytic = AnalyticWasserstein.segments(lengths: (2, 1), midpoints: ([0, 0], [0.5, 0.3]), angle: 0.8).cost
        #expect(abs(exact - analytic) < 2e-3 * analytic)
    }

    @Test("Sinkhorn → exact as ε → 0 for W1 as well; S_ε(x, x) = 0")
    func orderOneAndSelf() throws {
        let x = TransportFixtures.gaussianCloud(40, 2, seed: 81)
        let y = TransportFixtures.gaussianCloud(40, 2, seed: 82, sigma: 0.5, shift: [0.5, 0])
        let exact = try Wasserstein.exact(x, y, order: 1).value
        let r = try Wasserstein.sinkhorn(x, y, order: 1, epsilon: .absolute(0.02), tolerance: 1e-5)
        #expect(abs(r.value - exact) < 0.05 * exact, "S_ε = \(r.value) vs exact \(exact), \(r.iterations!) iterations")
        let selfDivergence = try Wasserstein.sinkhorn(x, x, order: 2, epsilon: .relativeToMaxCost(0.05), tolerance: 1e-8)
        #expect(abs(selfDivergence.sinkhornDivergence!) < 1e-6)
    }

    @Test("ε = 0.05·max C blurs: the result names its blur ε^(1/p), and on a helix against a torus the value is well below exact W2, as the estimator says")
    func largeBlurIsNamed() throws {
        let helix = try SampleRequest(manifold: ManifoldSpec(kind: .helix), dimension: 3, count: 600, seed: Seed(1)).run()
        let torus = try SampleRequest(manifold: ManifoldSpec(kind: .torus), dimension: 3, count: 600, seed: Seed(2)).run()
        let exact = try Wasserstein.exact(helix, torus, order: 2).value
        let r = try Wasserstein.sinkhorn(helix, torus, order: 2, epsilon: .relativeToMaxCost(0.05))
        let blur = try #require(r.blur), epsilon = try #require(r.epsilon)
        #expect(abs(blur * blur - epsilon) <= 1e-12 * epsilon)
        #expect(r.value < 0.95 * exact, "S_ε^(1/2) = \(r.value), exact W2 = \(exact)")
        #expect(r.estimator.contains("below W2") && r.estimator.contains(NumberFormat.short(blur)))
    }

    @Test("Weighted measures: S_ε is symmetric in its arguments")
    func symmetric() throws {
        let x = TransportFixtures.gaussianCloud(30, 3, seed: 91)
        let y = TransportFixtures.gaussianCloud(25, 3, seed: 92, shift: [1, 0, 0])
        let wx = (0..<30).map { 1 + Double($0 % 3) }, wy = (0..<25).map { 1 + Double($0 % 4) }
        let scale = wx.reduce(0, +) / wy.reduce(0, +)
        let a = try Wasserstein.sinkhorn(x, y, weightsX: wx, weightsY: wy.map { $0 * scale }, epsilon: .absolute(0.1), tolerance: 1e-9)
        let b = try Wasserstein.sinkhorn(y, x, weightsX: wy.map { $0 * scale }, weightsY: wx, epsilon: .absolute(0.1), tolerance: 1e-9)
        #expect(abs(a.sinkhornDivergence! - b.sinkhornDivergence!) < 1e-7)
    }

    @Test("The iteration limit fails loudly; bad ε and tolerances are refused")
    func refusals() {
        let x = TransportFixtures.gaussianCloud(20, 2, seed: 1), y = TransportFixtures.gaussianCloud(20, 2, seed: 2)
        do {
            _ = try Wasserstein.sinkhorn(x, y, epsilon: .absolute(1e-3), tolerance: 1e-12, maxIterations: 3)
            Issue.record("the iteration limit was not enforced")
        } catch {
            guard case .numericalFailure = error else { Issue.record("wrong error \(error)"); return }
            #expect(error.kind == .numerical)
        }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, epsilon: .absolute(0)) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, epsilon: .relativeToMaxCost(.nan)) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, tolerance: -1) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, maxMemory: 10) }
        let one = Matrix<Double>(rows: 1, columns: 2, storage: [1, 1])
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(one, one, epsilon: .relativeToMaxCost(0.05)) }
    }

    @Test("The kernel and log-domain paths solve the same problems: S_ε, ⟨P_ε, C⟩ agree", arguments: [1.0, 2.0])
    func pathsAgree(order: Double) throws {
        // Unequal sizes, uneven masses and one point of mass 0.
        let (x, y, wx, wy) = TransportFixtures.unevenPair()
        for eps in [SinkhornEpsilon.relativeToMaxCost(0.05), .relativeToMaxCost(0.02)] {
            let kernel = try Wasserstein.sinkhorn(x, y, order: order, weightsX: wx, weightsY: wy,
                                                  epsilon: eps, tolerance: 1e-10, path: .kernel)
            let logDomain = try Wasserstein.sinkhorn(x, y, order: order, weightsX: wx, weightsY: wy,
                                                     epsilon: eps, tolerance: 1e-10, path: .logDomain)
            #expect(kernel.solver == "sinkhorn-kernel")
            #expect(logDomain.solver == "sinkhorn-log")
            #expect(kernel.epsilon == logDomain.epsilon)
            let s1 = kernel.sinkhornDivergence!, s2 = logDomain.sinkhornDivergence!
            #expect(abs(s1 - s2) < 1e-8 * abs(s2), "S_ε \(s1) vs \(s2)")
            let c1 = kernel.transportCost!, c2 = logDomain.transportCost!
            #expect(abs(c1 - c2) < 1e-8 * c2, "⟨P, C⟩ \(c1) vs \(c2)")
            #expect(kernel.marginalError! < 1e-10)
        }
    }

    @Test("automatic picks the kernel path at ε = 0.05·max C, the multiscale path for a narrow kernel (the default), the log domain for a wide one beyond memory; .kernel is refused at small ε")
    func pathChoice() throws {
        let x = TransportFixtures.gaussianCloud(50, 2, seed: 111), y = TransportFixtures.gaussianCloud(40, 2, seed: 112)
        #expect(try Wasserstein.sinkhorn(x, y, epsilon: .relativeToMaxCost(0.05)).solver == "sinkhorn-kernel")
        #expect(try Wasserstein.sinkhorn(x, y).solver == "sinkhorn-multiscale")
        #expect(try Wasserstein.sinkhorn(x, y, epsilon: .relativeToMaxCost(0.001)).solver == "sinkhorn-multiscale")
        // A wide kernel larger than the memory limit: the log-domain path, which needs O((n + m)·D).
        #expect(try Wasserstein.sinkhorn(x, y, epsilon: .relativeToMaxCost(0.05), maxMemory: 40_000).solver == "sinkhorn-log")
        #expect(throws: ManifoldLabError.self) {
            try Wasserstein.sinkhorn(x, y, epsilon: .relativeToMaxCost(0.001), path: .kernel)
        }
    }

    @Test("The pruned largest cost equals the largest over all pairs (pruning works, and fails on a sphere)")
    func largestCost() {
        let cloud = TransportFixtures.gaussianCloud(500, 3, seed: 121)
        var sphere = TransportFixtures.gaussianCloud(400, 3, seed: 122)
        for i in 0..<sphere.rows {
            let r = (0..<3).map { sphere[i, $0] * sphere[i, $0] }.reduce(0, +).squareRoot()
            for k in 0..<3 { sphere[i, k] /= r }
        }
        for (x, y) in [(cloud, TransportFixtures.gaussianCloud(300, 3, seed: 123, shift: [1, 0, 0])), (sphere, sphere)] {
            for order in [1.0, 2.0, 3.0] {
                let kernel = SinkhornKernel(rows: x, columns: y, order: order)
                var brute = 0.0
                for i in 0..<x.rows {
                    for j in 0..<y.rows {
                        var s = 0.0
                        for k in 0..<3 { let d = x[i, k] - y[j, k]; s += d * d }
                        brute = max(brute, pow(s.squareRoot(), order))
                    }
                }
                #expect(abs(kernel.maximumCost() - brute) <= 1e-12 * brute)
                #expect(abs(kernel.maximumCostByBlocks() - brute) <= 1e-12 * brute)
            }
        }
    }

    @Test("fastExp agrees with exp to 1e-14 relative on [−700, 0]")
    func fastExpAccuracy() {
        var worst = 0.0
        for k in 0...70_000 {
            let x = -Double(k) * 0.01
            worst = max(worst, abs(fastExp(x) - exp(x)) / exp(x))
        }
        #expect(worst < 1e-14)
    }
}
