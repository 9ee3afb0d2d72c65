import Foundation

/// Wasserstein distances W_p between two empirical measures in R^D.
///
/// A sample is a ``Matrix`` with one point per row; weights (optional) are non-negative masses,
/// one per point, normalised to total mass 1 (the two totals must agree). Without weights every
/// point has mass 1/n. The ground cost is ‖x − y‖^p (Euclidean distance for p = 1, its square
/// for p = 2).
///
/// Every entry point validates its input before any work and throws a ``ManifoldLabError`` with
/// a one-line message on NaN, ∞, negative or mismatched masses, empty samples and mismatched
/// dimensions; none of them returns a silent 0 or NaN.
///
/// - ``exact(_:_:order:weightsX:weightsY:solver:maxMemory:maxIterations:)``: network simplex, or
///   the Jonker–Volgenant assignment solver for equal-size uniform samples where it is faster.
/// - ``sinkhorn(_:_:order:weightsX:weightsY:epsilon:tolerance:maxIterations:maxMemory:)``:
///   log-domain, matrix-free, ε-scaling; debiased divergence.
/// - ``sliced(_:_:order:weightsX:weightsY:projections:directions:seed:maxMemory:)``.
/// - ``oneDimensional(_:_:order:weightsX:weightsY:)``: exact on the line by sorting.
/// - ``AnalyticWasserstein``: closed forms.
public enum Wasserstein {
    /// `cost^(1/p)`, exact for p = 1, 2; negative round-off below zero is clamped to 0.
    static func root(_ cost: Double, order: Double) -> Double {
        let c = max(cost, 0)
        if order == 1 { return c }
        if order == 2 { return c.squareRoot() }
        return pow(c, 1 / order)
    }

    /// `d^p` for a distance d.
    @inline(__always) static func power(_ d: Double, order: Double) -> Double {
        if order == 1 { return d }
        if order == 2 { return d * d }
        return pow(d, order)
    }

    static func formatOrder(_ order: Double) -> String {
        order == order.rounded() && abs(order) < 1e15 ? String(Int(order)) : String(order)
    }

    /// "W2" for p = 2, "W1.5" for p = 1.5.
    public static func unitName(order: Double) -> String { "W" + formatOrder(order) }
}
