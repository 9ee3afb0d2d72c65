import Foundation

/// The Jonker–Volgenant shortest augmenting path algorithm (LAPJV) for the linear assignment
/// problem min Σ_i C[i, σ(i)] over permutations σ, on a dense `n × n` cost matrix.
///
/// Phases: column reduction, reduction transfer, two rounds of augmenting row reduction, then a
/// Dijkstra-like shortest augmenting path from each row still free. Exact in floating point (only
/// comparisons and subtractions of costs and prices). Memory: the cost matrix plus O(n).
///
/// Optimal transport between two uniform samples of the same size is an assignment problem
/// (Birkhoff–von Neumann), so W_p^p = (1/n) Σ_i C[i, σ*(i)].
enum LinearAssignment {
    struct Solution {
        /// `rowToColumn[i]` = σ(i).
        var rowToColumn: [Int]
        /// Σ_i C[i, σ(i)].
        var cost: Double
        /// Shortest augmenting paths run after the reduction phases.
        var augmentations: Int
    }

    static func solve(cost c: UnsafePointer<Double>, n: Int) -> Solution {
        precondition(n >= 1)
        if n == 1 { return Solution(rowToColumn: [0], cost: c[0], augmentations: 0) }
        var rowsol = [Int](repeating: -1, count: n)
        var colsol = [Int](repeating: -1, count: n)
        var v = [Double](repeating: 0, count: n)
        var free = [Int](repeating: 0, count: n)
        var collist = [Int](repeating: 0, count: n)
        var matches = [Int](repeating: 0, count: n)
        var d = [Double](repeating: 0, count: n)
        var pred = [Int](repeating: 0, count: n)
        var augmentations = 0

        rowsol.withUnsafeMutableBufferPointer { rowsol in
        colsol.withUnsafeMutableBufferPointer { colsol in
        v.withUnsafeMutableBufferPointer { v in
        free.withUnsafeMutableBufferPointer { free in
        collist.withUnsafeMutableBufferPointer { collist in
        matches.withUnsafeMutableBufferPointer { matches in
        d.withUnsafeMutableBufferPointer { d in
        pred.withUnsafeMutableBufferPointer { pred in
            // Column reduction, in reverse order (better initial assignments, per JV).
            for j in stride(from: n - 1, through: 0, by: -1) {
                var minimum = c[j], imin = 0
                for i in 1..<n where c[i * n + j] < minimum { minimum = c[i * n + j]; imin = i }
                v[j] = minimum
                matches[imin] += 1
                if matches[imin] == 1 { rowsol[imin] = j; colsol[j] = imin } else { colsol[j] = -1 }
            }
            // Reduction transfer.
            var numFree = 0
            for i in 0..<n {
                if matches[i] == 0 {
                    free[numFree] = i; numFree += 1
                } else if matches[i] == 1 {
                    let j1 = rowsol[i]
                    var minimum = Double.infinity
                    let row = c + i * n
                    for j in 0..<n where j != j1 { minimum = min(minimum, row[j] - v[j]) }
                    v[j1] -= minimum
                }
            }
            // Augmenting row reduction, twice. Its inner loop can cycle on floating-point ties,
            // so the number of steps is capped; rows not reduced go to the augmentation phase.
            for _ in 0..<2 {
                var k = 0
                let previousFree = numFree
                numFree = 0
                var steps = 0
                let stepLimit = 10 * n
                while k < previousFree {
                    if steps >= stepLimit {
                        while k < previousFree { free[numFree] = free[k]; numFree += 1; k += 1 }
                        break
                    }
                    steps += 1
                    let i = free[k]
                    k += 1
                    let row = c + i * n
                    var umin = row[0] - v[0], usubmin = Double.infinity
                    var j1 = 0, j2 = 0
                    for j in 1..<n {
                        let h = row[j] - v[j]
                        if h < usubmin {
                            if h >= umin { usubmin = h; j2 = j } else { usubmin = umin; umin = h; j2 = j1; j1 = j }
                        }
                    }
                    var i0 = colsol[j1]
                    if umin < usubmin {
                        v[j1] -= usubmin - umin
                    } else if i0 >= 0 {
                        j1 = j2
                        i0 = colsol[j2]
                    }
                    rowsol[i] = j1
                    colsol[j1] = i
                    if i0 >= 0 {
                        if umin < usubmin {
                            k -= 1
                            free[k] = i0
                        } else {
                            free[numFree] = i0; numFree += 1
                        }
                    }
                }
            }
            // Augmentation: a shortest alternating path from each free row.
            for f in 0..<numFree {
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                augmentations += 1
                let freeRow = free[f]
                let frow = c + freeRow * n
                for j in 0..<n { d[j] = frow[j] - v[j]; pred[j] = freeRow; collist[j] = j }
                var low = 0, up = 0, last = 0
                var minimum = 0.0
                var endOfPath = -1
                while endOfPath < 0 {
                    if up == low {
                        last = low - 1
                        minimum = d[collist[up]]
                        up += 1
                        var k = up
                        while k < n {
                            let j = collist[k]
                            let h = d[j]
                            if h <= minimum {
                                if h < minimum { up = low; minimum = h }
                                collist[k] = collist[up]
                                collist[up] = j
                                up += 1
                            }
                            k += 1
                        }
                        for k in low..<up where colsol[collist[k]] < 0 { endOfPath = collist[k]; break }
                    }
                    if endOfPath < 0 {
                        let j1 = collist[low]
                        low += 1
                        let i = colsol[j1]
                        let row = c + i * n
                        let h = row[j1] - v[j1] - minimum
                        var k = up
                        while k < n {
                            let j = collist[k]
                            let v2 = row[j] - v[j] - h
                            if v2 < d[j] {
                                pred[j] = i
                                if v2 == minimum {
                                    if colsol[j] < 0 { endOfPath = j; break }
                                    collist[k] = collist[up]
                                    collist[up] = j
                                    up += 1
                                }
                                d[j] = v2
                            }
                            k += 1
                        }
                    }
                }
                // Update the prices of the columns scanned before the last minimum.
                if last >= 0 {
                    for k in 0...last { let j1 = collist[k]; v[j1] += d[j1] - minimum }
                }
                // Flip the alternating path.
                var j = endOfPath
                while true {
                    let i = pred[j]
                    colsol[j] = i
                    let next = rowsol[i]
                    rowsol[i] = j
                    j = next
                    if i == freeRow { break }
                }
            }
        }}}}}}}}
        var total = 0.0
        for i in 0..<n { total += c[i * n + rowsol[i]] }
        return Solution(rowToColumn: rowsol, cost: total, augmentations: augmentations)
    }
}
