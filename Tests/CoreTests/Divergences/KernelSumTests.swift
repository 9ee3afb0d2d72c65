import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Brute-force log Σ_j w_j exp(−|a − y_j|²/2σ²) with libm's exp, shifted by the largest term.
private func bruteLogSum(_ a: [Double], _ nodes: Matrix<Double>, _ logWeights: [Double], sigma: Double) -> Double {
    let terms = (0..<nodes.rows).map { j -> Double in
        var s = 0.0
        for c in 0..<nodes.columns { let e = a[c] - nodes[j, c]; s += e * e }
        return logWeights[j] - s / (2 * sigma * sigma)
    }
    let top = terms.max()!
    return top + log(terms.reduce(0) { $0 + exp($1 - top) })
}

@Suite("Kernel sums: clustered (low D) and tiled (high D) against brute force")
struct KernelSumTests {
    @Test("clusters skip only negligible terms: 1e-9 relative agreement, for σ from 0.01 to 3", arguments: [2, 3, 12])
    func againstBruteForce(dimension: Int) {
        let rng = RandomStream(seed: Seed(31))
        // Nodes on a curved 2-D sheet (like product-rule nodes) plus uneven weights, one of them 0.
        let count = 900
        var nodes = Matrix<Double>(rows: count, columns: dimension)
        var logWeights = [Double](repeating: 0, count: count)
        for j in 0..<count {
            let u = Double(j % 30) / 30 * 2 * .pi, v = Double(j / 30) / 30
            nodes[j, 0] = cos(u)
            nodes[j, 1] = sin(u) + 0.1 * v
            for c in 2..<dimension { nodes[j, c] = v * Double(c) / Double(dimension) }
            logWeights[j] = log(0.5 + rng.uniform())
        }
        logWeights[17] = -.infinity
        let sum = KernelSum(nodes: nodes, logWeights: logWeights)
        #expect((sum.clusters != nil) == (dimension <= KernelSum.clusteredDimensionLimit))
        for sigma in [0.01, 0.1, 3.0] {
            var queries = Matrix<Double>(rows: 40, columns: dimension)
            for i in 0..<40 {
                let j = (i * 37) % count
                for c in 0..<dimension { queries[i, c] = nodes[j, c] + sigma * rng.gaussian() }
            }
            queries[0, 0] = 50  // far from every node: the terms underflow in linear space
            let fast = sum.logSums(at: queries, sigma: sigma)
            for i in 0..<40 {
                let reference = bruteLogSum(queries.row(i), nodes, logWeights, sigma: sigma)
                #expect(abs(fast[i] - reference) <= 1e-9 * max(1, abs(reference)), "σ = \(sigma), query \(i)")
            }
        }
    }

    @Test("a curve's fixed rule through the kernel sum agrees with GSL's adaptive QAGP point by point")
    func curveGrid() throws {
        let helix = try ManifoldSpec(kind: .helix).manifold(dimension: 3)
        let integrator = CurveIntegrator(manifold: helix, sigma: 0.1)
        #expect(integrator.usesGrid)
        let rng = RandomStream(seed: Seed(32))
        var points = Matrix<Double>(rows: 30, columns: helix.spanDimension)
        for i in 0..<30 { for c in 0..<helix.spanDimension { points[i, c] = 0.8 * rng.gaussian() } }
        let batch = integrator.logIntegrals(points)
        for i in 0..<30 {
            let single = integrator.logIntegral(at: points.row(i))
            #expect(abs(batch[i] - single) <= 1e-7 * max(1, abs(single)), "query \(i): \(batch[i]) vs \(single)")
        }
    }
}
