import CGSL
import Foundation

/// Closed-form Wasserstein distances, the yardsticks for the numerical methods.
public enum AnalyticWasserstein {
    /// A measure and its copy translated by θ: W_p = |θ| for every p ≥ 1 (Jensen gives the lower
    /// bound, the translation map the upper).
    public static func translation(_ theta: [Double], order: Double = 2) -> TransportResult {
        let norm = theta.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return TransportResult(cost: Wasserstein.power(norm, order: order), order: order, method: .analytic,
                               solver: "translation", estimator: "W_p, closed form |θ|")
    }

    /// W2 between the uniform measures on two segments of lengths L1, L2 with midpoints a, b
    /// at an angle φ to each other:
    /// W2² = |a − b|² + (L1² + L2² − 2·L1·L2·|cos φ|) / 12.
    /// (The mean contributes |a − b|²; the centred parts are matched monotonically along the
    /// orientation of the second segment that makes the directions' inner product positive.)
    public static func segments(lengths: (Double, Double), midpoints: ([Double], [Double]),
                                angle: Double) -> TransportResult {
        let (l1, l2) = lengths
        var shift = 0.0
        for k in 0..<midpoints.0.count { let d = midpoints.0[k] - midpoints.1[k]; shift += d * d }
        let cost = shift + (l1 * l1 + l2 * l2 - 2 * l1 * l2 * abs(cos(angle))) / 12
        return TransportResult(cost: cost, order: 2, method: .analytic, solver: "segments",
                               estimator: "W2, closed form for two uniform segments")
    }

    /// W2 between N(μ1, Σ1) and N(μ2, Σ2) (the Bures–Wasserstein formula):
    /// W2² = |μ1 − μ2|² + tr(Σ1 + Σ2 − 2 (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2}),
    /// with the symmetric square roots from GSL's symmetric eigensolver.
    ///
    /// - Parameters: covariances row-major `D × D`, symmetric positive semi-definite.
    /// - Throws: ``ManifoldLabError/invalidValue(parameter:value:allowed:)`` on mismatched sizes,
    ///   non-finite entries, asymmetry or a negative eigenvalue beyond round-off.
    public static func gaussians(mean1: [Double], covariance1: [Double], mean2: [Double],
                                 covariance2: [Double]) throws(ManifoldLabError) -> TransportResult {
        let d = mean1.count
        guard d >= 1, mean2.count == d, covariance1.count == d * d, covariance2.count == d * d else {
            throw .invalidValue(parameter: "Gaussian parameters", value: "means of \(mean1.count) and \(mean2.count), covariances of \(covariance1.count) and \(covariance2.count) entries",
                                 allowed: "two means of length D ≥ 1 and two D × D covariances")
        }
        guard (mean1 + mean2 + covariance1 + covariance2).allSatisfy(\.isFinite) else {
            throw .invalidValue(parameter: "Gaussian parameters", value: "a NaN or infinite entry", allowed: "finite means and covariances")
        }
        var shift = 0.0
        for k in 0..<d { let t = mean1[k] - mean2[k]; shift += t * t }
        let root1 = try symmetricSquareRoot(covariance1, d, name: "first covariance")
        let middle = multiply(multiply(root1, covariance2, d), root1, d)
        let rootMiddle = try symmetricSquareRoot(middle, d, name: "product Σ1^½ Σ2 Σ1^½")
        var trace = 0.0
        for k in 0..<d { trace += covariance1[k * d + k] + covariance2[k * d + k] - 2 * rootMiddle[k * d + k] }
        return TransportResult(cost: shift + max(trace, 0), order: 2, method: .analytic, solver: "bures",
                               estimator: "W2, closed form for Gaussians (Bures)")
    }

    static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        Matrix(rows: d, columns: d, storage: a).multiplied(by: Matrix(rows: d, columns: d, storage: b)).storage
    }

    /// The symmetric PSD square root V diag(√λ) Vᵀ (eigenvalues clamped at 0 within round-off).
    static func symmetricSquareRoot(_ s: [Double], _ d: Int, name: String) throws(ManifoldLabError) -> [Double] {
        var scale = 0.0
        for i in 0..<d {
            for j in 0..<d {
                scale = max(scale, abs(s[i * d + j]))
                if abs(s[i * d + j] - s[j * d + i]) > 1e-9 * max(1, abs(s[i * d + j])) {
                    throw .invalidValue(parameter: name, value: "entries (\(i + 1),\(j + 1)) and (\(j + 1),\(i + 1)) differ",
                                         allowed: "a symmetric matrix")
                }
            }
        }
        GSL.installErrorHandler()
        let a = gsl_matrix_alloc(d, d)!, evec = gsl_matrix_alloc(d, d)!
        let eval = gsl_vector_alloc(d)!, work = gsl_eigen_symmv_alloc(d)!
        defer { gsl_matrix_free(a); gsl_matrix_free(evec); gsl_vector_free(eval); gsl_eigen_symmv_free(work) }
        // Subnormal entries are set to 0: GSL's eigensolver did not return on such a matrix.
        for i in 0..<d {
            for j in 0..<d {
                let v = 0.5 * (s[i * d + j] + s[j * d + i])
                gsl_matrix_set(a, i, j, abs(v) < Double.leastNormalMagnitude ? 0 : v)
            }
        }
        guard gsl_eigen_symmv(a, eval, evec, work) == GSL_SUCCESS else {
            throw .numericalFailure("the eigen-decomposition of the \(name) did not converge")
        }
        var root = [Double](repeating: 0, count: d * d)
        for k in 0..<d {
            let lambda = gsl_vector_get(eval, k)
            guard lambda >= -1e-10 * max(scale, 1e-300) else {
                throw .invalidValue(parameter: name, value: "eigenvalue \(lambda)", allowed: "a positive semi-definite matrix")
            }
            let r = max(lambda, 0).squareRoot()
            for i in 0..<d {
                let vi = gsl_matrix_get(evec, i, k) * r
                for j in 0..<d { root[i * d + j] += vi * gsl_matrix_get(evec, j, k) }
            }
        }
        return root
    }
}
