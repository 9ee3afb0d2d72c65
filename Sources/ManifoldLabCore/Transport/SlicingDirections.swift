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
    public static let sobolMaximumDimension = UnitCube.sobolMaximumDimension

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

    /// Shifted Sobol points mapped to the sphere by the normal quantile function and normalisation.
    static func sobol(count: Int, dimension: Int, rng: RandomStream) -> Matrix<Double> {
        var theta = Matrix<Double>(rows: count, columns: dimension)
        var row = 0
        while row < count {
            // A point whose quantiles are all 0 has no direction; draw past it (measure zero).
            let cube = UnitCube.shiftedSobol(count: count - row + 1, dimension: dimension, rng: rng)
            for i in 0..<cube.rows where row < count {
                var norm = 0.0
                for k in 0..<dimension {
                    let z = UnitCube.normalQuantile(cube[i, k])
                    theta[row, k] = z
                    norm += z * z
                }
                guard norm > 0 else { continue }
                let inverse = 1 / norm.squareRoot()
                for k in 0..<dimension { theta[row, k] *= inverse }
                row += 1
            }
        }
        return theta
    }
}
