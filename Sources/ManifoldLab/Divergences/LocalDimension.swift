import CGSL
import Foundation

/// The dimension of the set a sample lies on, read off local principal components: around a few
/// probe points, the covariance of their 2D + 10 nearest neighbours has as many non-negligible
/// eigenvalues (≥ 10⁻³ of the largest) as the set has dimensions. Noise-free manifold samples give
/// their intrinsic dimension (curvature puts only ~(κr)² of the variance off the tangent space);
/// full-dimensional samples give D. The median over the probes is returned.
/// - Complexity: O(probes · (n · D + n_b · D²) + probes · D³), n_b = 2D + 10 neighbours, kept in a
///   sorted buffer while scanning (no sort of all n distances).
enum LocalDimension {
    static func estimate(_ points: Matrix<Double>, probes: Int = 20) -> Int {
        let n = points.rows, d = points.columns
        let neighbours = min(n - 1, 2 * d + 10)
        guard neighbours > d else { return d }  // too few points to see a deficient rank
        GSL.installErrorHandler()
        let covariance = gsl_matrix_alloc(d, d)!, eigenvalues = gsl_vector_alloc(d)!, workspace = gsl_eigen_symm_alloc(d)!
        defer { gsl_matrix_free(covariance); gsl_vector_free(eigenvalues); gsl_eigen_symm_free(workspace) }
        var ranks: [Int] = []
        var nearest = [Int](repeating: 0, count: neighbours), nearestSquared = [Double](repeating: 0, count: neighbours)
        var mean = [Double](repeating: 0, count: d)
        points.storage.withUnsafeBufferPointer { x in
            for probe in 0..<min(probes, n) {
                let centre = probe * n / min(probes, n)
                NearestNeighbours.nearestRows(to: x.baseAddress! + centre * d, in: x.baseAddress!, rows: n, dimension: d,
                                              excluding: centre, into: &nearest, squared: &nearestSquared)
                for c in 0..<d { mean[c] = 0 }
                for j in nearest { for c in 0..<d { mean[c] += x[j * d + c] / Double(neighbours) } }
                for a in 0..<d {
                    for b in a..<d {
                        var s = 0.0
                        for j in nearest { s += (x[j * d + a] - mean[a]) * (x[j * d + b] - mean[b]) }
                        gsl_matrix_set(covariance, a, b, s)
                        gsl_matrix_set(covariance, b, a, s)
                    }
                }
                _ = gsl_eigen_symm(covariance, eigenvalues, workspace)
                let values = (0..<d).map { gsl_vector_get(eigenvalues, $0) }
                let largest = values.max() ?? 0
                ranks.append(largest > 0 ? values.filter { $0 >= 1e-3 * largest }.count : 0)
            }
        }
        return ranks.sorted()[ranks.count / 2]
    }
}
