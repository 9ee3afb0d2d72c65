import Foundation

/// A kernel of two points given through their inner product and squared norms, with up to four
/// values per pair (lanes), so that one pass over the pairs serves several kernels at once.
protocol PairKernel: Sendable {
    /// Σ_t k(a, b_t) over `count` points b_t, from a·b_t (`dots`), |a|² and |b_t|²: a loop the
    /// compiler vectorises (relaxed sums).
    func sum(dots: UnsafePointer<Double>, squaredA: Double, squaredB: UnsafePointer<Double>, count: Int) -> SIMD4<Double>
}

/// Sums of a kernel over all pairs of two samples, per (block of A, block of B): the sums that
/// unbiased MMD² needs, kept by blocks so that a delete-a-block jackknife costs no second pass.
///
/// Pairs come from BLAS tiles (one gemm of 512 × 512 inner products per tile), tiles of rows run on
/// two threads when two cores are there (unless `parallel` is false: the caller runs several), and the partial sums are added in tile order, so the result
/// does not depend on the thread count. Within one sample (`b` nil) a point is never paired with
/// itself, and each unordered pair is counted in both orders.
/// - Complexity: O(n · m · D) time, O(n · D + blocks²) memory besides the inputs.
struct KernelBlockSums {
    /// Sums in lane order, `blocks × blocks`, row-major (block of A, block of B).
    var sums: [SIMD4<Double>]
    let blocks: Int
    /// Rows of A and of B in each block.
    let countsA: [Int], countsB: [Int]

    /// Rows and columns per tile: large enough for gemm to run near its peak at D ≈ 64.
    static let tile = 512

    /// The block of row `i` of a sample of `n` rows cut into `blocks` nearly equal blocks.
    static func boundaries(rows n: Int, blocks: Int) -> [Int] {
        (0...blocks).map { $0 * n / blocks }
    }

    init<K: PairKernel>(_ a: Matrix<Double>, _ b: Matrix<Double>?, blocks: Int, kernel: K, parallel: Bool = true) {
        let same = b == nil
        let other = b ?? a
        let n = a.rows, m = other.rows, d = a.columns
        precondition(d == other.columns && blocks >= 1 && n >= blocks && m >= blocks)
        let edgesA = Self.boundaries(rows: n, blocks: blocks), edgesB = Self.boundaries(rows: m, blocks: blocks)
        var blockOfA = [Int](repeating: 0, count: n), blockOfB = [Int](repeating: 0, count: m)
        for k in 0..<blocks {
            for i in edgesA[k]..<edgesA[k + 1] { blockOfA[i] = k }
            for j in edgesB[k]..<edgesB[k + 1] { blockOfB[j] = k }
        }
        let normsA = a.squaredRowNorms(), normsB = same ? normsA : other.squaredRowNorms()
        let tile = Self.tile
        let rowTiles = (n + tile - 1) / tile, columnTiles = (m + tile - 1) / tile
        let cells = blocks * blocks
        var partial = [SIMD4<Double>](repeating: .zero, count: rowTiles * cells)
        a.storage.withUnsafeBufferPointer { x in
        other.storage.withUnsafeBufferPointer { y in
        normsA.withUnsafeBufferPointer { na in
        normsB.withUnsafeBufferPointer { nb in
        blockOfA.withUnsafeBufferPointer { ba in
        blockOfB.withUnsafeBufferPointer { bb in
        edgesB.withUnsafeBufferPointer { eb in
        partial.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let xp = x.baseAddress!, yp = y.baseAddress!, nap = na.baseAddress!, nbp = nb.baseAddress!
            nonisolated(unsafe) let bap = ba.baseAddress!, bbp = bb.baseAddress!, ebp = eb.baseAddress!, op = out.baseAddress!
            let body: @Sendable (Int) -> Void = { r in
                Interruption.checkpoint()
                let i0 = r * tile, rows = min(tile, n - i0)
                let gram = UnsafeMutablePointer<Double>.allocate(capacity: tile * tile)
                defer { gram.deallocate() }
                let sums = op + r * cells
                for c in (same ? r : 0)..<columnTiles {
                    let j0 = c * tile, columns = min(tile, m - j0)
                    Double.gemm(transA: false, transB: true, m: rows, n: columns, k: d, alpha: 1,
                                a: xp + i0 * d, lda: d, b: yp + j0 * d, ldb: d, beta: 0, c: gram, ldc: columns)
                    for u in 0..<rows {
                        let i = i0 + u, row = gram + u * columns, blockRow = bap[i] * blocks
                        // Column by column within one block of B: a contiguous run, summed in one call.
                        var v = same && c == r ? u + 1 : 0
                        while v < columns {
                            let block = bbp[j0 + v], end = min(columns, ebp[block + 1] - j0)
                            sums[blockRow + block] += kernel.sum(dots: row + v, squaredA: nap[i], squaredB: nbp + j0 + v, count: end - v)
                            v = end
                        }
                    }
                }
            }
            if parallel { NearestNeighbours.forEachChunk(rowTiles, body) } else { for r in 0..<rowTiles { body(r) } }
        }}}}}}}}
        var total = [SIMD4<Double>](repeating: .zero, count: cells)
        for r in 0..<rowTiles { for k in 0..<cells { total[k] += partial[r * cells + k] } }
        if same {  // each unordered pair was summed once: add the other order
            let upper = total
            for p in 0..<blocks { for q in 0..<blocks { total[p * blocks + q] = upper[p * blocks + q] + upper[q * blocks + p] } }
        }
        sums = total
        self.blocks = blocks
        countsA = (0..<blocks).map { edgesA[$0 + 1] - edgesA[$0] }
        countsB = (0..<blocks).map { edgesB[$0 + 1] - edgesB[$0] }
    }

    /// The sum over every pair.
    var total: SIMD4<Double> { sums.reduce(.zero, +) }

    /// The sum over pairs with neither point in block `k` (of A, nor of B).
    func total(leavingOut k: Int) -> SIMD4<Double> {
        var row = SIMD4<Double>.zero, column = SIMD4<Double>.zero
        for q in 0..<blocks { row += sums[k * blocks + q]; column += sums[q * blocks + k] }
        return total - row - column + sums[k * blocks + k]
    }
}

/// Unbiased MMD² (Gretton et al. 2012) lane by lane from the three pair sums of two samples,
/// and its delete-a-block jackknife standard error.
struct UnbiasedMMD {
    let xx: KernelBlockSums, yy: KernelBlockSums, xy: KernelBlockSums

    /// Σ_{i≠i'} k(x_i, x_i') / n(n−1) + Σ_{j≠j'} k(y_j, y_j') / m(m−1) − 2 Σ k(x_i, y_j) / nm.
    static func statistic(xx: SIMD4<Double>, yy: SIMD4<Double>, xy: SIMD4<Double>, n: Int, m: Int) -> SIMD4<Double> {
        let n = Double(n), m = Double(m)
        return xx / (n * (n - 1)) + yy / (m * (m - 1)) - 2 * xy / (n * m)
    }

    var n: Int { xx.countsA.reduce(0, +) }
    var m: Int { yy.countsA.reduce(0, +) }

    var value: SIMD4<Double> { Self.statistic(xx: xx.total, yy: yy.total, xy: xy.total, n: n, m: m) }

    /// The leave-one-block-out values θ₋ₖ (block k of both samples left out), one per block.
    var jackknifeValues: [SIMD4<Double>] {
        (0..<xx.blocks).map { k in
            Self.statistic(xx: xx.total(leavingOut: k), yy: yy.total(leavingOut: k), xy: xy.total(leavingOut: k),
                           n: n - xx.countsA[k], m: m - yy.countsA[k])
        }
    }

    /// √((B−1)/B · Σ (θ₋ₖ − θ̄)²) of a scalar built from the lanes by `combine`.
    func jackknifeError(_ combine: (SIMD4<Double>) -> Double) -> Double {
        let values = jackknifeValues.map(combine)
        let b = Double(values.count)
        let mean = values.reduce(0, +) / b
        return ((b - 1) / b * values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }).squareRoot()
    }
}
