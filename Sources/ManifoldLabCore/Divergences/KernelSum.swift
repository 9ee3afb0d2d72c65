import Foundation

/// log Σ_j w_j exp(−|a_i − y_j|² / 2σ²) for every query row a_i: a Gaussian kernel summed over a
/// weighted node set (quadrature nodes on a manifold, or the points of a sample file).
///
/// In low dimension (m ≤ ``clusteredDimensionLimit``: quadrature nodes of curves and surfaces)
/// the nodes are grouped into compact clusters (``NodeClusters``) and a query skips every cluster
/// whose terms are all below e^−``cutoff`` of the largest term found, then sums the rest by a
/// two-pass log-sum-exp with the vectorised `fastExp`: with σ small against the manifold, a query
/// sees only the nodes within ~9σ of it. In higher dimension distances come from BLAS tiles
/// (|a|² + |y|² − 2a·yᵀ, one gemm per tile) and an online log-sum-exp. Either way nothing underflows
/// however small σ is. Queries are split into chunks run on two threads when two cores are there
/// (each chunk writes only its own results: the values do not depend on the thread count).
/// - Complexity: O(n · N · m) time at worst, O(n · (N/c + near nodes) · m) with clusters.
public struct KernelSum: Sendable {
    /// N × m node coordinates.
    public let nodes: Matrix<Double>
    /// log w_j for each node.
    public let logWeights: [Double]
    let nodeNorms: [Double]
    /// The nodes in clusters, when m ≤ ``clusteredDimensionLimit``.
    let clusters: NodeClusters?

    /// Node dimensions served by clusters; above it, by BLAS tiles.
    static let clusteredDimensionLimit = 8
    /// Terms below e^−cutoff times the largest one are skipped: each changes the sum by less than
    /// 1e−13 relative, all N of them together (N ≤ 2·10⁶ product-rule nodes) by less than 2e−7 —
    /// an error in log p_σ four orders below any Monte Carlo error reported here. (The grid rule for
    /// curves has always skipped terms below e^−40.)
    static let cutoff = 30.0

    public init(nodes: Matrix<Double>, logWeights: [Double]) {
        precondition(logWeights.count == nodes.rows)
        self.nodes = nodes
        self.logWeights = logWeights
        self.nodeNorms = nodes.squaredRowNorms()
        clusters = nodes.columns <= KernelSum.clusteredDimensionLimit ? NodeClusters(nodes: nodes, logWeights: logWeights) : nil
    }

    /// Equal weights 1/N.
    public init(nodes: Matrix<Double>) {
        self.init(nodes: nodes, logWeights: Array(repeating: -log(Double(nodes.rows)), count: nodes.rows))
    }

    /// The log kernel sums at each row of `queries` (n × m), for kernel width σ.
    public func logSums(at queries: Matrix<Double>, sigma: Double) -> [Double] {
        precondition(queries.columns == nodes.columns)
        if let clusters { return clusters.logSums(at: queries, sigma: sigma, cutoff: KernelSum.cutoff) }
        let n = queries.rows, total = nodes.rows, m = nodes.columns
        let scale = -1 / (2 * sigma * sigma)
        let queryTile = 128, nodeTile = 2048
        var result = [Double](repeating: -.infinity, count: n)
        var running = [Double](repeating: 0, count: n)  // Σ exp(term − result[i])
        var cross = [Double](repeating: 0, count: queryTile * nodeTile)
        let queryNorms = queries.squaredRowNorms()
        queries.storage.withUnsafeBufferPointer { a in
            nodes.storage.withUnsafeBufferPointer { y in
                for i0 in stride(from: 0, to: n, by: queryTile) {
                    Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl, wasserstein, divergences stop here
                    let rows = min(queryTile, n - i0)
                    for j0 in stride(from: 0, to: total, by: nodeTile) {
                        let cols = min(nodeTile, total - j0)
                        cross.withUnsafeMutableBufferPointer { c in
                            Double.gemm(transA: false, transB: true, m: rows, n: cols, k: m, alpha: 1,
                                        a: a.baseAddress! + i0 * m, lda: m, b: y.baseAddress! + j0 * m, ldb: m,
                                        beta: 0, c: c.baseAddress!, ldc: cols)
                        }
                        cross.withUnsafeBufferPointer { c in
                            logWeights.withUnsafeBufferPointer { w in
                                nodeNorms.withUnsafeBufferPointer { yn in
                                    for r in 0..<rows {
                                        let i = i0 + r
                                        var best = result[i], sum = running[i]
                                        for t in 0..<cols {
                                            let d2 = max(queryNorms[i] + yn[j0 + t] - 2 * c[r * cols + t], 0)
                                            let term = w[j0 + t] + scale * d2
                                            if term > best {
                                                sum = sum * exp(best - term) + 1
                                                best = term
                                            } else if term - best > -40 {  // smaller terms cannot change the sum
                                                sum += exp(term - best)
                                            }
                                        }
                                        result[i] = best
                                        running[i] = sum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for i in 0..<n where result[i] > -.infinity { result[i] += log(running[i]) }
        return result
    }
}
