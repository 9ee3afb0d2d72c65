import CGSL
import Foundation

/// Points of the unit cube for randomised quasi-Monte Carlo, and the maps out of it.
///
/// A Sobol sequence (GSL) with a Cranley–Patterson rotation — every coordinate shifted by one
/// uniform number, modulo 1 — is uniformly distributed on [0, 1)^s, so an average over it is an
/// unbiased estimate; independent shifts give independent replicates, whose spread is an honest
/// standard error. For smooth integrands in a few dimensions the error falls close to 1/n
/// instead of Monte Carlo's 1/√n.
public enum UnitCube {
    /// GSL's Sobol generator supports at most this many dimensions; later coordinates are
    /// pseudo-random (still uniform and independent, so the estimate stays unbiased).
    public static let sobolMaximumDimension = 40

    /// `count` points of [0, 1)^dimension: the first `count` Sobol points, the origin first (GSL's
    /// generator starts after it; with it, 2^m points form the usual (t, m, s)-net), shifted by a
    /// uniform vector drawn from `rng`, every coordinate kept inside [2⁻⁵³, 1 − 2⁻⁵³] so quantile
    /// functions stay finite.
    public static func shiftedSobol(count: Int, dimension: Int, rng: RandomStream) -> Matrix<Double> {
        precondition(count >= 0 && dimension >= 1)
        let sobolColumns = min(dimension, sobolMaximumDimension)
        let shift = (0..<sobolColumns).map { _ in rng.uniform() }
        GSL.installErrorHandler()
        let generator = gsl_qrng_alloc(manifoldlab_qrng_sobol(), UInt32(sobolColumns))!
        defer { gsl_qrng_free(generator) }
        var point = [Double](repeating: 0, count: sobolColumns)
        var cube = Matrix<Double>(rows: count, columns: dimension)
        cube.storage.withUnsafeMutableBufferPointer { t in
            for row in 0..<count {
                if row > 0 { _ = point.withUnsafeMutableBufferPointer { gsl_qrng_get(generator, $0.baseAddress!) } }
                for j in 0..<dimension {
                    var value = j < sobolColumns ? point[j] + shift[j] : rng.uniform()
                    if value >= 1 { value -= 1 }
                    t[row * dimension + j] = clamped(value)
                }
            }
        }
        return cube
    }

    /// σ·Φ⁻¹ of the given columns of `cube`, one row per point, read as coordinates in `basis`
    /// (the standard basis when nil): N(0, σ²I) noise either way.
    public static func normalNoise(_ cube: Matrix<Double>, columns: Range<Int>, sigma: Double,
                                   basis: HouseholderBasis?) -> Matrix<Double> {
        var z = Matrix<Double>(rows: cube.rows, columns: columns.count)
        for i in 0..<cube.rows {
            for (j, column) in columns.enumerated() { z[i, j] = sigma * normalQuantile(cube[i, column]) }
        }
        basis?.express(&z)
        return z
    }

    /// Φ⁻¹(t), the standard normal quantile (GSL), for t in the open unit interval.
    @inline(__always)
    public static func normalQuantile(_ t: Double) -> Double {
        gsl_cdf_ugaussian_Pinv(clamped(t))
    }

    @inline(__always)
    static func clamped(_ t: Double) -> Double { min(max(t, 0x1p-53), 1 - 0x1p-53) }
}
