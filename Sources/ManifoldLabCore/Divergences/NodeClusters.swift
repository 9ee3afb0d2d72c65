import Dispatch
import Foundation

/// Weighted nodes in low dimension grouped into compact clusters, for Gaussian kernel sums that
/// skip the clusters too far from a query to matter (see ``KernelSum``).
///
/// Clusters come from median splits on the widest coordinate down to ``clusterSize`` nodes; each
/// keeps its centre (the mean of its nodes), radius (largest distance to the centre) and largest
/// log-weight. Coordinates are stored per dimension in cluster order (structure of arrays), so the
/// loops over a cluster's nodes vectorise.
struct NodeClusters: Sendable {
    /// Nodes per cluster at most: 16 keeps a cluster of product-rule nodes (a 4 × 4 patch at spacing
    /// σ/2) small next to the ~8σ reach of the kernel, so few far nodes are summed.
    static let clusterSize = 16

    let dimension: Int
    let count: Int
    /// coordinates[c · count + j]: coordinate c of node j, nodes in cluster order.
    let coordinates: [Double]
    let logWeights: [Double]
    /// Cluster i holds nodes bounds[i]..<bounds[i + 1].
    let bounds: [Int]
    let centres: [Double]
    let radii: [Double]
    let largestLogWeights: [Double]

    init(nodes: Matrix<Double>, logWeights: [Double]) {
        let n = nodes.rows, m = nodes.columns
        var order = Array(0..<n)
        var bounds = [0]
        // Median splits on the widest coordinate, depth first, so clusters are in order.
        func split(_ start: Int, _ end: Int) {
            guard end - start > NodeClusters.clusterSize else { bounds.append(end); return }
            var widest = 0, width = -1.0
            for c in 0..<m {
                var low = Double.infinity, high = -Double.infinity
                for i in start..<end { let v = nodes[order[i], c]; low = min(low, v); high = max(high, v) }
                if high - low > width { width = high - low; widest = c }
            }
            order[start..<end].sort { nodes[$0, widest] < nodes[$1, widest] }
            let middle = (start + end) / 2
            split(start, middle)
            split(middle, end)
        }
        split(0, n)
        var coordinates = [Double](repeating: 0, count: n * m), weights = [Double](repeating: 0, count: n)
        for (position, j) in order.enumerated() {
            for c in 0..<m { coordinates[c * n + position] = nodes[j, c] }
            weights[position] = logWeights[j]
        }
        let clusterCount = bounds.count - 1
        var centres = [Double](repeating: 0, count: clusterCount * m), radii = [Double](repeating: 0, count: clusterCount)
        var largest = [Double](repeating: -.infinity, count: clusterCount)
        for i in 0..<clusterCount {
            let range = bounds[i]..<bounds[i + 1]
            for c in 0..<m {
                var s = 0.0
                for j in range { s += coordinates[c * n + j] }
                centres[i * m + c] = s / Double(range.count)
            }
            for j in range {
                var s = 0.0
                for c in 0..<m { let e = coordinates[c * n + j] - centres[i * m + c]; s += e * e }
                radii[i] = max(radii[i], s.squareRoot())
                largest[i] = max(largest[i], weights[j])
            }
            // Round-off in the centre and the distances: widen the radius by a relative 1e-12.
            radii[i] *= 1 + 1e-12
        }
        dimension = m
        count = n
        self.coordinates = coordinates
        self.logWeights = weights
        self.bounds = bounds
        self.centres = centres
        self.radii = radii
        largestLogWeights = largest
    }

    /// log Σ_j w_j exp(−|a_i − y_j|²/2σ²) for every row a_i of `queries`, leaving out clusters whose
    /// every term is below e^−`cutoff` times the largest term.
    func logSums(at queries: Matrix<Double>, sigma: Double, cutoff: Double) -> [Double] {
        let n = queries.rows
        var result = [Double](repeating: -.infinity, count: n)
        let chunk = 256, chunks = (n + chunk - 1) / chunk
        queries.storage.withUnsafeBufferPointer { q in
            result.withUnsafeMutableBufferPointer { r in
                nonisolated(unsafe) let qp = q.baseAddress!, rp = r.baseAddress!
                let body: @Sendable (Int) -> Void = { c in
                    Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                    let terms = UnsafeMutablePointer<Double>.allocate(capacity: count)
                    let upper = UnsafeMutablePointer<Double>.allocate(capacity: bounds.count)
                    defer { terms.deallocate(); upper.deallocate() }
                    for i in (c * chunk)..<min(n, (c + 1) * chunk) {
                        rp[i] = logSum(qp + i * dimension, scale: -1 / (2 * sigma * sigma), cutoff: cutoff,
                                       terms: terms, upper: upper)
                    }
                }
                if chunks > 1 && ProcessInfo.processInfo.activeProcessorCount >= 2 {
                    DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
                } else {
                    for c in 0..<chunks { body(c) }
                }
            }
        }
        return result
    }

    /// One query: bound every cluster's terms from above by its largest log-weight plus
    /// scale · (distance to the centre − radius)², compute the most promising cluster's terms, keep
    /// the clusters whose bound reaches within `cutoff` of the largest term so far, and sum their
    /// terms by a two-pass log-sum-exp.
    private func logSum(_ query: UnsafePointer<Double>, scale: Double, cutoff: Double,
                        terms: UnsafeMutablePointer<Double>, upper: UnsafeMutablePointer<Double>) -> Double {
        let m = dimension, clusterCount = bounds.count - 1
        return coordinates.withUnsafeBufferPointer { x in
        logWeights.withUnsafeBufferPointer { w in
        bounds.withUnsafeBufferPointer { b in
        centres.withUnsafeBufferPointer { centre in
        radii.withUnsafeBufferPointer { radius in
        largestLogWeights.withUnsafeBufferPointer { largest in
            var first = 0
            for i in 0..<clusterCount {
                var s = 0.0
                for c in 0..<m { let e = query[c] - centre[i * m + c]; s += e * e }
                let gap = max(s.squareRoot() - radius[i], 0)
                upper[i] = largest[i] + scale * gap * gap
                if upper[i] > upper[first] { first = i }
            }
            // Terms of one cluster into terms[offset...]; returns their maximum.
            func fill(_ i: Int, at offset: Int) -> Double {
                let start = b[i], width = b[i + 1] - start
                let out = terms + offset
                for j in 0..<width { out[j] = 0 }
                for c in 0..<m {
                    let qc = query[c], column = x.baseAddress! + c * count + start
                    for j in 0..<width { let e = qc - column[j]; out[j] += e * e }
                }
                var top = -Double.infinity
                for j in 0..<width {
                    out[j] = w[start + j] + scale * out[j]
                    top = max(top, out[j])
                }
                return top
            }
            var filled = b[first + 1] - b[first]
            var top = fill(first, at: 0)
            let threshold = top - cutoff
            for i in 0..<clusterCount where i != first && upper[i] >= threshold {
                top = max(top, fill(i, at: filled))
                filled += b[i + 1] - b[i]
            }
            guard top > -.infinity else { return -.infinity }
            return top + log(sumOfExps(terms, count: filled, minus: top))
        }}}}}}
    }
}
