import CGSL
import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

@Suite("log Φ and log(Φ(b) − Φ(a)) far into the tails")
struct NormalTailsTests {
    @Test("log Φ(x) equals log of GSL's CDF where that is representable (x ∈ [−35, 5])")
    func againstCDF() {
        for x in stride(from: -35.0, through: 5.0, by: 0.25) {
            let reference = log(gsl_cdf_ugaussian_P(x))
            #expect(abs(NormalTails.logCDF(x) - reference) <= 1e-12 * max(1, abs(reference)), "x = \(x)")
        }
    }

    @Test("far tail, x down to −1e150: within Mills' bounds φ(x)/|x|·(1 − 1/x²) ≤ Φ(x) ≤ φ(x)/|x| (relative 1e-15), never NaN")
    func millsBounds() {
        for x in [-1e3, -1e7, -1.4e8, -1.5e8, -1e10, -1e44, -1e60, -1e100, -1e150] {
            let value = NormalTails.logCDF(x)
            let upper = -0.5 * x * x - 0.5 * log(2 * .pi) - log(-x)
            let lower = upper + log1p(-1 / (x * x))
            #expect(value.isFinite, "x = \(x): \(value)")
            #expect(value <= upper + 1e-15 * abs(upper) && value >= lower - 1e-15 * abs(lower), "x = \(x): \(value) vs [\(lower), \(upper)]")
        }
        // Past t² = 1.8e308 the probability is below every double's exponent: −∞, and intervals there are empty in log space.
        #expect(NormalTails.logCDF(-1e200) == -.infinity)
        #expect(NormalTails.logInterval(lower: -3e200, upper: -1e200) == -.infinity)
        #expect(NormalTails.logInterval(lower: 1e200, upper: 3e200) == -.infinity)
    }

    @Test("intervals in one far tail: log(Φ(−1e60) − Φ(−3e60)) = log Φ(−1e60); mirrored in the upper tail")
    func intervals() {
        let lower = NormalTails.logInterval(lower: -3e60, upper: -1e60)
        #expect(lower == NormalTails.logCDF(-1e60) && lower.isFinite)
        #expect(NormalTails.logInterval(lower: 1e60, upper: 3e60) == lower)
        #expect(abs(NormalTails.logInterval(lower: -1, upper: 1) - log(gsl_cdf_ugaussian_P(1) - gsl_cdf_ugaussian_P(-1))) < 1e-15)
    }
}
