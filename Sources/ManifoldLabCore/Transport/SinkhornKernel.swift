import Foundation

/// The matrix-free log-sum-exp at the heart of log-domain Sinkhorn: for every row point x_i,
///   softmin_i = −ε log Σ_j exp(h_j − C(x_i, y_j)/ε),
/// with the costs of a block of rows computed from the points by one `gemm` and consumed at
/// once (fused), never stored whole.
struct SinkhornKernel: SoftminOperator {
    let rows: Matrix<Double>
    let columns: Matrix<Double>
    let rowNorms: [Double]
    let columnNorms: [Double]
    let order: Double

    init(rows: Matrix<Double>, columns: Matrix<Double>, order: Double) {
        self.rows = rows
        self.columns = columns
        self.order = order
        rowNorms = rows.squaredRowNorms()
        columnNorms = columns.squaredRowNorms()
    }

    var rowCount: Int { rows.rows }
    var columnCount: Int { columns.rows }

    /// Rows per block: about 256 KiB of costs, so a block stays in cache between the product and
    /// the log-sum-exp.
    static func blockRows(m: Int) -> Int { max(1, min(64, 32_768 / max(m, 1))) }
    static func blockElements(m: Int) -> Int { blockRows(m: m) * m }

    /// Both samples moved by the mean of all their points.
    static func centred(_ x: Matrix<Double>, _ y: Matrix<Double>) -> (Matrix<Double>, Matrix<Double>) {
        let d = x.columns
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<x.rows { for k in 0..<d { mean[k] += x[i, k] } }
        for i in 0..<y.rows { for k in 0..<d { mean[k] += y[i, k] } }
        for k in 0..<d { mean[k] /= Double(x.rows + y.rows) }
        var cx = x, cy = y
        for i in 0..<x.rows { for k in 0..<d { cx[i, k] -= mean[k] } }
        for i in 0..<y.rows { for k in 0..<d { cy[i, k] -= mean[k] } }
        return (cx, cy)
    }

    /// An upper bound on every cost: (2 · the largest distance to the common mean)^p.
    static func diameterPower(_ x: Matrix<Double>, _ y: Matrix<Double>, order: Double) -> Double {
        var r = 0.0
        for v in x.squaredRowNorms() { r = max(r, v) }
        for v in y.squaredRowNorms() { r = max(r, v) }
        return Wasserstein.power(2 * r.squareRoot(), order: order)
    }

    /// max_ij C_ij, exactly. With centred points ‖x_i − y_j‖ ≤ ‖x_i‖ + ‖y_j‖, so scanning both
    /// samples by decreasing norm, a pair whose norm sum cannot beat the largest distance found so
    /// far ends the inner scan (and at the first column, the outer one): on clouds that thin out
    /// (Gaussians) only a few pairs are visited. When the pruning fails (points at one radius, a
    /// sphere) the scan stops after ~(n + m)·64 pairs and ``maximumCostByBlocks()`` visits all.
    func maximumCost() -> Double {
        let n = rows.rows, m = columns.rows, d = rows.columns
        let rowOrder = (0..<n).sorted { rowNorms[$0] > rowNorms[$1] }
        let columnOrder = (0..<m).sorted { columnNorms[$0] > columnNorms[$1] }
        let columnLengths = columnOrder.map { columnNorms[$0].squareRoot() }
        var best = 0.0, bestLength = 0.0  // largest ‖x_i − y_j‖² seen, and its square root
        var budget = 64 * (n + m)
        let finished: Bool = rows.storage.withUnsafeBufferPointer { xp in
            columns.storage.withUnsafeBufferPointer { yp in
                for i in rowOrder {
                    let length = rowNorms[i].squareRoot()
                    if length + columnLengths[0] <= bestLength { return true }
                    for (rank, j) in columnOrder.enumerated() {
                        if length + columnLengths[rank] <= bestLength { break }
                        budget -= 1
                        if budget < 0 { return false }
                        var dot = 0.0
                        for k in 0..<d { dot += xp[i * d + k] * yp[j * d + k] }
                        let squared = max(rowNorms[i] + columnNorms[j] - 2 * dot, 0)
                        if squared > best { best = squared; bestLength = squared.squareRoot() }
                    }
                }
                return true
            }
        }
        guard finished else { return maximumCostByBlocks() }
        // The same arithmetic as ``PairwiseCost/fill``: the clamped square, its root for p ≠ 2.
        return order == 2 ? best : Wasserstein.power(bestLength, order: order)
    }

    /// max_ij C_ij by visiting every pair: one `gemm` per block of rows.
    func maximumCostByBlocks() -> Double {
        let n = rows.rows, m = columns.rows
        let block = SinkhornKernel.blockRows(m: m)
        var buffer = [Double](repeating: 0, count: block * m)
        var largest = 0.0
        buffer.withUnsafeMutableBufferPointer { tile in
            var start = 0
            while start < n {
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                let end = min(n, start + block)
                PairwiseCost.fill(rows, rowNorms, rows: start..<end, columns, columnNorms, order: order, into: tile.baseAddress!)
                for k in 0..<((end - start) * m) where tile[k] > largest { largest = tile[k] }
                start = end
            }
        }
        return largest
    }

    /// Threads for the row blocks of ``softmin(_:epsilon:into:)``: two when there are two cores
    /// and enough rows (the blocks are independent; each thread has its own block buffer).
    static func threadCount(rows: Int, columns: Int) -> Int {
        rows * columns >= 1 << 18 && ProcessInfo.processInfo.activeProcessorCount >= 2 ? 2 : 1
    }

    /// out_i = −ε log Σ_j exp(h_j − C_ij/ε) for every row i.
    func softmin(_ h: [Double], epsilon: Double, into out: inout [Double]) {
        let n = rows.rows, m = columns.rows
        let inverse = 1 / epsilon
        // For p = 2: h_j − C_ij/ε = (h_j − ‖y_j‖²/ε) + (2/ε) x_i·y_j − ‖x_i‖²/ε; the first term is
        // laid down in the block and the product added to it by gemm (beta = 1).
        var shifted = [Double](repeating: 0, count: m)
        for j in 0..<m { shifted[j] = h[j] - columnNorms[j] * inverse }
        let threads = SinkhornKernel.threadCount(rows: n, columns: m)
        shifted.withUnsafeBufferPointer { hb in
        h.withUnsafeBufferPointer { hp in
        out.withUnsafeMutableBufferPointer { outp in
            if threads == 1 {
                softminRows(0..<n, hb: hb.baseAddress!, h: hp.baseAddress!, epsilon: epsilon, out: outp.baseAddress!)
            } else {
                let half = (n + 1) / 2
                nonisolated(unsafe) let hbp = hb.baseAddress!, hpp = hp.baseAddress!, op = outp.baseAddress!
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    let range = part == 0 ? 0..<half : half..<n
                    softminRows(range, hb: hbp, h: hpp, epsilon: epsilon, out: op)
                }
            }
        }}}
    }

    /// ``softmin(_:epsilon:into:)`` for the rows in `range`, block by block.
    func softminRows(_ range: Range<Int>, hb: UnsafePointer<Double>, h: UnsafePointer<Double>,
                     epsilon: Double, out: UnsafeMutablePointer<Double>) {
        let m = columns.rows, d = rows.columns
        let block = SinkhornKernel.blockRows(m: m)
        let inverse = 1 / epsilon
        let squared = order == 2
        let tile = UnsafeMutablePointer<Double>.allocate(capacity: block * m)
        defer { tile.deallocate() }
        rows.storage.withUnsafeBufferPointer { xp in
        columns.storage.withUnsafeBufferPointer { yp in
            var start = range.lowerBound
            while start < range.upperBound {
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                let end = min(range.upperBound, start + block)
                let count = end - start
                if squared {
                    for r in 0..<count { (tile + r * m).update(from: hb, count: m) }
                    Double.gemm(transA: false, transB: true, m: count, n: m, k: d, alpha: 2 * inverse,
                                a: xp.baseAddress! + start * d, lda: d, b: yp.baseAddress!, ldb: d,
                                beta: 1, c: tile, ldc: m)
                } else {
                    PairwiseCost.fill(rows, rowNorms, rows: start..<end, columns, columnNorms, order: order, into: tile)
                    for r in 0..<count {
                        let row = tile + r * m
                        for j in 0..<m { row[j] = h[j] - row[j] * inverse }
                    }
                }
                for r in 0..<count {
                    let lse = SinkhornKernel.logSumExp(tile + r * m, count: m)
                    let i = start + r
                    out[i] = squared ? -epsilon * lse + rowNorms[i] : -epsilon * lse
                }
                start = end
            }
        }}
    }

    /// log Σ_k exp(v_k), two vectorisable passes (maximum, then the shifted sum).
    @inline(__always)
    static func logSumExp(_ v: UnsafePointer<Double>, count: Int) -> Double {
        var m0 = -Double.infinity, m1 = -Double.infinity, m2 = -Double.infinity, m3 = -Double.infinity
        var k = 0
        while k + 4 <= count {
            m0 = v[k] > m0 ? v[k] : m0
            m1 = v[k + 1] > m1 ? v[k + 1] : m1
            m2 = v[k + 2] > m2 ? v[k + 2] : m2
            m3 = v[k + 3] > m3 ? v[k + 3] : m3
            k += 4
        }
        while k < count { m0 = v[k] > m0 ? v[k] : m0; k += 1 }
        let largest = max(max(m0, m1), max(m2, m3))
        if largest == -.infinity { return -.infinity }
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        k = 0
        while k + 4 <= count {
            s0 += fastExp(v[k] - largest)
            s1 += fastExp(v[k + 1] - largest)
            s2 += fastExp(v[k + 2] - largest)
            s3 += fastExp(v[k + 3] - largest)
            k += 4
        }
        while k < count { s0 += fastExp(v[k] - largest); k += 1 }
        return largest + log((s0 + s1) + (s2 + s3))
    }

    /// ⟨P, C⟩ for the plan P_ij = a_i b_j exp((f_i + g_j − C_ij)/ε): one more pass over blocks.
    func primalCost(logA: [Double], logB: [Double], f: [Double], g: [Double], epsilon: Double) -> Double {
        let n = rows.rows, m = columns.rows
        let block = SinkhornKernel.blockRows(m: m)
        var buffer = [Double](repeating: 0, count: block * m)
        var h = [Double](repeating: 0, count: m)
        for j in 0..<m { h[j] = logB[j] + g[j] / epsilon }
        let inverse = 1 / epsilon
        var total = 0.0
        buffer.withUnsafeMutableBufferPointer { tile in
            h.withUnsafeBufferPointer { hp in
                var start = 0
                while start < n {
                    Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                    let end = min(n, start + block)
                    PairwiseCost.fill(rows, rowNorms, rows: start..<end, columns, columnNorms, order: order, into: tile.baseAddress!)
                    for r in 0..<(end - start) {
                        let i = start + r
                        let base = logA[i] + f[i] * inverse
                        let row = tile.baseAddress! + r * m
                        var s = 0.0
                        for j in 0..<m { s += fastExp(min(base + hp[j] - row[j] * inverse, 700)) * row[j] }
                        total += s
                    }
                    start = end
                }
            }
        }
        return total
    }
}
