import Foundation
import Testing
@testable import ManifoldLab

@Suite("Log-domain Sinkhorn and the debiased divergence")
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
        let selfDivergence = try Wasserstein.sinkhorn(x, x, order: 2, epsilon: .relativeToMaxCost(0.05))
        #expect(abs(selfDivergence.sinkhornDivergence!) < 1e-6)
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
            #expect(error.exitStatus == 70)
        }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, epsilon: .absolute(0)) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, epsilon: .relativeToMaxCost(.nan)) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, tolerance: -1) }
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(x, y, maxMemory: 10) }
        let one = Matrix<Double>(rows: 1, columns: 2, storage: [1, 1])
        #expect(throws: ManifoldLabError.self) { try Wasserstein.sinkhorn(one, one, epsilon: .relativeToMaxCost(0.05)) }
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
