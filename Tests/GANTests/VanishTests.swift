import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// Φ(x), written out here from erfc.
private func standardNormalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

/// A frozen affine G on a segment parallel to the data's at distance θ, instance noise σ, and D
/// trained alone. D is logistic regression (`discriminatorLayers: 0`): D* = σ(a + w·x) with w along
/// the offset direction lies exactly in that family, so the plateaus are D*'s values up to the
/// noise of stochastic training. Small ambient dimension: only the offset coordinate matters.
private func parallelSegments(theta: Double, sigma: Double, steps: Int = 4000, learningRate: Double = 5e-2) throws -> VanishResult {
    let configuration = VanishConfiguration(dimension: 8, generator: .affine, hidden: 8, discriminatorLayers: 0,
                                            steps: steps, learningRate: learningRate, noise: sigma,
                                            offset: theta, seed: Seed(3), recordEvery: 20, probeBatches: 10)
    return try configuration.run()
}

/// |measured − expected| / |expected|.
private func relativeError(_ measured: Double, _ expected: Double) -> Double { abs(measured - expected) / abs(expected) }

@Suite("vanish: Arjovsky & Bottou's vanishing gradients and the parallel-segment closed form")
struct VanishTests {
    /// One BLAS thread, as the command runs: at these sizes OpenBLAS's second thread only spin-waits
    /// (and on a busy 2-core machine slows the suite down many times).
    init() { BLASBackend.setThreads(1) }

    @Test("without noise D reaches 100 % and the minimax gradient falls ≥ 3 orders; −log D's does not vanish")
    func vanishesWithoutNoise() throws {
        let result = try VanishConfiguration(hidden: 64, steps: 2000, probeBatches: 4).run()
        #expect(result.fault == nil)
        #expect(result.records.last!.accuracy.mean == 1)
        #expect(result.stepsToFullAccuracy != nil)
        #expect(result.ordersOfMagnitude >= 3, "minimax fell only \(result.ordersOfMagnitude) orders")
        let first = result.records.first!, last = result.records.last!
        #expect(last.nonsat.mean >= first.nonsat.mean, "−log D gradient \(first.nonsat.mean) → \(last.nonsat.mean)")
        #expect(last.nonsat.std > first.nonsat.std, "−log D spread \(first.nonsat.std) → \(last.nonsat.std)")
    }

    @Test("with σ = 0.5 the minimax gradient falls by at most one order of magnitude")
    func noiseKeepsItAlive() throws {
        let result = try VanishConfiguration(hidden: 64, steps: 2000, noise: 0.5, probeBatches: 4).run()
        #expect(result.ordersOfMagnitude <= 1, "minimax fell \(result.ordersOfMagnitude) orders")
        #expect(result.records.last!.accuracy.mean < 1)
    }

    @Test("the library's closed form agrees with the test's own quadrature of JS and JS′", arguments: [0.5, 1, 2, 4, 6])
    func closedFormValues(delta: Double) {
        let form = ParallelSegmentsClosedForm(offset: delta, noise: 1)
        let js = Reference.gaussianShiftJS(delta), derivative = Reference.gaussianShiftJSDerivative(delta)
        #expect(relativeError(form.loss, 2 * log(2.0) - 2 * js) < 1e-6)
        #expect(relativeError(form.minimaxOffset, 2 * derivative) < 1e-5)
        #expect(abs(form.accuracy - standardNormalCDF(delta / 2)) < 1e-12)
    }

    @Test("measured plateaus match the closed form in δ = θ/σ within a few per cent", arguments: [1.0, 2.0, 4.0])
    func parallelSegmentPlateaus(delta: Double) throws {
        let theta = 1.0, sigma = theta / delta
        let plateau = try #require(try parallelSegments(theta: theta, sigma: sigma).plateau)
        let js = Reference.gaussianShiftJS(delta), derivative = Reference.gaussianShiftJSDerivative(delta)
        let accuracy = standardNormalCDF(delta / 2)
        let loss = 2 * log(2.0) - 2 * js
        let minimax = 2 * derivative / sigma
        let nonsat = theta / (sigma * sigma) - 2 * derivative / sigma
        #expect(abs(plateau.accuracy.mean - accuracy) < 0.01, "accuracy \(plateau.accuracy.mean) vs \(accuracy)")
        #expect(relativeError(plateau.loss.mean, loss) < 0.04, "D loss \(plateau.loss.mean) vs \(loss)")
        #expect(relativeError(plateau.minimaxOffset.mean, minimax) < 0.04, "minimax \(plateau.minimaxOffset.mean) vs \(minimax)")
        #expect(relativeError(plateau.nonsatOffset.mean, nonsat) < 0.04, "−log D \(plateau.nonsatOffset.mean) vs \(nonsat)")
    }

    /// At fixed θ = 3, σ = 1.5, 0.75, 0.5 (δ = 2, 4, 6). 2 JS′(δ)/σ = 2δ JS′(δ)/θ and JS′(δ) decays
    /// like e^(−δ²/8) (the test's quadrature: JS′(δ)e^(δ²/8) → 0.6), so the minimax gradient collapses
    /// like δ e^(−δ²/8): from δ = 4 to 6 by a factor (6/4)·e^(−20/8) ≈ 0.12 times the ratio of those
    /// constants. The −log D gradient θ/σ² − 2 JS′(δ)/σ grows like θ/σ².
    @Test("as σ → 0 at fixed θ the minimax gradient collapses at the Gaussian rate, −log D grows like θ/σ²")
    func smallNoiseLimit() throws {
        let theta = 3.0
        var minimax: [Double] = [], nonsat: [Double] = []
        for delta in [2.0, 4.0, 6.0] {
            let sigma = theta / delta
            let plateau = try #require(try parallelSegments(theta: theta, sigma: sigma, steps: 6000, learningRate: 0.1).plateau)
            minimax.append(plateau.minimaxOffset.mean)
            nonsat.append(plateau.nonsatOffset.mean)
            let derivative = Reference.gaussianShiftJSDerivative(delta)
            #expect(relativeError(plateau.minimaxOffset.mean, 2 * derivative / sigma) < 0.1, "δ = \(delta): minimax")
            #expect(relativeError(plateau.nonsatOffset.mean, theta / (sigma * sigma) - 2 * derivative / sigma) < 0.12,
                    "δ = \(delta): −log D \(plateau.nonsatOffset.mean)")
        }
        let expectedRate = Reference.gaussianShiftJSDerivative(6) * 6 / (Reference.gaussianShiftJSDerivative(4) * 4)
        #expect(minimax[2] / minimax[1] < 0.2 && abs(log(minimax[2] / minimax[1]) - log(expectedRate)) < 0.15,
                "minimax δ 4 → 6: ×\(minimax[2] / minimax[1]), expected ×\(expectedRate)")
        #expect(minimax[1] < minimax[0])
        #expect(nonsat[2] > nonsat[1] && nonsat[1] > nonsat[0])
        #expect(nonsat[2] * 0.25 / theta > 0.85, "−log D at δ = 6 is \(nonsat[2] * 0.25 / theta)·θ/σ²")
    }
}
