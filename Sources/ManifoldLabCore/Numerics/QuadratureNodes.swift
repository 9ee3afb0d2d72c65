import CGSL
import Foundation

/// Nodes and weights of a one-dimensional rule on a parameter interval, for integrands (Gaussian
/// kernels of width σ) that the nodes resolve.
///
/// A periodic parameter gets the midpoint rule, whose error for a smooth periodic integrand falls
/// like exp(−2π²σ²/h²). Elsewhere the midpoint and trapezoid rules leave an O(h²) error from the
/// ends of the interval — f′ is of order f/σ there when the kernel sits near an edge or a pole —
/// so a non-periodic parameter gets composite 8-point Gauss–Legendre (GSL), which has no end
/// error, on panels narrow enough that no gap between nodes exceeds the midpoint rule's spacing.
public enum QuadratureNodes {
    /// Gauss–Legendre points per panel.
    static let panelOrder = 8
    /// The widest gap between neighbouring nodes of the 8-point rule, as a fraction of the panel
    /// (between its two central nodes, ±0.1834 on [−1, 1]).
    static let widestGap = 0.1834

    /// A rule at least as fine as the midpoint rule with `count` nodes.
    public static func rule(_ range: ClosedRange<Double>, count: Int, periodic: Bool) -> (nodes: [Double], weights: [Double]) {
        precondition(count >= 1 && range.upperBound > range.lowerBound)
        let width = range.upperBound - range.lowerBound
        if periodic {
            let h = width / Double(count)
            return ((0..<count).map { range.lowerBound + (Double($0) + 0.5) * h }, Array(repeating: h, count: count))
        }
        // Panels of width w have a widest gap 0.1834·w ≤ width/count.
        let panels = max(1, Int((widestGap * Double(count)).rounded(.up)))
        let panelWidth = width / Double(panels)
        let table = gsl_integration_glfixed_table_alloc(panelOrder)!
        defer { gsl_integration_glfixed_table_free(table) }
        var nodes: [Double] = [], weights: [Double] = []
        nodes.reserveCapacity(panels * panelOrder)
        weights.reserveCapacity(panels * panelOrder)
        var x = 0.0, w = 0.0
        for panel in 0..<panels {
            let a = range.lowerBound + Double(panel) * panelWidth
            for i in 0..<panelOrder {
                _ = gsl_integration_glfixed_point(a, a + panelWidth, i, &x, &w, table)
                nodes.append(x)
                weights.append(w)
            }
        }
        return (nodes, weights)
    }
}
