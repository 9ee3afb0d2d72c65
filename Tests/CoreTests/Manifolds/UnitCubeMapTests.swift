import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Maps `count` pseudo-random points of the unit cube to parameters with the shape's inverse-CDF map.
private func mappedParameters(_ manifold: any Manifold, count: Int, seed: UInt64 = 5) -> [[Double]] {
    let rng = RandomStream(seed: Seed(seed))
    var t = [Double](repeating: 0, count: manifold.unitCubeDimension)
    var u = [Double](repeating: 0, count: manifold.intrinsicDimension)
    return (0..<count).map { _ in
        for j in t.indices { t[j] = rng.uniformPositive() }
        t.withUnsafeBufferPointer { tp in u.withUnsafeMutableBufferPointer { manifold.parameters(fromUnitCube: tp, into: $0) } }
        return u
    }
}

@Suite("Unit-cube maps: uniform points go to the declared parameter law")
struct UnitCubeMapTests {
    static let boundedShapes: [ManifoldSpec] = [
        .init(kind: .line), .init(kind: .plane), .init(kind: .flat, intrinsic: 4), .init(kind: .circle),
        .init(kind: .helix), .init(kind: .sphere), .init(kind: .sphere, intrinsic: 3), .init(kind: .swissroll),
        .init(kind: .torus), .init(kind: .uniform),
    ]

    /// Bins the mapped parameters on a grid of the parameter box and compares the counts with
    /// n·∫ parameterDensity over each bin (a fine midpoint rule) by Pearson's χ².
    @Test("χ² of binned parameters against the integrated parameterDensity", arguments: boundedShapes)
    func binnedAgainstDensity(spec: ManifoldSpec) throws {
        let manifold = try spec.manifold(dimension: 4)  // `uniform` fills R^4: k = 4
        let k = manifold.intrinsicDimension, domain = manifold.parameterDomain
        let bins = k <= 2 ? 8 : 3, sub = k <= 2 ? 16 : 8, count = 40_000
        let cells = Int(pow(Double(bins), Double(k)))
        var observed = [Int](repeating: 0, count: cells)
        for u in mappedParameters(manifold, count: count) {
            var cell = 0
            for i in 0..<k {
                let r = domain[i], fraction = (u[i] - r.lowerBound) / (r.upperBound - r.lowerBound)
                #expect(fraction >= 0 && fraction <= 1, "parameter \(i) = \(u[i]) left the domain \(r)")
                cell = cell * bins + min(Int(fraction * Double(bins)), bins - 1)
            }
            observed[cell] += 1
        }
        // Expected mass per bin: midpoint rule with `sub` points per bin and dimension.
        var expected = [Double](repeating: 0, count: cells)
        let fine = bins * sub, fineCells = Int(pow(Double(fine), Double(k)))
        var u = [Double](repeating: 0, count: k)
        let volume = domain.reduce(1.0) { $0 * ($1.upperBound - $1.lowerBound) / Double(fine) }
        for index in 0..<fineCells {
            var rest = index, cell = 0, stride = 1
            for i in (0..<k).reversed() {
                let j = rest % fine
                rest /= fine
                u[i] = domain[i].lowerBound + (Double(j) + 0.5) / Double(fine) * (domain[i].upperBound - domain[i].lowerBound)
                cell += (j / sub) * stride
                stride *= bins
            }
            expected[cell] += u.withUnsafeBufferPointer { manifold.parameterDensity($0) } * volume
        }
        #expect(abs(expected.reduce(0, +) - 1) < 2e-3, "the density integrates to \(expected.reduce(0, +))")
        let chiSquared = zip(observed, expected).reduce(0.0) { total, pair in
            let e = pair.1 * Double(count)
            return total + (Double(pair.0) - e) * (Double(pair.0) - e) / e
        }
        // χ² with cells − 1 degrees of freedom; mean cells − 1, standard deviation √(2(cells − 1)).
        let dof = Double(cells - 1)
        #expect(chiSquared < dof + 5 * (2 * dof).squareRoot(), "χ² = \(chiSquared) with \(cells - 1) degrees of freedom")
    }

    @Test("the sphere S² map is Archimedes': cos φ₁ is uniform on [−1, 1]; on S³ every |y_i|² has mean 1/4")
    func sphereLaws() throws {
        let s2 = try ManifoldSpec(kind: .sphere).manifold(dimension: 3)
        let heights = mappedParameters(s2, count: 20_000).map { cos($0[0]) }
        #expect(TestStatistics.kolmogorovSmirnov(heights) { min(max(($0 + 1) / 2, 0), 1) }
                < TestStatistics.kolmogorovSmirnovCritical(count: heights.count))
        let s3 = try ManifoldSpec(kind: .sphere, intrinsic: 3).manifold(dimension: 4)
        var y = [Double](repeating: 0, count: 4)
        var squares = [Double](repeating: 0, count: 4)
        let parameters = mappedParameters(s3, count: 20_000)
        for u in parameters {
            u.withUnsafeBufferPointer { up in y.withUnsafeMutableBufferPointer { s3.point(parameters: up, into: $0) } }
            for i in 0..<4 { squares[i] += y[i] * y[i] / Double(parameters.count) }
        }
        // Var(y_i²) = 3/(4·6) − 1/16 = 1/16 on S³, so the s.e. of each mean is 0.25/√n ≈ 0.0018.
        for value in squares { #expect(abs(value - 0.25) < 0.01) }
    }

    @Test("Gaussian mixtures: components equally likely, each coordinate N(mean, s²), the first one too",
          arguments: [ManifoldKind.ring, .grid])
    func mixtureLaw(kind: ManifoldKind) throws {
        let mixture = try #require(try ManifoldSpec(kind: kind).manifold(dimension: 2) as? GaussianMixture)
        let parameters = mappedParameters(mixture, count: 40_000)
        var counts = [Int](repeating: 0, count: mixture.means.count)
        var standardised: [[Double]] = [[], []]
        for u in parameters {
            let nearest = mixture.means.indices.min { a, b in
                hypot(u[0] - mixture.means[a][0], u[1] - mixture.means[a][1]) < hypot(u[0] - mixture.means[b][0], u[1] - mixture.means[b][1])
            }!
            counts[nearest] += 1
            for i in 0..<2 { standardised[i].append((u[i] - mixture.means[nearest][i]) / mixture.standardDeviation) }
        }
        let dof = Double(counts.count - 1)
        #expect(TestStatistics.chiSquaredUniform(counts) < dof + 5 * (2 * dof).squareRoot())
        for coordinate in standardised {
            #expect(TestStatistics.kolmogorovSmirnov(coordinate, cdf: normalCDF)
                    < TestStatistics.kolmogorovSmirnovCritical(count: coordinate.count))
        }
    }
}
