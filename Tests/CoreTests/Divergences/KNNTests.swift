import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

private func knn(_ kind: DivergenceKind, _ p: ManifoldKind, _ q: ManifoldKind, dim: Int, offset: Double = 0,
                 noise: Double = 0, n: Int, sameFrame: Bool = true) throws -> DivergenceReport {
    let request = DivergenceRequest(p: .manifold(ManifoldSpec(kind: p)), q: .manifold(ManifoldSpec(kind: q)), dimension: dim,
                                    placement: Placement(offset: offset, sameFrame: sameFrame), noise: noise, count: n,
                                    seed: Seed(3), method: .knn)
    return try DivergenceEngine.run(request, kinds: [kind])[0]
}

@Suite("kNN estimators: accurate where they should be, biased where the literature says")
struct KNNTests {
    /// kNN JS is biased upwards for small divergences (measured: +0.026 nats at θ = 0.5, n = 10⁴, D = 3).
    @Test("Gaussians N(0, I) vs N(θe, I) in R^3, n = 10⁴: KL within 0.05 + 10% of θ²/2, JS within 0.06 of the 1-D JS(θ)",
          arguments: [0.5, 1.0, 2.0])
    func gaussians(theta: Double) throws {
        let kl = try knn(.kl, .gaussian, .gaussian, dim: 3, offset: theta, n: 10_000, sameFrame: false)
        #expect(abs(kl.value - theta * theta / 2) < 0.05 + 0.1 * theta * theta / 2)
        let js = try knn(.js, .gaussian, .gaussian, dim: 3, offset: theta, n: 10_000, sameFrame: false)
        #expect(abs(js.value - Reference.gaussianShiftJS(theta)) < 0.06)
    }

    @Test("known bias: a large KL (θ = 5, KL = 12.5) is underestimated by kNN at n = 10⁴")
    func largeKLBias() throws {
        let kl = try knn(.kl, .gaussian, .gaussian, dim: 3, offset: 5, n: 10_000, sameFrame: false)
        #expect(kl.value < 12.5 * 0.9)
        #expect(kl.value > 12.5 * 0.3)
    }

    @Test("singular samples (no noise): KL reported as ∞ with the reason, not a large finite number")
    func singularSamples() throws {
        let kl = try knn(.kl, .circle, .circle, dim: 5, offset: 0.5, n: 2000)
        #expect(kl.value == .infinity)
        #expect(kl.reason.contains("do not cover"))
        // Same support: estimated in the intrinsic dimension, close to 0.
        let same = try knn(.kl, .circle, .circle, dim: 5, n: 2000)
        #expect(same.value.isFinite && abs(same.value) < 0.1)
    }

    @Test("duplicate points do not produce ∞ or NaN")
    func duplicates() throws {
        var points = Matrix<Double>(rows: 400, columns: 2)
        let rng = RandomStream(seed: Seed(5))
        for i in 0..<200 { points[i, 0] = rng.gaussian(); points[i, 1] = rng.gaussian() }
        for i in 200..<400 { points[i, 0] = points[i - 200, 0]; points[i, 1] = points[i - 200, 1] }
        let shuffled = points.rows(at: Array((0..<400).reversed()))
        let kl = try KNNEstimator.estimate(.kl, p: points, q: shuffled, k: 1)
        let js = try KNNEstimator.estimate(.js, p: points, q: shuffled, k: 1)
        #expect(kl.value.isFinite && js.value.isFinite)
        #expect(kl.details["duplicates"]! > 0)
    }

    @Test("full-dimensional samples in R^64 are not mistaken for a lower-dimensional set; a plane in R^3 is seen as 2-D")
    func dimensionReading() throws {
        let wide = try knn(.kl, .gaussian, .gaussian, dim: 64, offset: 1, n: 4000, sameFrame: false)
        #expect(wide.details["intrinsic_dimension"]! == 64)
        let plane = try knn(.kl, .plane, .plane, dim: 3, n: 4000)
        #expect(plane.details["intrinsic_dimension"]! == 2)
        let helix = try knn(.kl, .helix, .helix, dim: 10, n: 4000)
        #expect(helix.details["intrinsic_dimension"]! == 1)
    }

    @Test("too few points for k is a clear refusal")
    func tooFew() {
        #expect(throws: ManifoldLabError.self) {
            _ = try KNNEstimator.estimate(.kl, p: Matrix(rows: 3, columns: 2), q: Matrix(rows: 3, columns: 2), k: 5)
        }
    }

    @Test("nearest-neighbour distances equal brute force, by k-d tree (D = 4) and by BLAS tiles (D = 12)", arguments: [4, 12])
    func neighbourDistances(dimension: Int) {
        let rng = RandomStream(seed: Seed(8))
        let x = Matrix<Double>(rows: 300, columns: dimension, storage: (0..<(300 * dimension)).map { _ in rng.gaussian() })
        let best = NearestNeighbours.distances(from: x, to: x, k: 3, excludingSelf: true)
        for i in [0, 17, 299] {
            let all = (0..<300).filter { $0 != i }.map { j in
                (0..<dimension).reduce(0.0) { $0 + pow(x[i, $1] - x[j, $1], 2) }.squareRoot()
            }.sorted()
            for r in 0..<3 { #expect(abs(best[i, r] - all[r]) < 1e-10) }
        }
    }

    @Test("k-d tree and BLAS tiles give the brute-force distances for every query: self, cross sets, duplicates",
          arguments: [2, 3, 6])
    func treeAndTilesAgree(dimension: Int) {
        let rng = RandomStream(seed: Seed(9))
        var x = Matrix<Double>(rows: 700, columns: dimension, storage: (0..<(700 * dimension)).map { _ in rng.gaussian() })
        for c in 0..<dimension { x[5, c] = x[6, c]; x[7, c] = x[6, c] }  // three copies of one point
        let y = Matrix<Double>(rows: 500, columns: dimension, storage: (0..<(500 * dimension)).map { _ in 0.5 + rng.gaussian() })
        let k = 4
        for (queries, references, excluding) in [(x, x, true), (x, y, false), (y, x, false)] {
            let tree = NearestNeighbours.treeDistances(from: queries, to: references, k: k, excludingSelf: excluding)
            let tiles = NearestNeighbours.tiledDistances(from: queries, to: references, k: k, excludingSelf: excluding)
            for i in 0..<queries.rows {
                let all = (0..<references.rows).filter { !excluding || $0 != i }.map { j in
                    (0..<dimension).reduce(0.0) { $0 + pow(queries[i, $1] - references[j, $1], 2) }.squareRoot()
                }.sorted()
                for r in 0..<k {
                    #expect(abs(tree[i, r] - all[r]) < 1e-12)
                    #expect(abs(tiles[i, r] - all[r]) < 1e-6)  // |x|² + |y|² − 2x·y loses digits near 0
                }
            }
        }
        // The copies of point 6 see each other at distance 0 (duplicates count; only the self is skipped).
        let own = NearestNeighbours.treeDistances(from: x, to: x, k: 2, excludingSelf: true)
        #expect(own[6, 0] == 0 && own[6, 1] == 0)
    }
}
