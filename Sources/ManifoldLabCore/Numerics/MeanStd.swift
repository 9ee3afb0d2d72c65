import CGSL
import Foundation

/// Mean and (sample) standard deviation of a few values (probe batches, seeds).
public struct MeanStd: Sendable, Codable, Equatable {
    public var mean: Double
    public var std: Double

    /// Computed in units of the largest |value|, so squares of large losses (instance noise 1e126)
    /// do not overflow into a false ∞. A value that is not finite (an overflowed loss) makes both
    /// not computable (NaN, written as a missing cell), never ∞.
    public init(_ values: [Double]) {
        let n = Double(values.count)
        guard values.allSatisfy(\.isFinite) else { mean = .nan; std = .nan; return }
        let largest = values.reduce(0) { max($0, abs($1)) }
        let unit = largest > 0 ? largest : 1
        let m = values.reduce(0) { $0 + $1 / unit } / n
        mean = m * unit
        std = values.count > 1 ? (values.reduce(0) { let d = $1 / unit - m; return $0 + d * d } / (n - 1)).squareRoot() * unit : 0
    }
}

/// A mean over seeds (or runs) with its 95 % confidence interval: mean ± t₀.₉₇₅,ₙ₋₁ · s/√n (Student's t
/// from GSL), the interval a ranking of techniques must clear.
public struct MeanInterval: Sendable, Equatable {
    public let mean: Double
    public let std: Double
    /// The half-width of the 95 % interval; NaN for fewer than two values.
    public let halfWidth: Double
    public let count: Int

    public init(_ values: [Double]) {
        let summary = MeanStd(values)
        mean = summary.mean
        std = summary.std
        count = values.count
        halfWidth = values.count >= 2 ? gsl_cdf_tdist_Pinv(0.975, Double(values.count - 1)) * summary.std / Double(values.count).squareRoot() : .nan
    }

    /// True when the two intervals do not overlap.
    public func separates(from other: MeanInterval) -> Bool {
        mean + halfWidth < other.mean - other.halfWidth || other.mean + other.halfWidth < mean - halfWidth
    }
}
