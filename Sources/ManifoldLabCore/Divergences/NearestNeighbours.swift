import Dispatch
import Foundation

/// The k smallest Euclidean distances from each query point to a reference set: a k-d tree in low
/// dimension, else BLAS tiles (|x|² + |y|² − 2x·yᵀ, one gemm per tile, a small sorted buffer per query).
/// Queries are split into chunks run on two threads when two cores are there; each chunk writes
/// only its own rows, so the result does not depend on the thread count.
/// - Complexity: tree O(n log N) in low D; tiles O(n · N · D) time, O(n · k) memory.
public enum NearestNeighbours {
    /// Dimensions up to which a k-d tree is used instead of BLAS tiles (measured crossover).
    public static let treeDimensionLimit = 8

    /// Row i holds the k nearest distances from query i, ascending. With `excludingSelf`, queries and
    /// references are the same set and each point's zero distance to itself is skipped (duplicates of
    /// it at distance 0 still count).
    public static func distances(from queries: Matrix<Double>, to references: Matrix<Double>, k: Int,
                                 excludingSelf: Bool) -> Matrix<Double> {
        precondition(queries.columns == references.columns && k >= 1)
        if queries.columns <= treeDimensionLimit {
            return treeDistances(from: queries, to: references, k: k, excludingSelf: excludingSelf)
        }
        return tiledDistances(from: queries, to: references, k: k, excludingSelf: excludingSelf)
    }

    /// The `nearest.count` rows of `points` (n × d, row-major) closest to `point`, ascending by
    /// distance (ties keep the lower index), skipping row `excluded`; their squared distances go to
    /// `squared`. A sorted buffer, no sort of all n distances: for the few probe points of
    /// ``LocalDimension`` and ``SupportTest``, where a tree or BLAS tiles would not pay.
    static func nearestRows(to point: UnsafePointer<Double>, in points: UnsafePointer<Double>, rows n: Int,
                            dimension d: Int, excluding excluded: Int?, into nearest: inout [Int], squared: inout [Double]) {
        let count = nearest.count
        var filled = 0
        for j in 0..<n where j != excluded {
            let row = points + j * d
            var s = 0.0
            for c in 0..<d { let e = row[c] - point[c]; s += e * e }
            if filled < count || s < squared[count - 1] {
                var slot = min(filled, count - 1)
                while slot > 0 && squared[slot - 1] > s {
                    squared[slot] = squared[slot - 1]; nearest[slot] = nearest[slot - 1]; slot -= 1
                }
                squared[slot] = s
                nearest[slot] = j
                filled = min(filled + 1, count)
            }
        }
    }

    /// Runs `body(chunk)` for `chunks` chunks, on two threads when two cores are there.
    static func forEachChunk(_ chunks: Int, _ body: @Sendable (Int) -> Void) {
        if chunks > 1 && ProcessInfo.processInfo.activeProcessorCount >= 2 {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
        } else {
            for c in 0..<chunks { body(c) }
        }
    }

    static func treeDistances(from queries: Matrix<Double>, to references: Matrix<Double>, k: Int,
                              excludingSelf: Bool) -> Matrix<Double> {
        let tree = KDTree(references)
        let n = queries.rows, d = queries.columns
        var best = Matrix<Double>(rows: n, columns: k)
        // Self-queries go in tree order (neighbouring queries visit the same leaves: cache hits).
        let order = excludingSelf ? tree.original : Array(0..<n)
        let chunk = 1024, chunks = (n + chunk - 1) / chunk
        queries.storage.withUnsafeBufferPointer { q in
        best.storage.withUnsafeMutableBufferPointer { b in
        order.withUnsafeBufferPointer { o in
            nonisolated(unsafe) let qp = q.baseAddress!, bp = b.baseAddress!, op = o.baseAddress!
            forEachChunk(chunks) { c in
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                for position in (c * chunk)..<min(n, (c + 1) * chunk) {
                    let i = op[position]
                    tree.nearest(qp + i * d, k: k, skip: excludingSelf ? i : -1, into: bp + i * k)
                }
            }
        }}}
        return best
    }

    /// Query rows per tile and reference rows per tile: a 128 × 2048 block of products is 2 MiB.
    static let queryTile = 128, referenceTile = 2048

    static func tiledDistances(from queries: Matrix<Double>, to references: Matrix<Double>, k: Int,
                               excludingSelf: Bool) -> Matrix<Double> {
        let n = queries.rows, d = queries.columns
        let queryNorms = queries.squaredRowNorms(), referenceNorms = references.squaredRowNorms()
        var best = Matrix<Double>(rows: n, columns: k, repeating: .infinity)
        let chunks = (n + queryTile - 1) / queryTile
        queries.storage.withUnsafeBufferPointer { x in
        references.storage.withUnsafeBufferPointer { y in
        best.storage.withUnsafeMutableBufferPointer { top in
        queryNorms.withUnsafeBufferPointer { qn in
        referenceNorms.withUnsafeBufferPointer { rn in
            nonisolated(unsafe) let xp = x.baseAddress!, yp = y.baseAddress!, tp = top.baseAddress!
            nonisolated(unsafe) let qnp = qn.baseAddress!, rnp = rn.baseAddress!
            forEachChunk(chunks) { c in
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                let i0 = c * queryTile, rows = min(queryTile, n - i0)
                tile(rows: i0..<(i0 + rows), xp, yp, references.rows, d: d, k: k, excludingSelf: excludingSelf,
                     queryNorms: qnp, referenceNorms: rnp, top: tp)
            }
            for i in 0..<(n * k) { tp[i] = tp[i].squareRoot() }
        }}}}}
        return best
    }

    /// The k smallest squared distances of query rows `rows` against all references, into `top`.
    ///
    /// A candidate j enters row i's sorted buffer when |x_i|² + |y_j|² − 2x_i·y_j < the k-th best;
    /// |x_i|² is constant along the row, so the scan compares |y_j|² − 2x_i·y_j with the k-th best
    /// minus |x_i|², eight references at a time, and only looks closer at a group whose minimum passes.
    static func tile(rows: Range<Int>, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ total: Int,
                     d: Int, k: Int, excludingSelf: Bool, queryNorms: UnsafePointer<Double>,
                     referenceNorms: UnsafePointer<Double>, top: UnsafeMutablePointer<Double>) {
        let cross = UnsafeMutablePointer<Double>.allocate(capacity: rows.count * referenceTile)
        defer { cross.deallocate() }
        for j0 in stride(from: 0, to: total, by: referenceTile) {
            let cols = min(referenceTile, total - j0)
            Double.gemm(transA: false, transB: true, m: rows.count, n: cols, k: d, alpha: -2,
                        a: x + rows.lowerBound * d, lda: d, b: y + j0 * d, ldb: d, beta: 0, c: cross, ldc: cols)
            let yn = referenceNorms + j0
            for r in 0..<rows.count {
                let i = rows.lowerBound + r
                let row = top + i * k, c = cross + r * cols
                let xn = queryNorms[i]
                var t = 0
                while t < cols {
                    let width = min(8, cols - t)
                    var smallest = Double.infinity
                    if width == 8 {
                        // A fixed trip count: the compiler unrolls and vectorises it.
                        for u in 0..<8 { smallest = min(smallest, yn[t + u] + c[t + u]) }
                    } else {
                        for u in 0..<width { smallest = min(smallest, yn[t + u] + c[t + u]) }
                    }
                    if smallest < row[k - 1] - xn {
                        for u in 0..<width {
                            let j = j0 + t + u
                            if excludingSelf && i == j { continue }
                            let squared = max(xn + yn[t + u] + c[t + u], 0)
                            if squared < row[k - 1] {
                                var slot = k - 1
                                while slot > 0 && row[slot - 1] > squared { row[slot] = row[slot - 1]; slot -= 1 }
                                row[slot] = squared
                            }
                        }
                    }
                    t += width
                }
            }
        }
    }
}
