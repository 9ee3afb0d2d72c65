import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
private func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
private func angle(_ a: [Double], _ b: [Double]) -> Double { acos(min(max(dot(a, b) / (norm(a) * norm(b)), -1), 1)) }

/// Two random vectors of norm `radius` in R^k.
private func pair(k: Int, radius: Double, rng: RandomStream) -> ([Double], [Double]) {
    func draw() -> [Double] {
        let v = (0..<k).map { _ in rng.gaussian() }
        let n = norm(v)
        return v.map { radius * $0 / n }
    }
    return (draw(), draw())
}

@Suite("walk: linear and spherical latent interpolation")
struct WalkInterpolationTests {
    @Test("both rules start exactly at z1 and end exactly at z2", arguments: LatentInterpolation.allCases)
    func endpoints(rule: LatentInterpolation) {
        let rng = RandomStream(seed: Seed(1))
        for k in [2, 3, 16, 64] {
            let (a, b) = (pair(k: k, radius: 1.7, rng: rng).0, (0..<k).map { _ in rng.uniform(-1, 1) })
            let path = LatentPath(from: a, to: b, interpolation: rule)
            #expect(path.used == rule && path.note == nil)
            #expect(path.point(at: 0) == a)
            #expect(path.point(at: 1) == b)
        }
    }

    @Test("slerp keeps the norm when |z1| = |z2| and moves along the great circle at a constant angular rate")
    func slerpOnTheSphere() {
        let rng = RandomStream(seed: Seed(2))
        for k in [2, 3, 10, 100] {
            for radius in [1e-3, 1.0, Double(k).squareRoot(), 1e4] {
                let (a, b) = pair(k: k, radius: radius, rng: rng)
                let path = LatentPath(from: a, to: b, interpolation: .slerp)
                let omega = angle(a, b)
                #expect(abs(path.angle! - omega) < 1e-9)
                for t in stride(from: 0.0, through: 1.0, by: 0.05) {
                    let z = path.point(at: t)
                    #expect(abs(norm(z) - radius) <= 1e-12 * radius, "k \(k) r \(radius) t \(t): |z| = \(norm(z))")
                    // On the geodesic: angle(z1, z(t)) = tΩ and angle(z(t), z2) = (1 − t)Ω.
                    #expect(abs(angle(a, z) - t * omega) < 1e-7)
                    #expect(abs(angle(z, b) - (1 - t) * omega) < 1e-7)
                }
            }
        }
    }

    @Test("linear cuts inside the sphere: |z(½)| = r cos(Ω/2) for |z1| = |z2| = r")
    func linearMidpoint() {
        let rng = RandomStream(seed: Seed(3))
        let (a, b) = pair(k: 8, radius: 2, rng: rng)
        let z = LatentPath(from: a, to: b, interpolation: .linear).point(at: 0.5)
        #expect(abs(norm(z) - 2 * cos(angle(a, b) / 2)) < 1e-12)
    }

    @Test("slerp between perpendicular unit vectors: (cos(tπ/2), sin(tπ/2))")
    func quarterTurn() {
        let path = LatentPath(from: [1, 0], to: [0, 1], interpolation: .slerp)
        #expect(abs(path.angle! - .pi / 2) < 1e-15)
        for t in [0.1, 0.25, 0.5, 0.9] {
            let z = path.point(at: t)
            #expect(abs(z[0] - cos(t * .pi / 2)) < 1e-15 && abs(z[1] - sin(t * .pi / 2)) < 1e-15)
        }
    }

    @Test("degenerate slerp (parallel, opposite, zero, nearly parallel) falls back to linear with a note, never NaN",
          arguments: [
            ([1.0, 2, 3], [2.0, 4, 6], "parallel"),
            ([1.0, 2, 3], [-0.5, -1, -1.5], "opposite"),
            ([0.0, 0, 0], [1.0, 1, 1], "non-zero"),
            ([1.0, 1, 1], [0.0, 0, 0], "non-zero"),
            ([1.0, 0], [1.0, 1e-9], "parallel"),
            ([1.0, 0], [-1.0, 1e-9], "opposite"),
            ([-1.0], [1.0], "opposite"),
            ([2.0], [5.0], "parallel"),
          ])
    func degenerate(from: [Double], to: [Double], word: String) {
        let path = LatentPath(from: from, to: to, interpolation: .slerp)
        #expect(path.requested == .slerp && path.used == .linear)
        #expect(path.note?.contains(word) == true, "\(path.note ?? "no note")")
        let linear = LatentPath(from: from, to: to, interpolation: .linear)
        for t in stride(from: 0.0, through: 1.0, by: 0.125) {
            let z = path.point(at: t)
            #expect(z.allSatisfy { $0.isFinite })
            #expect(z == linear.point(at: t))
        }
    }

    @Test("just above the threshold slerp is still used, finite and norm-preserving")
    func nearlyParallel() {
        let path = LatentPath(from: [1, 0], to: [cos(1e-4), sin(1e-4)], interpolation: .slerp)
        #expect(path.used == .slerp && path.note == nil)
        for t in [0.25, 0.5, 0.75] {
            let z = path.point(at: t)
            #expect(abs(norm(z) - 1) < 1e-12 && abs(atan2(z[1], z[0]) - t * 1e-4) < 1e-15)
        }
    }

    @Test("the angle is accurate near 0 and π, where acos of the cosine is not")
    func accurateAngle() {
        for omega in [1e-12, 1e-8, 1e-4, 1.0, .pi - 1e-4, .pi - 1e-8] {
            let b = [cos(omega), sin(omega)]
            let measured = LatentPath.angle([1, 0], b, normA: 1, normB: 1)
            #expect(abs(measured - omega) <= 1e-15 * max(omega, 1), "Ω = \(omega): \(measured)")
        }
    }

    @Test("latent vectors parse only with exactly k finite numbers")
    func parsing() throws {
        #expect(try WalkRequest.parseLatent("-1, 0.5,2e-3", option: "from", latent: 3) == [-1, 0.5, 0.002])
        for bad in ["1,2", "1,2,3,4", "1,,3", "1,nan,3", "1,inf,3", "a,b,c", ""] {
            #expect(throws: ManifoldLabError.self) { try WalkRequest.parseLatent(bad, option: "from", latent: 3) }
        }
        do {
            _ = try WalkRequest.parseLatent("1,2", option: "to", latent: 3)
        } catch {
            #expect(error.kind == .usage && error.description.contains("for to:") && error.description.contains("k = 3"))
        }
    }

    @Test("default endpoints: the box's diagonal for a uniform latent, 2e1 → 2e2 (or ∓2) for a normal one")
    func defaults() {
        #expect(WalkRequest.defaultEndpoints(latent: 3, distribution: .uniform) == ([-1, -1, -1], [1, 1, 1]))
        #expect(WalkRequest.defaultEndpoints(latent: 1, distribution: .normal) == ([-2], [2]))
        #expect(WalkRequest.defaultEndpoints(latent: 3, distribution: .normal) == ([2, 0, 0], [0, 2, 0]))
    }
}
