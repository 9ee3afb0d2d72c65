import Foundation
import Testing
@testable import ManifoldLabCore
@testable import ManifoldLabGAN
import TestSupport

/// The data's shape as train-toy places it in R^D for `kind`.
private func shape(_ spec: ManifoldSpec, dimension: Int = 10, seed: UInt64 = 3) throws -> DataShape {
    try DataShape(run: TrainingConfiguration(data: spec, dimension: dimension, seed: Seed(seed)))
}

/// c + F y + s·w, with w a unit vector orthogonal to the data's span (drawn from `rng`).
private func point(_ shape: DataShape, canonical y: [Double], offSpan s: Double, rng: RandomStream) -> [Double] {
    let e = shape.embedding
    let (d, m) = (e.ambientDimension, e.spanDimension)
    var w = (0..<d).map { _ in rng.gaussian() }
    for j in 0..<m {
        let axis = e.axis(j)
        let along = zip(w, axis).reduce(0) { $0 + $1.0 * $1.1 }
        for i in 0..<d { w[i] -= along * axis[i] }
    }
    let n = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return (0..<d).map { i in
        e.center[i] + (0..<m).reduce(0) { $0 + e.frame[i, $1] * y[$1] } + s * w[i] / n
    }
}

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

@Suite("walk: distance from a point of R^D to the data's shape")
struct WalkDistanceTests {
    @Test("line (a segment of length 1): |w| beside it, √(excess² + |w|²) beyond its ends")
    func line() throws {
        let data = try shape(ManifoldSpec(kind: .line))
        let rng = RandomStream(seed: Seed(10))
        for (u, s, expected) in [(0.3, 0.25, 0.25), (-0.5, 0.7, 0.7), (0.8, 0.4, 0.5), (-1.5, 0.0, 1.0), (0.0, 0.0, 0.0)] {
            let m = data.measure(point(data, canonical: [u], offSpan: s, rng: rng))
            #expect(close(m.distance, expected), "u \(u) s \(s): \(m.distance)")
            #expect(close(m.offSpan, s) && close(m.canonical[0], u))
            #expect(m.nearestMode == nil)
        }
    }

    @Test("plane (a unit square): excess over the square's edges and the distance off the plane add in quadrature")
    func plane() throws {
        let data = try shape(ManifoldSpec(kind: .plane), dimension: 7)
        let rng = RandomStream(seed: Seed(11))
        let cases: [([Double], Double, Double)] = [([0.1, -0.2], 0.3, 0.3), ([0.7, -0.9], 0.0, (0.04 + 0.16).squareRoot()),
                                                   ([0.7, -0.9], 0.5, (0.04 + 0.16 + 0.25).squareRoot()), ([0.5, 0.75], 1.0, (0.0625 + 1).squareRoot())]
        for (y, s, expected) in cases {
            let m = data.measure(point(data, canonical: y, offSpan: s, rng: rng))
            #expect(close(m.distance, expected), "\(y) \(s): \(m.distance) vs \(expected)")
        }
    }

    @Test("circle: √((ρ − 1)² + s²) for a point at radius ρ in the circle's plane, s off it")
    func circle() throws {
        let data = try shape(ManifoldSpec(kind: .circle), dimension: 12)
        let rng = RandomStream(seed: Seed(12))
        for (rho, phi, s) in [(0.4, 1.0, 0.3), (1.0, 2.5, 0.2), (2.5, -0.3, 0.0), (0.0, 0.0, 0.5), (1.0, 4.0, 0.0)] {
            let m = data.measure(point(data, canonical: [rho * cos(phi), rho * sin(phi)], offSpan: s, rng: rng))
            let expected = ((rho - 1) * (rho - 1) + s * s).squareRoot()
            #expect(close(m.distance, expected), "ρ \(rho) s \(s): \(m.distance) vs \(expected)")
        }
    }

    @Test("sphere S² and torus: closed forms")
    func sphereAndTorus() throws {
        let rng = RandomStream(seed: Seed(13))
        let sphere = try shape(ManifoldSpec(kind: .sphere), dimension: 6)
        let m = sphere.measure(point(sphere, canonical: [0.6, 0, 0.8].map { 1.5 * $0 }, offSpan: 1.2, rng: rng))
        #expect(close(m.distance, (0.25 + 1.44).squareRoot()))
        let torus = try shape(ManifoldSpec(kind: .torus), dimension: 5)
        // On the core circle (radius 1): distance 1/3 to the tube; at the centre: 1 − 1/3.
        #expect(close(torus.measure(point(torus, canonical: [cos(0.7), sin(0.7), 0], offSpan: 0, rng: rng)).distance, 1.0 / 3))
        #expect(close(torus.measure(point(torus, canonical: [0, 0, 0], offSpan: 0.5, rng: rng)).distance, ((2.0 / 3) * (2.0 / 3) + 0.25).squareRoot()))
    }

    @Test("helix: a point moved off the curve along its outward normal is that far from it; random points agree with a dense scan")
    func helix() throws {
        let data = try shape(ManifoldSpec(kind: .helix), dimension: 9)
        let rng = RandomStream(seed: Seed(14))
        for (t, a, s) in [(1.0, 0.2, 0.0), (5.0, 0.15, 0.3), (9.0, 0.1, 0.05)] {
            // The normal direction (cos t, sin t, 0) is orthogonal to the tangent (−sin t, cos t, 1/2π).
            let y = [(1 + a) * cos(t), (1 + a) * sin(t), t / (2 * .pi) - 1]
            let m = data.measure(point(data, canonical: y, offSpan: s, rng: rng))
            #expect(close(m.distance, (a * a + s * s).squareRoot(), 1e-9), "t \(t): \(m.distance)")
        }
        let curve = Helix()
        for _ in 0..<20 {
            let y = (0..<3).map { _ in rng.uniform(-1.6, 1.6) }
            var brute = Double.infinity
            for i in 0...400_000 {
                let t = 4 * .pi * Double(i) / 400_000
                brute = min(brute, hypot(hypot(y[0] - cos(t), y[1] - sin(t)), y[2] - (t / (2 * .pi) - 1)))
            }
            let ours = curve.distanceInSpan(y)
            #expect(ours <= brute + 1e-12 && brute - ours < 1e-8, "\(y): \(ours) vs scan \(brute)")
            #expect(ours <= curve.residual(canonical: y) + 1e-12)
        }
    }

    @Test("swiss roll: agrees with a dense scan over (t, h)")
    func swissRoll() throws {
        let roll = SwissRoll()
        let rng = RandomStream(seed: Seed(15))
        for _ in 0..<10 {
            let y = [rng.uniform(-1.2, 1.2), rng.uniform(-1, 1), rng.uniform(-1.2, 1.2)]
            var brute = Double.infinity
            for i in 0...4000 {
                let t = 1.5 * .pi + 3 * .pi * Double(i) / 4000, r = t / (4.5 * .pi)
                for j in 0...100 {
                    let h = -0.5 + Double(j) / 100
                    brute = min(brute, ((y[0] - r * cos(t)) * (y[0] - r * cos(t)) + (y[1] - h) * (y[1] - h)
                                        + (y[2] - r * sin(t)) * (y[2] - r * sin(t))).squareRoot())
                }
            }
            let ours = roll.distanceInSpan(y)
            // The scan's grid is coarse (Δt ≈ 2.4e-3, Δh = 0.01): it can only be above the minimum, by < Δh/2 + Δt.
            #expect(ours <= brute + 1e-12 && brute - ours < 8e-3, "\(y): \(ours) vs scan \(brute)")
        }
    }

    @Test("ring and grid: distance to the 2-flat, the nearest mode and the distance to its centre in R^D")
    func mixtures() throws {
        let rng = RandomStream(seed: Seed(16))
        for (spec, mode) in [(ManifoldSpec(kind: .ring), 3), (ManifoldSpec(kind: .grid), 17)] {
            let data = try shape(spec, dimension: 16)
            let centre = (data.manifold as! GaussianMixture).means[mode]
            let delta = [0.12, -0.05]
            let m = data.measure(point(data, canonical: [centre[0] + delta[0], centre[1] + delta[1]], offSpan: 0.4, rng: rng))
            #expect(m.nearestMode == mode)
            #expect(close(m.modeDistance!, (0.12 * 0.12 + 0.05 * 0.05 + 0.16).squareRoot()))
            #expect(close(m.offSpan, 0.4) && m.inSpan == 0 && close(m.distance, 0.4))
        }
    }

    @Test("interval minimum: finds the global one of several local minima, and an endpoint minimum")
    func intervalMinimum() {
        // cos(3x) + 0.1x on [0, 10]: local minima near π/3 + 2πk/3; the global one is the first.
        let f = { (x: Double) in cos(3 * x) + 0.1 * x }
        let found = IntervalMinimum.minimize(f, over: 0, 10)
        let exact = (Double.pi - asin(0.1 / 3)) / 3  // f′ = −3 sin 3x + 0.1 = 0 with f″ > 0
        #expect(abs(found.argument - exact) < 1e-7 && abs(found.value - f(exact)) < 1e-14)
        let edge = IntervalMinimum.minimize({ $0 * $0 }, over: 2, 5)
        #expect(edge.argument == 2 && edge.value == 4)
    }

    @Test("every manifold kind measures its own walk distance (conforms to DistanceInSpan)")
    func everyShapeMeasures() throws {
        for kind in ManifoldKind.allCases {
            let manifold = try ManifoldSpec(kind: kind, intrinsic: kind == .flat ? 2 : nil).manifold(dimension: 8)
            #expect(manifold is any DistanceInSpan, "\(kind) has no exact distance for walk")
        }
    }
}
