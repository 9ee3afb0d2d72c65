import CGSL
import Foundation

/// Tests on noise-free samples that decide, before any kNN estimate, whether P and Q can have a
/// finite KL or a JS below log 2 at all.
///
/// - Atoms: a value repeated in a sample is an atom of its law (a continuous law repeats no point).
///   An atom of P that Q's sample never hits has Q-mass 0 (a continuous Q, or Q's atoms elsewhere).
/// - Tangent residuals: around a probe point, Q's 2d + 4 nearest points span Q's local tangent
///   d-plane. A point on Q's support sits in that plane up to curvature, κr² against a spread r; a
///   point off Q's support sits at its distance from it. The ratio residual/spread is calibrated on
///   Q's own points (each against its other neighbours): a P probe is "off Q" when its ratio exceeds
///   twice Q's 95th percentile (and 1e-9, the rounding of a flat). Ratios are dimensionless, so the
///   test does not depend on the data's scale.
enum SupportTest {
    /// Values repeated within `x`, and how many rows of `x` hold one.
    static func atoms(_ x: Matrix<Double>) -> (values: Set<[Double]>, rows: Int) {
        var counts: [[Double]: Int] = [:]
        for i in 0..<x.rows {
            if i % 4096 == 0 { Interruption.checkpoint() }  // SIGINT/SIGTERM: js, kl stop here
            counts[x.row(i), default: 0] += 1
        }
        let repeated = counts.filter { $0.value > 1 }
        return (Set(repeated.keys), repeated.values.reduce(0, +))
    }

    /// The fraction of probes of `x` that lie off `y`'s support (see the type's note), with `d` the
    /// common intrinsic dimension read by ``LocalDimension``. The test also runs with planes of
    /// dimension d − 1 and keeps the larger fraction: curvature can make a surface read as d + 1
    /// (a unit sphere at n = 5000 reads as 3-dimensional), and a (d + 1)-plane fitted to a curved
    /// surface in R^(d+1) holds every nearby point. Each level is calibrated on Q's own points, so a
    /// level that fits badly flags nothing.
    static func offFraction(of x: Matrix<Double>, from y: Matrix<Double>, dimension d: Int, probes: Int = 200) -> Double {
        guard d >= 1 else {
            // Q's sample is finitely many points (dimension 0): a probe is off Q unless it is one of them.
            let support = Set((0..<y.rows).map { y.row($0) })
            let count = min(probes, x.rows)
            guard count > 0 else { return 0 }
            let off = (0..<count).filter { !support.contains(x.row($0 * x.rows / count)) }.count
            return Double(off) / Double(count)
        }
        return (max(1, d - 1)...d).map { level(x, y, dimension: $0, probes: probes) }.max() ?? 0
    }

    static func level(_ x: Matrix<Double>, _ y: Matrix<Double>, dimension d: Int, probes: Int) -> Double {
        let calibration = ratios(y, against: y, dimension: d, probes: probes, excludingSelf: true).sorted()
        guard !calibration.isEmpty else { return 0 }
        let threshold = max(2 * calibration[min(calibration.count - 1, Int(0.95 * Double(calibration.count)))], 1e-9)
        let measured = ratios(x, against: y, dimension: d, probes: probes, excludingSelf: false)
        return Double(measured.filter { $0 > threshold }.count) / Double(max(measured.count, 1))
    }

    /// Residual over spread for up to `probes` evenly spaced rows of `x` against `y`'s local planes.
    static func ratios(_ x: Matrix<Double>, against y: Matrix<Double>, dimension d: Int, probes: Int,
                       excludingSelf: Bool) -> [Double] {
        let n = y.rows, dim = y.columns
        let neighbours = min(n - (excludingSelf ? 1 : 0), 2 * d + 4)
        guard neighbours > d, d < dim else { return [] }
        GSL.installErrorHandler()
        let gram = gsl_matrix_alloc(neighbours, neighbours)!, values = gsl_vector_alloc(neighbours)!
        let vectors = gsl_matrix_alloc(neighbours, neighbours)!, workspace = gsl_eigen_symmv_alloc(neighbours)!
        defer { gsl_matrix_free(gram); gsl_vector_free(values); gsl_matrix_free(vectors); gsl_eigen_symmv_free(workspace) }
        var nearest = [Int](repeating: 0, count: neighbours), nearestSquared = [Double](repeating: 0, count: neighbours)
        var centred = [Double](repeating: 0, count: neighbours * dim), mean = [Double](repeating: 0, count: dim)
        var residual = [Double](repeating: 0, count: dim), direction = [Double](repeating: 0, count: dim)
        let count = min(probes, x.rows)
        var result: [Double] = []
        y.storage.withUnsafeBufferPointer { yp in
            for probe in 0..<count {
                Interruption.checkpoint()  // SIGINT/SIGTERM: js, kl stop here
                let i = probe * x.rows / count
                let point = x.row(i)
                point.withUnsafeBufferPointer { p in
                    NearestNeighbours.nearestRows(to: p.baseAddress!, in: yp.baseAddress!, rows: n, dimension: dim,
                                                  excluding: excludingSelf ? i : nil, into: &nearest, squared: &nearestSquared)
                }
                for c in 0..<dim { mean[c] = 0 }
                for j in nearest { for c in 0..<dim { mean[c] += yp[j * dim + c] / Double(neighbours) } }
                for (r, j) in nearest.enumerated() { for c in 0..<dim { centred[r * dim + c] = yp[j * dim + c] - mean[c] } }
                for a in 0..<neighbours {
                    for b in a..<neighbours {
                        var s = 0.0
                        for c in 0..<dim { s += centred[a * dim + c] * centred[b * dim + c] }
                        gsl_matrix_set(gram, a, b, s)
                        gsl_matrix_set(gram, b, a, s)
                    }
                }
                _ = gsl_eigen_symmv(gram, values, vectors, workspace)
                _ = gsl_eigen_symmv_sort(values, vectors, GSL_EIGEN_SORT_VAL_DESC)
                for c in 0..<dim { residual[c] = point[c] - mean[c] }
                var spread = 0.0
                for t in 0..<d {
                    let lambda = gsl_vector_get(values, t)
                    guard lambda > 0 else { break }
                    spread += lambda
                    // u = Cᵀv/√λ, a unit tangent direction; take the probe's component along it out.
                    for c in 0..<dim { direction[c] = 0 }
                    for r in 0..<neighbours {
                        let v = gsl_matrix_get(vectors, r, t) / lambda.squareRoot()
                        for c in 0..<dim { direction[c] += v * centred[r * dim + c] }
                    }
                    var along = 0.0
                    for c in 0..<dim { along += direction[c] * residual[c] }
                    for c in 0..<dim { residual[c] -= along * direction[c] }
                }
                var off = 0.0
                for c in 0..<dim { off += residual[c] * residual[c] }
                let radius = (spread / Double(neighbours)).squareRoot()
                result.append(radius > 0 ? off.squareRoot() / radius : (off > 0 ? .infinity : 0))
            }
        }
        return result
    }
}
