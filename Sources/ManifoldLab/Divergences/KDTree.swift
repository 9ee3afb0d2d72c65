/// A k-d tree over the rows of a point matrix, for k-nearest-neighbour distances in low dimension
/// (where it beats the O(n·N) BLAS tiles of ``NearestNeighbours`` by orders of magnitude).
///
/// Built by median splits on the widest coordinate (O(N log² N)); leaves hold up to 16 points.
/// - Complexity: a query costs O(log N) on average in fixed low dimension.
struct KDTree {
    let points: Matrix<Double>
    private var order: [Int]
    private var nodes: [Node] = []

    private struct Node {
        var start: Int, end: Int         // rows order[start..<end]
        var axis: Int = -1, split = 0.0  // axis < 0: leaf
        var left = -1, right = -1
    }

    init(_ points: Matrix<Double>) {
        self.points = points
        order = Array(0..<points.rows)
        _ = build(0, points.rows)
    }

    private mutating func build(_ start: Int, _ end: Int) -> Int {
        let index = nodes.count
        nodes.append(Node(start: start, end: end))
        guard end - start > 16 else { return index }
        let d = points.columns
        var widest = 0, width = -1.0
        for axis in 0..<d {
            var low = Double.infinity, high = -Double.infinity
            for i in start..<end { let v = points[order[i], axis]; low = min(low, v); high = max(high, v) }
            if high - low > width { width = high - low; widest = axis }
        }
        guard width > 0 else { return index }  // all points equal: keep as a leaf
        let points = self.points
        order[start..<end].sort { points[$0, widest] < points[$1, widest] }
        let middle = (start + end) / 2
        nodes[index].axis = widest
        nodes[index].split = points[order[middle], widest]
        let left = build(start, middle)
        let right = build(middle, end)
        nodes[index].left = left
        nodes[index].right = right
        return index
    }

    /// The k smallest distances from `query` to the tree's points, ascending, skipping row `skip`.
    func nearest(_ query: UnsafeBufferPointer<Double>, k: Int, skip: Int = -1, into best: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<k { best[i] = .infinity }  // squared distances while searching
        search(0, query, k, skip, best)
        for i in 0..<k { best[i] = best[i].squareRoot() }
    }

    private func search(_ index: Int, _ query: UnsafeBufferPointer<Double>, _ k: Int, _ skip: Int,
                        _ best: UnsafeMutableBufferPointer<Double>) {
        let node = nodes[index]
        if node.axis < 0 {
            let d = points.columns
            points.storage.withUnsafeBufferPointer { x in
                for i in node.start..<node.end {
                    let row = order[i]
                    if row == skip { continue }
                    var squared = 0.0
                    for c in 0..<d { let e = x[row * d + c] - query[c]; squared += e * e }
                    if squared < best[k - 1] {
                        var slot = k - 1
                        while slot > 0 && best[slot - 1] > squared { best[slot] = best[slot - 1]; slot -= 1 }
                        best[slot] = squared
                    }
                }
            }
            return
        }
        let gap = query[node.axis] - node.split
        let (near, far) = gap < 0 ? (node.left, node.right) : (node.right, node.left)
        search(near, query, k, skip, best)
        if gap * gap < best[k - 1] { search(far, query, k, skip, best) }
    }
}
