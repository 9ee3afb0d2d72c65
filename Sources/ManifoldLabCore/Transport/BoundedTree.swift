import Foundation

/// A point cloud in k-d tree order with, for every node, a bounding box and an enclosing ball: the
/// lower bounds on distances with which ``TreeSoftmin`` skips whole nodes, and the clusters of the
/// multiscale Sinkhorn solver (the nodes at one depth).
struct BoundedTree {
    /// Points per leaf at most: large enough that a leaf's exps vectorise, small enough to prune.
    static let leafSize = 16
    /// Dimensions above which the ball bound is computed beside the box bound (boxes of a
    /// low-dimensional manifold turned in R^D are loose; balls are not).
    static let boxOnlyDimension = 8

    /// The points in tree order.
    let points: Matrix<Double>
    /// `original[k]`: the input row at tree position k.
    let original: [Int]
    /// Per node: tree positions, children (−1 for a leaf), box (node × D), ball.
    let starts: [Int], ends: [Int], lefts: [Int], rights: [Int]
    let lower: [Double], upper: [Double], centres: [Double], radii: [Double]
    /// The leaves' points coordinate by coordinate: a leaf of k points starting at tree position s
    /// holds coordinate c of its j-th point at s·D + c·k + j (contiguous loops over a leaf).
    let leafColumns: [Double]
    /// The leaves, in tree order, and the largest leaf's size.
    let leaves: [Int]
    let largestLeaf: Int

    var count: Int { points.rows }
    var dimension: Int { points.columns }
    var nodeCount: Int { starts.count }

    init(_ input: Matrix<Double>, leafSize: Int = BoundedTree.leafSize) {
        let tree = KDTree(input, leafSize: leafSize)
        let d = input.columns, nodes = tree.starts.count
        points = Matrix(rows: input.rows, columns: d, storage: tree.coordinates)
        original = tree.original
        starts = tree.starts; ends = tree.ends; lefts = tree.lefts; rights = tree.rights
        var lower = [Double](repeating: .infinity, count: nodes * d)
        var upper = [Double](repeating: -.infinity, count: nodes * d)
        var centres = [Double](repeating: 0, count: nodes * d)
        var radii = [Double](repeating: 0, count: nodes)
        tree.coordinates.withUnsafeBufferPointer { x in
            for node in 0..<nodes {
                let range = tree.starts[node]..<tree.ends[node]
                for i in range {
                    for k in 0..<d {
                        let v = x[i * d + k]
                        lower[node * d + k] = min(lower[node * d + k], v)
                        upper[node * d + k] = max(upper[node * d + k], v)
                        centres[node * d + k] += v
                    }
                }
                let inverse = 1 / Double(max(range.count, 1))
                for k in 0..<d { centres[node * d + k] *= inverse }
                var largest = 0.0
                for i in range {
                    var s = 0.0
                    for k in 0..<d { let e = x[i * d + k] - centres[node * d + k]; s += e * e }
                    largest = max(largest, s)
                }
                // Widened by a few ulps so that round-off in the centre never excludes a point.
                radii[node] = largest.squareRoot() * (1 + 1e-12)
            }
        }
        self.lower = lower; self.upper = upper; self.centres = centres; self.radii = radii
        var leaves: [Int] = [], largestLeaf = 1
        var leafColumns = [Double](repeating: 0, count: input.rows * d)
        for node in 0..<nodes where tree.lefts[node] < 0 {
            let start = tree.starts[node], k = tree.ends[node] - start
            leaves.append(node)
            largestLeaf = max(largestLeaf, k)
            for j in 0..<k { for c in 0..<d { leafColumns[start * d + c * k + j] = tree.coordinates[(start + j) * d + c] } }
        }
        self.leaves = leaves.sorted { tree.starts[$0] < tree.starts[$1] }
        self.largestLeaf = largestLeaf
        self.leafColumns = leafColumns
    }

    /// `values` (one per input row) rearranged into tree order.
    func inTreeOrder(_ values: [Double]) -> [Double] { original.map { values[$0] } }

    /// The nodes at `depth` (and the leaves above it), in tree order: a partition of the points
    /// into contiguous ranges.
    func cut(atDepth depth: Int) -> [Int] {
        var out: [Int] = [], stack: [(node: Int, depth: Int)] = [(0, 0)]
        while let (node, level) = stack.popLast() {
            if lefts[node] < 0 || level == depth { out.append(node); continue }
            stack.append((rights[node], level + 1))
            stack.append((lefts[node], level + 1))
        }
        return out
    }

    /// The cut with at most `limit` clusters and as many as possible (median splits halve counts).
    func clusters(atMost limit: Int) -> [Int] {
        var depth = 0
        while (1 << (depth + 1)) <= limit && depth < 60 { depth += 1 }
        return cut(atDepth: depth)
    }

    /// One point per cluster: the mass-weighted mean of its points (the plain mean for a cluster
    /// without mass), and the cluster's mass; `masses` in tree order. Also the root mean square,
    /// over the mass, of the clusters' radii about those means.
    func coarsened(_ clusters: [Int], masses: [Double]) -> (points: Matrix<Double>, masses: [Double], radius: Double) {
        let d = dimension
        var out = Matrix<Double>(rows: clusters.count, columns: d)
        var weights = [Double](repeating: 0, count: clusters.count)
        var squaredRadius = 0.0
        points.storage.withUnsafeBufferPointer { x in
            for (c, node) in clusters.enumerated() {
                let range = starts[node]..<ends[node]
                var total = 0.0
                for i in range { total += masses[i] }
                for i in range {
                    let w = total > 0 ? masses[i] / total : 1 / Double(range.count)
                    for k in 0..<d { out[c, k] += w * x[i * d + k] }
                }
                var largest = 0.0
                for i in range {
                    var s = 0.0
                    for k in 0..<d { let e = x[i * d + k] - out[c, k]; s += e * e }
                    largest = max(largest, s)
                }
                weights[c] = total
                squaredRadius += total * largest
            }
        }
        return (out, weights, squaredRadius.squareRoot())
    }
}
