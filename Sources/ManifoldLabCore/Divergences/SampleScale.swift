import Foundation

/// Puts two sample sets in the problem's own units before an estimator sees them: both are moved by
/// their common centre and divided by their common spread, rounded to a power of two (so the
/// division is exact), and σ with them. JS and KL do not change under x ↦ (x − c)/s, so nothing maps
/// back; what changes is that no estimator meets lengths of 1e-150 or 1e150, whose squares
/// underflow to 0 or overflow to ∞ (a kNN distance of 0 would read as a duplicate).
struct SampleScale: Equatable {
    /// The common centre c (mean of all rows of both sets).
    let centre: [Double]
    /// The power of two s nearest the root-mean-square distance of the rows from c (1 when all rows coincide).
    let scale: Double

    /// The centre and spread of `sets` together, computed without squaring raw coordinates.
    init(_ sets: [Matrix<Double>]) {
        let d = sets.first?.columns ?? 0
        let total = Double(sets.reduce(0) { $0 + $1.rows })
        var centre = [Double](repeating: 0, count: d)
        for set in sets { for i in 0..<set.rows { for j in 0..<d { centre[j] += set[i, j] / total } } }
        var largest = 0.0
        for set in sets { for i in 0..<set.rows { for j in 0..<d { largest = max(largest, abs(set[i, j] - centre[j])) } } }
        self.centre = centre
        guard largest > 0 && largest.isFinite else { scale = 1; return }
        var squares = 0.0  // in units of `largest`: no underflow or overflow
        for set in sets { for i in 0..<set.rows { for j in 0..<d { let e = (set[i, j] - centre[j]) / largest; squares += e * e } } }
        let rms = largest * (squares / total).squareRoot()
        scale = rms > 0 ? exp2(log2(rms).rounded()) : 1
    }

    /// (x − c)/s for every row.
    func apply(_ points: Matrix<Double>) -> Matrix<Double> {
        var result = points
        let d = points.columns
        result.storage.withUnsafeMutableBufferPointer { x in
            for i in 0..<points.rows { for j in 0..<d { x[i * d + j] = (x[i * d + j] - centre[j]) / scale } }
        }
        return result
    }
}
