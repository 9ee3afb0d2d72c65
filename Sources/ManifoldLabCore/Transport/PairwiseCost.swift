import Foundation

/// Ground costs ‖x_i − y_j‖^p between the rows of two point sets, computed with one BLAS `gemm`
/// per block of rows: ‖x‖² + ‖y‖² − 2 x·y (the same arithmetic as POT's `ot.dist`), except for
/// near-coincident pairs, whose squared distance is summed directly (never negative, exactly 0 for
/// equal points); then a square root for p = 1.
enum PairwiseCost {
    /// Writes the costs of rows `rows` of `x` against every row of `y` into `out`
    /// (row-major, `rows.count × y.rows`).
    static func fill(_ x: Matrix<Double>, _ xNorms: [Double], rows: Range<Int>,
                     _ y: Matrix<Double>, _ yNorms: [Double], order: Double,
                     into out: UnsafeMutablePointer<Double>) {
        let m = y.rows, d = x.columns, count = rows.count
        guard count > 0, m > 0 else { return }
        x.storage.withUnsafeBufferPointer { xp in
            y.storage.withUnsafeBufferPointer { yp in
                Double.gemm(transA: false, transB: true, m: count, n: m, k: d, alpha: -2,
                            a: xp.baseAddress! + rows.lowerBound * d, lda: d, b: yp.baseAddress!, ldb: d,
                            beta: 0, c: out, ldc: m)
            }
        }
        yNorms.withUnsafeBufferPointer { yn in
            x.storage.withUnsafeBufferPointer { xp in
                y.storage.withUnsafeBufferPointer { yp in
                    for r in 0..<count {
                        let i = rows.lowerBound + r, xi = xNorms[i]
                        let row = out + r * m
                        for j in 0..<m { row[j] += xi + yn[j] }
                        // The gemm form's round-off is ~D·u·(‖x‖² + ‖y‖²): for near-coincident
                        // points it swamps the distance (W(P, P) came out 1e-8, not 0), so those
                        // few pairs are summed directly.
                        for j in 0..<m where row[j] <= nearCoincidence * (xi + yn[j]) {
                            row[j] = directSquaredDistance(xp.baseAddress! + i * d, yp.baseAddress! + j * d, d)
                        }
                        if order == 1 {
                            for j in 0..<m { row[j] = row[j].squareRoot() }
                        } else if order != 2 {
                            for j in 0..<m { row[j] = pow(row[j].squareRoot(), order) }
                        }
                    }
                }
            }
        }
    }

    /// Below this fraction of ‖x‖² + ‖y‖², a squared distance from the gemm form is recomputed
    /// directly, so every distance keeps ≈ 1e-8 relative accuracy or better.
    static let nearCoincidence = 1e-7

    @inline(__always) static func directSquaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        var sum = 0.0
        for k in 0..<d { let t = a[k] - b[k]; sum += t * t }
        return sum
    }

    /// The full `x.rows × y.rows` cost matrix, row-major. The caller checks memory first.
    static func matrix(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double) -> [Double] {
        let n = x.rows, m = y.rows
        let xNorms = x.squaredRowNorms(), yNorms = y.squaredRowNorms()
        return [Double](unsafeUninitializedCapacity: n * m) { buffer, initialized in
            // Blocks of rows keep the temporary footprint of gemm's output in cache-friendly pieces.
            let block = max(1, min(n, (1 << 20) / max(m, 1)))
            var start = 0
            while start < n {
                let end = min(n, start + block)
                fill(x, xNorms, rows: start..<end, y, yNorms, order: order, into: buffer.baseAddress! + start * m)
                start = end
            }
            initialized = n * m
        }
    }
}
