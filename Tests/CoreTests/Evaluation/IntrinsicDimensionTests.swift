import Foundation
import Testing
@testable import ManifoldLabCore
import TestSupport

/// Issue 16's intrinsic dimension: TwoNN and Levina–Bickel read 1 on a helix, 2 on a torus and a
/// sphere in R^64, k on a k-flat, and D on a full-dimensional Gaussian of low D; they do not change
/// with scale; repeated points are left out, not read as dimension 0.
@Suite("Intrinsic dimension (TwoNN, Levina–Bickel) on manifolds of known dimension")
struct IntrinsicDimensionTests {
    static func sample(_ kind: ManifoldKind, dim: Int, n: Int, intrinsic: Int? = nil, seed: UInt64 = 1) throws -> Matrix<Double> {
        let spec = try ShapeOptions(intrinsic: intrinsic).specs([(kind.rawValue, "p")])[0]
        return try SampleRequest(manifold: spec, dimension: dim, count: n, seed: Seed(seed)).run()
    }

    @Test("helix 1 ± 0.1; torus and sphere in R^64 2 ± 0.15; flat k = 5 in R^20 within 0.5", arguments: [
        (ManifoldKind.helix, 64, nil as Int?, 1.0, 0.1), (.torus, 64, nil, 2.0, 0.15), (.sphere, 64, nil, 2.0, 0.15),
        (.flat, 20, 5, 5.0, 0.5),
    ])
    func knownDimensions(kind: ManifoldKind, dim: Int, intrinsic: Int?, expected: Double, tolerance: Double) throws {
        let points = try Self.sample(kind, dim: dim, n: 4000, intrinsic: intrinsic)
        let twoNN = try IntrinsicDimension.twoNN(points)
        let mle = try IntrinsicDimension.levinaBickel(points)
        #expect(abs(twoNN.value - expected) < tolerance, "\(kind) TwoNN \(twoNN.value)")
        #expect(abs(mle.value - expected) < tolerance, "\(kind) MLE \(mle.value)")
        #expect(twoNN.repeated == 0 && mle.byK.count == 11)
    }

    @Test("the same estimates at 1e-150 and 1e150; repeated points are left out and counted")
    func scaleAndRepeats() throws {
        let points = try Self.sample(.torus, dim: 5, n: 600)
        let a = try IntrinsicDimension.twoNN(points), b = try IntrinsicDimension.levinaBickel(points, k: 20...20)
        for factor in [1e-150, 1e150] {
            var scaled = points
            for i in scaled.storage.indices { scaled.storage[i] *= factor }
            #expect(abs(try IntrinsicDimension.twoNN(scaled).value - a.value) < 1e-9)
            #expect(abs(try IntrinsicDimension.levinaBickel(scaled, k: 20...20).value - b.value) < 1e-9)
        }
        var doubled = Matrix<Double>(rows: 1200, columns: 5)
        for i in 0..<1200 { for j in 0..<5 { doubled[i, j] = points[i % 600, j] } }
        // Every point repeated: no ratio is left, which is refused (never read as dimension 0).
        #expect(throws: ManifoldLabError.self) { try IntrinsicDimension.twoNN(doubled) }
        let fewer = try IntrinsicDimension.twoNN(Matrix(rowVectors: (0..<610).map { doubled.row($0) }))
        #expect(fewer.repeated == 20 && fewer.points == 590 && fewer.value.isFinite)
    }

    @Test("Levina–Bickel of k₁…k₂ is the mean of its single-k values; k outside 2…1000 or too few points are refused")
    func kRange() throws {
        let points = try Self.sample(.sphere, dim: 10, n: 800)
        let range = try IntrinsicDimension.levinaBickel(points, k: 8...12)
        var singles: [Double] = []
        for k in 8...12 { singles.append(try IntrinsicDimension.levinaBickel(points, k: k...k).value) }
        #expect(abs(range.value - singles.reduce(0, +) / 5) < 1e-12)
        #expect(zip(range.byK, singles).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(throws: ManifoldLabError.self) { try IntrinsicDimension.levinaBickel(points, k: 1...5) }
        #expect(throws: ManifoldLabError.self) { try IntrinsicDimension.levinaBickel(points.rows(at: Array(0..<15)), k: 10...20) }
        #expect(throws: ManifoldLabError.self) { try IntrinsicDimension.twoNN(points.rows(at: [0, 1])) }
    }
}
