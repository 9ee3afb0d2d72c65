import Foundation

/// The network simplex method for the transportation problem
///   min Σ C_ij P_ij  subject to  Σ_j P_ij = a_i,  Σ_i P_ij = b_j,  P ≥ 0,
/// on a dense `n × m` cost matrix, in the style of LEMON's `NetworkSimplex` (the code inside POT's
/// `ot.emd`): a spanning-tree basis stored as parent/thread/successor arrays, block-search
/// pivoting (blocks of √(nm) arcs), and big-M artificial arcs to a root node for the first basis.
///
/// The transportation problem is uncapacitated, so arcs outside the tree always carry zero flow:
/// flows are kept per tree node (the flow on the arc to its parent), and the `n·m` arcs need no
/// storage beyond the cost matrix. Memory: the cost matrix plus O(n + m).
struct NetworkSimplex {
    enum Outcome {
        /// The optimal cost Σ C_ij P_ij (in the units of the supplies), pivots, and the largest
        /// marginal violation of the final plan.
        case optimal(cost: Double, pivots: Int, marginalError: Double)
        /// The pivot limit was reached with improving arcs left.
        case iterationLimit(pivots: Int)
    }

    /// Solves the problem for costs `cost` (row-major n × m), supplies `a` (n) and demands `b` (m)
    /// with Σa = Σb (up to round-off, absorbed by the root node).
    static func solve(cost: UnsafePointer<Double>, n: Int, m: Int, a: [Double], b: [Double],
                      maxPivots: Int) -> Outcome {
        let solver = NetworkSimplex(cost: cost, n: n, m: m, a: a, b: b)
        defer { solver.deallocate() }
        return solver.run(maxPivots: maxPivots)
    }

    let n: Int, m: Int
    let nodeCount: Int, root: Int
    /// Real arcs 0..<n·m (arc e goes from supply node e / m to demand node n + e % m); artificial
    /// arcs n·m + u join node u and the root.
    let realArcs: Int
    let cost: UnsafePointer<Double>
    let artificialCost: UnsafeMutablePointer<Double>
    /// For artificial arc n·m + u: true when it points u → root, false when root → u.
    let artificialUp: UnsafeMutablePointer<Bool>
    let parent: UnsafeMutablePointer<Int>
    let pred: UnsafeMutablePointer<Int>
    let thread: UnsafeMutablePointer<Int>
    let revThread: UnsafeMutablePointer<Int>
    let succNum: UnsafeMutablePointer<Int>
    let lastSucc: UnsafeMutablePointer<Int>
    /// +1 when the tree arc to the parent points up (u → parent), −1 when down.
    let predDir: UnsafeMutablePointer<Double>
    let pi: UnsafeMutablePointer<Double>
    /// Flow on the tree arc `pred[u]`.
    let treeFlow: UnsafeMutablePointer<Double>
    let dirtyRevs: UnsafeMutablePointer<Int>
    let supplyA: [Double], demandB: [Double]

    init(cost: UnsafePointer<Double>, n: Int, m: Int, a: [Double], b: [Double]) {
        self.n = n; self.m = m
        nodeCount = n + m
        root = n + m
        realArcs = n * m
        self.cost = cost
        supplyA = a; demandB = b
        let nodes = n + m + 1
        artificialCost = .allocate(capacity: nodes)
        artificialUp = .allocate(capacity: nodes)
        parent = .allocate(capacity: nodes)
        pred = .allocate(capacity: nodes)
        thread = .allocate(capacity: nodes)
        revThread = .allocate(capacity: nodes + 1)
        succNum = .allocate(capacity: nodes)
        lastSucc = .allocate(capacity: nodes)
        predDir = .allocate(capacity: nodes)
        pi = .allocate(capacity: nodes)
        treeFlow = .allocate(capacity: nodes)
        dirtyRevs = .allocate(capacity: nodes + 1)
    }

    func deallocate() {
        artificialCost.deallocate(); artificialUp.deallocate(); parent.deallocate(); pred.deallocate()
        thread.deallocate(); revThread.deallocate(); succNum.deallocate(); lastSucc.deallocate()
        predDir.deallocate(); pi.deallocate(); treeFlow.deallocate(); dirtyRevs.deallocate()
    }

    @inline(__always) func source(_ e: Int) -> Int {
        if e < realArcs { return e / m }
        let u = e - realArcs
        return artificialUp[u] ? u : root
    }

    @inline(__always) func target(_ e: Int) -> Int {
        if e < realArcs { return n + e % m }
        let u = e - realArcs
        return artificialUp[u] ? root : u
    }

    @inline(__always) func arcCost(_ e: Int) -> Double {
        e < realArcs ? cost[e] : artificialCost[e - realArcs]
    }

    /// The initial basis: every node hangs from the root by an artificial arc carrying its supply.
    func initialise() {
        var largest = 0.0
        for e in 0..<realArcs where cost[e] > largest { largest = cost[e] }
        let big = (largest + 1) * Double(nodeCount + 1)
        parent[root] = -1
        pred[root] = -1
        thread[root] = 0
        revThread[0] = root
        succNum[root] = nodeCount + 1
        lastSucc[root] = root - 1
        pi[root] = 0
        treeFlow[root] = 0
        predDir[root] = 0
        for u in 0..<nodeCount {
            let supply = u < n ? supplyA[u] : -demandB[u - n]
            parent[u] = root
            pred[u] = realArcs + u
            thread[u] = u + 1
            revThread[u + 1] = u
            succNum[u] = 1
            lastSucc[u] = u
            if supply >= 0 {
                predDir[u] = 1
                pi[u] = 0
                artificialUp[u] = true
                artificialCost[u] = 0
                treeFlow[u] = supply
            } else {
                predDir[u] = -1
                pi[u] = big
                artificialUp[u] = false
                artificialCost[u] = big
                treeFlow[u] = -supply
            }
        }
    }

    func run(maxPivots: Int) -> Outcome {
        initialise()
        let blockSize = max(10, Int(Double(realArcs).squareRoot().rounded(.up)))
        var nextArc = 0
        var pivots = 0
        while true {
            Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
            guard let inArc = findEnteringArc(blockSize: blockSize, nextArc: &nextArc) else { break }
            if pivots >= maxPivots { return .iterationLimit(pivots: pivots) }
            pivots += 1
            pivot(inArc)
        }
        return .optimal(cost: totalCost(), pivots: pivots, marginalError: marginalError())
    }

    /// Block search: scan blocks of arcs from where the last search stopped; return the most
    /// negative reduced cost arc of the first block holding one, or nil at optimality.
    /// Reduced costs below −2.2e-15 × max(|c|, |π_s|, |π_t|) count as negative (round-off guard).
    func findEnteringArc(blockSize: Int, nextArc: inout Int) -> Int? {
        var best = 0.0, bestArc = -1
        var remaining = blockSize
        var e = nextArc
        var scanned = 0
        let total = realArcs
        while scanned < total {
            // One row segment: arcs e ..< e + len all leave supply node i.
            let i = e / m
            let j0 = e - i * m
            let len = min(m - j0, remaining, total - scanned)
            let piI = pi[i]
            let rowCost = cost + e
            let piDemand = pi + n + j0
            let (segBest, segArc) = NetworkSimplex.rowMinimum(rowCost, piDemand, count: len)
            if segArc >= 0 && segBest + piI < best { best = segBest + piI; bestArc = e + segArc }
            e += len
            if e == total { e = 0 }
            scanned += len
            remaining -= len
            if remaining == 0 {
                if bestArc >= 0 && isNegative(best, arc: bestArc) { nextArc = e; return bestArc }
                remaining = blockSize
            }
        }
        if bestArc >= 0 && isNegative(best, arc: bestArc) { nextArc = e; return bestArc }
        return nil
    }

    /// min_k (c[k] − π[k]) and its index, eight lanes at a time (AVX-512 / two AVX2 registers).
    @inline(__always)
    static func rowMinimum(_ c: UnsafePointer<Double>, _ p: UnsafePointer<Double>, count: Int) -> (Double, Int) {
        var k = 0
        var bestValue = Double.infinity, bestIndex = -1
        if count >= 8 {
            var laneBest = SIMD8<Double>(repeating: .infinity)
            var laneIndex = SIMD8<Int64>(repeating: -1)
            var index = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7)
            let raw = UnsafeRawPointer(c), rawP = UnsafeRawPointer(p)
            while k + 8 <= count {
                let v = raw.loadUnaligned(fromByteOffset: k * 8, as: SIMD8<Double>.self)
                      - rawP.loadUnaligned(fromByteOffset: k * 8, as: SIMD8<Double>.self)
                let better = v .< laneBest
                laneBest.replace(with: v, where: better)
                laneIndex.replace(with: index, where: better)
                index &+= 8
                k += 8
            }
            for lane in 0..<8 where laneBest[lane] < bestValue || (laneBest[lane] == bestValue && Int(laneIndex[lane]) < bestIndex) {
                bestValue = laneBest[lane]; bestIndex = Int(laneIndex[lane])
            }
        }
        while k < count {
            let v = c[k] - p[k]
            if v < bestValue { bestValue = v; bestIndex = k }
            k += 1
        }
        return (bestValue, bestIndex)
    }

    @inline(__always) func isNegative(_ reduced: Double, arc: Int) -> Bool {
        let scale = max(abs(cost[arc]), abs(pi[source(arc)]), abs(pi[target(arc)]))
        return reduced < -2.2204460492503131e-15 * scale
    }

    /// One pivot: find the cycle's join node and leaving arc, push flow, re-hang the tree, and
    /// update the potentials of the moved subtree.
    func pivot(_ inArc: Int) {
        let s = source(inArc), t = target(inArc)
        // Join node: the first common ancestor.
        var u = s, v = t
        while u != v {
            if succNum[u] < succNum[v] { u = parent[u] } else { v = parent[v] }
        }
        let join = u
        // Leaving arc: the entering arc pushes flow s → t; flow on the cycle decreases on arcs
        // pointing up on the s side and on arcs pointing down on the t side.
        var delta = Double.infinity
        var uOut = -1
        var result = 0
        u = s
        while u != join {
            if predDir[u] > 0 && treeFlow[u] < delta { delta = treeFlow[u]; uOut = u; result = 1 }
            u = parent[u]
        }
        u = t
        while u != join {
            if predDir[u] < 0 && treeFlow[u] <= delta { delta = treeFlow[u]; uOut = u; result = 2 }
            u = parent[u]
        }
        precondition(result != 0, "network simplex: unbounded cycle (cannot happen with finite supplies)")
        let uIn: Int, vIn: Int
        if result == 1 { uIn = s; vIn = t } else { uIn = t; vIn = s }

        // Push delta around the cycle.
        if delta > 0 {
            u = s
            while u != join { treeFlow[u] -= predDir[u] * delta; u = parent[u] }
            u = t
            while u != join { treeFlow[u] += predDir[u] * delta; u = parent[u] }
        }
        updateTree(inArc: inArc, uIn: uIn, vIn: vIn, uOut: uOut, join: join, enteringFlow: delta)
        // Potentials of the subtree now hanging from v_in by the entering arc.
        let sigma = pi[vIn] - pi[uIn] - predDir[uIn] * arcCost(inArc)
        let end = thread[lastSucc[uIn]]
        u = uIn
        while u != end { pi[u] += sigma; u = thread[u] }
    }

    /// LEMON's `updateTreeStructure`, with the flow of each tree arc moving along with `pred`.
    func updateTree(inArc: Int, uIn: Int, vIn: Int, uOut: Int, join: Int, enteringFlow: Double) {
        let oldRevThread = revThread[uOut]
        let oldSuccNum = succNum[uOut]
        let oldLastSucc = lastSucc[uOut]
        let vOut = parent[uOut]
        let inSource = source(inArc)

        if uIn == uOut {
            parent[uIn] = vIn
            pred[uIn] = inArc
            predDir[uIn] = uIn == inSource ? 1 : -1
            treeFlow[uIn] = enteringFlow
            if thread[vIn] != uOut {
                var after = thread[oldLastSucc]
                thread[oldRevThread] = after
                revThread[after] = oldRevThread
                after = thread[vIn]
                thread[vIn] = uOut
                revThread[uOut] = vIn
                thread[oldLastSucc] = after
                revThread[after] = oldLastSucc
            }
        } else {
            let threadContinue = oldRevThread == vIn ? thread[oldLastSucc] : thread[vIn]
            var stem = uIn
            var parStem = vIn
            var last = lastSucc[uIn]
            var after = thread[last]
            thread[vIn] = uIn
            var dirty = 0
            dirtyRevs[dirty] = vIn; dirty += 1
            while stem != uOut {
                let nextStem = parent[stem]
                thread[last] = nextStem
                dirtyRevs[dirty] = last; dirty += 1
                let before = revThread[stem]
                thread[before] = after
                revThread[after] = before
                parent[stem] = parStem
                parStem = stem
                stem = nextStem
                last = lastSucc[stem] == lastSucc[parStem] ? revThread[parStem] : lastSucc[stem]
                after = thread[last]
            }
            parent[uOut] = parStem
            thread[last] = threadContinue
            revThread[threadContinue] = last
            lastSucc[uOut] = last
            if oldRevThread != vIn {
                thread[oldRevThread] = after
                revThread[after] = oldRevThread
            }
            for k in 0..<dirty {
                let w = dirtyRevs[k]
                revThread[thread[w]] = w
            }
            var tmpSc = 0
            let tmpLs = lastSucc[uOut]
            var w = uOut
            var p = parent[w]
            while w != uIn {
                pred[w] = pred[p]
                predDir[w] = -predDir[p]
                treeFlow[w] = treeFlow[p]
                tmpSc += succNum[w] - succNum[p]
                succNum[w] = tmpSc
                lastSucc[p] = tmpLs
                w = p
                p = parent[w]
            }
            pred[uIn] = inArc
            predDir[uIn] = uIn == inSource ? 1 : -1
            treeFlow[uIn] = enteringFlow
            succNum[uIn] = oldSuccNum
        }

        let upLimitOut = lastSucc[join] == vIn ? join : -1
        let lastSuccOut = lastSucc[uOut]
        var w = vIn
        while w != -1 && lastSucc[w] == vIn {
            lastSucc[w] = lastSuccOut
            w = parent[w]
        }
        if join != oldRevThread && vIn != oldRevThread {
            w = vOut
            while w != upLimitOut && lastSucc[w] == oldLastSucc {
                lastSucc[w] = oldRevThread
                w = parent[w]
            }
        } else if lastSuccOut != oldLastSucc {
            w = vOut
            while w != upLimitOut && lastSucc[w] == oldLastSucc {
                lastSucc[w] = lastSuccOut
                w = parent[w]
            }
        }
        w = vIn
        while w != join { succNum[w] += oldSuccNum; w = parent[w] }
        w = vOut
        while w != join { succNum[w] -= oldSuccNum; w = parent[w] }
    }

    /// Σ flow × cost over the tree's real arcs (non-tree arcs carry no flow).
    func totalCost() -> Double {
        var total = 0.0
        for u in 0..<nodeCount where pred[u] < realArcs {
            total += treeFlow[u] * cost[pred[u]]
        }
        return total
    }

    /// The largest violation of the row and column sums by the final plan.
    func marginalError() -> Double {
        var rows = [Double](repeating: 0, count: n), columns = [Double](repeating: 0, count: m)
        for u in 0..<nodeCount where pred[u] < realArcs {
            let e = pred[u]
            rows[e / m] += treeFlow[u]
            columns[e % m] += treeFlow[u]
        }
        var worst = 0.0
        for i in 0..<n { worst = max(worst, abs(rows[i] - supplyA[i])) }
        for j in 0..<m { worst = max(worst, abs(columns[j] - demandB[j])) }
        return worst
    }
}
