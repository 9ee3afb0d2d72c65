import Foundation
import ManifoldLabCore

/// The global minimum of a smooth function on a closed interval, found by a grid scan and a
/// golden-section refinement of every discrete local minimum of the scan.
///
/// Robust where Brent's method alone is not: a distance² to a curve has several local minima (one
/// per turn of a helix or a swiss roll), and a single bracketing search can settle in the wrong one.
/// The scan evaluates f at `gridPoints` equally spaced nodes; each node whose value is no larger
/// than its neighbours' brackets a local minimum within one spacing h, which golden section then
/// narrows to rounding. A local minimum the scan misses lies, with a local maximum, inside two
/// spacings: for f with |f″| ≤ C its value is within C h² of a refined one.
///
/// - Complexity: `gridPoints` + about 80 evaluations per local minimum of the scan.
enum IntervalMinimum {
    /// (argmin, min) of `f` over [lower, upper].
    static func minimize(_ f: (Double) -> Double, over lower: Double, _ upper: Double,
                         gridPoints: Int = 1024) -> (argument: Double, value: Double) {
        precondition(upper >= lower && gridPoints >= 3)
        let h = (upper - lower) / Double(gridPoints - 1)
        let nodes = (0..<gridPoints).map { i in i == gridPoints - 1 ? upper : lower + Double(i) * h }
        let values = nodes.map(f)
        var best = (argument: nodes[0], value: values[0])
        for i in 0..<gridPoints {
            let left = i > 0 ? values[i - 1] : .infinity
            let right = i < gridPoints - 1 ? values[i + 1] : .infinity
            guard values[i] <= left && values[i] <= right else { continue }
            if values[i] < best.value { best = (nodes[i], values[i]) }
            let refined = goldenSection(f, over: nodes[max(i - 1, 0)], nodes[min(i + 1, gridPoints - 1)])
            if refined.value < best.value { best = refined }
        }
        return best
    }

    /// Golden-section search for the minimum of a unimodal `f` on [a, b], to rounding.
    static func goldenSection(_ f: (Double) -> Double, over a: Double, _ b: Double) -> (argument: Double, value: Double) {
        let ratio = (5.0.squareRoot() - 1) / 2
        var (a, b) = (a, b)
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = f(c), fd = f(d)
        for _ in 0..<80 where b - a > 4 * Double.ulpOfOne * max(abs(a), abs(b), 1) {
            if fc < fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = f(c)
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = f(d)
            }
        }
        let candidates = [(a, f(a)), (b, f(b)), (c, fc), (d, fd)]
        return candidates.min { $0.1 < $1.1 }.map { (argument: $0.0, value: $0.1) }!
    }
}
