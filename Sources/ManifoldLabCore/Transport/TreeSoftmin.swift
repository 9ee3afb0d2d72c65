import Foundation

/// The Sinkhorn softmin on a truncated kernel, matrix-free:
///   out_i = −ε log Σ_j exp(h_j − C(x_i, y_j)/ε)
/// summed over the terms within e^−θ of the row's largest (θ = ``truncation``), which a walk of
/// the reference points' k-d tree finds without looking at the others. The rows go a leaf of the
/// query tree at a time (its ≤ 16 points share one walk): a reference node is skipped when its
/// bound, max_node h − (smallest cost between the two boxes)/ε, is below every row's largest term
/// seen so far minus θ; the better child is visited first, so the largest terms are found early.
///
/// The terms left out sum to at most m·e^−θ of the largest one (m reference points), a relative
/// error below 1e-7 in the sum at m = 10⁶. The work per row is the number of points within about
/// (θε)^{1/p} of the row's best match — the kernel's width — so it falls as ε does, and memory is
/// O(n + m). Each row is computed alone, so results do not depend on the number of threads.
struct TreeSoftmin: SoftminOperator {
    /// θ: terms below e^−θ of a row's largest are left out.
    static let truncation = 30.0

    /// Query points (the rows); potentials are indexed in their tree order.
    let queries: BoundedTree
    /// Reference points (the columns); `h` is indexed in their tree order.
    let references: BoundedTree
    let order: Double

    var rowCount: Int { queries.count }
    var columnCount: Int { references.count }

    func softmin(_ h: [Double], epsilon: Double, into out: inout [Double]) {
        let sums = rowSums(h, epsilon: epsilon, weightedByCost: false)
        for i in 0..<queries.count { out[i] = -epsilon * (sums.largest[i] + log(sums.sum[i])) }
    }

    /// ⟨P, C⟩ for the plan P_ij = exp(rowLog_i + h_j − C_ij/ε) (rowLog_i = log a_i + f_i/ε,
    /// h_j = log b_j + g_j/ε), over the same truncated kernel.
    func transportCost(rowLog: [Double], _ h: [Double], epsilon: Double) -> Double {
        let sums = rowSums(h, epsilon: epsilon, weightedByCost: true)
        var total = 0.0
        for i in 0..<queries.count where sums.costSum[i] > 0 {
            total += exp(rowLog[i] + sums.largest[i]) * sums.costSum[i]
        }
        return total
    }

    /// Per row: the largest term M_i, Σ_j exp(term − M_i) and (when asked) Σ_j exp(term − M_i)·C_ij.
    func rowSums(_ h: [Double], epsilon: Double, weightedByCost: Bool) -> (largest: [Double], sum: [Double], costSum: [Double]) {
        let n = queries.count
        let tree = references
        // The largest h in every node, children before parents (a child's index is larger).
        var nodeMax = [Double](repeating: -.infinity, count: tree.nodeCount)
        for node in stride(from: tree.nodeCount - 1, through: 0, by: -1) {
            if tree.lefts[node] < 0 {
                var v = -Double.infinity
                for j in tree.starts[node]..<tree.ends[node] { v = max(v, h[j]) }
                nodeMax[node] = v
            } else {
                nodeMax[node] = max(nodeMax[tree.lefts[node]], nodeMax[tree.rights[node]])
            }
        }
        var largest = [Double](repeating: -.infinity, count: n)
        var sum = [Double](repeating: 0, count: n), costSum = [Double](repeating: 0, count: n)
        let leaves = queries.leaves
        let chunk = 16, chunks = (leaves.count + chunk - 1) / chunk
        let walker = Walker(inverseEpsilon: 1 / epsilon, order: order, dimension: queries.dimension,
                            withCost: weightedByCost, largestQueryLeaf: queries.largestLeaf,
                            largestReferenceLeaf: tree.largestLeaf)
        withNodes(queries) { q in
        withNodes(tree) { r in
        h.withUnsafeBufferPointer { hb in
        nodeMax.withUnsafeBufferPointer { mb in
        leaves.withUnsafeBufferPointer { lb in
        largest.withUnsafeMutableBufferPointer { outM in
        sum.withUnsafeMutableBufferPointer { outS in
        costSum.withUnsafeMutableBufferPointer { outC in
            let out = Walker.Output(largest: outM.baseAddress!, sum: outS.baseAddress!, costSum: outC.baseAddress!)
            nonisolated(unsafe) let h = hb.baseAddress!, nodeMax = mb.baseAddress!, leafList = lb.baseAddress!
            NearestNeighbours.forEachChunk(chunks) { part in
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                for index in (part * chunk)..<min(leaves.count, (part + 1) * chunk) {
                    walker.run(queryLeaf: leafList[index], queries: q, references: r, h: h, nodeMax: nodeMax, out: out)
                }
            }
        }}}}}}}}
        return (largest, sum, costSum)
    }

    /// A tree's arrays as raw pointers for the walk (no bounds checks, no copies).
    struct Nodes: @unchecked Sendable {
        let points: UnsafePointer<Double>, leafColumns: UnsafePointer<Double>
        let starts: UnsafePointer<Int>, ends: UnsafePointer<Int>, lefts: UnsafePointer<Int>, rights: UnsafePointer<Int>
        let lower: UnsafePointer<Double>, upper: UnsafePointer<Double>, centres: UnsafePointer<Double>
        let radii: UnsafePointer<Double>
    }

    private func withNodes<R>(_ tree: BoundedTree, _ body: (Nodes) -> R) -> R {
        tree.points.storage.withUnsafeBufferPointer { p in
        tree.leafColumns.withUnsafeBufferPointer { lc in
        tree.starts.withUnsafeBufferPointer { s in
        tree.ends.withUnsafeBufferPointer { e in
        tree.lefts.withUnsafeBufferPointer { l in
        tree.rights.withUnsafeBufferPointer { r in
        tree.lower.withUnsafeBufferPointer { lo in
        tree.upper.withUnsafeBufferPointer { hi in
        tree.centres.withUnsafeBufferPointer { c in
        tree.radii.withUnsafeBufferPointer { ra in
            body(Nodes(points: p.baseAddress!, leafColumns: lc.baseAddress!, starts: s.baseAddress!, ends: e.baseAddress!,
                       lefts: l.baseAddress!, rights: r.baseAddress!, lower: lo.baseAddress!, upper: hi.baseAddress!,
                       centres: c.baseAddress!, radii: ra.baseAddress!))
        }}}}}}}}}}
    }

    /// The walk for one leaf of query rows.
    private struct Walker: Sendable {
        let inverseEpsilon: Double, order: Double, dimension: Int, withCost: Bool
        let largestQueryLeaf: Int, largestReferenceLeaf: Int

        struct Output: @unchecked Sendable {
            let largest: UnsafeMutablePointer<Double>, sum: UnsafeMutablePointer<Double>, costSum: UnsafeMutablePointer<Double>
        }

        @inline(__always) func cost(squared s: Double) -> Double {
            order == 2 ? s : order == 1 ? s.squareRoot() : pow(s.squareRoot(), order)
        }

        /// max h over reference node `node` minus the smallest cost between it and query node
        /// `block`, over ε: no term of a row in `block` with a point in `node` is larger.
        @inline(__always) func bound(_ node: Int, _ r: Nodes, _ block: Int, _ q: Nodes, _ nodeMax: UnsafePointer<Double>) -> Double {
            let d = dimension
            let lo = r.lower + node * d, hi = r.upper + node * d
            let qlo = q.lower + block * d, qhi = q.upper + block * d
            var s = 0.0
            for k in 0..<d {
                let e = max(lo[k] - qhi[k], qlo[k] - hi[k], 0)
                s += e * e
            }
            if d > BoundedTree.boxOnlyDimension {
                let c = r.centres + node * d, qc = q.centres + block * d
                var t = 0.0
                for k in 0..<d { let e = qc[k] - c[k]; t += e * e }
                let gap = t.squareRoot() - r.radii[node] - q.radii[block]
                if gap > 0 { s = max(s, gap * gap) }
            }
            return nodeMax[node] - cost(squared: s) * inverseEpsilon
        }

        /// The same bound for the single row point `x`.
        @inline(__always) func bound(_ node: Int, _ r: Nodes, _ x: UnsafePointer<Double>, _ nodeMax: UnsafePointer<Double>) -> Double {
            let d = dimension
            let lo = r.lower + node * d, hi = r.upper + node * d
            var s = 0.0
            for k in 0..<d {
                let e = max(lo[k] - x[k], x[k] - hi[k], 0)
                s += e * e
            }
            if d > BoundedTree.boxOnlyDimension {
                let c = r.centres + node * d
                var t = 0.0
                for k in 0..<d { let e = x[k] - c[k]; t += e * e }
                let gap = t.squareRoot() - r.radii[node]
                if gap > 0 { s = max(s, gap * gap) }
            }
            return nodeMax[node] - cost(squared: s) * inverseEpsilon
        }

        /// One walk for the rows of a query leaf: a node is entered when some row's own bound
        /// reaches its largest term so far minus θ, and a reference leaf is scanned for those rows only.
        func run(queryLeaf block: Int, queries q: Nodes, references r: Nodes, h: UnsafePointer<Double>,
                 nodeMax: UnsafePointer<Double>, out: Output) {
            let d = dimension, theta = TreeSoftmin.truncation
            let first = q.starts[block], rows = q.ends[block] - first
            let capacity = 130
            let stack = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
            let terms = UnsafeMutablePointer<Double>.allocate(capacity: largestReferenceLeaf)
            let costs = UnsafeMutablePointer<Double>.allocate(capacity: largestReferenceLeaf)
            let squared = UnsafeMutablePointer<Double>.allocate(capacity: largestReferenceLeaf)
            let needed = UnsafeMutablePointer<Bool>.allocate(capacity: largestQueryLeaf)
            defer { stack.deallocate(); terms.deallocate(); costs.deallocate(); squared.deallocate(); needed.deallocate() }
            let best = out.largest + first, sums = out.sum + first, costSums = out.costSum + first
            for i in 0..<rows { best[i] = -.infinity; sums[i] = 0; costSums[i] = 0 }
            var top = 1
            stack[0] = 0
            while top > 0 {
                top -= 1
                let node = stack[top]
                var any = false
                for i in 0..<rows {
                    let need = bound(node, r, q.points + (first + i) * d, nodeMax) >= best[i] - theta
                    needed[i] = need
                    any = any || need
                }
                if !any { continue }
                let left = r.lefts[node]
                if left >= 0 {
                    let right = r.rights[node]
                    precondition(top + 2 <= capacity, "tree deeper than the walk's stack")
                    // The child closer to the rows is pushed last, so it is visited first.
                    if bound(left, r, block, q, nodeMax) >= bound(right, r, block, q, nodeMax) {
                        stack[top] = right; stack[top + 1] = left
                    } else {
                        stack[top] = left; stack[top + 1] = right
                    }
                    top += 2
                    continue
                }
                let start = r.starts[node], count = r.ends[node] - start
                let columns = r.leafColumns + start * d
                for i in 0..<rows where needed[i] {
                    let x = q.points + (first + i) * d
                    for j in 0..<count { squared[j] = 0 }
                    for c in 0..<d {
                        let xc = x[c], column = columns + c * count
                        for j in 0..<count { let e = column[j] - xc; squared[j] += e * e }
                    }
                    var leafMax = -Double.infinity
                    for j in 0..<count {
                        let cj = cost(squared: squared[j])
                        costs[j] = cj
                        let t = h[start + j] - cj * inverseEpsilon
                        terms[j] = t
                        leafMax = t > leafMax ? t : leafMax
                    }
                    if leafMax > best[i] {
                        let rescale = best[i] == -.infinity ? 0 : exp(best[i] - leafMax)
                        sums[i] *= rescale
                        costSums[i] *= rescale
                        best[i] = leafMax
                    }
                    let m = best[i]
                    guard m > -.infinity else { continue }
                    if withCost {
                        var s = 0.0, sc = 0.0
                        for j in 0..<count { let w = fastExp(terms[j] - m); s += w; sc += w * costs[j] }
                        sums[i] += s
                        costSums[i] += sc
                    } else {
                        sums[i] += sumOfExps(terms, count: count, minus: m)
                    }
                }
            }
        }
    }
}
