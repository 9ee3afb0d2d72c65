import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Samples P of `spec` in R^dimension and returns the distribution and its canonical coordinates,
/// read back from the embedded points (so the embedding is checked too).
private func sampleCanonical(_ spec: ManifoldSpec, dimension: Int = 7, count: Int = 2000, seed: UInt64 = 11)
    throws -> (ManifoldDistribution, [[Double]], maxDistanceToFlat: Double) {
    let request = SampleRequest(manifold: spec, dimension: dimension, count: count, seed: Seed(seed))
    let distribution = try request.distribution()
    let points = try request.run()
    var canonical: [[Double]] = []
    var worst = 0.0
    for i in 0..<points.rows {
        let (y, distance) = distribution.embedding.project(points.row(i))
        canonical.append(y)
        worst = max(worst, distance)
    }
    return (distribution, canonical, worst)
}

private func uniformCDF(_ range: ClosedRange<Double>) -> (Double) -> Double {
    { x in min(max((x - range.lowerBound) / (range.upperBound - range.lowerBound), 0), 1) }
}

@Suite("Manifold shapes: points on the shape, parameters with the declared law")
struct ShapeTests {
    static let shapes: [ManifoldSpec] = [
        .init(kind: .line), .init(kind: .plane), .init(kind: .flat, intrinsic: 4), .init(kind: .circle),
        .init(kind: .helix), .init(kind: .sphere), .init(kind: .sphere, intrinsic: 3), .init(kind: .swissroll),
        .init(kind: .torus), .init(kind: .gaussian), .init(kind: .uniform), .init(kind: .ring), .init(kind: .grid),
    ]

    @Test("noise-free points lie on the manifold: distance to its flat and to the shape < 1e-12", arguments: shapes)
    func pointsOnShape(spec: ManifoldSpec) throws {
        let (distribution, canonical, distanceToFlat) = try sampleCanonical(spec)
        #expect(distanceToFlat < 1e-12)
        let worst = canonical.map { distribution.manifold.residual(canonical: $0) }.max()!
        #expect(worst < 1e-12)
    }

    @Test("the residual is large off the shape (the check above can fail)")
    func residualDetectsOffShape() {
        #expect(Circle().residual(canonical: [0.5, 0]) > 0.49)
        #expect(Helix().residual(canonical: [1, 0, 0.5]) > 0.1)
        #expect(Torus().residual(canonical: [0, 0, 0]) > 0.6)
        #expect(SwissRoll().residual(canonical: [0, 0, 0]) > 0.3)
        #expect(Sphere(dimension: 2).residual(canonical: [0, 0, 2]) > 0.99)
        #expect(Flat(name: "line", dimension: 1).residual(canonical: [0.75]) > 0.24)
    }

    @Test("flats: each coordinate uniform on [−½, ½] (KS, α = 0.001)", arguments: [ManifoldKind.line, .plane, .uniform])
    func flatLaw(kind: ManifoldKind) throws {
        let (_, canonical, _) = try sampleCanonical(ManifoldSpec(kind: kind))
        for j in 0..<canonical[0].count {
            let ks = TestStatistics.kolmogorovSmirnov(canonical.map { $0[j] }, cdf: uniformCDF(-0.5 ... 0.5))
            #expect(ks < TestStatistics.kolmogorovSmirnovCritical(count: canonical.count))
        }
    }

    @Test("circle, helix, torus, swiss roll: angles and heights uniform as declared (KS)")
    func curvedLaws() throws {
        let critical = TestStatistics.kolmogorovSmirnovCritical(count: 2000)
        let circle = try sampleCanonical(ManifoldSpec(kind: .circle)).1
        #expect(TestStatistics.kolmogorovSmirnov(circle.map { atan2($0[1], $0[0]) }, cdf: uniformCDF(-.pi ... .pi)) < critical)
        let helix = try sampleCanonical(ManifoldSpec(kind: .helix)).1
        #expect(TestStatistics.kolmogorovSmirnov(helix.map { $0[2] }, cdf: uniformCDF(-1 ... 1)) < critical)
        let torus = try sampleCanonical(ManifoldSpec(kind: .torus)).1
        #expect(TestStatistics.kolmogorovSmirnov(torus.map { atan2($0[1], $0[0]) }, cdf: uniformCDF(-.pi ... .pi)) < critical)
        #expect(TestStatistics.kolmogorovSmirnov(torus.map { atan2($0[2], hypot($0[0], $0[1]) - 1) }, cdf: uniformCDF(-.pi ... .pi)) < critical)
        let roll = try sampleCanonical(ManifoldSpec(kind: .swissroll)).1
        #expect(TestStatistics.kolmogorovSmirnov(roll.map { hypot($0[0], $0[2]) * 4.5 * .pi }, cdf: uniformCDF(1.5 * .pi ... 4.5 * .pi)) < critical)
        #expect(TestStatistics.kolmogorovSmirnov(roll.map { $0[1] }, cdf: uniformCDF(-0.5 ... 0.5)) < critical)
    }

    @Test("spheres are uniform: on S² a coordinate is uniform on [−1, 1]; on S³ it has density (2/π)√(1−x²)")
    func sphereLaw() throws {
        let critical = TestStatistics.kolmogorovSmirnovCritical(count: 2000)
        let s2 = try sampleCanonical(ManifoldSpec(kind: .sphere)).1
        for j in 0..<3 {
            #expect(TestStatistics.kolmogorovSmirnov(s2.map { $0[j] }, cdf: uniformCDF(-1 ... 1)) < critical)
        }
        let s3 = try sampleCanonical(ManifoldSpec(kind: .sphere, intrinsic: 3)).1
        let cdf: (Double) -> Double = { x in 0.5 + (x * (1 - x * x).squareRoot() + asin(x)) / .pi }
        for j in 0..<4 { #expect(TestStatistics.kolmogorovSmirnov(s3.map { $0[j] }, cdf: cdf) < critical) }
    }

    @Test("the sphere's angle density integrates the declared law: parameterDensity matches sampling (S², polar angle)")
    func sphereParameterDensity() {
        let sphere = Sphere(dimension: 2)
        // The polar angle φ₁ of a uniform point on S² has density sin(φ₁)/2; the angle density must give that.
        var u: [Double] = [1.0, 0.3]
        let density = u.withUnsafeMutableBufferPointer { sphere.parameterDensity(UnsafeBufferPointer($0)) }
        #expect(abs(density * 2 * .pi - sin(1.0) / 2) < 1e-14)
    }

    @Test("gaussian: every canonical coordinate is N(0, s²) (KS)")
    func gaussianLaw() throws {
        let (_, canonical, _) = try sampleCanonical(ManifoldSpec(kind: .gaussian, scale: 2), dimension: 4)
        for j in 0..<4 {
            let ks = TestStatistics.kolmogorovSmirnov(canonical.map { $0[j] }) { normalCDF($0 / 2) }
            #expect(ks < TestStatistics.kolmogorovSmirnovCritical(count: canonical.count))
        }
    }

    @Test("ring and grid: modes equally likely (χ², α = 0.001) and each mode N(μ, std²I) (KS)",
          arguments: [(ManifoldKind.ring, 24.32, 0.01), (.grid, 51.18, 0.05)])
    func mixtureLaw(kind: ManifoldKind, chiSquaredCritical: Double, std: Double) throws {
        let (distribution, canonical, _) = try sampleCanonical(ManifoldSpec(kind: kind), count: 5000)
        let mixture = distribution.manifold as! GaussianMixture
        var counts = [Int](repeating: 0, count: mixture.means.count)
        var deviations: [Double] = []
        for y in canonical {
            let nearest = mixture.means.indices.min { hypot(y[0] - mixture.means[$0][0], y[1] - mixture.means[$0][1]) < hypot(y[0] - mixture.means[$1][0], y[1] - mixture.means[$1][1]) }!
            counts[nearest] += 1
            deviations.append(y[0] - mixture.means[nearest][0])
        }
        #expect(TestStatistics.chiSquaredUniform(counts) < chiSquaredCritical)
        let ks = TestStatistics.kolmogorovSmirnov(deviations) { normalCDF($0 / std) }
        #expect(ks < TestStatistics.kolmogorovSmirnovCritical(count: deviations.count))
    }

    @Test("the same seed gives identical samples; another seed does not")
    func determinism() throws {
        let request = SampleRequest(manifold: ManifoldSpec(kind: .helix), dimension: 10, count: 200, noise: 0.05, seed: Seed(1))
        #expect(try request.run() == request.run())
        var other = request
        other.seed = Seed(2)
        #expect(try request.run() != other.run())
    }
}
