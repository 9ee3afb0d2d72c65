import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

private func smoothed(_ kind: DivergenceKind, _ p: ManifoldKind, _ q: ManifoldKind, dim: Int, offset: Double,
                      sigma: Double, n: Int, sameFrame: Bool = true, seed: UInt64 = 1) throws -> DivergenceReport {
    let request = DivergenceRequest(p: .manifold(ManifoldSpec(kind: p)), q: .manifold(ManifoldSpec(kind: q)), dimension: dim,
                                    placement: Placement(offset: offset, sameFrame: sameFrame), noise: sigma, count: n,
                                    seed: Seed(seed), method: .smoothed)
    return try DivergenceEngine.run(request, kinds: [kind])[0]
}

@Suite("Smoothed estimator against closed forms")
struct SmoothedTests {
    @Test("the reference 1-D JS behaves: 0 at δ = 0, → log 2 as δ → ∞, ≈ δ²/8 for small δ")
    func referenceSanity() {
        #expect(abs(Reference.gaussianShiftJS(0)) < 1e-12)
        #expect(abs(Reference.gaussianShiftJS(40) - log(2.0)) < 1e-9)
        #expect(abs(Reference.gaussianShiftJS(0.01) - 0.01 * 0.01 / 8) < 1e-8)
    }

    @Test("noisy parallel segments: JS = 1-D JS(θ/σ) within 3 s.e. and 2e-3; KL = θ²/2σ² within 3 s.e.",
          arguments: [0.1, 0.5, 1, 2, 4, 8])
    func parallelSegments(delta: Double) throws {
        let sigma = 0.2, theta = delta * sigma
        let js = try smoothed(.js, .line, .line, dim: 6, offset: theta, sigma: sigma, n: 200_000)
        let expected = Reference.gaussianShiftJS(delta)
        #expect(abs(js.value - expected) <= max(3 * js.stderr, 1e-12))
        #expect(abs(js.value - expected) < 2e-3)
        #expect(js.value <= log(2.0))
        let kl = try smoothed(.kl, .line, .line, dim: 6, offset: theta, sigma: sigma, n: 50_000)
        #expect(abs(kl.value - delta * delta / 2) <= 3 * kl.stderr + 1e-12)
    }

    @Test("curves by GSL quadrature: a helix and its translate give the same 1-D JS(θ/σ)", arguments: [1.0, 3.0])
    func helixTranslate(delta: Double) throws {
        let sigma = 0.1
        let js = try smoothed(.js, .helix, .helix, dim: 5, offset: delta * sigma, sigma: sigma, n: 4000)
        let expected = Reference.gaussianShiftJS(delta)
        #expect(abs(js.value - expected) <= 3 * js.stderr + 1e-3)
        let kl = try smoothed(.kl, .circle, .circle, dim: 4, offset: delta * sigma, sigma: sigma, n: 4000)
        #expect(abs(kl.value - delta * delta / 2) <= 3 * kl.stderr + 1e-3)
    }

    @Test("surfaces by the product rule: torus and sphere with their translates give the 1-D JS(θ/σ)",
          arguments: [ManifoldKind.torus, .sphere])
    func surfaceTranslate(kind: ManifoldKind) throws {
        let sigma = 0.2, delta = 2.0
        let js = try smoothed(.js, kind, kind, dim: 4, offset: delta * sigma, sigma: sigma, n: 1500)
        #expect(abs(js.value - Reference.gaussianShiftJS(delta)) <= 3 * js.stderr + 2e-3)
    }

    @Test("Gaussian mixtures in closed form: smoothed KL of two Gaussians matches θ²/(2(1 + σ²))")
    func gaussians() throws {
        let kl = try smoothed(.kl, .gaussian, .gaussian, dim: 3, offset: 1.5, sigma: 0.5, n: 20_000, sameFrame: false)
        #expect(abs(kl.value - 2.25 / (2 * 1.25)) <= 3 * kl.stderr)
    }

    @Test("line vs plane in R^3: JS rises monotonically towards log 2 as σ → 0")
    func lineVersusPlaneSweep() throws {
        let sigmas = [1.0, 0.3, 0.1, 0.03, 0.01]
        let values = try sigmas.map { try smoothed(.js, .line, .plane, dim: 3, offset: 0, sigma: $0, n: 20_000, sameFrame: false).value }
        for (a, b) in zip(values, values.dropFirst()) { #expect(b > a) }
        #expect(values.last! > log(2.0) - 0.02)
        #expect(values.allSatisfy { $0 >= 0 && $0 <= log(2.0) })
    }

    @Test("invariants: 0 ≤ JS ≤ log 2; KL ≥ 0 within its errors; KL(P‖P + θn) = KL(P + θn‖P) for translates")
    func invariants() throws {
        let js = try smoothed(.js, .circle, .line, dim: 3, offset: 0.3, sigma: 0.2, n: 5000)
        #expect(js.value >= 0 && js.value <= log(2.0))
        let kl = try smoothed(.kl, .circle, .line, dim: 3, offset: 0.3, sigma: 0.2, n: 5000)
        #expect(kl.value > -3 * kl.stderr)
        let forward = try smoothed(.kl, .plane, .plane, dim: 4, offset: 0.3, sigma: 0.2, n: 20_000)
        let backward = try smoothed(.kl, .plane, .plane, dim: 4, offset: -0.3, sigma: 0.2, n: 20_000, seed: 2)
        #expect(abs(forward.value - backward.value) <= 3 * (forward.stderr + backward.stderr))
    }

    @Test("smoothed needs noise: a clear refusal without it")
    func needsNoise() {
        #expect(throws: ManifoldLabError.self) { _ = try smoothed(.js, .line, .line, dim: 3, offset: 1, sigma: 0, n: 100) }
    }
}

@Suite("Smoothed estimator at the numerical edges")
struct SmoothedEdgeTests {
    private func run(_ kind: DivergenceKind, _ p: ManifoldKind, _ q: ManifoldKind, dim: Int, offset: Double, sigma: Double, n: Int) throws -> DivergenceReport {
        try DivergenceEngine.run(DivergenceRequest(p: .manifold(ManifoldSpec(kind: p)), q: .manifold(ManifoldSpec(kind: q)), dimension: dim,
                                                   placement: Placement(offset: offset, sameFrame: true), noise: sigma, count: n,
                                                   seed: Seed(5), method: .smoothed), kinds: [kind])[0]
    }

    @Test("σ = 1e-6 on a helix (peaks far narrower than any grid): KL = δ²/2 and JS = JS(δ) for δ = 2")
    func tinySigmaOnACurve() throws {
        let kl = try run(.kl, .helix, .helix, dim: 5, offset: 2e-6, sigma: 1e-6, n: 2000)
        #expect(abs(kl.value - 2) <= 3 * kl.stderr)
        let js = try run(.js, .helix, .helix, dim: 5, offset: 2e-6, sigma: 1e-6, n: 2000)
        #expect(abs(js.value - Reference.gaussianShiftJS(2)) <= 3 * js.stderr + 1e-3)
    }

    @Test("huge offsets: JS = log 2 and KL = θ²/2σ² (1.25e11) without overflow")
    func hugeOffset() throws {
        let js = try run(.js, .line, .line, dim: 4, offset: 1e6, sigma: 0.1, n: 1000)
        #expect(abs(js.value - log(2.0)) < 1e-9)
        let kl = try run(.kl, .line, .line, dim: 4, offset: 0.5, sigma: 1e-6, n: 1000)
        #expect(abs(kl.value / 1.25e11 - 1) < 1e-6)
    }

    @Test("a σ too small for a surface's product rule is refused, not answered with a wrong number")
    func unresolvedSurface() {
        #expect {
            _ = try run(.js, .torus, .torus, dim: 4, offset: 0.1, sigma: 1e-4, n: 100)
        } throws: { ($0 as? ManifoldLabError)?.description.contains("too small") == true }
    }

    @Test("D = 4096 works")
    func highDimension() throws {
        let js = try run(.js, .line, .plane, dim: 4096, offset: 0, sigma: 0.1, n: 500)
        #expect(js.value > 0 && js.value < log(2.0))
    }
}
