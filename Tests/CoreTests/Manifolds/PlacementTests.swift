import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

@Suite("Placement of Q against P, and instance noise")
struct PlacementTests {
    @Test("--offset θ moves Q by θ along a unit vector orthogonal to P's span", arguments: [0.5, -2.0, 3.25])
    func offsetIsOrthogonal(theta: Double) throws {
        let pair = try DistributionPair(p: ManifoldSpec(kind: .plane), q: ManifoldSpec(kind: .plane), dimension: 6,
                                        placement: Placement(offset: theta, sameFrame: true), noise: 0, seed: Seed(3))
        let n = pair.offsetDirection
        #expect(abs(dot(n, n) - 1) < 1e-13)
        for j in 0..<2 { #expect(abs(dot(n, pair.p.embedding.axis(j))) < 1e-13) }
        let shift = zip(pair.q.embedding.center, pair.p.embedding.center).map { $0 - $1 }
        #expect(abs(dot(shift, shift).squareRoot() - abs(theta)) < 1e-13)
        #expect(abs(dot(shift, n) - theta) < 1e-13)
        // Same frame: every Q point is a P shape point moved by θn.
        let q = pair.q.sample(count: 50, seed: Seed(3))
        for i in 0..<q.rows {
            let (y, distance) = pair.p.embedding.project(zip(q.row(i), shift).map { $0 - $1 })
            #expect(distance < 1e-12)
            #expect(pair.p.manifold.residual(canonical: y) < 1e-12)
        }
    }

    @Test("--same-frame with a larger Q: n is orthogonal to Q's span too")
    func offsetOrthogonalToBoth() throws {
        let pair = try DistributionPair(p: ManifoldSpec(kind: .line), q: ManifoldSpec(kind: .helix), dimension: 5,
                                        placement: Placement(offset: 1, sameFrame: true), noise: 0, seed: Seed(9))
        for j in 0..<3 { #expect(abs(dot(pair.offsetDirection, pair.q.embedding.axis(j))) < 1e-13) }
    }

    @Test("--angle φ turns Q in the plane of P's first axis and n: ⟨f₁(Q), f₁(P)⟩ = cos φ, ⟨f₁(Q), n⟩ = sin φ",
          arguments: [30.0, 90.0, 135.0])
    func angle(degrees: Double) throws {
        let pair = try DistributionPair(p: ManifoldSpec(kind: .line), q: ManifoldSpec(kind: .line), dimension: 4,
                                        placement: Placement(angle: degrees, sameFrame: true), noise: 0, seed: Seed(4))
        let qAxis = pair.q.embedding.axis(0), pAxis = pair.p.embedding.axis(0)
        let phi = degrees * .pi / 180
        #expect(abs(dot(qAxis, pAxis) - cos(phi)) < 1e-13)
        #expect(abs(dot(qAxis, pair.offsetDirection) - sin(phi)) < 1e-13)
        #expect(abs(dot(qAxis, qAxis) - 1) < 1e-13)
    }

    @Test("without --same-frame Q gets a different random frame; with it, the same one")
    func frames() throws {
        let fresh = try DistributionPair(p: ManifoldSpec(kind: .line), q: ManifoldSpec(kind: .line), dimension: 8,
                                         placement: Placement(), noise: 0, seed: Seed(1))
        #expect(abs(abs(dot(fresh.p.embedding.axis(0), fresh.q.embedding.axis(0))) - 1) > 1e-3)
        let same = try DistributionPair(p: ManifoldSpec(kind: .line), q: ManifoldSpec(kind: .line), dimension: 8,
                                        placement: Placement(sameFrame: true), noise: 0, seed: Seed(1))
        #expect(same.p.embedding == same.q.embedding)
    }

    @Test("P does not depend on Q: the P of any pair is the P that `sample` draws")
    func pIndependentOfQ() throws {
        let seed = Seed(12)
        let alone = try SampleRequest(manifold: ManifoldSpec(kind: .circle), dimension: 6, count: 100, seed: seed).run()
        let pair = try DistributionPair(p: ManifoldSpec(kind: .circle), q: ManifoldSpec(kind: .torus), dimension: 6,
                                        placement: Placement(offset: 1, sameFrame: true), noise: 0, seed: seed)
        #expect(pair.p.sample(count: 100, seed: seed) == alone)
    }

    @Test("instance noise is N(0, σ²I_D) added to the clean points: the difference has covariance σ²I")
    func noiseCovariance() throws {
        let sigma = 0.3, count = 20000, d = 4
        let clean = try SampleRequest(manifold: ManifoldSpec(kind: .helix), dimension: d, count: count, seed: Seed(2)).run()
        let noisy = try SampleRequest(manifold: ManifoldSpec(kind: .helix), dimension: d, count: count, noise: sigma, seed: Seed(2)).run()
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<count {
            let e = (0..<d).map { noisy[i, $0] - clean[i, $0] }
            for a in 0..<d { mean[a] += e[a] / Double(count); for b in 0..<d { covariance[a][b] += e[a] * e[b] / Double(count) } }
        }
        let variance = sigma * sigma
        // Standard errors: mean σ/√n, variance σ²√(2/n), covariance σ²/√n; allow 5 of them.
        for a in 0..<d {
            #expect(abs(mean[a]) < 5 * sigma / Double(count).squareRoot())
            for b in 0..<d {
                let tolerance = 5 * variance * (a == b ? (2.0 / Double(count)).squareRoot() : 1 / Double(count).squareRoot())
                #expect(abs(covariance[a][b] - (a == b ? variance : 0)) < tolerance)
            }
        }
    }
}
