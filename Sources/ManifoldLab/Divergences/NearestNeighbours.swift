import Foundation

/// The k smallest Euclidean distances from each query point to a reference set: a k-d tree in low
/// dimension, else BLAS tiles (|x|² + |y|² − 2x·yᵀ, one gemm per tile, a small sorted buffer per query).
/// - Complexity: tree O(n log N) in low D; tiles O(n · N · D) time, O(n · k) memory.
public enum NearestNeighbours {
    /// Row i holds the k nearest distances from query i, ascending. With `excludingSelf`, queries and
    /// references are the same set and each point's zero distance to itself is skipped (duplicates of
    /// it at distance 0 still count).
    /// Dimensions up to which a k-d tree is used instead of BLAS tiles (measured crossover).
    public static let treeDimensionLimit = 8

    public static func distances(from queries: Matrix<Double>, to references: Matrix<Double>, k: Int,
                                 excludingSelf: Bool) -> Matrix<Double> {
        precondition(queries.columns == references.columns && k >= 1)
        if queries.columns <= treeDimensionLimit {
            return treeDistances(from: queries, to: references, k: k, excludingSelf: excludingSelf)
        }
        return tiledDistances(from: queries, to: references, k: k, excludingSelf: excludingSelf)
    }

    static func treeDistances(from queries: Matrix<Double>, to references: Matrix<Double>, k: Int,
                              excludingSelf: Bool) -> Matrix<Double> {
        let tree = KDTree(references)
        var best = Matrix<Double>(rows: queries.rows, columns: k)
        let d = queries.columns
        queries.storage.withUnsafeBufferPointer { q in
            best.storage.withUnsafeMutableBufferPointer { b in
                for i in 0..<queries.rows {
                    Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                    tree.nearest(UnsafeBufferPointer(rebasing: q[i * d ..< (i + 1) * d]), k: k, skip: excludingSelf ? i : -1,
                                 into: UnsafeMutableBufferPointer(rebasing: b[i * k ..< (i + 1) * k]))
                }
            }
        }
        return best
    }

    static func tiledDistances(from queries: Matrix<Double>, to references: Matrix<Double>, k: Int,
                               excludingSelf: Bool) -> Matrix<Double> {
        let n = queries.rows, total = references.rows, d = queries.columns
        let norms = { (x: Matrix<Double>) -> [Double] in
            (0..<x.rows).map { i in var s = 0.0; for c in 0..<d { s += x[i, c] * x[i, c] }; return s }
        }
        let queryNorms = norms(queries), referenceNorms = norms(references)
        var best = Matrix<Double>(rows: n, columns: k, repeating: .infinity)
        let queryTile = 256, referenceTile = 2048
        var cross = [Double](repeating: 0, count: queryTile * referenceTile)
        queries.storage.withUnsafeBufferPointer { x in
            references.storage.withUnsafeBufferPointer { y in
                best.storage.withUnsafeMutableBufferPointer { top in
                    for i0 in stride(from: 0, to: n, by: queryTile) {
                        Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                        let rows = min(queryTile, n - i0)
                        for j0 in stride(from: 0, to: total, by: referenceTile) {
                            let cols = min(referenceTile, total - j0)
                            cross.withUnsafeMutableBufferPointer { c in
                                Double.gemm(transA: false, transB: true, m: rows, n: cols, k: d, alpha: 1,
                                            a: x.baseAddress! + i0 * d, lda: d, b: y.baseAddress! + j0 * d, ldb: d,
                                            beta: 0, c: c.baseAddress!, ldc: cols)
                                for r in 0..<rows {
                                    let i = i0 + r
                                    let row = top.baseAddress! + i * k
                                    for t in 0..<cols {
                                        let j = j0 + t
                                        if excludingSelf && i == j { continue }
                                        let squared = max(queryNorms[i] + referenceNorms[j] - 2 * c[r * cols + t], 0)
                                        if squared < row[k - 1] {
                                            var slot = k - 1
                                            while slot > 0 && row[slot - 1] > squared { row[slot] = row[slot - 1]; slot -= 1 }
                                            row[slot] = squared
                                        }
                                    }
                                }
                            }
                        }
                    }
                    for i in top.indices { top[i] = top[i].squareRoot() }
                }
            }
        }
        return best
    }
}
