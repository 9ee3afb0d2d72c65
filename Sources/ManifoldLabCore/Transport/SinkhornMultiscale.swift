import Foundation

/// Coarse-to-fine log-domain Sinkhorn on a truncated kernel (Schmitzer 2019's sparse scaling, with
/// GeomLoss's multiscale start), for an ε small against the data and large n:
/// 1. each cloud is cut into levels of 1024, 8192, … clusters (nodes of its k-d tree; one point per
///    cluster at the mass-weighted mean, carrying the cluster's mass), then the points themselves;
/// 2. on the coarsest level, ε-scaling from the diameter^p down to ρ^p (ρ: the clusters' RMS radius;
///    below it the clusters no longer resolve the plan), then updates there to the tolerance;
/// 3. on each finer level, the potentials extrapolated from the coarser one (one softmin against
///    its clusters), ε-scaling down to that level's ρ^p (the target ε on the points), and updates
///    to the tolerance. The slow, global part of the convergence is done where updates are cheap;
///    the fine levels only correct locally.
/// Every softmin is a ``TreeSoftmin`` (the terms within e^−30 of each row's largest), so memory is
/// O((n + m)·D) and the work of an update is the pairs within the kernel's width, (30 ε)^{1/p}
/// around each point's match. Updates at a level's ε are over-relaxed (``SinkhornRelaxation``).
enum MultiscaleSinkhorn {
    /// Clusters of the coarsest level at most; each finer level has ``levelRatio`` times more.
    static let coarseClusters = 1024
    static let levelRatio = 8

    /// One resolution of a cloud: points in their tree's order, masses, and the RMS radius of the
    /// clusters they stand for (0 for the points themselves).
    struct Level {
        let tree: BoundedTree
        let masses: [Double], logMasses: [Double]
        let radius: Double

        init(tree: BoundedTree, masses: [Double], radius: Double) {
            self.tree = tree
            self.masses = masses
            self.logMasses = masses.map { log($0) }
            self.radius = radius
        }
    }

    /// A cloud's levels, coarsest first; the last is the points themselves.
    static func levels(_ points: Matrix<Double>, masses: [Double]) -> [Level] {
        let tree = BoundedTree(points)
        let inOrder = tree.inTreeOrder(masses)
        var out: [Level] = []
        var size = coarseClusters
        while size < points.rows {
            let coarse = tree.coarsened(tree.clusters(atMost: size), masses: inOrder)
            let coarseTree = BoundedTree(coarse.points)
            out.append(Level(tree: coarseTree, masses: coarseTree.inTreeOrder(coarse.masses), radius: coarse.radius))
            size *= levelRatio
        }
        out.append(Level(tree: tree, masses: inOrder, radius: 0))
        return out
    }

    /// Level `index` of `count` aligned at the finest: a cloud with fewer levels repeats its coarsest.
    static func level(_ levels: [Level], _ index: Int, of count: Int) -> Level {
        levels[max(0, index - (count - levels.count))]
    }

    static func solve(_ input: TransportInput, _ cx: Matrix<Double>, _ cy: Matrix<Double>, order: Double,
                      epsilon target: Double, tolerance: Double, maxIterations: Int) throws(ManifoldLabError) -> Wasserstein.SinkhornSolution {
        let xLevels = levels(cx, masses: input.a), yLevels = levels(cy, masses: input.b)
        let start = max(SinkhornKernel.diameterPower(cx, cy, order: order), target)
        let count = max(xLevels.count, yLevels.count)
        var from = start, iterations = 0
        var f: [Double] = [], g: [Double] = [], convergence = SinkhornConvergence(iterations: 0, marginalError: .infinity)
        var x = level(xLevels, 0, of: count), y = level(yLevels, 0, of: count)
        for index in 0..<count {
            let previousX = x
            x = level(xLevels, index, of: count)
            y = level(yLevels, index, of: count)
            let epsilon = max(target, Wasserstein.power(max(x.radius, y.radius), order: order))
            let previousF = f
            f = [Double](repeating: 0, count: x.tree.count)
            g = [Double](repeating: 0, count: y.tree.count)
            if index > 0 { extrapolate(previousF, of: previousX, to: y.tree, order: order, epsilon: from, into: &g) }
            let rows = TreeSoftmin(queries: x.tree, references: y.tree, order: order)
            let columns = TreeSoftmin(queries: y.tree, references: x.tree, order: order)
            convergence = try rows.solvePair(transposed: columns, logA: x.logMasses, logB: y.logMasses, f: &f, g: &g,
                                             from: from, to: epsilon, tolerance: tolerance,
                                             maxIterations: maxIterations - iterations,
                                             what: index == count - 1 ? "x–y" : "x–y, \(x.tree.count) × \(y.tree.count) clusters")
            iterations += convergence.iterations
            from = epsilon
        }
        var otXY = 0.0
        for i in 0..<input.n { otXY += x.masses[i] * f[i] }
        for j in 0..<input.m { otXY += y.masses[j] * g[j] }
        let rowLog = (0..<input.n).map { x.logMasses[$0] + f[$0] / target }
        let h = (0..<input.m).map { y.logMasses[$0] + g[$0] / target }
        let transportCost = TreeSoftmin(queries: x.tree, references: y.tree, order: order)
            .transportCost(rowLog: rowLog, h, epsilon: target)
        let otXX = try selfTransport(xLevels, start: start, target: target, order: order, tolerance: tolerance,
                                     maxIterations: maxIterations, what: "x–x")
        let otYY = try selfTransport(yLevels, start: start, target: target, order: order, tolerance: tolerance,
                                     maxIterations: maxIterations, what: "y–y")
        return Wasserstein.SinkhornSolution(
            otXY: otXY, otXX: otXX, otYY: otYY, transportCost: transportCost,
            convergence: SinkhornConvergence(iterations: iterations, marginalError: convergence.marginalError),
            solver: "sinkhorn-multiscale")
    }

    /// OT_ε of a cloud against itself, level by level as in ``solve``.
    static func selfTransport(_ levels: [Level], start: Double, target: Double, order: Double, tolerance: Double,
                              maxIterations: Int, what: String) throws(ManifoldLabError) -> Double {
        var from = start, f: [Double] = [], value = 0.0
        for (index, level) in levels.enumerated() {
            let epsilon = max(target, Wasserstein.power(level.radius, order: order))
            var next = [Double](repeating: 0, count: level.tree.count)
            if index > 0 { extrapolate(f, of: levels[index - 1], to: level.tree, order: order, epsilon: from, into: &next) }
            f = next
            value = try TreeSoftmin(queries: level.tree, references: level.tree, order: order)
                .solveSymmetric(logA: level.logMasses, f: &f, from: from, to: epsilon, tolerance: tolerance,
                                maxIterations: maxIterations, what: index == levels.count - 1 ? what : what + ", clusters")
            from = epsilon
        }
        return value
    }

    /// The potential on `targets`' points that a coarser level's potential implies:
    /// −ε log Σ_c exp(log mass_c + potential_c/ε − C(·, point_c)/ε) (one Sinkhorn half-update).
    static func extrapolate(_ potential: [Double], of coarse: Level, to targets: BoundedTree, order: Double,
                            epsilon: Double, into out: inout [Double]) {
        let h = (0..<coarse.tree.count).map { coarse.logMasses[$0] + potential[$0] / epsilon }
        TreeSoftmin(queries: targets, references: coarse.tree, order: order).softmin(h, epsilon: epsilon, into: &out)
    }
}
