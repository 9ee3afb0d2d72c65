import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

private func report(_ kind: DivergenceKind, _ p: ManifoldKind, _ q: ManifoldKind, dim: Int = 3, offset: Double = 0,
                    angle: Double = 0, sameFrame: Bool = false, noise: Double = 0, method: DivergenceMethod = .auto,
                    shape: ShapeOptions = ShapeOptions()) throws -> DivergenceReport {
    let request = DivergenceRequest(p: .manifold(ManifoldSpec(kind: p)), q: .manifold(ManifoldSpec(kind: q)), dimension: dim,
                                    shape: shape, placement: Placement(offset: offset, angle: angle, sameFrame: sameFrame),
                                    noise: noise, count: 2000, method: method)
    return try DivergenceEngine.run(request, kinds: [kind])[0]
}

@Suite("Exact rules: what holds without sampling")
struct ExactRuleTests {
    @Test("parallel segments at any distance θ > 0: JS = log 2 and KL = ∞ without noise", arguments: [1e-6, 0.01, 1, 1e6])
    func parallelSegments(theta: Double) throws {
        let js = try report(.js, .line, .line, dim: 5, offset: theta, sameFrame: true)
        #expect(js.value == log(2.0) && js.method == "exact" && js.stderr == 0)
        let kl = try report(.kl, .line, .line, dim: 5, offset: theta, sameFrame: true)
        #expect(kl.value == .infinity)
        let w1 = try report(.w1, .line, .line, dim: 5, offset: theta, sameFrame: true)
        #expect(w1.value == theta)
    }

    @Test("line vs plane in R^D (the default `js --dim 3`): log 2, and the reason says why", arguments: [3, 10, 64])
    func lineVersusPlane(dim: Int) throws {
        let js = try report(.js, .line, .plane, dim: dim)
        #expect(js.value == log(2.0))
        #expect(js.reason.contains("null set"))
    }

    @Test("transversal equal-dimension supports: independent frames, or a turn out of P's flat → log 2")
    func transversal() throws {
        #expect(try report(.js, .plane, .plane, dim: 4).value == log(2.0))
        #expect(try report(.js, .circle, .circle, dim: 3, angle: 30, sameFrame: true).value == log(2.0))
    }

    @Test("no exact rule where supports overlap: full-dimensional laws, P = turned-by-180° copy, ring vs grid in one flat")
    func noRuleWhereSupportsOverlap() throws {
        #expect(throws: ManifoldLabError.self) { _ = try report(.js, .gaussian, .uniform, method: .exact) }
        #expect(throws: ManifoldLabError.self) { _ = try report(.js, .plane, .plane, angle: 180, sameFrame: true, method: .exact) }
        #expect(throws: ManifoldLabError.self) { _ = try report(.js, .ring, .grid, dim: 3, sameFrame: true, method: .exact) }
        #expect(throws: ManifoldLabError.self) { _ = try report(.js, .line, .line, offset: 1, sameFrame: true, noise: 0.1, method: .exact) }
    }

    @Test("P = Q gives 0 for every divergence")
    func identical() throws {
        for kind in DivergenceKind.allCases {
            #expect(try report(kind, .torus, .torus, dim: 4, sameFrame: true).value == 0)
        }
    }

    @Test("Gaussians: KL = θ²/(2(s² + σ²)) and W2 = θ, with and without noise", arguments: [(1.0, 0.0), (2.5, 0.5)])
    func gaussians(theta: Double, sigma: Double) throws {
        let shape = ShapeOptions(scale: 1.5)
        let kl = try report(.kl, .gaussian, .gaussian, dim: 4, offset: theta, noise: sigma, shape: shape)
        #expect(abs(kl.value - theta * theta / (2 * (2.25 + sigma * sigma))) < 1e-12)
        let w2 = try report(.w2, .gaussian, .gaussian, dim: 4, offset: theta, noise: sigma, shape: shape)
        #expect(abs(w2.value - theta) < 1e-12)
    }

    @Test("segments at an angle φ, offset θ: W2² = θ² + (2 − 2|cos φ|)/12", arguments: [0.0, 45.0, 90.0, 150.0])
    func segmentsAtAngle(phi: Double) throws {
        let w2 = try report(.w2, .line, .line, dim: 4, offset: 0.3, angle: phi, sameFrame: true)
        let expected = (0.09 + (2 - 2 * abs(cos(phi * .pi / 180))) / 12).squareRoot()
        #expect(abs(w2.value - expected) < 1e-12)
    }
}
