import Foundation

/// Two validated empirical measures: points as rows in normalised units (``LengthUnit``),
/// masses normalised to total 1.
struct TransportInput: Sendable {
    /// The first sample, centred and divided by `unit` (largest |coordinate| ≤ 1).
    let x: Matrix<Double>
    /// The second sample, in the same units as `x`.
    let y: Matrix<Double>
    /// The caller's length unit: solvers work on `x`, `y` and map results back with it.
    let unit: LengthUnit
    /// Masses of x's points, summing to 1 (up to round-off).
    let a: [Double]
    /// Masses of y's points, summing to 1 (up to round-off).
    let b: [Double]
    /// True when the caller gave no weights for that sample (every point has mass 1/n).
    let uniformX: Bool
    let uniformY: Bool

    var n: Int { x.rows }
    var m: Int { y.rows }
    var dimension: Int { x.columns }

    /// Checks everything the transport methods rely on, before any work, and normalises masses.
    ///
    /// The samples are centred and rescaled (``LengthUnit``) so that every solver is scale-free.
    /// Refused (with a one-line ``ManifoldLabError``): an order below 1 or not finite; an empty
    /// sample or one with no coordinates; different dimensions; NaN or ±∞ coordinates; weights of
    /// the wrong count, NaN, ∞, negative, all zero, or totals that differ by more than 1e-9
    /// relative (optimal transport moves equal masses).
    static func validated(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double,
                          weightsX: [Double]?, weightsY: [Double]?) throws(ManifoldLabError) -> TransportInput {
        try validateOrder(order)
        try validateSample(x, name: "first sample")
        try validateSample(y, name: "second sample")
        guard x.columns == y.columns else {
            throw .invalidValue(parameter: "second sample", value: "dimension \(y.columns)",
                                 allowed: "both samples need the same dimension (the first has \(x.columns))")
        }
        let (a, totalA) = try masses(weightsX, count: x.rows, name: "weights of the first sample")
        let (b, totalB) = try masses(weightsY, count: y.rows, name: "weights of the second sample")
        guard abs(totalA - totalB) <= 1e-9 * max(totalA, totalB) else {
            throw .invalidValue(parameter: "transport weights", value: "total masses \(totalA) and \(totalB)",
                                 allowed: "both samples must carry the same total mass (transport moves equal masses)")
        }
        let (nx, ny, unit) = LengthUnit.normalising(x, y)
        return TransportInput(x: nx, y: ny, unit: unit, a: a, b: b, uniformX: weightsX == nil, uniformY: weightsY == nil)
    }

    static func validateOrder(_ order: Double) throws(ManifoldLabError) {
        guard order.isFinite, order >= 1 else {
            throw .invalidValue(parameter: "order", value: "\(order)", allowed: "a finite order p ≥ 1")
        }
    }

    static func validateSample(_ s: Matrix<Double>, name: String) throws(ManifoldLabError) {
        guard s.rows >= 1 else {
            throw .invalidValue(parameter: name, value: "no points", allowed: "at least one point")
        }
        guard s.columns >= 1 else {
            throw .invalidValue(parameter: name, value: "no coordinates", allowed: "points with at least one coordinate")
        }
        if let bad = s.storage.firstIndex(where: { !$0.isFinite }) {
            throw .invalidValue(parameter: name, value: "\(s.storage[bad]) at point \(bad / s.columns + 1), coordinate \(bad % s.columns + 1)",
                                 allowed: "finite coordinates (no NaN or infinity)")
        }
    }

    /// Normalised masses (uniform when `weights` is nil) and the raw total.
    static func masses(_ weights: [Double]?, count: Int, name: String) throws(ManifoldLabError) -> ([Double], Double) {
        guard let weights else { return (Array(repeating: 1 / Double(count), count: count), 1) }
        guard weights.count == count else {
            throw .invalidValue(parameter: name, value: "\(weights.count) weights",
                                 allowed: "one weight per point (\(count))")
        }
        var total = 0.0
        for (i, w) in weights.enumerated() {
            guard w.isFinite, w >= 0 else {
                throw .invalidValue(parameter: name, value: "\(w) at point \(i + 1)",
                                     allowed: "finite non-negative masses")
            }
            total += w
        }
        guard total > 0, total.isFinite else {
            throw .invalidValue(parameter: name, value: "total \(total)", allowed: "a positive finite total mass")
        }
        return (weights.map { $0 / total }, total)
    }

    /// Throws ``ManifoldLabError/tooMuchMemory(needed:limit:what:)`` when `count` elements of
    /// `bytesEach` bytes exceed `limit` (overflow-safe), before anything is allocated.
    static func checkMemory(elements count: Int, bytesEach: Int, extra: Int = 0, limit: Int,
                            what: String) throws(ManifoldLabError) {
        let (product, overflow) = count.multipliedReportingOverflow(by: bytesEach)
        let (needed, overflow2) = product.addingReportingOverflow(extra)
        if overflow || overflow2 {
            throw .tooMuchMemory(needed: Int.max, limit: limit, what: what)
        }
        if needed > limit { throw .tooMuchMemory(needed: needed, limit: limit, what: what) }
    }
}
