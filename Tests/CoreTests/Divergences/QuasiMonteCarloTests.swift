import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// The same law with its unit-cube map hidden, so the estimator falls back to pseudo-random points.
private struct PseudoRandomOnly: SmoothedLaw {
    let law: any SmoothedLaw
    var dimension: Int { law.dimension }
    var densityMethod: String { law.densityMethod }
    func sample(count: Int, seed: Seed) -> Matrix<Double> { law.sample(count: count, seed: seed) }
    func logDensity(_ points: Matrix<Double>) -> [Double] { law.logDensity(points) }
}

/// Noisy parallel copies of `kind` at distance δσ in R^4 (placed once, with seed 1): JS = JS₁(δ) exactly.
private func parallelCopies(_ kind: ManifoldKind, delta: Double, sigma: Double) throws -> (SmoothedManifold, SmoothedManifold) {
    let pair = try DistributionPair(p: ManifoldSpec(kind: kind), q: ManifoldSpec(kind: kind), dimension: 4,
                                    placement: Placement(offset: delta * sigma, sameFrame: true), noise: sigma, seed: Seed(1))
    return (try SmoothedManifold(distribution: pair.p, sigma: sigma), try SmoothedManifold(distribution: pair.q, sigma: sigma))
}

@Suite("Randomised quasi-Monte Carlo in the smoothed estimator")
struct QuasiMonteCarloTests {
    @Test("its standard error is honest: over 24 seeds the errors against JS₁(δ) have mean square ≈ s.e.²",
          arguments: [ManifoldKind.line, .circle])
    func calibrated(kind: ManifoldKind) throws {
        let delta = 1.5, (p, q) = try parallelCopies(kind, delta: delta, sigma: 0.2)
        let truth = Reference.gaussianShiftJS(delta)
        let z = (1...24).map { seed -> Double in
            let js = SmoothedEstimator.estimate(p: p, q: q, count: 2048, seed: Seed(UInt64(seed)), wanted: [.js])[.js]!
            #expect(js.details["replicates"] == Double(SmoothedEstimator.replicates))
            return (js.value - truth) / js.stderr
        }
        // z is roughly Student-t with 15 degrees of freedom (E z² = 15/13): a mean square of 0.3–2.6
        // and no |z| beyond 5 hold with probability well above 0.999 when the s.e. is right.
        let meanSquare = z.reduce(0) { $0 + $1 * $1 } / Double(z.count)
        #expect(meanSquare > 0.3 && meanSquare < 2.6, "mean z² = \(meanSquare)")
        #expect(z.allSatisfy { abs($0) < 5 }, "z = \(z)")
    }

    @Test("it beats pseudo-random points: smaller s.e. and smaller actual errors at the same n (torus in R^4)")
    func beatsMonteCarlo() throws {
        let delta = 2.0, (p, q) = try parallelCopies(.torus, delta: delta, sigma: 0.2)
        let truth = Reference.gaussianShiftJS(delta)
        var quasi: [Double] = [], plain: [Double] = [], quasiErrors = 0.0, plainErrors = 0.0
        for seed in 1...6 {
            let a = SmoothedEstimator.estimate(p: p, q: q, count: 4096, seed: Seed(UInt64(seed)), wanted: [.js])[.js]!
            let b = SmoothedEstimator.estimate(p: PseudoRandomOnly(law: p), q: PseudoRandomOnly(law: q), count: 4096,
                                               seed: Seed(UInt64(seed)), wanted: [.js])[.js]!
            #expect(b.details["replicates"] == nil)
            quasi.append(a.stderr); plain.append(b.stderr)
            quasiErrors += (a.value - truth) * (a.value - truth)
            plainErrors += (b.value - truth) * (b.value - truth)
        }
        let ratio = TestStatistics.mean(quasi) / TestStatistics.mean(plain)
        #expect(ratio < 0.6, "s.e. ratio quasi/plain = \(ratio)")
        #expect(quasiErrors < plainErrors, "squared errors \(quasiErrors) vs \(plainErrors)")
    }

    @Test("sample files are drawn quasi-randomly too, and small n falls back to pseudo-random points")
    func sampleFilesAndSmallCounts() throws {
        let points = Matrix(rowVectors: (0..<50).map { i in [Double(i) / 50, 0, 0] })
        let shifted = Matrix(rowVectors: (0..<50).map { i in [Double(i) / 50, 0.3, 0] })
        let p = SmoothedSampleSet(points: points, sigma: 0.2, role: "p"), q = SmoothedSampleSet(points: shifted, sigma: 0.2, role: "q")
        let large = SmoothedEstimator.estimate(p: p, q: q, count: 4096, seed: Seed(2), wanted: [.js, .kl])
        #expect(large[.js]!.details["replicates"] == 16 && large[.kl]!.details["replicates"] == 16)
        // The same 1-D geometry: JS = JS₁(1.5), KL = 1.5²/2.
        #expect(abs(large[.js]!.value - Reference.gaussianShiftJS(1.5)) < 4 * large[.js]!.stderr + 1e-9)
        #expect(abs(large[.kl]!.value - 1.125) < 4 * large[.kl]!.stderr + 1e-9)
        let small = SmoothedEstimator.estimate(p: p, q: q, count: 100, seed: Seed(2), wanted: [.js])
        #expect(small[.js]!.details["replicates"] == nil && small[.js]!.stderr > 0)
    }
}
