import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Issue 16's Inception Score analogue on labelled mixtures: K for a sample of the mixture itself
/// (within its error and the split bias), 1 for one mode, m for a sample that fills m of K modes
/// equally (the closed form), in between for partial collapse.
@Suite("Inception Score analogue against its closed forms")
struct MixtureInceptionScoreTests {
    static let ring = GaussianMixture.ring()
    static let embedding = Embedding(frame: OrthonormalFrame.random(dimension: 12, count: 2, rng: RandomStream(seed: Seed(4))),
                                     center: (0..<12).map { 0.2 * Double($0) })

    /// `perMode[y]` points from mode y, shuffled, embedded in R^12.
    static func sample(_ perMode: [Int], seed: UInt64) -> Matrix<Double> {
        let rng = RandomStream(seed: Seed(seed))
        var canonical: [[Double]] = []
        for (mode, count) in perMode.enumerated() {
            for _ in 0..<count {
                let mean = ring.means[mode]
                canonical.append([mean[0] + ring.standardDeviation * rng.gaussian(), mean[1] + ring.standardDeviation * rng.gaussian()])
            }
        }
        let order = rng.permutation(canonical.count)
        return embedding.embed(Matrix(rowVectors: order.map { canonical[$0] }))
    }

    @Test("m of 8 modes filled equally, in every split: IS = m to 1e-9 (m = 1, 3, 8)")
    func closedForm() throws {
        for modes in [1, 3, 8] {
            // 10 splits of 24·m points, each split holding 24 points of each of the m modes.
            var points: [[Double]] = []
            for split in 0..<10 {
                var perMode = [Int](repeating: 0, count: 8)
                for y in 0..<modes { perMode[y] = 24 }
                let block = Self.sample(perMode, seed: UInt64(split))
                for i in 0..<block.rows { points.append(block.row(i)) }
            }
            let score = try MixtureInceptionScore.measure(Matrix(rowVectors: points), mixture: Self.ring, embedding: Self.embedding)
            #expect(abs(score.value - Double(modes)) < 1e-9, "m = \(modes): \(score.value)")
            #expect(score.standardError < 1e-9)
        }
    }

    @Test("a sample of the mixture itself: K = 8 within 3 SE plus the split bias K(K − 1)/2N")
    func mixtureItself() throws {
        let rng = RandomStream(seed: Seed(9))
        let n = 20_000
        var counts = [Int](repeating: 0, count: 8)
        for _ in 0..<n { counts[rng.integer(below: 8)] += 1 }
        let score = try MixtureInceptionScore.measure(Self.sample(counts, seed: 10), mixture: Self.ring, embedding: Self.embedding)
        let bias = 8.0 * 7 / (2 * Double(n / 10))
        #expect(score.value <= 8 + 1e-9 && 8 - score.value < 3 * score.standardError + bias, "\(score.value) ± \(score.standardError)")
    }

    @Test("a posterior of ~1e-320 for a neighbouring mode (a point 37 % of the way to it) leaves the score finite: 1 for one mode")
    func subnormalPosterior() throws {
        let c0 = Self.ring.means[0], c1 = Self.ring.means[1], t = 0.374
        var canonical = Array(repeating: c0, count: 9)
        canonical.append([c0[0] + t * (c1[0] - c0[0]), c0[1] + t * (c1[1] - c0[1])])
        let score = try MixtureInceptionScore.measure(Self.embedding.embed(Matrix(rowVectors: canonical)), mixture: Self.ring,
                                                      embedding: Self.embedding, splits: 1)
        #expect(score.value.isFinite && abs(score.value - 1) < 1e-6, "\(score.value)")
    }

    @Test("partial collapse lies between 1 and K; points far off the plane (1e150) still have a posterior")
    func partialAndFar() throws {
        let score = try MixtureInceptionScore.measure(Self.sample([500, 300, 100, 50, 30, 10, 5, 5], seed: 3),
                                                      mixture: Self.ring, embedding: Self.embedding)
        #expect(score.value > 1.5 && score.value < 6, "\(score.value)")
        var far = Self.sample([10, 10, 0, 0, 0, 0, 0, 0], seed: 4)
        for i in far.storage.indices { far.storage[i] *= 1e150 }
        let farScore = try MixtureInceptionScore.measure(far, mixture: Self.ring, embedding: Self.embedding, splits: 2)
        #expect(farScore.value.isFinite && farScore.value >= 1 - 1e-12 && farScore.value <= 8)
    }
}
