import CGSL
import Foundation

/// Logarithms of Gaussian probabilities that stay finite far into the tails (GSL's `log_erfc`).
public enum NormalTails {
    /// log Φ(x), Φ the standard normal CDF; accurate for x → −∞ (log Φ(−40) ≈ −804.6).
    public static func logCDF(_ x: Double) -> Double {
        gsl_sf_log_erfc(-x / 2.squareRoot()) - M_LN2
    }

    /// log(Φ(upper) − Φ(lower)) for lower ≤ upper, without cancellation in either tail.
    public static func logInterval(lower: Double, upper: Double) -> Double {
        // NaN bounds (∞ − ∞ upstream) give NaN, which callers refuse, rather than a trap.
        guard lower <= upper else { return .nan }
        if lower == upper { return -.infinity }
        if lower >= 0 {
            // Both in the upper tail: Φ(b) − Φ(a) = Φ(−a) − Φ(−b).
            let big = logCDF(-lower), small = logCDF(-upper)
            return big + log1p(-exp(small - big))
        }
        if upper <= 0 {
            let big = logCDF(upper), small = logCDF(lower)
            return big + log1p(-exp(small - big))
        }
        // Straddling 0: erf terms of opposite signs add without cancellation.
        return log(0.5 * (erf(upper / 2.squareRoot()) - erf(lower / 2.squareRoot())))
    }
}

/// softplus(x) = log(1 + eˣ), exact for large |x|.
@inline(__always) public func softplus(_ x: Double) -> Double {
    x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
}
