import Foundation

/// Reference values computed in the tests from first principles (not with the library's code).
public enum Reference {
    /// JS between N(0, 1) and N(δ, 1) in nats, by composite Simpson quadrature of
    /// ∫ φ(x) log(2φ(x) / (φ(x) + φ(x − δ))) dx (the two halves of JS are equal by symmetry).
    public static func gaussianShiftJS(_ delta: Double) -> Double {
        let lower = -14.0, upper = 14.0 + delta, intervals = 40_000
        let h = (upper - lower) / Double(intervals)
        func f(_ x: Double) -> Double {
            let a = -0.5 * x * x, b = -0.5 * (x - delta) * (x - delta)
            let phi = exp(a) / (2 * Double.pi).squareRoot()
            // log(2φ/(φ + φ_δ)) = log 2 − log(1 + e^(b − a)), written stably.
            let difference = b - a
            let softplus = difference > 0 ? difference + log1p(exp(-difference)) : log1p(exp(difference))
            return phi * (log(2) - softplus)
        }
        var sum = f(lower) + f(upper)
        for i in 1..<intervals { sum += f(lower + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }

    /// JS′(δ) by a central difference of ``gaussianShiftJS(_:)`` (step 1e-3: truncation error
    /// ~1e-7 relative, far below the tolerances it is used with).
    public static func gaussianShiftJSDerivative(_ delta: Double) -> Double {
        let h = 1e-3
        return (gaussianShiftJS(delta + h) - gaussianShiftJS(delta - h)) / (2 * h)
    }
}
