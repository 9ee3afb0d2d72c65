import CGSL
import Foundation

/// How the directions of the sliced Wasserstein distance are drawn on the unit sphere S^{D−1}.
public enum SlicingDirections: String, Codable, Sendable, CaseIterable {
    /// Blocks of D orthonormal directions, each block a Haar-random frame (antithetic-like
    /// variance reduction; the last block is truncated).
    case orthogonal
    /// A Sobol sequence (GSL, D ≤ 40) with a random Cranley–Patterson shift, mapped to the sphere
    /// through the Gaussian quantile function and normalisation. Above 40 dimensions GSL has no
    /// Sobol sequence and the orthogonal directions are used instead (the result's note says so).
    case sobol

    /// GSL's Sobol generator supports at most this many dimensions.
    public static let sobolMaximumDimension = 40

    /// `count × dimension` matrix whose rows are unit directions, and the kind actually used.
    static func matrix(_ kind: SlicingDirections, count: Int, dimension: Int,
                       rng: RandomStream) -> (Matrix<Double>, SlicingDirections) {
        if kind == .sobol && dimension <= sobolMaximumDimension {
            return (sobol(count: count, dimension: dimension, rng: rng), .sobol)
        }
        // The first frame is drawn before θ is allocated: the QR's workspace and θ are not both
        // alive on top of it.
        var frame = OrthonormalFrame.random(dimension: dimension, count: min(dimension, count), rng: rng)
        var theta = Matrix<Double>(rows: count, columns: dimension)
        var row = 0
        while row < count {
            let block = min(dimension, count - row)
            if row > 0 { frame = OrthonormalFrame.random(dimension: dimension, count: block, rng: rng) }
            for j in 0..<block { for k in 0..<dimension { theta[row + j, k] = frame[k, j] } }
            row += block
        }
        return (theta, .orthogonal)
    }

    static func sobol(count: Int, dimension: Int, rng: RandomStream) -> Matrix<Double> {
        GSL.installErrorHandler()
        let q = gsl_qrng_alloc(manifoldlab_qrng_sobol(), UInt32(dimension))!
        defer { gsl_qrng_free(q) }
        let shift = (0..<dimension).map { _ in rng.uniform() }
        var point = [Double](repeating: 0, count: dimension)
        var theta = Matrix<Double>(rows: count, columns: dimension)
        var row = 0
        while row < count {
            _ = point.withUnsafeMutableBufferPointer { gsl_qrng_get(q, $0.baseAddress!) }
            var norm = 0.0
            for k in 0..<dimension {
                var u = point[k] + shift[k]
                if u >= 1 { u -= 1 }
                u = min(max(u, 1e-15), 1 - 1e-15)
                let z = gsl_cdf_ugaussian_Pinv(u)
                theta[row, k] = z
                norm += z * z
            }
            guard norm > 0 else { continue }
            let inverse = 1 / norm.squareRoot()
            for k in 0..<dimension { theta[row, k] *= inverse }
            row += 1
        }
        return theta
    }
}
