/// A k-d tree over the rows of a point matrix, for k-nearest-neighbour distances in low dimension
/// (where it beats the O(n·N) BLAS tiles of ``NearestNeighbours`` by orders of magnitude).
///
/// Built by median splits on the widest coordinate, each found by selection (quickselect, O(N) per
/// level, so O(N log N) in all); leaves hold up to ``leafSize`` points. The points are copied in
/// tree order, so a leaf's coordinates are contiguous and a query scans them without indirection;
/// `original[i]` remembers which input row sits at tree position i (for skipping a query's self).
/// - Complexity: a query costs O(log N) on average in fixed low dimension.
struct KDTree {
    /// Points per leaf at most, for nearest-neighbour queries: 8 beats 16 and 4 on 10⁴ Gaussian
    /// points in R^3 (callgrind).
    static let leafSize = 8

    /// This tree's largest leaf.
    let leafSize: Int

    let dimension: Int
    /// The points in tree order, row-major.
    private(set) var coordinates: [Double]
    /// Input row of each tree position.
    private(set) var original: [Int]
    /// Per node: its range of tree positions, split axis (−1 for a leaf), split value, children
    /// (node 0 is the root; a child's index is larger than its parent's).
    private(set) var starts: [Int] = [], ends: [Int] = [], axes: [Int] = [], splits: [Double] = []
    private(set) var lefts: [Int] = [], rights: [Int] = []

    init(_ points: Matrix<Double>, leafSize: Int = KDTree.leafSize) {
        self.leafSize = leafSize
        dimension = points.columns
        coordinates = points.storage
        original = Array(0..<points.rows)
        _ = build(0, points.rows)
    }

    private mutating func addNode(_ start: Int, _ end: Int) -> Int {
        starts.append(start); ends.append(end); axes.append(-1); splits.append(0)
        lefts.append(-1); rights.append(-1)
        return starts.count - 1
    }

    private mutating func build(_ start: Int, _ end: Int) -> Int {
        let index = addNode(start, end)
        guard end - start > leafSize else { return index }
        let d = dimension
        var widest = 0, width = -1.0
        coordinates.withUnsafeBufferPointer { x in
            for axis in 0..<d {
                var low = Double.infinity, high = -Double.infinity
                for i in start..<end { let v = x[i * d + axis]; low = min(low, v); high = max(high, v) }
                if high - low > width { width = high - low; widest = axis }
            }
        }
        guard width > 0 else { return index }  // all points equal: keep as a leaf
        let middle = (start + end) / 2
        select(middle, in: start..<end, axis: widest)
        axes[index] = widest
        splits[index] = coordinates[middle * d + widest]
        let left = build(start, middle)
        let right = build(middle, end)
        lefts[index] = left
        rights[index] = right
        return index
    }

    /// Rearranges positions `range` so that position `nth` holds the value it would hold if the
    /// range were sorted on `axis`, smaller-or-equal values before it and larger-or-equal after
    /// (Hoare partitioning around the median of three; rows move with their coordinates).
    private mutating func select(_ nth: Int, in range: Range<Int>, axis: Int) {
        let d = dimension
        coordinates.withUnsafeMutableBufferPointer { x in
            original.withUnsafeMutableBufferPointer { o in
                func value(_ i: Int) -> Double { x[i * d + axis] }
                func swapRows(_ i: Int, _ j: Int) {
                    guard i != j else { return }
                    for c in 0..<d { let t = x[i * d + c]; x[i * d + c] = x[j * d + c]; x[j * d + c] = t }
                    let t = o[i]; o[i] = o[j]; o[j] = t
                }
                var low = range.lowerBound, high = range.upperBound - 1
                while high > low {
                    let mid = (low + high) / 2
                    if value(mid) < value(low) { swapRows(mid, low) }
                    if value(high) < value(low) { swapRows(high, low) }
                    if value(high) < value(mid) { swapRows(high, mid) }
                    let pivot = value(mid)
                    var i = low, j = high
                    while i <= j {
                        while value(i) < pivot { i += 1 }
                        while value(j) > pivot { j -= 1 }
                        if i <= j { swapRows(i, j); i += 1; j -= 1 }
                    }
                    if nth <= j { high = j } else if nth >= i { low = i } else { return }
                }
            }
        }
    }

    /// The k smallest distances from `query` to the tree's points, ascending, skipping input row
    /// `skip` (its self when the query is one of the points).
    func nearest(_ query: UnsafePointer<Double>, k: Int, skip: Int = -1, into best: UnsafeMutablePointer<Double>) {
        for i in 0..<k { best[i] = .infinity }  // squared distances while searching
        coordinates.withUnsafeBufferPointer { x in
        original.withUnsafeBufferPointer { o in
        starts.withUnsafeBufferPointer { s in
        ends.withUnsafeBufferPointer { e in
        axes.withUnsafeBufferPointer { a in
        splits.withUnsafeBufferPointer { sp in
        lefts.withUnsafeBufferPointer { l in
        rights.withUnsafeBufferPointer { r in
            let tree = Flat(x: x.baseAddress!, original: o.baseAddress!, starts: s.baseAddress!, ends: e.baseAddress!,
                            axes: a.baseAddress!, splits: sp.baseAddress!, lefts: l.baseAddress!, rights: r.baseAddress!,
                            d: dimension)
            withUnsafeTemporaryAllocation(of: Double.self, capacity: dimension) { offsets in
                offsets.initialize(repeating: 0)
                tree.search(0, 0, offsets.baseAddress!, query, k, skip, best)
            }
        }}}}}}}}
        for i in 0..<k { best[i] = best[i].squareRoot() }
    }

    /// The tree's arrays as raw pointers for the recursive search (no bounds checks, no copies).
    private struct Flat {
        let x: UnsafePointer<Double>, original: UnsafePointer<Int>
        let starts: UnsafePointer<Int>, ends: UnsafePointer<Int>, axes: UnsafePointer<Int>
        let splits: UnsafePointer<Double>, lefts: UnsafePointer<Int>, rights: UnsafePointer<Int>
        let d: Int

        /// Visits `node`, whose cell lies at squared distance `reach` from the query; `offsets[axis]`
        /// is the query's offset from the cell along each axis (0 inside). A far child's cell is at
        /// reach − offset² + gap² (Arya & Mount's incremental distance), which prunes more than the
        /// gap alone.
        func search(_ node: Int, _ reach: Double, _ offsets: UnsafeMutablePointer<Double>, _ query: UnsafePointer<Double>,
                    _ k: Int, _ skip: Int, _ best: UnsafeMutablePointer<Double>) {
            let axis = axes[node]
            if axis < 0 {
                for i in starts[node]..<ends[node] {
                    let row = x + i * d
                    var squared = 0.0
                    for c in 0..<d { let e = row[c] - query[c]; squared += e * e }
                    if squared < best[k - 1] && original[i] != skip {
                        var slot = k - 1
                        while slot > 0 && best[slot - 1] > squared { best[slot] = best[slot - 1]; slot -= 1 }
                        best[slot] = squared
                    }
                }
                return
            }
            let gap = query[axis] - splits[node]
            let (near, far) = gap < 0 ? (lefts[node], rights[node]) : (rights[node], lefts[node])
            search(near, reach, offsets, query, k, skip, best)
            let previous = offsets[axis]
            let farReach = reach - previous * previous + gap * gap
            if farReach < best[k - 1] {
                offsets[axis] = gap
                search(far, farReach, offsets, query, k, skip, best)
                offsets[axis] = previous
            }
        }
    }
}
