import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// σ at the edges of double precision: the Dirac-GAN's Gauss–Hermite rule works in standardised
/// units (any finite σ > 0), σ beyond the range where the linearisation is finite is refused by
/// name, and the training's smoothed JS says why it is missing instead of writing NaN.
@Suite("Extreme σ")
struct ExtremeSigmaTests {
    @Test("Gauss–Hermite in standardised units: E[1] = 1 and E[ε²] = σ² at σ = 1e-150 … 1e150", arguments: [1e-150, 1e-50, 0.5, 1e50, 1e150])
    func quadrature(sigma: Double) throws {
        let rule = try GaussHermite(sigma: sigma, count: 20)
        #expect(abs(rule.weights.reduce(0, +) - 1) < 1e-14)
        let secondMoment = rule.expectation { ($0 / sigma) * ($0 / sigma) }
        #expect(abs(secondMoment - 1) < 1e-12)
        let finite = rule.nodes.allSatisfy { $0.isFinite }
        #expect(finite)
    }

    @Test("the rule for σ equals the standard rule scaled by σ (nodes) with the same weights")
    func scaling() throws {
        let unit = try GaussHermite(sigma: 1, count: 10), wide = try GaussHermite(sigma: 3, count: 10)
        #expect(zip(unit.nodes, wide.nodes).allSatisfy { abs(3 * $0 - $1) <= 1e-14 * abs($1) })
        #expect(unit.weights == wide.weights)
    }

    @Test("dirac --loss noise runs with finite numbers at σ = 1e-200 and 1e50", arguments: [1e-200, 1e50])
    func diracRuns(sigma: Double) throws {
        let result = try DiracConfiguration(loss: .noise, steps: 50, noise: sigma).run(recordTrajectory: false)
        let s = result.summary
        let numbers = [s.finalDistance, s.spectralRadius] + s.final + s.updateJacobian.flatMap { $0 }
        #expect(numbers.allSatisfy { $0.isFinite }, "\(numbers)")
    }

    @Test("σ above the range is refused with --noise and the range, before GSL is reached", arguments: [1e51, 1e200, 1e308])
    func diracRefuses(sigma: Double) {
        do {
            try DiracConfiguration(loss: .noise, noise: sigma).validate()
            Issue.record("σ = \(sigma) accepted")
        } catch {
            guard case let .invalidValue(option, _, allowed) = error else { Issue.record("\(error)"); return }
            #expect(option == "noise" && allowed.contains("1e+50"))
        }
    }

    @Test("the training's smoothed JS: a reason below the σ floor, and never NaN near it", arguments: [1e-300, 1e-160, 1e-140, 1e-8])
    func smoothedJSAtTinySigma(sigma: Double) throws {
        let configuration = TrainingConfiguration(dimension: 8, hidden: 16, layers: 1, batch: 32, steps: 1, noise: sigma)
        let setup = try ToySetup(data: configuration.data, dimension: configuration.dimension, offset: 0, seed: configuration.seed)
        let gan = setup.makeGAN(Double.self, generator: configuration.generatorArchitecture,
                                discriminator: configuration.discriminatorArchitecture,
                                latentDistribution: configuration.latentDistribution, optimizer: .adam, learningRate: 1e-3,
                                loss: .nonsat, gamma: 1, clip: 0.01, batch: 32, seed: configuration.seed)
        switch configuration.smoothedJS(gan: gan, setup: setup, sigma: sigma, step: 1) {
        case .success(let estimate):
            #expect(sigma >= SmoothedJSUnavailable.minimumSigma)
            #expect(estimate.value.isFinite && estimate.stderr.isFinite && estimate.value <= log(2) + 1e-12)
        case .failure(let reason):
            #expect(reason.message.hasPrefix("not computable") && !reason.message.contains("nan"))
            if sigma < SmoothedJSUnavailable.minimumSigma { #expect(reason == .sigmaUnderflows(sigma)) }
        }
    }
}

/// Huge but finite inputs of `dirac`: no NaN, and no ∞ that only means "beyond double precision".
@Suite("Dirac-GAN at the edge of double precision")
struct DiracOverflowTests {
    @Test("distances use hypot: (1e300, 1e300) is 1.414e300 away, not ∞")
    func distance() {
        let d = DiracPoint(theta: 1e300, psi: 1e300).distance
        #expect(d.isFinite && abs(d / (2.0.squareRoot() * 1e300) - 1) < 1e-15)
    }

    @Test("a field that overflows on its grid is refused; the grid itself never overflows")
    func field() throws {
        #expect(throws: ManifoldLabError.self) { try DiracGAN(loss: .r1, gamma: 1e250).fieldCSV(extent: 1e100, count: 3) }
        let text = try DiracGAN(loss: .minimax).fieldCSV(extent: 1e100, count: 3)
        #expect(!text.contains("inf") && !text.contains("nan") && text.split(separator: "\n").count == 10)
        #expect(throws: ManifoldLabError.self) { try DiracGAN.validateField(extent: 1e308, count: 3) }
    }
}

/// The vanish closed form (noisy parallel segments) at δ = θ/σ far beyond the old trapezoid window.
@Suite("Vanish closed form at huge δ")
struct ClosedFormExtremeTests {
    @Test("JS(δ) and JS′(δ) are continuous where the two-window rule takes over (δ = 24)")
    func continuity() {
        let below = ParallelSegmentsClosedForm.gaussianShiftJS(24), above = ParallelSegmentsClosedForm.gaussianShiftJS(24.000001)
        #expect(abs(below.value - above.value) < 1e-12 && abs(below.derivative - above.derivative) < 1e-12)
        #expect(abs(above.value - log(2)) < 1e-12)
    }

    @Test("σ = 1e-300: finite JS terms, and θ/σ² (beyond double) is not computable rather than ∞ or NaN-from-arithmetic")
    func tinySigma() {
        let form = ParallelSegmentsClosedForm(offset: 1, noise: 1e-300)
        #expect(abs(form.delta / 1e300 - 1) < 1e-14 && form.accuracy == 1)
        #expect(abs(form.loss) < 1e-12 && form.minimaxOffset.isFinite)
        #expect(form.nonsatOffset.isNaN)
        let json = JSONOutput.line(form)
        #expect(json.contains("\"slope_nonsat\":null") && !json.contains("nan"))
    }
}

extension ClosedFormExtremeTests {
    @Test("far apart the closed form is log 2 and a JS′ of the size of φ(δ/2), not rounding noise")
    func farApart() {
        for delta in [30.0, 40, 60] {
            // JS′(δ) ≈ ½·log 2·(... ) is of order φ(δ/2)/δ: compare logarithms (any rounding noise would be ~1e-17).
            let (value, derivative) = ParallelSegmentsClosedForm.gaussianShiftJS(delta)
            let scale = exp(-delta * delta / 8) / (2 * Double.pi).squareRoot()
            #expect(value == log(2) && derivative > 0 && abs(log(derivative / scale)) < 2 * log(delta), "δ = \(delta): \(derivative) vs \(scale)")
        }
        for delta in [1e3, 1e300] {
            let (value, derivative) = ParallelSegmentsClosedForm.gaussianShiftJS(delta)
            #expect(value == log(2) && derivative == 0)
        }
        #expect(ParallelSegmentsClosedForm(offset: 1, noise: 1e-300).minimaxOffset == 0)
    }
}
