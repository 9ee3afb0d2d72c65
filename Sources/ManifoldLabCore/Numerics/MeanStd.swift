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
