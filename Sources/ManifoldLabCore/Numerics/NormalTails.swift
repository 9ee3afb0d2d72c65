import CGSL
import Foundation

/// Logarithms of Gaussian probabilities that stay finite far into the tails (GSL's `log_erfc`).
public enum NormalTails {
    /// log Φ(x), Φ the standard normal CDF; accurate for x → −∞ (log Φ(−40) ≈ −804.6).
    /// Beyond x = −1.4·10⁸ it is the asymptotic −t² − log(t√π) − log 2 (t = −x/√2), whose next
    /// term, −1/(2t²), is below 1e-16: GSL's rational function there has powers of t that overflow
    /// past t ≈ 10⁶⁰ and return NaN (σ = 1e-60 against unit lengths). Past t ≈ 1.3·10¹⁵⁴, t² is not a
    /// double and the value is −∞: Φ(x) is then below e^(−1.8·10³⁰⁸).
    public static func logCDF(_ x: Double) -> Double {
        let t = -x / 2.squareRoot()
        if t > 1e8 { return -t * t - log(t) - 0.5 * log(Double.pi) - M_LN2 }
        return gsl_sf_log_erfc(t) - M_LN2
    }

    /// log(Φ(upper) − Φ(lower)) for lower ≤ upper, without cancellation in either tail.
    public static func logInterval(lower: Double, upper: Double) -> Double {
        // NaN bounds (∞ − ∞ upstream) give NaN, which callers refuse, rather than a trap.
        guard lower <= upper else { return .nan }
        if lower == upper { return -.infinity }
        if lower >= 0 {
            // Both in the upper tail: Φ(b) − Φ(a) = Φ(−a) − Φ(−b).
            return logDifference(big: logCDF(-lower), small: logCDF(-upper))
        }
        if upper <= 0 {
            return logDifference(big: logCDF(upper), small: logCDF(lower))
        }
        // Straddling 0: erf terms of opposite signs add without cancellation.
        return log(0.5 * (erf(upper / 2.squareRoot()) - erf(lower / 2.squareRoot())))
    }

    /// log(e^big − e^small) for small ≤ big; −∞ when both are (an interval beyond every double's tail).
    static func logDifference(big: Double, small: Double) -> Double {
        big == -.infinity ? -.infinity : big + log1p(-exp(small - big))
    }
}

/// softplus(x) = log(1 + eˣ), exact for large |x|.
@inline(__always) public func softplus(_ x: Double) -> Double {
    x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
}
