import Foundation

/// Places canonical coordinates y ∈ R^m in R^D as x = center + frame · y, with an orthonormal
/// `frame` (D × m). Rotations and translations act on the frame and the center.
public struct Embedding: Sendable, Equatable {
    /// D × m, orthonormal columns.
    public var frame: Matrix<Double>
    /// The image of the canonical origin, in R^D.
    public var center: [Double]

    public init(frame: Matrix<Double>, center: [Double]) {
        precondition(center.count == frame.rows)
        self.frame = frame
        self.center = center
    }

    /// R^d seen as itself: the identity frame at the origin.
    public static func identity(dimension d: Int) -> Embedding {
        var frame = Matrix<Double>(rows: d, columns: d)
        for i in 0..<d { frame[i, i] = 1 }
        return Embedding(frame: frame, center: [Double](repeating: 0, count: d))
    }

    public var ambientDimension: Int { frame.rows }
    public var spanDimension: Int { frame.columns }

    /// Column `j` of the frame.
    public func axis(_ j: Int) -> [Double] { (0..<frame.rows).map { frame[$0, j] } }

    /// Embeds canonical points (n × m, one per row) as n × D points: one BLAS product, plus the
    /// center when it is not the origin (P's never is: this keeps large samples fast).
    public func embed(_ canonical: Matrix<Double>) -> Matrix<Double> {
        precondition(canonical.columns == spanDimension)
        let n = canonical.rows, d = ambientDimension
        // gemm overwrites every entry (beta = 0): no need to zero the storage first.
        let storage = [Double](unsafeUninitializedCapacity: n * d) { buffer, count in
            Double.gemm(transA: false, transB: true, m: n, n: d, k: spanDimension, alpha: 1,
                        a: canonical.storage, lda: spanDimension, b: frame.storage, ldb: spanDimension,
                        beta: 0, c: buffer.baseAddress!, ldc: d)
            count = n * d
        }
        var points = Matrix(rows: n, columns: d, storage: storage)
        if center.contains(where: { $0 != 0 }) {
            points.storage.withUnsafeMutableBufferPointer { x in
                for i in 0..<n { for j in 0..<d { x[i * d + j] += center[j] } }
            }
        }
        return points
    }

    /// The canonical coordinates Fᵀ(x − c) of a point x ∈ R^D, and its distance to the frame's flat.
    public func project(_ x: [Double]) -> (canonical: [Double], distanceToFlat: Double) {
        let relative = zip(x, center).map { $0 - $1 }
        var canonical = [Double](repeating: 0, count: spanDimension)
        for j in 0..<spanDimension { for i in 0..<ambientDimension { canonical[j] += frame[i, j] * relative[i] } }
        var squared = 0.0
        for i in 0..<ambientDimension {
            var inFlat = 0.0
            for j in 0..<spanDimension { inFlat += frame[i, j] * canonical[j] }
            squared += (relative[i] - inFlat) * (relative[i] - inFlat)
        }
        return (canonical, squared.squareRoot())
    }

    /// This embedding moved by `vector`.
    public func translated(by vector: [Double]) -> Embedding {
        Embedding(frame: frame, center: zip(center, vector).map { $0 + $1 })
    }

    /// This embedding turned by `radians` about `pivot` in the plane of the orthonormal pair (a, b),
    /// a towards b; directions orthogonal to both are left alone.
    public func rotated(by radians: Double, inPlaneOf a: [Double], _ b: [Double], about pivot: [Double]) -> Embedding {
        let (c, s) = (cos(radians), sin(radians))
        func turn(_ v: [Double]) -> [Double] {
            var va = 0.0, vb = 0.0
            for i in v.indices { va += v[i] * a[i]; vb += v[i] * b[i] }
            return v.indices.map { v[$0] + (c - 1) * (va * a[$0] + vb * b[$0]) + s * (va * b[$0] - vb * a[$0]) }
        }
        var turned = frame
        for j in 0..<spanDimension {
            let column = turn(axis(j))
            for i in 0..<ambientDimension { turned[i, j] = column[i] }
        }
        let relative = zip(center, pivot).map { $0 - $1 }
        return Embedding(frame: turned, center: zip(turn(relative), pivot).map { $0 + $1 })
    }
}
