import Foundation

/// Monte Carlo estimates of JS and KL between two smoothed laws P_σ and Q_σ.
///
/// With x_i ~ P_σ and y_j ~ Q_σ (n each) and exact log-densities:
/// JS = ½ E_P[log 2 − softplus(log q − log p)] + ½ E_Q[log 2 − softplus(log p − log q)] (each term
/// in (−∞, log 2], so the estimate never exceeds log 2), KL(P‖Q) = E_P[log p − log q].
///
/// A law that is the image of the unit cube (``UnitCubeImage``: every manifold and sample file) is
/// drawn by randomised quasi-Monte Carlo — ``replicates`` independently shifted Sobol point sets of
/// n/R points — and its standard error is the spread of the R replicate means over √R. Other laws
/// take n pseudo-random points and the sample standard deviation over √n.
public enum SmoothedEstimator {
    /// R, the independent Sobol replicates per side: 16 leaves the standard error 15 degrees of freedom.
    public static let replicates = 16
    /// Below R × this many points a side falls back to plain Monte Carlo.
    public static let minimumPerReplicate = 32

    public static func estimate(p: any SmoothedLaw, q: any SmoothedLaw, count: Int, seed: Seed,
                                wanted: Set<DivergenceKind>) -> [DivergenceKind: DivergenceEstimate] {
        let basis = count >= replicates * minimumPerReplicate ? noiseBasis(p, q) : nil
        let x = Draw(p, count: count, seed: seed, side: "p", noiseBasis: basis)
        let logPx = p.logDensity(x.points), logQx = q.logDensity(x.points)
        let method = "smoothed"
        var details: [String: Double] = ["n": Double(count)]
        if let replicates = x.replicates { details["replicates"] = Double(replicates) }
        let densities = p.densityMethod == q.densityMethod ? p.densityMethod : "\(p.densityMethod) / \(q.densityMethod)"
        var result: [DivergenceKind: DivergenceEstimate] = [:]
        if wanted.contains(.kl) {
            let terms = (0..<count).map { logPx[$0] - logQx[$0] }
            let (mean, stderr) = x.meanAndStandardError(terms)
            var estimate = DivergenceEstimate(.kl, value: mean, stderr: stderr, method: method,
                                              reason: Draw.note(densities, x), details: details)
            // Both smoothed laws have a positive density everywhere, so KL is finite: an ∞ here is a
            // log-density that failed, or a finite value beyond double range.
            if !logPx.allSatisfy(\.isFinite) {
                estimate.refusal = "log p_σ came out infinite at a sample of P_σ (\(densities)), although p_σ is positive there; not printed"
            } else if !logQx.allSatisfy(\.isFinite) {
                estimate.refusal = "log q_σ at a sample of P_σ is below −1.8e308 (the sample lies ≳ 1e154·σ from Q's support), so KL(P_σ‖Q_σ), which is finite, is beyond the largest double; not printed (a larger \(parameter: "noise") σ brings it into range)"
            } else if !mean.isFinite {
                // The mean again in units of 2^600, so its size can be told (an error bar that alone is
                // not finite is left to the engine's own refusal).
                let scale = 0x1p-600, (scaled, _) = x.meanAndStandardError(terms.indices.map { logPx[$0] * scale - logQx[$0] * scale })
                let magnitude = log10(abs(scaled)) - log10(scale)
                let size = scaled > 0 && magnitude.isFinite
                    ? String(format: " ≈ %.2ge%.0f nats", pow(10, magnitude - magnitude.rounded(.down)), magnitude.rounded(.down)) : ""
                estimate.value = .infinity
                estimate.refusal = "KL(P_σ‖Q_σ)\(size) is finite but beyond the largest double (1.8e308), so it is not printed as a number (its log-densities are exact; a larger \(parameter: "noise") σ brings it into range)"
            }
            result[.kl] = estimate
        }
        if wanted.contains(.js) {
            let y = Draw(q, count: count, seed: seed, side: "q", noiseBasis: basis)
            let logPy = p.logDensity(y.points), logQy = q.logDensity(y.points)
            let (meanP, errorP) = x.meanAndStandardError((0..<count).map { M_LN2 - softplus(logQx[$0] - logPx[$0]) })
            let (meanQ, errorQ) = y.meanAndStandardError((0..<count).map { M_LN2 - softplus(logPy[$0] - logQy[$0]) })
            result[.js] = DivergenceEstimate(.js, value: 0.5 * (meanP + meanQ),
                                             stderr: 0.5 * (errorP * errorP + errorQ * errorQ).squareRoot(),
                                             method: method, reason: Draw.note(densities, x, y), details: details)
        }
        return result
    }

    /// A basis whose first columns span both laws' supports: the noise beyond them changes log p and
    /// log q alike (|x − c|² grows the same for both) and cancels from every term, so the Sobol
    /// coordinates, which run out after ``UnitCube/sobolMaximumDimension``, go where they count.
    static func noiseBasis(_ p: any SmoothedLaw, _ q: any SmoothedLaw) -> HouseholderBasis? {
        guard let p = (p as? any UnitCubeImage)?.supportDirections, let q = (q as? any UnitCubeImage)?.supportDirections,
              p.count + q.count < p.first?.count ?? 0 else { return nil }
        return HouseholderBasis(spanning: p + q, dimension: p[0].count)
    }

    /// One side's points and how they were drawn.
    struct Draw {
        let points: Matrix<Double>
        /// R for randomised quasi-Monte Carlo; nil for independent pseudo-random points.
        let replicates: Int?

        /// Quasi-random points come from `seed.child("shifts-<side>")`; pseudo-random ones from the
        /// law's own streams, as `sample` draws them.
        init(_ law: any SmoothedLaw, count: Int, seed: Seed, side: String, noiseBasis: HouseholderBasis?) {
            let r = SmoothedEstimator.replicates
            guard let image = law as? any UnitCubeImage, count >= r * SmoothedEstimator.minimumPerReplicate else {
                points = law.sample(count: count, seed: seed)
                replicates = nil
                return
            }
            let shifts = RandomStream(seed: seed.child(.shifts(side)))
            let s = image.unitCubeDimension
            var cube: [Double] = []
            cube.reserveCapacity(count * s)
            for block in Self.blocks(count: count, replicates: r) {
                cube += UnitCube.shiftedSobol(count: block.count, dimension: s, rng: shifts).storage
            }
            points = image.points(fromUnitCube: Matrix(rows: count, columns: s, storage: cube), noiseBasis: noiseBasis)
            replicates = r
        }

        /// Rows of replicate r: n/R each, the first n mod R one longer.
        static func blocks(count: Int, replicates r: Int) -> [Range<Int>] {
            var start = 0
            return (0..<r).map { index in
                let size = count / r + (index < count % r ? 1 : 0)
                defer { start += size }
                return start ..< start + size
            }
        }

        /// The estimate and its standard error: over replicate means when quasi-random.
        func meanAndStandardError(_ terms: [Double]) -> (mean: Double, stderr: Double) {
            guard let r = replicates else { return ManifoldLabCore.meanAndStandardError(terms) }
            let means = Self.blocks(count: terms.count, replicates: r).map { block in
                terms[block].reduce(0, +) / Double(block.count)
            }
            return ManifoldLabCore.meanAndStandardError(means)
        }

        /// The estimate's note: how the densities were computed and, when quasi-random, how the points were drawn.
        static func note(_ densities: String, _ draws: Draw...) -> String {
            guard let r = draws.compactMap(\.replicates).first else { return densities }
            let which = draws.count == 1 || draws.allSatisfy({ $0.replicates != nil }) ? "" : " on one side"
            return "\(densities); randomised quasi-Monte Carlo\(which), \(r) shifted Sobol replicates"
        }
    }
}
