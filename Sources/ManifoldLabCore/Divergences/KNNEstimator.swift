import CGSL
import Foundation

/// k-nearest-neighbour estimators of KL and JS from two sample sets in R^D.
///
/// KL(P‖Q) ≈ (d/n) Σ log(ν_k(i)/ρ_k(i)) + log(m/(n−1)) (Wang, Kulkarni & Verdú 2009), with ρ_k the
/// distance from x_i to its k-th neighbour among the other x's and ν_k to its k-th neighbour among
/// the y's. JS uses the same kNN densities in the mixture form ½E_P[log 2p/(p+q)] + ½E_Q[log 2q/(p+q)].
///
/// Known bias (documented, measured in the tests): at finite n these estimators shrink a large KL
/// (roughly halving it when KL ≈ 10 nats), and kNN JS drifts from the truth as D grows. Before
/// estimating, the samples are tested for what makes a finite number wrong (``SupportTest``):
/// atoms of P that Q never hits (KL = ∞); supports of different dimensions (mutually singular:
/// KL = ∞, JS = log 2); supports of one dimension d < D where P's points sit off Q's local tangent
/// planes (KL = ∞; JS = log 2 when each sits off the other). Only when Q's support covers P's are
/// the estimators run, in dimension d. Atoms that Q's sample shares are floored at the smallest
/// positive neighbour distance and counted in `details["duplicates"]`.
public enum KNNEstimator {
    /// The largest median k-th-neighbour distance, as a fraction of the median distance of a sample
    /// from its mean, at which `auto` still uses kNN. The k-th neighbour of a point in dimension d
    /// lies ~(k/n)^(1/d) of the way across the sample; past ½ the "local" density is the density of
    /// half the sample, and the bias can exceed JS's whole range (at d = 100, n = 5000: ≈ 0.93).
    public static let localityLimit = 0.5
    /// Fractions of probes off the other support that decide "not covered" and "mutually singular".
    static let uncovered = 0.2, singular = 0.8

    public static func estimate(_ kind: DivergenceKind, p: Matrix<Double>, q: Matrix<Double>, k: Int,
                                requireLocality: Bool = false) throws(ManifoldLabError) -> DivergenceEstimate {
        precondition(kind == .kl || kind == .js)
        let n = p.rows, m = q.rows, ambient = p.columns
        guard n >= 4 * (k + 1) && m >= 4 * (k + 1) else {
            throw .methodNotApplicable(method: "knn", reason: "needs at least 4(k + 1) = \(4 * (k + 1)) points of P and of Q (P has \(n), Q has \(m))")
        }
        var details: [String: Double] = ["k": Double(k)]
        func exact(_ value: Double, _ reason: String) -> DivergenceEstimate {
            DivergenceEstimate(kind, value: value, method: "knn", reason: reason, details: details)
        }
        let infinite = kind == .kl ? Double.infinity : M_LN2

        if let verdict = try atomVerdict(kind, p: p, q: q) { return exact(infinite, verdict) }

        let dp = LocalDimension.reading(p), dq = LocalDimension.reading(q)
        details["intrinsic_dimension"] = Double(dp)
        details["intrinsic_dimension_q"] = Double(dq)
        var d = Double(ambient)
        var reason: String?
        if min(dp, dq) < ambient {
            let low = min(dp, dq)
            if dp != dq {
                // Singular when the higher-dimensional sample sits off the lower one's support; else
                // curvature or sample size made one read a dimension high (a sphere at n = 5000 reads 3).
                let off = dp > dq ? SupportTest.offFraction(of: p, from: q, dimension: low)
                                  : SupportTest.offFraction(of: q, from: p, dimension: low)
                if off > uncovered {
                    return exact(infinite, String(format: "= %@: P's samples lie on a %d-dimensional set, Q's on a %d-dimensional one (%.0f%% of the larger one's probes sit off the smaller one's tangent planes): the laws are mutually singular", kind == .kl ? "∞" : "log 2", dp, dq, 100 * off))
                }
            }
            let offP = SupportTest.offFraction(of: p, from: q, dimension: low)
            details["off_support_fraction"] = offP
            if kind == .kl && offP > uncovered {
                return exact(.infinity, String(format: "= ∞: P's samples lie on a %d-dimensional set that Q's samples do not cover (%.0f%% of P's probes sit off Q's local tangent planes): no density ratio", low, 100 * offP))
            }
            if kind == .js {
                let offQ = SupportTest.offFraction(of: q, from: p, dimension: low)
                details["off_support_fraction_q"] = offQ
                if offP > singular && offQ > singular {
                    return exact(M_LN2, String(format: "= log 2: P's and Q's samples lie on different %d-dimensional sets (%.0f%% and %.0f%% of the probes sit off the other's tangent planes): mutually singular", low, 100 * offP, 100 * offQ))
                }
                if offP > uncovered && offQ > uncovered {
                    throw .methodNotApplicable(method: "knn", reason: String(format: "P's and Q's samples lie on %d-dimensional sets that overlap only in part (%.0f%% and %.0f%% of the probes off the other's support): kNN cannot weigh the overlap; add \(parameter: "noise") σ (smoothed) or use \(parameter: "method") classifier", low, 100 * offP, 100 * offQ))
                }
            }
            d = Double(low)
            reason = "samples lie on a \(low)-dimensional set that covers the other's: estimated in that dimension"
        }

        var duplicates = 0
        func kth(_ distances: Matrix<Double>) -> [Double] {
            let column = (0..<distances.rows).map { distances[$0, k - 1] }
            let floor = column.filter { $0 > 0 }.min() ?? .leastNormalMagnitude
            return column.map { value in if value > 0 { return value }; duplicates += 1; return floor }
        }
        let rhoP = kth(NearestNeighbours.distances(from: p, to: p, k: k, excludingSelf: true))
        let nuP = kth(NearestNeighbours.distances(from: p, to: q, k: k, excludingSelf: false))
        var locality = self.locality(p, rho: rhoP)
        let logRatioP = log(Double(m) / Double(n - 1))
        if kind == .kl {
            details["duplicates"] = Double(duplicates)
            try check(locality, requireLocality, n: n, d: d, k: k, details: &details)
            let (mean, stderr) = meanAndStandardError((0..<n).map { d * log(nuP[$0] / rhoP[$0]) + logRatioP })
            return DivergenceEstimate(.kl, value: mean, stderr: stderr, method: "knn", reason: reason, details: details)
        }
        // JS = H(M) − ½H(P) − ½H(Q) by Kozachenko–Leonenko entropies on equal halves: the pooled
        // sample stands for M = ½(P + Q). Each point contributes d·log(ρ_k in the pooled sample / ρ_k
        // in its own), linearly, so identical laws give 0 without the concavity bias of plugging
        // kNN density ratios into log 2 − softplus (that form read −0.05 for two identical planes).
        let size = min(n, m)
        let x = n == size ? p : p.rows(at: (0..<size).map { $0 * n / size })
        let y = m == size ? q : q.rows(at: (0..<size).map { $0 * m / size })
        let ownX = NearestNeighbours.distances(from: x, to: x, k: k, excludingSelf: true)
        let crossX = NearestNeighbours.distances(from: x, to: y, k: k, excludingSelf: false)
        let ownY = NearestNeighbours.distances(from: y, to: y, k: k, excludingSelf: true)
        let crossY = NearestNeighbours.distances(from: y, to: x, k: k, excludingSelf: false)
        locality = max(self.locality(x, rho: kth(ownX)), self.locality(y, rho: kth(ownY)))
        details["duplicates"] = Double(duplicates)
        try check(locality, requireLocality, n: size, d: d, k: k, details: &details)
        let terms = pooledTerms(own: kth(ownX), cross: crossX, ownAll: ownX, k: k, d: d)
            + pooledTerms(own: kth(ownY), cross: crossY, ownAll: ownY, k: k, d: d)
        let (mean, stderr) = meanAndStandardError(terms)
        let offset = gsl_sf_psi(Double(2 * size)) - gsl_sf_psi(Double(size))
        details["n_used"] = Double(size)
        // The estimator's own O(1/n) bias, ψ(2n) − ψ(n) − log 2 ≈ 1/4n (what it reads for disjoint
        // supports, where every term is 0), is part of its error: the standard error alone would be 0 there.
        let bias = abs(offset - M_LN2)
        return DivergenceEstimate(.js, value: offset + mean, stderr: (stderr * stderr + bias * bias).squareRoot(), method: "knn",
                                  reason: [reason, "Kozachenko–Leonenko entropies, H(M) − ½H(P) − ½H(Q)"].compactMap { $0 }.joined(separator: "; "),
                                  details: details)
    }

    /// d·log(ρ_k among own ∪ other / ρ_k among own) per point: the k-th smallest of the merged sorted rows.
    static func pooledTerms(own: [Double], cross: Matrix<Double>, ownAll: Matrix<Double>, k: Int, d: Double) -> [Double] {
        let floor = own.min() ?? .leastNormalMagnitude
        return (0..<own.count).map { i in
            var a = 0, b = 0, merged = 0.0
            for _ in 0..<k {
                if b >= k || (a < k && ownAll[i, a] <= cross[i, b]) { merged = ownAll[i, a]; a += 1 } else { merged = cross[i, b]; b += 1 }
            }
            return d * log(max(merged, floor) / own[i])
        }
    }

    /// KL = ∞ / JS = log 2 when atoms decide it, a refusal when they make kNN meaningless, else nil.
    static func atomVerdict(_ kind: DivergenceKind, p: Matrix<Double>, q: Matrix<Double>) throws(ManifoldLabError) -> String? {
        // Below 1% of a sample, repeats are what finite-precision sampling makes of a continuous law
        // (GSL's uniform variates have 32 bits: n = 4·10⁵ draws repeat ~20 values).
        var atomsP = SupportTest.atoms(p), atomsQ = SupportTest.atoms(q)
        if atomsP.rows * 100 < p.rows { atomsP = ([], 0) }
        if atomsQ.rows * 100 < q.rows { atomsQ = ([], 0) }
        guard atomsP.rows > 0 || atomsQ.rows > 0 else { return nil }
        func values(_ x: Matrix<Double>) -> Set<[Double]> { Set((0..<x.rows).map { x.row($0) }) }
        let inP = values(p), inQ = values(q)
        let missedP = atomsP.values.filter { !inQ.contains($0) }.count
        let missedQ = atomsQ.values.filter { !inP.contains($0) }.count
        if kind == .kl {
            return missedP > 0 ? "= ∞: P's sample repeats \(missedP) point\(missedP == 1 ? "" : "s") (atoms) that Q's sample never hits: Q gives them no mass" : nil
        }
        guard missedP > 0 || missedQ > 0 else { return nil }
        if inP.isDisjoint(with: inQ) && (atomsP.rows == p.rows || atomsQ.rows == q.rows) {
            return "= log 2: one sample consists of atoms (repeated points) that the other never hits: mutually singular"
        }
        throw .methodNotApplicable(method: "knn", reason: "a sample repeats points (atoms) that the other never hits, beside distinct points: JS then depends on the atoms' mass, which kNN cannot weigh; add \(parameter: "noise") σ (smoothed) or use \(parameter: "method") classifier")
    }

    /// Median k-th-neighbour distance over the median distance from the sample's mean.
    static func locality(_ x: Matrix<Double>, rho: [Double]) -> Double {
        let d = x.columns
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<x.rows { for c in 0..<d { mean[c] += x[i, c] / Double(x.rows) } }
        let radii = (0..<x.rows).map { i in (0..<d).reduce(0.0) { $0 + (x[i, $1] - mean[$1]) * (x[i, $1] - mean[$1]) }.squareRoot() }.sorted()
        let spread = radii[radii.count / 2]
        return spread > 0 ? rho.sorted()[rho.count / 2] / spread : 0
    }

    /// Records the locality and, when `auto` chose kNN, refuses it past ``localityLimit``.
    static func check(_ locality: Double, _ required: Bool, n: Int, d: Double, k: Int,
                      details: inout [String: Double]) throws(ManifoldLabError) {
        details["locality"] = locality
        guard required && locality > localityLimit else { return }
        let needed = Double(k) * pow(2, d)
        throw .methodNotApplicable(method: "knn", reason: String(
            format: "in dimension %.0f with n = %d the k-th neighbour lies %.2f of the way across the sample (limit %.1f), so kNN's bias can exceed the whole value; add \(parameter: "noise") σ (smoothed), use \(parameter: "method") classifier, or a bigger \(parameter: "n") (≈ k·2^d = %.3g points)",
            d, n, locality, localityLimit, needed))
    }
}

/// The sample mean and its standard error s/√n.
func meanAndStandardError(_ values: [Double]) -> (mean: Double, stderr: Double) {
    let n = Double(values.count)
    // In units of the largest |value|, so neither the sum nor the squares overflow (smoothed KL
    // terms reach 1e294 at σ = 1e-148, whose squares are beyond a double).
    let largest = values.reduce(0) { max($0, abs($1)) }
    let unit = largest > 0 && largest.isFinite ? largest : 1
    let mean = values.reduce(0) { $0 + $1 / unit } / n
    guard values.count > 1 else { return (mean * unit, .infinity) }
    let variance = values.reduce(0) { let d = $1 / unit - mean; return $0 + d * d } / (n - 1)
    return (mean * unit, (variance / n).squareRoot() * unit)
}
