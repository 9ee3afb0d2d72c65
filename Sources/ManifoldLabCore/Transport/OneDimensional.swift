import Foundation

extension Wasserstein {
    /// Exact W_p between two weighted samples on the real line, by sorting: the distance between
    /// quantile functions, W_p^p = ∫₀¹ |F⁻¹(t) − G⁻¹(t)|^p dt, for any p ≥ 1.
    ///
    /// - Parameters:
    ///   - x, y: the two samples (at least one point each, finite).
    ///   - order: p ≥ 1.
    ///   - weightsX, weightsY: non-negative masses with equal totals; nil means uniform.
    /// - Returns: `value` = W_p, `cost` = W_p^p; `marginalError` is the mass left unmatched by
    ///   round-off.
    /// - Complexity: O((n + m) log(n + m)).
    public static func oneDimensional(_ x: [Double], _ y: [Double], order: Double = 2,
                                      weightsX: [Double]? = nil, weightsY: [Double]? = nil)
        throws(ManifoldLabError) -> TransportResult {
        let input = try TransportInput.validated(Matrix(rows: x.count, columns: 1, storage: x),
                                                 Matrix(rows: y.count, columns: 1, storage: y),
                                                 order: order, weightsX: weightsX, weightsY: weightsY)
        let (cost, unmatched) = OneDimensionalTransport.cost(input.x.storage, input.a, uniformX: input.uniformX,
                                                             input.y.storage, input.b, uniformY: input.uniformY, order: order)
        var result = TransportResult(cost: cost, order: order, method: .oneDimensional, solver: "sorting",
                                     estimator: "W_p, exact")
        result.marginalError = unmatched
        return try result.inUnits(of: input.unit)
    }
}

/// Exact 1-D transport by sorting, shared by ``Wasserstein/oneDimensional(_:_:order:weightsX:weightsY:)``
/// and the sliced distance.
enum OneDimensionalTransport {
    /// W_p^p and the mass left unmatched at the end (round-off only). Masses sum to 1 each.
    static func cost(_ x: [Double], _ a: [Double], uniformX: Bool, _ y: [Double], _ b: [Double],
                     uniformY: Bool, order: Double) -> (Double, Double) {
        if uniformX && uniformY && x.count == y.count {
            var xs = x, ys = y
            xs.sort(); ys.sort()
            return (xs.withUnsafeBufferPointer { xp in ys.withUnsafeBufferPointer { yp in
                sortedEqualUniform(xp, yp, order: order)
            } }, 0)
        }
        let (xs, aw) = sortedWithMasses(x, a, uniform: uniformX)
        let (ys, bw) = sortedWithMasses(y, b, uniform: uniformY)
        return merge(xs, aw, ys, bw, order: order)
    }

    /// (1/n) Σ |x_(k) − y_(k)|^p for two sorted samples of the same size, uniform masses.
    @inline(__always)
    static func sortedEqualUniform(_ xs: UnsafeBufferPointer<Double>, _ ys: UnsafeBufferPointer<Double>,
                                   order: Double) -> Double {
        let n = xs.count
        var s = 0.0
        if order == 2 {
            for k in 0..<n { let d = xs[k] - ys[k]; s += d * d }
        } else if order == 1 {
            for k in 0..<n { s += abs(xs[k] - ys[k]) }
        } else {
            for k in 0..<n { s += pow(abs(xs[k] - ys[k]), order) }
        }
        return s / Double(n)
    }

    static func sortedWithMasses(_ v: [Double], _ w: [Double], uniform: Bool) -> ([Double], [Double]) {
        if uniform { return (v.sorted(), w) }
        let order = v.indices.sorted { v[$0] < v[$1] }
        return (order.map { v[$0] }, order.map { w[$0] })
    }

    /// The north-west corner rule on sorted supports: optimal on the line for convex costs.
    /// Returns W_p^p and the mass left unmatched when one side runs out (round-off only).
    static func merge(_ xs: [Double], _ a: [Double], _ ys: [Double], _ b: [Double], order: Double) -> (Double, Double) {
        let nx = xs.count, ny = ys.count
        var i = 0, j = 0
        var ra = a[0], rb = b[0]
        var cost = 0.0
        while i < nx && j < ny {
            let moved = min(ra, rb)
            if moved > 0 { cost += moved * Wasserstein.power(abs(xs[i] - ys[j]), order: order) }
            ra -= moved
            rb -= moved  // the smaller of the two is now exactly 0
            if ra == 0 {
                i += 1
                if i < nx { ra = a[i] }
            } else {
                j += 1
                if j < ny { rb = b[j] }
            }
        }
        var left = 0.0
        if i < nx { left += ra; var k = i + 1; while k < nx { left += a[k]; k += 1 } }
        if j < ny { left += rb; var k = j + 1; while k < ny { left += b[k]; k += 1 } }
        return (cost, left)
    }
}
