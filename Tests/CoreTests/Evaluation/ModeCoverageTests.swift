import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// The mode-collapse metrics on hand-made samples whose answers are known.
@Suite("Mode coverage: the Unrolled-GAN/VEEGAN/PacGAN protocol")
struct ModeCoverageTests {
    static let ring = GaussianMixture.ring()
    /// The ring placed in R^16 by a seeded frame.
    static let embedding = Embedding(frame: OrthonormalFrame.random(dimension: 16, count: 2, rng: RandomStream(seed: Seed(3))),
                                     center: (0..<16).map { 0.1 * Double($0) })

    /// Points at canonical positions `canonical` in the ring's plane, moved `offPlane` off it.
    static func samples(_ canonical: [[Double]], offPlane: Double = 0) -> Matrix<Double> {
        var points = embedding.embed(Matrix(rowVectors: canonical))
        if offPlane > 0 {
            // A unit vector orthogonal to the plane: Gram–Schmidt on e_1.
            var n = [Double](repeating: 0, count: 16)
            n[0] = 1
            for j in 0..<2 {
                let axis = embedding.axis(j)
                let dot = zip(n, axis).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<16 { n[i] -= dot * axis[i] }
            }
            let norm = n.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for r in 0..<points.rows { for i in 0..<16 { points[r, i] += offPlane * n[i] / norm } }
        }
        return points
    }

    @Test("samples on 3 of 8 modes: 3 covered, all high quality, KL = log(8/3)")
    func threeModes() {
        let canonical = (0..<30).map { Self.ring.means[[0, 2, 5][$0 % 3]] }
        let m = ModeCoverage(samples: Self.samples(canonical), mixture: Self.ring, embedding: Self.embedding)
        #expect(m.modesCovered == 3)
        #expect(m.highQualityFraction == 1)
        #expect(abs(m.modeKL! - log(8.0 / 3)) < 1e-12)
        #expect(m.meanOffPlane < 1e-12)
    }

    @Test("every mode equally filled: KL = 0; one mode only: KL = log 8")
    func klExtremes() {
        let all = ModeCoverage(samples: Self.samples((0..<16).map { Self.ring.means[$0 % 8] }), mixture: Self.ring,
                               embedding: Self.embedding)
        #expect(all.modesCovered == 8 && abs(all.modeKL!) < 1e-12)
        let one = ModeCoverage(samples: Self.samples(Array(repeating: Self.ring.means[4], count: 5)), mixture: Self.ring,
                               embedding: Self.embedding)
        #expect(one.modesCovered == 1 && abs(one.modeKL! - log(8.0)) < 1e-12)
    }

    @Test("the 3σ radius: 2.9σ from a mode is high quality, 3.1σ is not; off-plane distance is reported, not counted")
    func radius() {
        let s = Self.ring.standardDeviation, mode = Self.ring.means[1]
        let inside = [mode[0] + 2.9 * s, mode[1]], outside = [mode[0] + 3.1 * s, mode[1]]
        let m = ModeCoverage(samples: Self.samples([inside, outside], offPlane: 0.5), mixture: Self.ring,
                             embedding: Self.embedding)
        #expect(m.counts[1] == 1 && m.highQualityFraction == 0.5)
        #expect(abs(m.meanOffPlane - 0.5) < 1e-12)
    }

    @Test("no high-quality sample: nothing covered and the mode KL undefined (nil, never NaN)")
    func nothingCovered() {
        let m = ModeCoverage(samples: Self.samples([[0, 0], [3, 3]]), mixture: Self.ring, embedding: Self.embedding)
        #expect(m.modesCovered == 0 && m.highQualityFraction == 0 && m.modeKL == nil)
    }
}
