import COpenBLAS
import Dispatch
import Foundation

/// Sinkhorn in the kernel (scaling) domain on a stored kernel K_ij = exp(−C_ij/ε): the plan is
/// P = diag(u) K diag(v) and an update is u = a / (K v), v = b / (Kᵀ u). Each entry of K is
/// computed once (one `gemm` and one exp per entry), after which an iteration is a matrix–vector
/// product that streams K from memory — ~1 multiply–add per entry instead of a log-sum-exp's exp.
///
/// Used only where that is safe: when every cost satisfies C/ε ≤ ``largestCostOverEpsilon``,
/// every kernel entry is ≥ e^−200 ≈ 1e−87 (no underflow, so no row of K is lost) and the scalings
/// stay within e^±200-ish of the masses (no overflow). Sums of positive terms have no
/// cancellation, so the potentials f = ε log(u/a), g = ε log(v/b) are as accurate as the
/// log-domain ones. With a stored n × m kernel it needs n·m doubles; the tiled log-domain path
/// (``SinkhornKernel``) serves small ε and problems beyond the memory limit.
struct DenseSinkhorn {
    /// The largest cost-to-ε ratio the kernel path accepts (see the type's summary).
    static let largestCostOverEpsilon = 200.0

    /// Doubles in the one kernel buffer that the three problems (x–y, x–x, y–y) share in turn.
    static func kernelElements(n: Int, m: Int) -> Int {
        let (nm, o1) = n.multipliedReportingOverflow(by: m)
        let (nn, o2) = n.multipliedReportingOverflow(by: n)
        let (mm, o3) = m.multipliedReportingOverflow(by: m)
        return o1 || o2 || o3 ? Int.max : max(nm, nn, mm)
    }

    /// True when the kernel path is safe (every cost ≤ `costBound` ≤ 200 ε) and its kernel, with
    /// `otherBytes` of other storage, fits in `limit` bytes.
    static func applies(costBound: Double, epsilon: Double, n: Int, m: Int, otherBytes: Int, limit: Int) -> Bool {
        guard costBound / epsilon <= largestCostOverEpsilon else { return false }
        let (bytes, overflow) = kernelElements(n: n, m: m).multipliedReportingOverflow(by: 8)
        return !overflow && bytes <= limit - otherBytes
    }

    /// Rows per block of the fused pass: ~256 KiB of kernel, so the block is still in cache for
    /// its second (transposed) product.
    static func blockRows(m: Int) -> Int { max(1, min(256, 32_768 / max(m, 1))) }

    /// Independent pieces of a pass: contiguous row ranges, each with its own partial column
    /// sums. Results do not depend on how many threads run them (partials are added in order).
    static func parts(rows: Int, columns: Int) -> Int {
        rows * columns >= 1 << 18 ? min(8, max(1, rows / 64)) : 1
    }

    /// Runs `body(part)` for every part, on two threads when two cores are there.
    static func forEachPart(_ parts: Int, _ body: @Sendable (Int) -> Void) {
        if parts > 1 && ProcessInfo.processInfo.activeProcessorCount >= 2 {
            DispatchQueue.concurrentPerform(iterations: parts, execute: body)
        } else {
            for p in 0..<parts { body(p) }
        }
    }

    /// Row range of part `p` of `parts` over `rows` rows.
    static func range(part p: Int, of parts: Int, rows: Int) -> Range<Int> {
        (rows * p / parts)..<(rows * (p + 1) / parts)
    }

    /// Fills `kernel` (row-major, n × m for the n rows and m columns of `costs`, leading dimension m)
    /// with exp(−C_ij/ε). When `upperOnly` (x against itself), only entries j ≥ i are computed;
    /// the lower triangle is left unspecified (``solveSymmetric`` reads the upper one).
    static func fill(_ kernel: UnsafeMutablePointer<Double>, costs: SinkhornKernel, epsilon: Double, upperOnly: Bool) {
        let n = costs.rows.rows, m = costs.columns.rows, d = costs.rows.columns
        let inverse = 1 / epsilon
        let block = blockRows(m: m)
        nonisolated(unsafe) let k = kernel
        costs.rows.storage.withUnsafeBufferPointer { xp in
        costs.columns.storage.withUnsafeBufferPointer { yp in
            nonisolated(unsafe) let x = xp.baseAddress!, y = yp.baseAddress!
            forEachPart(parts(rows: n, columns: m)) { p in
                let range = range(part: p, of: parts(rows: n, columns: m), rows: n)
                var start = range.lowerBound
                while start < range.upperBound {
                    Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                    let end = min(range.upperBound, start + block)
                    let first = upperOnly ? start : 0  // first column needed by this block
                    let width = m - first
                    let tile = k + start * m + first
                    if costs.order == 2 {
                        // −C/ε = (2/ε) x·y − ‖y‖²/ε − ‖x‖²/ε, clamped at 0 like the costs.
                        for r in 0..<(end - start) {
                            let row = tile + r * m
                            for j in 0..<width { row[j] = -costs.columnNorms[first + j] * inverse }
                        }
                        Double.gemm(transA: false, transB: true, m: end - start, n: width, k: d, alpha: 2 * inverse,
                                    a: x + start * d, lda: d, b: y + first * d, ldb: d, beta: 1, c: tile, ldc: m)
                        for r in 0..<(end - start) {
                            let row = tile + r * m
                            let shift = costs.rowNorms[start + r] * inverse
                            for j in 0..<width { row[j] = fastExp(min(row[j] - shift, 0)) }
                        }
                    } else {
                        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: (end - start) * m)
                        defer { buffer.deallocate() }
                        PairwiseCost.fill(costs.rows, costs.rowNorms, rows: start..<end, costs.columns, costs.columnNorms,
                                          order: costs.order, into: buffer)
                        for r in 0..<(end - start) {
                            let row = tile + r * m, c = buffer + r * m + first
                            for j in 0..<width { row[j] = fastExp(-c[j] * inverse) }
                        }
                    }
                    start = end
                }
            }
        }}
    }

    /// x–y: alternating scaling updates from v = b (g = 0), one fused pass over K per iteration:
    /// for each block of rows u = a / (K v) and then w += Kᵀu from the cached block; the column
    /// marginal error Σ_j |v_j w_j − b_j| (the rows are exact after the u update) is checked,
    /// then v = b / w. Stops when that L1 error is below `tolerance`.
    /// - Returns: the scalings (after the last v update: column sums of the plan are b exactly),
    ///   potentials f = ε log(u/a), g = ε log(v/b) and the convergence record.
    static func solvePair(kernel: UnsafePointer<Double>, a: [Double], b: [Double], epsilon: Double,
                          tolerance: Double, maxIterations: Int, what: String) throws(ManifoldLabError) -> PairSolution {
        let n = a.count, m = b.count
        let partCount = parts(rows: n, columns: m)
        let block = blockRows(m: m)
        var u = [Double](repeating: 0, count: n), v = b
        var partials = [Double](repeating: 0, count: partCount * m)
        nonisolated(unsafe) let kernel = kernel
        var iterations = 0
        while true {
            iterations += 1
            Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
            v.withUnsafeBufferPointer { vb in
            a.withUnsafeBufferPointer { ab in
            u.withUnsafeMutableBufferPointer { ub in
            partials.withUnsafeMutableBufferPointer { wb in
                nonisolated(unsafe) let vp = vb.baseAddress!, ap = ab.baseAddress!, up = ub.baseAddress!, wp = wb.baseAddress!
                forEachPart(partCount) { p in
                    let w = wp + p * m
                    w.update(repeating: 0, count: m)
                    let range = range(part: p, of: partCount, rows: n)
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let rows = min(range.upperBound, start + block) - start
                        let tile = kernel + start * m
                        cblas_dgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(m), 1, tile, Int32(m), vp, 1, 0, up + start, 1)
                        for i in start..<(start + rows) { up[i] = ap[i] / up[i] }
                        cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(m), 1, tile, Int32(m), up + start, 1, 1, w, 1)
                        start += rows
                    }
                }
            }}}}
            var error = 0.0
            for j in 0..<m {
                var w = 0.0
                for p in 0..<partCount { w += partials[p * m + j] }
                error += abs(v[j] * w - b[j])
                v[j] = b[j] / w
            }
            guard error.isFinite else {
                throw .numericalFailure("Sinkhorn (\(what)) diverged: marginal error \(error) at ε = \(epsilon)")
            }
            if error < tolerance {
                return PairSolution(u: u, v: v, f: potentials(u, masses: a, epsilon: epsilon),
                                    g: potentials(v, masses: b, epsilon: epsilon),
                                    convergence: SinkhornConvergence(iterations: iterations, marginalError: error))
            }
            if iterations >= maxIterations {
                throw .numericalFailure("Sinkhorn (\(what)) reached its limit of \(maxIterations) iterations with marginal error \(error) above the tolerance \(tolerance) at ε = \(epsilon) (raise \(parameter: "max_iterations") or ε); no value is reported")
            }
        }
    }

    /// The x–y solution: plan diag(u) K diag(v), potentials f, g.
    struct PairSolution {
        var u: [Double], v: [Double], f: [Double], g: [Double]
        var convergence: SinkhornConvergence
    }

    /// ε log(s_i / mass_i), 0 where the mass is 0 (such a point carries no transport).
    static func potentials(_ scaling: [Double], masses: [Double], epsilon: Double) -> [Double] {
        var out = [Double](repeating: 0, count: scaling.count)
        for i in 0..<scaling.count where masses[i] > 0 { out[i] = epsilon * log(scaling[i] / masses[i]) }
        return out
    }

    /// Weight ω of the symmetric update (see ``solveSymmetric``). Measured on Gaussian clouds at
    /// ε = 0.05 and 0.01 · max C: ω = ½ takes 14–17 iterations to an L1 error of 1e-6, ω = 0.7
    /// with the constant correction 9–12; larger ω is slower at small ε.
    static let symmetricRelaxation = 0.7

    /// OT_ε(a, a) on a symmetric kernel (upper triangle stored): the fixed point φ = Tφ of
    /// Tφ = −log(K u), u = a e^φ (φ = f/ε), by relaxed updates until the L1 marginal error
    /// Σ_i |u_i (K u)_i − a_i| is below `tolerance`. One `dsymv` per iteration (half of K read).
    ///
    /// The update φ ← (1 − ω)φ + ωTφ + (2ω − 1)c, c = ½(⟨a, φ⟩ − ⟨a, Tφ⟩): T maps φ + c to
    /// Tφ − c, so plain averaging (ω = ½, GeomLoss's update) is needed to stop the constant
    /// from flipping sign; estimating the constant c and removing it lets ω be larger, which damps
    /// the other error components faster. A fixed point of T is a fixed point of the update (c = 0
    /// there), so ω changes the speed, never the answer. Should the error ever grow, the
    /// iteration falls back to ω = ½ for good.
    /// - Returns: ⟨a, f⟩ + ⟨a, T f⟩ (f = εφ), the log-domain value (2⟨a, f⟩ at the fixed point).
    static func solveSymmetric(kernel: UnsafePointer<Double>, a: [Double], epsilon: Double, tolerance: Double,
                               maxIterations: Int, what: String) throws(ManifoldLabError) -> Double {
        let n = a.count
        var phi = [Double](repeating: 0, count: n), u = a, ku = [Double](repeating: 0, count: n)
        var t = [Double](repeating: 0, count: n)
        var omega = symmetricRelaxation, previous = Double.infinity
        var iterations = 0
        while true {
            iterations += 1
            Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
            cblas_dsymv(CblasRowMajor, CblasUpper, Int32(n), 1, kernel, Int32(n), u, 1, 0, &ku, 1)
            var error = 0.0
            for i in 0..<n { error += abs(u[i] * ku[i] - a[i]) }
            guard error.isFinite else {
                throw .numericalFailure("Sinkhorn (\(what)) diverged: marginal error \(error) at ε = \(epsilon)")
            }
            var sumPhi = 0.0, sumT = 0.0
            for i in 0..<n where a[i] > 0 {
                t[i] = -log(ku[i])
                sumPhi += a[i] * phi[i]
                sumT += a[i] * t[i]
            }
            if error < tolerance { return epsilon * (sumPhi + sumT) }
            if iterations >= maxIterations {
                throw .numericalFailure("Sinkhorn (\(what)) reached its limit of \(maxIterations) iterations with marginal error \(error) above the tolerance \(tolerance) at ε = \(epsilon) (raise \(parameter: "max_iterations") or ε); no value is reported")
            }
            if error > previous { omega = 0.5 }
            previous = error
            let shift = (2 * omega - 1) * 0.5 * (sumPhi - sumT)
            for i in 0..<n where a[i] > 0 {
                phi[i] = (1 - omega) * phi[i] + omega * t[i] + shift
                u[i] = a[i] * exp(phi[i])
            }
        }
    }

    /// ⟨P, C⟩ = Σ_ij u_i K_ij v_j C_ij for the x–y plan, K read once.
    ///
    /// For p = 2, C_ij = ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j splits the sum into
    /// Σ_i u_i (‖x_i‖² (K v)_i − 2 x_i·(K V Y)_i) + Σ_j ‖y_j‖² v_j (Kᵀu)_j, with V = diag(v): one
    /// `gemm` of K by the m × (D + 1) matrix [V Y | v], and v_j (Kᵀu)_j = b_j after the last update.
    /// For other p the costs are recomputed block by block (one `gemm` each).
    static func primalCost(kernel: UnsafePointer<Double>, costs: SinkhornKernel, b: [Double], solution: PairSolution) -> Double {
        let n = solution.u.count, m = b.count, d = costs.rows.columns
        let u = solution.u, v = solution.v
        if costs.order == 2 {
            let width = d + 1
            var right = [Double](repeating: 0, count: m * width)
            costs.columns.storage.withUnsafeBufferPointer { yp in
                for j in 0..<m {
                    for k in 0..<d { right[j * width + k] = v[j] * yp[j * d + k] }
                    right[j * width + d] = v[j]
                }
            }
            var product = [Double](repeating: 0, count: n * width)
            right.withUnsafeBufferPointer { rp in
                product.withUnsafeMutableBufferPointer { pp in
                    Double.gemm(transA: false, transB: false, m: n, n: width, k: m, alpha: 1, a: kernel, lda: m,
                                b: rp.baseAddress!, ldb: width, beta: 0, c: pp.baseAddress!, ldc: width)
                }
            }
            var total = 0.0
            costs.rows.storage.withUnsafeBufferPointer { xp in
                for i in 0..<n {
                    var dot = 0.0
                    for k in 0..<d { dot += xp[i * d + k] * product[i * width + k] }
                    total += u[i] * (costs.rowNorms[i] * product[i * width + d] - 2 * dot)
                }
            }
            for j in 0..<m { total += b[j] * costs.columnNorms[j] }
            return total
        }
        let block = blockRows(m: m)
        let tile = UnsafeMutablePointer<Double>.allocate(capacity: block * m)
        defer { tile.deallocate() }
        var total = 0.0
        v.withUnsafeBufferPointer { vp in
            var start = 0
            while start < n {
                let end = min(n, start + block)
                PairwiseCost.fill(costs.rows, costs.rowNorms, rows: start..<end, costs.columns, costs.columnNorms,
                                  order: costs.order, into: tile)
                for i in start..<end where u[i] > 0 {
                    let k = kernel + i * m, c = tile + (i - start) * m
                    var s0 = 0.0, s1 = 0.0
                    var j = 0
                    while j + 2 <= m {
                        s0 += k[j] * vp[j] * c[j]
                        s1 += k[j + 1] * vp[j + 1] * c[j + 1]
                        j += 2
                    }
                    if j < m { s0 += k[j] * vp[j] * c[j] }
                    total += u[i] * (s0 + s1)
                }
                start = end
            }
        }
        return total
    }
}
