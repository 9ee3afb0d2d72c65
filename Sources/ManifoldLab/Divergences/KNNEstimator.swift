import Foundation

/// k-nearest-neighbour estimators of KL and JS from two sample sets in R^D.
///
/// KL(P‖Q) ≈ (d/n) Σ log(ν_k(i)/ρ_k(i)) + log(m/(n−1)) (Wang, Kulkarni & Verdú 2009), with ρ_k the
/// distance from x_i to its k-th neighbour among the other x's and ν_k to its k-th neighbour among
/// the y's. JS uses the same kNN densities in the mixture form ½E_P[log 2p/(p+q)] + ½E_Q[log 2q/(p+q)].
///
/// Known bias (documented, measured in the tests): at finite n these estimators shrink a large KL
/// (roughly halving it when KL ≈ 10 nats), and kNN JS drifts from the truth as D grows; `auto` never
/// picks them where `smoothed` applies. Exact duplicates (distance 0) are floored at the smallest
/// positive neighbour distance of the set and counted in `details["duplicates"]`.
///
/// Samples on a lower-dimensional set (no noise) have no density in R^D. The dimension of P's
/// samples is read off local principal components (``LocalDimension``). When it is below D, the estimators run in that
/// dimension if Q's samples cover P's, and KL is reported as ∞ when they do not — a finite kNN
/// number would grow like (D/d)·log n.
public enum KNNEstimator {
    public static func estimate(_ kind: DivergenceKind, p: Matrix<Double>, q: Matrix<Double>, k: Int)
        throws(ManifoldLabError) -> DivergenceEstimate {
        precondition(kind == .kl || kind == .js)
        let n = p.rows, m = q.rows, ambient = p.columns
        guard n >= 4 * (k + 1) && m > k + 1 else {
            throw .methodNotApplicable(method: "knn", reason: "needs at least 4(k + 1) = \(4 * (k + 1)) points of P and k + 2 of Q (P has \(n), Q has \(m))")
        }
        var duplicates = 0
        func kth(_ distances: Matrix<Double>) -> [Double] {
            let column = (0..<distances.rows).map { distances[$0, k - 1] }
            let floor = column.filter { $0 > 0 }.min() ?? .leastNormalMagnitude
            return column.map { value in if value > 0 { return value }; duplicates += 1; return floor }
        }
        let rhoP = kth(NearestNeighbours.distances(from: p, to: p, k: k, excludingSelf: true))
        let nuP = kth(NearestNeighbours.distances(from: p, to: q, k: k, excludingSelf: false))
        let intrinsic = Double(LocalDimension.estimate(p))
        var details: [String: Double] = ["k": Double(k), "intrinsic_dimension": intrinsic]
        var d = Double(ambient)
        var reason: String?
        if intrinsic < Double(ambient) {
            let median = zip(nuP, rhoP).map { $0 / $1 }.sorted()[n / 2]
            details["median_nu_over_rho"] = median
            d = max(1, intrinsic.rounded())
            if median > 4 && kind == .kl {
                details["duplicates"] = Double(duplicates)
                return DivergenceEstimate(.kl, value: .infinity, method: "knn",
                    reason: String(format: "P's samples lie on a %.0f-dimensional set that Q's samples do not cover (median ν/ρ = %.3g): no density, KL = ∞", intrinsic, median),
                    details: details)
            }
            reason = "samples lie on a \(Int(d))-dimensional set: estimated in that dimension"
        }
        let logRatioP = log(Double(m) / Double(n - 1))
        if kind == .kl {
            details["duplicates"] = Double(duplicates)
            let (mean, stderr) = meanAndStandardError((0..<n).map { d * log(nuP[$0] / rhoP[$0]) + logRatioP })
            return DivergenceEstimate(.kl, value: mean, stderr: stderr, method: "knn", reason: reason, details: details)
        }
        let rhoQ = kth(NearestNeighbours.distances(from: q, to: q, k: k, excludingSelf: true))
        let nuQ = kth(NearestNeighbours.distances(from: q, to: p, k: k, excludingSelf: false))
        details["duplicates"] = Double(duplicates)
        // log p̂ − log q̂ at a P point: d·log(ν/ρ) + log(m/(n−1)); at a Q point the mirror image.
        let atP = (0..<n).map { M_LN2 - softplus(-(d * log(nuP[$0] / rhoP[$0]) + logRatioP)) }
        let atQ = (0..<m).map { M_LN2 - softplus(-(d * log(nuQ[$0] / rhoQ[$0]) + log(Double(n) / Double(m - 1)))) }
        let (meanP, errorP) = meanAndStandardError(atP), (meanQ, errorQ) = meanAndStandardError(atQ)
        return DivergenceEstimate(.js, value: 0.5 * (meanP + meanQ), stderr: 0.5 * (errorP * errorP + errorQ * errorQ).squareRoot(),
                                  method: "knn", reason: reason, details: details)
    }
}

/// The sample mean and its standard error s/√n.
func meanAndStandardError(_ values: [Double]) -> (mean: Double, stderr: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0, +) / n
    guard values.count > 1 else { return (mean, .infinity) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return (mean, (variance / n).squareRoot())
}
