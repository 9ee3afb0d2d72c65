import Foundation

/// The Inception Score (Salimans et al. 2016) with the classifier replaced by the exact posterior of
/// a labelled Gaussian mixture: IS = exp(E_x KL(p(y|x) ‖ p(y))), p(y) the mean of p(y|x) over the
/// sample. A sample that fills m of the K equal modes equally scores m: K for the mixture itself,
/// 1 for total collapse onto one mode.
///
/// p(y|x) ∝ exp(−|u − c_y|² / 2σ²) with u the projection of x on the mixture's plane: the posterior
/// of the mixture smoothed by N(0, σ²) off its plane too, whose off-plane factor is the same for every
/// mode and cancels. Log-sum-exp keeps it exact however far x lies from every mode.
///
/// As torch-fidelity does, the sample is cut into ``defaultSplits`` equal splits and the score is the
/// mean of the splits' scores; the splits are disjoint, so their spread gives a standard error of
/// that mean. Each split's p(y) comes from its own points, which biases the score down by about
/// (K − 1)/2N_split in log at small splits.
public struct MixtureInceptionScore: Sendable, Equatable {
    /// The mean over splits of exp(E_x KL(p(y|x) ‖ p(y))).
    public let value: Double
    /// The standard error of that mean (sample std over splits / √splits); 0 for one split.
    public let standardError: Double
    /// The population std over splits, as torch-fidelity reports it.
    public let splitStd: Double
    public let splits: Int
    /// K.
    public let modes: Int

    public static let defaultSplits = 10

    public static func measure(_ samples: Matrix<Double>, mixture: GaussianMixture, embedding: Embedding,
                               splits: Int = defaultSplits) throws(ManifoldLabError) -> MixtureInceptionScore {
        guard splits >= 1, samples.rows >= splits else {
            throw .invalidValue(parameter: "the sample", value: "\(samples.rows) points",
                                allowed: "at least one point per split (\(splits) splits)")
        }
        guard allFinite(samples.storage) else {
            throw .invalidValue(parameter: "the sample", value: "a NaN or infinite coordinate", allowed: "finite coordinates")
        }
        // In logs throughout: a posterior of 1e-320 for some mode (a point 0.3 from it, σ = 0.01) and
        // a split's mean of such posteriors underflow, and log 0 would make the score ∞.
        let logPosteriors = Self.logPosteriors(samples, mixture: mixture, embedding: embedding)
        let k = mixture.means.count, n = samples.rows
        var scores: [Double] = []
        for split in 0..<splits {
            let rows = (split * n / splits)..<((split + 1) * n / splits)
            let logCount = log(Double(rows.count))
            let logMarginal = (0..<k).map { y in LogSumExp.of(rows.map { logPosteriors[$0 * k + y] }) - logCount }
            var meanKL = 0.0
            for i in rows {
                var kl = 0.0
                for y in 0..<k {
                    let logP = logPosteriors[i * k + y]
                    guard logP > -745 else { continue }  // p = 0 in double: no contribution
                    kl += exp(logP) * (logP - logMarginal[y])
                }
                meanKL += kl / Double(rows.count)
            }
            scores.append(exp(meanKL))
        }
        guard scores.allSatisfy(\.isFinite) else {
            throw .numericalFailure("the Inception Score analogue is not a finite number for this sample")
        }
        let summary = MeanStd(scores)
        let b = Double(splits)
        return MixtureInceptionScore(value: summary.mean, standardError: splits > 1 ? summary.std / b.squareRoot() : 0,
                                     splitStd: summary.std * ((b - 1) / b).squareRoot(), splits: splits, modes: k)
    }

    /// log p(y|x_i) for every row, row-major n × K.
    ///
    /// In units of L, a power of two at least the largest centre coordinate (exact scaling): with
    /// t_y = Σ (c_y/L)(c_y/L − 2u/L), −|u − c_y|²/2σ² = −(t_y − t_min)·(L/σ)²/2 + a term common to every y.
    /// t_y − t_min ≥ 0 is computed at the centres' own scale, so nothing under- or overflows at
    /// 10^±150; where (L/σ)² overflows (σ far below the spacing of the centres) the posterior is
    /// exactly one-hot on the nearest centre (logits 0 and −∞), never NaN.
    static func logPosteriors(_ samples: Matrix<Double>, mixture: GaussianMixture, embedding: Embedding) -> [Double] {
        let k = mixture.means.count
        let largest = mixture.means.reduce(0.0) { m, c in c.reduce(m) { max($0, abs($1)) } }
        let unit = largest > 0 && largest.isFinite ? exp2(log2(largest).rounded(.up)) : 1
        let centres = mixture.means.map { $0.map { $0 / unit } }
        let ratio = unit / mixture.standardDeviation  // L/σ; may be ∞ or 0
        var result = [Double](repeating: 0, count: samples.rows * k)
        var logits = [Double](repeating: 0, count: k)
        for i in 0..<samples.rows {
            let u = embedding.project(samples.row(i)).canonical.map { $0 / unit }
            // Linear in u, so no square of a far u overflows.
            for (y, centre) in centres.enumerated() {
                var t = 0.0
                for a in centre.indices { t += centre[a] * (centre[a] - 2 * u[a]) }
                logits[y] = t
            }
            let nearest = logits.min()!
            for y in 0..<k {
                let gap = logits[y] - nearest
                logits[y] = gap == 0 ? 0 : -0.5 * (gap * ratio) * ratio
            }
            let total = LogSumExp.of(logits)
            for y in 0..<k { result[i * k + y] = logits[y] - total }
        }
        return result
    }
}
