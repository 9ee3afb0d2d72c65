import CGSL
import Foundation

/// The dimension of the set a sample lies on, read off local principal components: around a few
/// probe points, the covariance of their 2D + 10 nearest neighbours has as many non-negligible
/// eigenvalues (≥ 10⁻³ of the largest) as the set has dimensions. Noise-free manifold samples give
/// their intrinsic dimension (curvature puts only ~(κr)² of the variance off the tangent space);
/// full-dimensional samples give D. The median over the probes is returned.
/// - Complexity: O(probes · (n · D + n_b · D²) + probes · D³), n_b = 2D + 10 neighbours, kept in a
///   sorted buffer while scanning (no sort of all n distances).
///
/// Curvature is the rank's blind spot: a curved surface in R^3 at n of a few thousand puts ~10⁻² of
/// its neighbourhoods' variance off the tangent plane and reads 3, full-dimensional. ``reading(_:)``
/// therefore checks a full-rank reading against the Levina–Bickel likelihood estimate, which looks
/// at how neighbour counts grow with radius and is blind to curvature at small radii.
enum LocalDimension {
    /// The dimension the support tests and kNN use: the local rank, unless it reads full-dimensional
    /// in D ≤ 4 and the likelihood estimate lies clearly below (≤ D − ¾), in which case the rounded
    /// likelihood estimate. Only there: the likelihood estimate reads full-dimensional samples low as
    /// D grows (a cube in R^5 at n = 500: 4.3; R^10: 7.9; R^64: 34), while the rank is exact for them.
    /// In D ≥ k + 2 the rank already reads a curved k-surface below D (the support tests then try k).
    static let likelihoodCheckLimit = 4

    static func reading(_ points: Matrix<Double>) -> Int {
        let rank = estimate(points), ambient = points.columns
        guard rank == ambient, (2...likelihoodCheckLimit).contains(ambient), let likelihood = likelihood(points),
              likelihood <= Double(ambient) - 0.75 else { return rank }
        return max(1, Int(likelihood.rounded()))
    }

    /// Levina–Bickel (2004) maximum-likelihood dimension with MacKay–Ghahramani's pooling: the
    /// inverse of the mean over probes of (1/(k−1)) Σ_{j<k} log(T_k/T_j), T_j the distance to the
    /// j-th neighbour. Scale-free (ratios of distances); nil when too few points or all probes sit
    /// on repeated points.
    static func likelihood(_ points: Matrix<Double>, k: Int = 20, probes: Int = 500) -> Double? {
        let n = points.rows
        guard n > k + 1, k >= 2 else { return nil }
        let count = min(probes, n)
        let queries = points.rows(at: (0..<count).map { $0 * n / count })
        // k + 1: each probe is also a reference, and its first neighbour is itself at distance 0.
        let distances = NearestNeighbours.distances(from: queries, to: points, k: k + 1, excludingSelf: false)
        var sum = 0.0, used = 0
        for i in 0..<count {
            let outer = distances[i, k]
            guard distances[i, 1] > 0, outer > 0 else { continue }
            var logs = 0.0
            for j in 1..<k { logs += log(outer / distances[i, j]) }
            sum += logs / Double(k - 1)
            used += 1
        }
        guard used > 0, sum > 0 else { return nil }
        return Double(used) / sum
    }

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
